// Pure translation between QMI UIM values and oFono's SIM values. No I/O:
// covered by test/unit/test_uim.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qmi
{

// One provisioning application of the card (USIM or SIM), QMI values as ints.
struct UimApp {
    int type = 0;  // QmiUimCardApplicationType
    int state = 0; // QmiUimCardApplicationState
    bool upin_replaces_pin1 = false;
    int pin1_state = 0; // QmiUimPinState
    int pin1_retries = -1, puk1_retries = -1;
    int pin2_state = 0;
    int pin2_retries = -1, puk2_retries = -1;
    int upin_state = 0;
    int upin_retries = -1, upuk_retries = -1;
};

struct CardStatus {
    enum class Card { Absent, Present, Error } card = Card::Absent;
    std::optional<UimApp> app; // the primary GW provisioning application
};

// What DMS's UIM messages report on modems without the UIM service.
struct DmsPinStatus {
    int status = 0; // QmiDmsUimPinStatus
    int verify_left = -1, unblock_left = -1;
};

// DMS UIM Get State (QmiDmsUimState) and Get PIN Status -> the same card
// state UIM reports, so one set of rules serves both.
CardStatus card_status_from_dms(int uim_state, const std::optional<DmsPinStatus> &pin1,
                                const std::optional<DmsPinStatus> &pin2);

// ICCID digits -> EF-ICCID contents (TS 102.221 13.2: swapped BCD, F-padded
// to 10 bytes); nullopt if it is not 1-20 digits.
std::optional<std::vector<std::uint8_t>> encode_iccid(const std::string &iccid);

// oFono's enum ofono_sim_password_type for what the card waits for:
// OFONO_SIM_PASSWORD_NONE, SIM_PIN, SIM_PUK, or INVALID (blocked for good,
// no usable application).
int to_password_type(const CardStatus &status);

// Retry counters in oFono's array layout (index = ofono_sim_password_type,
// -1 unknown); n = OFONO_SIM_PASSWORD_INVALID.
void fill_retries(const CardStatus &status, int *retries, int n);

// Whether PIN1 protection (the "SC" facility / LockedPins pin) is on.
bool pin1_enabled(const CardStatus &status);

// oFono gives file paths as big-endian file ids (3F 00 7F FF); QMI wants
// the same ids little-endian (00 3F FF 7F). With no path, the standard one
// for the file: under MF for EF-DIR/ICCID/PL/ARR, else the USIM ADF (or
// DF GSM on a 2G SIM).
std::vector<std::uint8_t> to_qmi_path(const unsigned char *path, unsigned path_len, int file_id,
                                      bool usim);
// Files directly under MF are read through the card session, the rest
// through the primary GW provisioning session (QmiUimSessionType).
int session_for_path(const std::vector<std::uint8_t> &qmi_path);

// QmiUimFileType -> oFono's enum ofono_sim_file_structure (transparent 0,
// fixed 1, cyclic 3); -1 for a DF/MF.
int to_file_structure(int qmi_file_type);

// EF-IMSI contents (TS 31.102 4.2.2) -> digits; nullopt if malformed.
std::optional<std::string> decode_imsi(const std::vector<std::uint8_t> &ef);

// A PIN/PUK as QMI accepts it: 4-8 digits (PUK exactly 8).
bool valid_pin(const std::string &pin);
bool valid_puk(const std::string &puk);

} // namespace qmi
