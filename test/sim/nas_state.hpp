// NAS state: the simulated radio world, the modem's network preferences,
// where it is camped, and per-client NAS settings. Plain data plus the pure
// rules of the registration machine (which network, which RAT, what the host
// is told); timers and indications live in services/nas_*.cpp.
#pragma once

#include <libqmi-glib.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace qmisim
{

// Radio access technologies the simulated modem has (best first in Rat order).
enum class Rat : std::uint8_t { None, Gsm, Umts, Lte };

struct Plmn {
    std::uint16_t mcc = 0;
    std::uint16_t mnc = 0;
    bool three_digit_mnc = false; // "001" vs "01"

    bool operator==(const Plmn &) const = default;
    std::string mcc_text() const;
    std::string mnc_text() const;
    std::string text() const; // "001 01"
};

enum class OperatorStatus {
    Available,
    Forbidden,
    Current, // available, and automatic selection picks it before the home network
};

struct NetworkOperator {
    Plmn plmn;
    std::string name;
    OperatorStatus status = OperatorStatus::Available;
    std::set<Rat> rats;
};

enum class RoamingMode { Auto, On, Off };

// What the radios measure. Each RAT has its own RSSI.
struct SignalLevels {
    int gsm_rssi = -70;  // dBm
    int umts_rssi = -70; // dBm
    int lte_rssi = -65;  // dBm
    int umts_ecio = 10;  // -0.5 dB units, as QMI sends it (10 = -5 dB)
    int rsrq = -10;      // dB
    int rsrp = -95;      // dBm
    int snr = 100;       // 0.1 dB units (100 = 10.0 dB)
};

// The radio environment and the test knobs: survives resets and re-plugs.
struct NasWorld {
    Plmn home{1, 1, false};
    std::string home_name = "QMI-SIM Telecom";
    std::vector<NetworkOperator> operators = default_operators();
    std::uint16_t lac = 0x1234;
    std::uint16_t tac = 0x5678;
    std::uint32_t cell_id = 0x01ABCDEF;
    SignalLevels signal;
    std::optional<Rat> pinned_rat;                       // "set nas.rat": camp there when allowed
    std::optional<QmiNasRegistrationState> forced_state; // "set nas.registration"
    RoamingMode roaming = RoamingMode::Auto;
    unsigned scan_delay_ms = 2000;
    unsigned register_delay_ms = 100;
    std::string network_name;       // NITZ full name ("set nas.network-name")
    std::string network_short_name; // NITZ short name

    static std::vector<NetworkOperator> default_operators();
};

constexpr std::uint16_t kModeGsm = QMI_NAS_RAT_MODE_PREFERENCE_GSM;
constexpr std::uint16_t kModeUmts = QMI_NAS_RAT_MODE_PREFERENCE_UMTS;
constexpr std::uint16_t kModeLte = QMI_NAS_RAT_MODE_PREFERENCE_LTE;

// System selection preference (and manual network selection).
struct NasPreferences {
    std::uint16_t mode_preference = kModeGsm | kModeUmts | kModeLte;
    std::uint64_t band_preference =
        QMI_NAS_BAND_PREFERENCE_GSM_DCS_1800 | QMI_NAS_BAND_PREFERENCE_GSM_900_EXTENDED |
        QMI_NAS_BAND_PREFERENCE_GSM_900_PRIMARY | QMI_NAS_BAND_PREFERENCE_GSM_850 |
        QMI_NAS_BAND_PREFERENCE_GSM_PCS_1900 | QMI_NAS_BAND_PREFERENCE_WCDMA_2100 |
        QMI_NAS_BAND_PREFERENCE_WCDMA_PCS_1900 | QMI_NAS_BAND_PREFERENCE_WCDMA_850_US |
        QMI_NAS_BAND_PREFERENCE_WCDMA_900;
    std::uint64_t lte_band_preference =
        QMI_NAS_LTE_BAND_PREFERENCE_EUTRAN_1 | QMI_NAS_LTE_BAND_PREFERENCE_EUTRAN_3 |
        QMI_NAS_LTE_BAND_PREFERENCE_EUTRAN_5 | QMI_NAS_LTE_BAND_PREFERENCE_EUTRAN_7 |
        QMI_NAS_LTE_BAND_PREFERENCE_EUTRAN_8 | QMI_NAS_LTE_BAND_PREFERENCE_EUTRAN_20 |
        QMI_NAS_LTE_BAND_PREFERENCE_EUTRAN_28;
    std::uint16_t roaming_preference = QMI_NAS_ROAMING_PREFERENCE_ANY;
    std::uint32_t service_domain_preference = QMI_NAS_SERVICE_DOMAIN_PREFERENCE_CS_PS;
    bool manual = false;
    Plmn manual_plmn;
    std::optional<Rat> manual_rat;

    bool operator==(const NasPreferences &) const = default;
};

enum class CampPhase {
    Off,       // not online
    Searching, // online, not (yet) on a network
    Camped,    // on `plmn`/`rat`: registered, or rejected when `denied`
};

struct Camp {
    CampPhase phase = CampPhase::Off;
    Plmn plmn;
    Rat rat = Rat::None;
    bool denied = false;

    bool operator==(const Camp &) const = default;
};

// Where the machine wants to be: registration starts when this changes.
struct CampTarget {
    Plmn plmn;
    Rat rat = Rat::None;
    bool denied = false; // a forbidden network chosen manually

    bool operator==(const CampTarget &) const = default;
};

struct NasState {
    NasWorld world;
    NasPreferences preferences;
    NasPreferences persistent_preferences; // what a reboot comes back with
    Camp camp;
};

// Per client: what Set Event Report and Config Signal Info asked for.
struct NasClientConfig {
    bool report_signal_strength = false;
    std::vector<int> strength_thresholds; // dBm
    unsigned rssi_delta = 0;              // dB, 0: off
    unsigned rsrp_delta = 0;              // dB
    unsigned snr_delta = 0;               // 0.1 dB
    // Values last reported (or current at Set Event Report), for the deltas.
    int rssi_baseline = 0;
    int rsrp_baseline = 0;
    int snr_baseline = 0;

    bool signal_thresholds_set = false;
    std::vector<int> rssi_thresholds; // dBm
    std::vector<int> ecio_thresholds; // -0.5 dB units
    std::vector<int> snr_thresholds;  // 0.1 dB units
    std::vector<int> rsrq_thresholds; // dB
    std::vector<int> rsrp_thresholds; // dBm
};

// What the host is told about registration (Serving System, System Info).
struct RegistrationView {
    bool online = false;
    QmiNasRegistrationState state = QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED;
    Rat rat = Rat::None;      // set while camped (registered or denied)
    std::optional<Plmn> plmn; // likewise
    std::string operator_name;
    bool roaming = false;
    bool forbidden = false;
    std::uint16_t lac = 0;
    std::uint16_t tac = 0;
    std::uint32_t cell_id = 0;

    bool registered() const { return state == QMI_NAS_REGISTRATION_STATE_REGISTERED; }
    bool operator==(const RegistrationView &) const = default;
};

// What the radio measures on the RAT it is camped on (rat None: nothing).
struct SignalView {
    Rat rat = Rat::None;
    int rssi = 0;
    int ecio = 0;
    int rsrq = 0;
    int rsrp = 0;
    int snr = 0;

    bool operator==(const SignalView &) const = default;
};

// Names and parsing.
std::string rat_name(Rat rat); // "gsm", "umts", "lte", "none"
std::optional<Rat> parse_rat(std::string_view text);
QmiNasRadioInterface radio_interface(Rat rat);
std::optional<Rat> rat_from_radio_interface(int radio_interface);
std::uint16_t mode_bit(Rat rat);
std::string mode_preference_text(std::uint16_t mask); // "gsm,umts,lte"
std::optional<std::uint16_t> parse_mode_preference(std::string_view text);
std::string registration_state_name(QmiNasRegistrationState state);
std::optional<QmiNasRegistrationState> parse_registration_state(std::string_view text);
// "001" + "01" -> {1, 1, two digits}; nullopt unless 3 and 2-3 digits.
std::optional<Plmn> parse_plmn(std::string_view mcc, std::string_view mnc);
// A PLMN from QMI numbers; without a PCS-digit flag, MNCs above 99 have 3 digits.
Plmn plmn_from_qmi(std::uint16_t mcc, std::uint16_t mnc, std::optional<bool> pcs_digit);

// The registration rules.
const NetworkOperator *find_operator(const NasWorld &world, const Plmn &plmn);
// Best RAT of `op` that the mode preference allows: `pinned` if possible,
// else LTE > UMTS > GSM; None if there is none.
Rat best_rat(const NetworkOperator &op, std::uint16_t mode_preference, std::optional<Rat> pinned);
// The network the modem should be on now, or nullopt (keep searching).
std::optional<CampTarget> choose_target(const NasState &nas);
// Follows the camp (not the operating mode), so a change shows in the view
// only once the machine has moved.
RegistrationView make_registration_view(const NasState &nas);
SignalView make_signal_view(const NasState &nas, const RegistrationView &view);

// True if a value moved across one of the thresholds (from below to at-or-above
// or back).
bool crosses(const std::vector<int> &thresholds, int before, int after);

} // namespace qmisim
