// Pure translation of QMI NAS values into oFono's network registration
// values. No I/O: every branch is covered by test/unit/test_nas.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qmi {

// oFono's registration status values (src/common.h, not exported).
enum class RegStatus : int {
    NotRegistered = 0,
    Registered = 1,
    Searching = 2,
    Denied = 3,
    Unknown = 4,
    Roaming = 5,
};

// oFono's access technology values (src/common.h, not exported); -1 none.
enum class AccessTech : int {
    None = -1,
    Gsm = 0,
    GsmCompact = 1,
    Utran = 2,
    GsmEgprs = 3,
    UtranHsdpa = 4,
    UtranHsupa = 5,
    UtranHsdpaHsupa = 6,
    Eutran = 7,
};

// QMI NAS values as plain integers (QmiNasRegistrationState,
// QmiNasRadioInterface, QmiNasDataCapability), so tests need no libqmi.
struct Plmn {
    std::uint16_t mcc = 0;
    std::uint16_t mnc = 0;
    bool three_digit_mnc = false;
    std::string description;
};

// What Get Serving System (response or indication) says, in QMI terms.
struct ServingSystem {
    int registration_state = 0; // QmiNasRegistrationState
    int ps_attach_state = 0;    // QmiNasAttachState
    bool roaming = false;
    std::vector<int> radio_interfaces;  // QmiNasRadioInterface
    std::vector<int> data_capabilities; // QmiNasDataCapability
    std::optional<Plmn> plmn;
    std::optional<std::uint16_t> lac;
    std::optional<std::uint16_t> tac;
    std::optional<std::uint32_t> cell_id;
};

struct Registration {
    RegStatus status = RegStatus::Unknown;
    int lac = -1;
    int cell_id = -1;
    AccessTech tech = AccessTech::None;

    bool operator==(const Registration &) const = default;
};

Registration to_registration(const ServingSystem &ss);
AccessTech to_access_tech(const std::vector<int> &radio_interfaces,
                          const std::vector<int> &data_capabilities);
AccessTech radio_interface_to_tech(int radio_interface);

// MCC/MNC as oFono wants them: "001", "01" / "260" (3-digit MNC).
std::string format_mcc(std::uint16_t mcc);
std::string format_mnc(std::uint16_t mnc, bool three_digits);
// The reverse, for manual registration. False on anything but 3 / 2-3 digits.
bool parse_mcc_mnc(const std::string &mcc, const std::string &mnc, std::uint16_t &mcc_out,
                   std::uint16_t &mnc_out, bool &three_digit_mnc);

// oFono operator status from a Network Scan status bitmask
// (QmiNasNetworkStatus): 0 unknown, 1 available, 2 current, 3 forbidden.
int scan_status_to_operator_status(unsigned status);

// Signal strength 0..100 %: RSSI -113..-51 dBm (GSM/UMTS), RSRP -140..-44
// dBm (LTE; preferred over LTE RSSI when known).
int rssi_to_strength(int rssi_dbm);
int rsrp_to_strength(int rsrp_dbm);

struct SignalInfo {
    std::optional<int> gsm_rssi;
    std::optional<int> umts_rssi;
    std::optional<int> lte_rssi;
    std::optional<int> lte_rsrp;
};
// The best available measure for the technology in use; -1 = unknown.
int to_strength(const SignalInfo &info);

// Operator name as oFono can store it: valid UTF-8 (invalid bytes dropped),
// at most 63 bytes without splitting a character.
std::string sanitize_operator_name(const std::string &name);

struct NetworkTime {
    int year, month, day, hour, minute, second;
    std::optional<int> tz_quarter_hours;
    std::optional<int> dst_hours;
};
struct LocalTime {
    int year, month, day, hour, minute, second;
    int utc_offset_seconds;
    int dst_hours;
};
// NAS reports universal time; oFono takes local time plus the UTC offset.
LocalTime to_local_time(const NetworkTime &t);

// RadioSettings.TechnologyPreference <-> NAS mode preference bitmask
// (QmiNasRatModePreference). oFono's modes: 0 any, 1 gsm, 2 umts, 4 lte;
// each single technology means "only this one".
int mode_preference_to_access_mode(unsigned mode_preference);
// `supported` is the modem's own mask (from DMS capabilities), used for "any".
unsigned access_mode_to_mode_preference(int access_mode, unsigned supported);
// DMS radio interfaces (QmiDmsRadioInterface) -> a NAS mode preference mask.
unsigned radio_interfaces_to_mode_preference(const std::vector<int> &radio_interfaces);
// A NAS mode preference mask -> oFono's available technologies bitmask.
unsigned mode_preference_to_available_rats(unsigned mode_preference);

// RadioSettings GsmBand / UmtsBand <-> NAS band preference bits. oFono's
// values: GSM any 0, 850 1, 900P 2, 900E 3, 1800 4, 1900 5; UMTS any 0,
// 850 1, 900 2, 1700AWS 3, 1900 4, 2100 5. One band bit set -> that band,
// otherwise "any".
struct BandSelection {
    int gsm = 0;
    int umts = 0;
};
BandSelection band_preference_to_bands(std::uint64_t preference);
// Keeps every bit outside the GSM/UMTS tables (LTE, CDMA, ...) as it was.
std::uint64_t bands_to_band_preference(const BandSelection &bands, std::uint64_t current);

} // namespace qmi
