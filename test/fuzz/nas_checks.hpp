// Invariants of nas.hpp's functions, shared by the NAS fuzz targets.
#pragma once

#include "harness.hpp"

#include "translate/nas.hpp"

#include <algorithm>

namespace fuzz
{

inline bool all_digits(const std::string &s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What oFono gets as an operator name: valid UTF-8 (D-Bus aborts on
// anything else), at most 63 bytes, no control characters, stable, and
// nothing but bytes of the input in their order.
inline void check_operator_name(const std::string &in)
{
    const std::string out = qmi::sanitize_operator_name(in);
    FUZZ_CHECK(valid_utf8(out));
    FUZZ_CHECK(out.size() <= 63);
    FUZZ_CHECK(std::none_of(out.begin(), out.end(),
                            [](char c) { return static_cast<unsigned char>(c) < 0x20; }));
    FUZZ_CHECK(qmi::sanitize_operator_name(out) == out);
    std::size_t at = 0;
    for (char c : out) {
        at = in.find(c, at);
        FUZZ_CHECK(at != std::string::npos);
        ++at;
    }
    const bool clean = std::none_of(in.begin(), in.end(),
                                    [](char c) { return static_cast<unsigned char>(c) < 0x20; });
    if (valid_utf8(in) && clean && in.size() <= 63)
        FUZZ_CHECK(out == in);
}

inline void check_plmn_text(std::uint16_t mcc, std::uint16_t mnc, bool three_digits)
{
    const std::string mcc_text = qmi::format_mcc(mcc);
    const std::string mnc_text = qmi::format_mnc(mnc, three_digits);
    FUZZ_CHECK(mcc_text.size() == 3 && all_digits(mcc_text));
    FUZZ_CHECK((mnc_text.size() == 2 || mnc_text.size() == 3) && all_digits(mnc_text));
    // What oFono shows is what manual registration takes back.
    std::uint16_t mcc_back = 0, mnc_back = 0;
    bool three_back = false;
    FUZZ_CHECK(qmi::parse_mcc_mnc(mcc_text, mnc_text, mcc_back, mnc_back, three_back));
    FUZZ_CHECK(mcc_back == mcc % 1000 && mnc_back == mnc % 1000);
    FUZZ_CHECK(three_back == (mnc_text.size() == 3));
}

inline void check_registration(const qmi::ServingSystem &ss)
{
    using qmi::AccessTech;
    using qmi::RegStatus;
    const qmi::Registration r = qmi::to_registration(ss);
    FUZZ_CHECK(static_cast<int>(r.status) >= 0 && static_cast<int>(r.status) <= 5);
    FUZZ_CHECK(static_cast<int>(r.tech) >= -1 && static_cast<int>(r.tech) <= 7);
    const bool registered = r.status == RegStatus::Registered || r.status == RegStatus::Roaming;
    FUZZ_CHECK(registered == (ss.registration_state == QMI_NAS_REGISTRATION_STATE_REGISTERED));
    if (!registered) {
        FUZZ_CHECK(r.lac == -1 && r.cell_id == -1 && r.tech == AccessTech::None);
        return;
    }
    FUZZ_CHECK((r.status == RegStatus::Roaming) == ss.roaming);
    FUZZ_CHECK(r.tech == qmi::to_access_tech(ss.radio_interfaces, ss.data_capabilities));
    FUZZ_CHECK(r.lac >= -1 && r.lac <= 0xFFFF);
    if (!ss.lac && !ss.tac)
        FUZZ_CHECK(r.lac == -1);
}

inline void check_strength(const qmi::SignalInfo &info)
{
    const int s = qmi::to_strength(info);
    FUZZ_CHECK(s >= -1 && s <= 100);
    FUZZ_CHECK((s == -1) ==
               (!info.gsm_rssi && !info.umts_rssi && !info.lte_rssi && !info.lte_rsrp));
}

inline void check_local_time(const qmi::NetworkTime &t)
{
    const qmi::LocalTime l = qmi::to_local_time(t);
    FUZZ_CHECK(l.utc_offset_seconds == t.tz_quarter_hours.value_or(0) * 15 * 60);
    FUZZ_CHECK(l.dst_hours == t.dst_hours.value_or(0));
    FUZZ_CHECK(l.month >= 1 && l.month <= 12 && l.day >= 1 && l.day <= 31);
    FUZZ_CHECK(l.hour >= 0 && l.hour <= 23 && l.minute >= 0 && l.minute <= 59);
    FUZZ_CHECK(l.second >= 0 && l.second <= 60);
}

inline void check_radio_settings(unsigned mode_preference, std::uint64_t band_preference)
{
    const int mode = qmi::mode_preference_to_access_mode(mode_preference);
    FUZZ_CHECK(mode == 0 || mode == 1 || mode == 2 || mode == 4);
    FUZZ_CHECK(qmi::mode_preference_to_available_rats(mode_preference) <= 7);
    // A single technology oFono chose comes back as that technology.
    for (int m : {1, 2, 4})
        FUZZ_CHECK(qmi::mode_preference_to_access_mode(
                       qmi::access_mode_to_mode_preference(m, mode_preference)) == m);
    const unsigned any = qmi::access_mode_to_mode_preference(0, mode_preference);
    FUZZ_CHECK(any != 0);
    const int any_back = qmi::mode_preference_to_access_mode(any);
    FUZZ_CHECK(any_back == 0 || qmi::access_mode_to_mode_preference(any_back, 0) == any);

    const qmi::BandSelection bands = qmi::band_preference_to_bands(band_preference);
    FUZZ_CHECK(bands.gsm >= 0 && bands.gsm <= 5 && bands.umts >= 0 && bands.umts <= 5);
    for (int gsm = 0; gsm <= 5; ++gsm)
        for (int umts = 0; umts <= 5; ++umts) {
            const std::uint64_t pref = qmi::bands_to_band_preference({gsm, umts}, band_preference);
            const qmi::BandSelection back = qmi::band_preference_to_bands(pref);
            FUZZ_CHECK(back.gsm == gsm && back.umts == umts);
        }
}

} // namespace fuzz
