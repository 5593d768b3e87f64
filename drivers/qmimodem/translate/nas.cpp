#include "nas.hpp"

#include <libqmi-glib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>

namespace qmi
{
namespace
{

bool contains(const std::vector<int> &v, int x)
{
    return std::find(v.begin(), v.end(), x) != v.end();
}

RegStatus status_of(int state, bool roaming)
{
    switch (state) {
    case QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED:
        return RegStatus::NotRegistered;
    case QMI_NAS_REGISTRATION_STATE_REGISTERED:
        return roaming ? RegStatus::Roaming : RegStatus::Registered;
    case QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED_SEARCHING:
        return RegStatus::Searching;
    case QMI_NAS_REGISTRATION_STATE_REGISTRATION_DENIED:
        return RegStatus::Denied;
    default:
        return RegStatus::Unknown;
    }
}

int clamp_percent(int value)
{
    return std::clamp(value, 0, 100);
}

} // namespace

AccessTech radio_interface_to_tech(int radio_interface)
{
    switch (radio_interface) {
    case QMI_NAS_RADIO_INTERFACE_GSM:
        return AccessTech::Gsm;
    case QMI_NAS_RADIO_INTERFACE_UMTS:
    case QMI_NAS_RADIO_INTERFACE_TD_SCDMA:
        return AccessTech::Utran;
    case QMI_NAS_RADIO_INTERFACE_LTE:
        return AccessTech::Eutran;
    default:
        return AccessTech::None;
    }
}

AccessTech to_access_tech(const std::vector<int> &radio_interfaces,
                          const std::vector<int> &data_capabilities)
{
    // A modem lists every interface it camps on; the most capable one wins.
    if (contains(radio_interfaces, QMI_NAS_RADIO_INTERFACE_LTE))
        return AccessTech::Eutran;
    if (contains(radio_interfaces, QMI_NAS_RADIO_INTERFACE_UMTS) ||
        contains(radio_interfaces, QMI_NAS_RADIO_INTERFACE_TD_SCDMA)) {
        const bool down = contains(data_capabilities, QMI_NAS_DATA_CAPABILITY_HSDPA) ||
                          contains(data_capabilities, QMI_NAS_DATA_CAPABILITY_HSDPA_PLUS) ||
                          contains(data_capabilities, QMI_NAS_DATA_CAPABILITY_DC_HSDPA_PLUS);
        const bool up = contains(data_capabilities, QMI_NAS_DATA_CAPABILITY_HSUPA);
        if (down && up)
            return AccessTech::UtranHsdpaHsupa;
        if (down)
            return AccessTech::UtranHsdpa;
        if (up)
            return AccessTech::UtranHsupa;
        return AccessTech::Utran;
    }
    if (contains(radio_interfaces, QMI_NAS_RADIO_INTERFACE_GSM))
        return contains(data_capabilities, QMI_NAS_DATA_CAPABILITY_EDGE) ? AccessTech::GsmEgprs
                                                                         : AccessTech::Gsm;
    return AccessTech::None;
}

Registration to_registration(const ServingSystem &ss)
{
    Registration r;
    r.status = status_of(ss.registration_state, ss.roaming);
    if (r.status != RegStatus::Registered && r.status != RegStatus::Roaming)
        return r; // oFono ignores location and technology when not registered
    r.tech = to_access_tech(ss.radio_interfaces, ss.data_capabilities);
    // LTE has a tracking area code where 2G/3G have a location area code.
    if (r.tech == AccessTech::Eutran && ss.tac)
        r.lac = *ss.tac;
    else if (ss.lac)
        r.lac = *ss.lac;
    if (ss.cell_id)
        r.cell_id = static_cast<int>(*ss.cell_id);
    return r;
}

std::string format_mcc(std::uint16_t mcc)
{
    char buf[8];
    std::snprintf(buf, sizeof(buf), "%03u", static_cast<unsigned>(mcc % 1000));
    return buf;
}

std::string format_mnc(std::uint16_t mnc, bool three_digits)
{
    char buf[8];
    std::snprintf(buf, sizeof(buf), three_digits || mnc > 99 ? "%03u" : "%02u",
                  static_cast<unsigned>(mnc % 1000));
    return buf;
}

bool parse_mcc_mnc(const std::string &mcc, const std::string &mnc, std::uint16_t &mcc_out,
                   std::uint16_t &mnc_out, bool &three_digit_mnc)
{
    auto digits = [](const std::string &s) {
        return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (mcc.size() != 3 || mnc.size() < 2 || mnc.size() > 3 || !digits(mcc) || !digits(mnc))
        return false;
    mcc_out = static_cast<std::uint16_t>(std::stoi(mcc));
    mnc_out = static_cast<std::uint16_t>(std::stoi(mnc));
    three_digit_mnc = mnc.size() == 3;
    return true;
}

int scan_status_to_operator_status(unsigned status)
{
    if (status & QMI_NAS_NETWORK_STATUS_CURRENT_SERVING)
        return 2;
    if (status & QMI_NAS_NETWORK_STATUS_FORBIDDEN)
        return 3;
    if (status & QMI_NAS_NETWORK_STATUS_AVAILABLE)
        return 1;
    return 0;
}

int rssi_to_strength(int rssi_dbm)
{
    // 3GPP TS 27.007 +CSQ range: -113 dBm (0) .. -51 dBm (31).
    return clamp_percent((rssi_dbm + 113) * 100 / 62);
}

int rsrp_to_strength(int rsrp_dbm)
{
    // 3GPP TS 36.133 RSRP reporting range: -140 .. -44 dBm.
    return clamp_percent((rsrp_dbm + 140) * 100 / 96);
}

int to_strength(const SignalInfo &info)
{
    if (info.lte_rsrp)
        return rsrp_to_strength(*info.lte_rsrp);
    if (info.lte_rssi)
        return rssi_to_strength(*info.lte_rssi);
    if (info.umts_rssi)
        return rssi_to_strength(*info.umts_rssi);
    if (info.gsm_rssi)
        return rssi_to_strength(*info.gsm_rssi);
    return -1;
}

std::string sanitize_operator_name(const std::string &name)
{
    constexpr std::size_t kMax = 63; // OFONO_MAX_OPERATOR_NAME_LENGTH
    std::string out;
    const auto *p = reinterpret_cast<const unsigned char *>(name.data());
    const std::size_t n = name.size();
    for (std::size_t i = 0; i < n;) {
        std::size_t len = p[i] < 0x80           ? 1
                          : (p[i] >> 5) == 0x6  ? 2
                          : (p[i] >> 4) == 0xE  ? 3
                          : (p[i] >> 3) == 0x1E ? 4
                                                : 0;
        // Well-formed continuation bytes are not enough: overlong forms,
        // surrogates and code points past U+10FFFF are invalid too (and
        // D-Bus refuses a string holding them).
        const bool valid = len != 0 && i + len <= n &&
                           g_utf8_validate(name.data() + i, static_cast<gssize>(len), nullptr);
        if (!valid) {
            i++; // drop the stray byte
            continue;
        }
        if (p[i] < 0x20 && len == 1) {
            i++; // control characters have no place in a name
            continue;
        }
        if (out.size() + len > kMax)
            break;
        out.append(name, i, len);
        i += len;
    }
    return out;
}

LocalTime to_local_time(const NetworkTime &t)
{
    std::tm utc{};
    utc.tm_year = t.year - 1900;
    utc.tm_mon = t.month - 1;
    utc.tm_mday = t.day;
    utc.tm_hour = t.hour;
    utc.tm_min = t.minute;
    utc.tm_sec = t.second;
    const int offset = t.tz_quarter_hours.value_or(0) * 15 * 60;
    std::time_t when = timegm(&utc) + offset;
    std::tm local{};
    gmtime_r(&when, &local);
    return {local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour,
            local.tm_min,         local.tm_sec,     offset,        t.dst_hours.value_or(0)};
}

namespace
{
constexpr unsigned k3gppModes = QMI_NAS_RAT_MODE_PREFERENCE_GSM | QMI_NAS_RAT_MODE_PREFERENCE_UMTS |
                                QMI_NAS_RAT_MODE_PREFERENCE_LTE;
constexpr int kAny = 0, kGsm = 1, kUmts = 2, kLte = 4; // enum ofono_radio_access_mode
} // namespace

int mode_preference_to_access_mode(unsigned pref)
{
    switch (pref & k3gppModes) {
    case QMI_NAS_RAT_MODE_PREFERENCE_GSM:
        return kGsm;
    case QMI_NAS_RAT_MODE_PREFERENCE_UMTS:
        return kUmts;
    case QMI_NAS_RAT_MODE_PREFERENCE_LTE:
        return kLte;
    default:
        return kAny; // several (or none of the 3GPP ones): automatic
    }
}

unsigned access_mode_to_mode_preference(int mode, unsigned supported)
{
    switch (mode) {
    case kGsm:
        return QMI_NAS_RAT_MODE_PREFERENCE_GSM;
    case kUmts:
        return QMI_NAS_RAT_MODE_PREFERENCE_UMTS;
    case kLte:
        return QMI_NAS_RAT_MODE_PREFERENCE_LTE;
    default:
        return (supported & k3gppModes) ? (supported & k3gppModes) : k3gppModes;
    }
}

unsigned radio_interfaces_to_mode_preference(const std::vector<int> &radio_interfaces)
{
    unsigned mask = 0;
    for (int ri : radio_interfaces) {
        if (ri == QMI_DMS_RADIO_INTERFACE_GSM)
            mask |= QMI_NAS_RAT_MODE_PREFERENCE_GSM;
        else if (ri == QMI_DMS_RADIO_INTERFACE_UMTS)
            mask |= QMI_NAS_RAT_MODE_PREFERENCE_UMTS;
        else if (ri == QMI_DMS_RADIO_INTERFACE_LTE)
            mask |= QMI_NAS_RAT_MODE_PREFERENCE_LTE;
    }
    return mask;
}

namespace
{
// Index = oFono's band value (0 = any).
constexpr std::array<std::uint64_t, 6> kGsmBands{0,
                                                 QMI_NAS_BAND_PREFERENCE_GSM_850,
                                                 QMI_NAS_BAND_PREFERENCE_GSM_900_PRIMARY,
                                                 QMI_NAS_BAND_PREFERENCE_GSM_900_EXTENDED,
                                                 QMI_NAS_BAND_PREFERENCE_GSM_DCS_1800,
                                                 QMI_NAS_BAND_PREFERENCE_GSM_PCS_1900};
constexpr std::array<std::uint64_t, 6> kUmtsBands{0,
                                                  QMI_NAS_BAND_PREFERENCE_WCDMA_850_US,
                                                  QMI_NAS_BAND_PREFERENCE_WCDMA_900,
                                                  QMI_NAS_BAND_PREFERENCE_WCDMA_1700_US,
                                                  QMI_NAS_BAND_PREFERENCE_WCDMA_PCS_1900,
                                                  QMI_NAS_BAND_PREFERENCE_WCDMA_2100};

template <std::size_t N> std::uint64_t all_of(const std::array<std::uint64_t, N> &table)
{
    std::uint64_t mask = 0;
    for (auto bit : table)
        mask |= bit;
    return mask;
}

template <std::size_t N>
int single_band(const std::array<std::uint64_t, N> &table, std::uint64_t pref)
{
    int found = 0;
    for (std::size_t i = 1; i < N; i++) {
        if (pref & table[i]) {
            if (found)
                return 0; // several: any
            found = static_cast<int>(i);
        }
    }
    return found;
}

template <std::size_t N>
std::uint64_t band_bits(const std::array<std::uint64_t, N> &table, int band, std::uint64_t current)
{
    if (band > 0 && static_cast<std::size_t>(band) < N)
        return table[band];
    // "any": every band of the table, plus what the modem had beyond it.
    return all_of(table) | (current & all_of(table));
}
} // namespace

BandSelection band_preference_to_bands(std::uint64_t pref)
{
    return {single_band(kGsmBands, pref), single_band(kUmtsBands, pref)};
}

std::uint64_t bands_to_band_preference(const BandSelection &bands, std::uint64_t current)
{
    const std::uint64_t others = current & ~(all_of(kGsmBands) | all_of(kUmtsBands));
    return others | band_bits(kGsmBands, bands.gsm, current) |
           band_bits(kUmtsBands, bands.umts, current);
}

unsigned mode_preference_to_available_rats(unsigned pref)
{
    unsigned rats = 0;
    if (pref & QMI_NAS_RAT_MODE_PREFERENCE_GSM)
        rats |= kGsm;
    if (pref & QMI_NAS_RAT_MODE_PREFERENCE_UMTS)
        rats |= kUmts;
    if (pref & QMI_NAS_RAT_MODE_PREFERENCE_LTE)
        rats |= kLte;
    return rats;
}

} // namespace qmi
