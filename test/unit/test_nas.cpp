// NAS -> oFono translation, with the values real modems send.
#include "translate/nas.hpp"

#include <libqmi-glib.h>

#include <catch2/catch.hpp>

using namespace qmi;

namespace {
ServingSystem registered(std::vector<int> radio, std::vector<int> caps = {})
{
    ServingSystem ss;
    ss.registration_state = QMI_NAS_REGISTRATION_STATE_REGISTERED;
    ss.radio_interfaces = std::move(radio);
    ss.data_capabilities = std::move(caps);
    ss.lac = 0x1234;
    ss.tac = 0x5678;
    ss.cell_id = 0x01ABCDEF;
    return ss;
}
} // namespace

TEST_CASE("registration states map to oFono's status values", "[nas]")
{
    ServingSystem ss;
    ss.registration_state = QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED;
    CHECK(to_registration(ss).status == RegStatus::NotRegistered);
    ss.registration_state = QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED_SEARCHING;
    CHECK(to_registration(ss).status == RegStatus::Searching);
    ss.registration_state = QMI_NAS_REGISTRATION_STATE_REGISTRATION_DENIED;
    CHECK(to_registration(ss).status == RegStatus::Denied);
    ss.registration_state = QMI_NAS_REGISTRATION_STATE_UNKNOWN;
    CHECK(to_registration(ss).status == RegStatus::Unknown);
    ss.registration_state = 0x7f; // out of range from a misbehaving modem
    CHECK(to_registration(ss).status == RegStatus::Unknown);

    ss = registered({QMI_NAS_RADIO_INTERFACE_LTE});
    CHECK(to_registration(ss).status == RegStatus::Registered);
    ss.roaming = true;
    CHECK(to_registration(ss).status == RegStatus::Roaming);
}

TEST_CASE("not registered: no location, no technology", "[nas]")
{
    ServingSystem ss = registered({QMI_NAS_RADIO_INTERFACE_LTE});
    ss.registration_state = QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED_SEARCHING;
    auto r = to_registration(ss);
    CHECK(r.lac == -1);
    CHECK(r.cell_id == -1);
    CHECK(r.tech == AccessTech::None);
}

TEST_CASE("LTE reports the TAC as location, 2G/3G the LAC", "[nas]")
{
    auto lte = to_registration(registered({QMI_NAS_RADIO_INTERFACE_LTE}, {QMI_NAS_DATA_CAPABILITY_LTE}));
    CHECK(lte.tech == AccessTech::Eutran);
    CHECK(lte.lac == 0x5678);
    CHECK(lte.cell_id == 0x01ABCDEF);
    auto umts = to_registration(registered({QMI_NAS_RADIO_INTERFACE_UMTS}));
    CHECK(umts.lac == 0x1234);
    ServingSystem no_tac = registered({QMI_NAS_RADIO_INTERFACE_LTE});
    no_tac.tac.reset();
    CHECK(to_registration(no_tac).lac == 0x1234);
}

TEST_CASE("technology from radio interfaces and data capabilities", "[nas]")
{
    using V = std::vector<int>;
    CHECK(to_access_tech(V{QMI_NAS_RADIO_INTERFACE_GSM}, V{QMI_NAS_DATA_CAPABILITY_GPRS}) == AccessTech::Gsm);
    CHECK(to_access_tech(V{QMI_NAS_RADIO_INTERFACE_GSM},
                         V{QMI_NAS_DATA_CAPABILITY_GPRS, QMI_NAS_DATA_CAPABILITY_EDGE}) == AccessTech::GsmEgprs);
    CHECK(to_access_tech(V{QMI_NAS_RADIO_INTERFACE_UMTS}, V{QMI_NAS_DATA_CAPABILITY_WCDMA}) == AccessTech::Utran);
    CHECK(to_access_tech(V{QMI_NAS_RADIO_INTERFACE_UMTS}, V{QMI_NAS_DATA_CAPABILITY_HSDPA}) == AccessTech::UtranHsdpa);
    CHECK(to_access_tech(V{QMI_NAS_RADIO_INTERFACE_UMTS}, V{QMI_NAS_DATA_CAPABILITY_HSUPA}) == AccessTech::UtranHsupa);
    CHECK(to_access_tech(V{QMI_NAS_RADIO_INTERFACE_UMTS},
                         V{QMI_NAS_DATA_CAPABILITY_DC_HSDPA_PLUS, QMI_NAS_DATA_CAPABILITY_HSUPA}) ==
          AccessTech::UtranHsdpaHsupa);
    CHECK(to_access_tech(V{QMI_NAS_RADIO_INTERFACE_GSM, QMI_NAS_RADIO_INTERFACE_LTE}, V{}) == AccessTech::Eutran);
    CHECK(to_access_tech(V{QMI_NAS_RADIO_INTERFACE_TD_SCDMA}, V{}) == AccessTech::Utran);
    CHECK(to_access_tech(V{QMI_NAS_RADIO_INTERFACE_CDMA_1X}, V{}) == AccessTech::None);
    CHECK(to_access_tech(V{}, V{}) == AccessTech::None);
}

TEST_CASE("MCC/MNC formatting keeps leading zeros and 3-digit MNCs", "[nas]")
{
    CHECK(format_mcc(1) == "001");
    CHECK(format_mcc(310) == "310");
    CHECK(format_mnc(1, false) == "01");
    CHECK(format_mnc(26, true) == "026");
    CHECK(format_mnc(260, false) == "260");
    std::uint16_t mcc = 0, mnc = 0;
    bool three = false;
    CHECK(parse_mcc_mnc("310", "260", mcc, mnc, three));
    CHECK((mcc == 310 && mnc == 260 && three));
    CHECK(parse_mcc_mnc("001", "01", mcc, mnc, three));
    CHECK((mcc == 1 && mnc == 1 && !three));
    CHECK_FALSE(parse_mcc_mnc("01", "01", mcc, mnc, three));
    CHECK_FALSE(parse_mcc_mnc("001", "1", mcc, mnc, three));
    CHECK_FALSE(parse_mcc_mnc("001", "0123", mcc, mnc, three));
    CHECK_FALSE(parse_mcc_mnc("0a1", "01", mcc, mnc, three));
}

TEST_CASE("scan status bitmask to oFono operator status", "[nas]")
{
    CHECK(scan_status_to_operator_status(QMI_NAS_NETWORK_STATUS_CURRENT_SERVING |
                                         QMI_NAS_NETWORK_STATUS_HOME) == 2);
    CHECK(scan_status_to_operator_status(QMI_NAS_NETWORK_STATUS_AVAILABLE |
                                         QMI_NAS_NETWORK_STATUS_FORBIDDEN) == 3);
    CHECK(scan_status_to_operator_status(QMI_NAS_NETWORK_STATUS_AVAILABLE |
                                         QMI_NAS_NETWORK_STATUS_NOT_FORBIDDEN) == 1);
    CHECK(scan_status_to_operator_status(0) == 0);
}

TEST_CASE("signal strength per technology", "[nas]")
{
    CHECK(rssi_to_strength(-113) == 0);
    CHECK(rssi_to_strength(-51) == 100);
    CHECK(rssi_to_strength(-120) == 0);
    CHECK(rssi_to_strength(-40) == 100);
    CHECK(rssi_to_strength(-70) == 69);
    CHECK(rsrp_to_strength(-140) == 0);
    CHECK(rsrp_to_strength(-44) == 100);
    CHECK(rsrp_to_strength(-95) == 46);

    SignalInfo lte;
    lte.lte_rssi = -65;
    lte.lte_rsrp = -95;
    CHECK(to_strength(lte) == 46); // RSRP wins over LTE RSSI
    lte.lte_rsrp.reset();
    CHECK(to_strength(lte) == 77);
    SignalInfo umts;
    umts.umts_rssi = -70;
    CHECK(to_strength(umts) == 69);
    SignalInfo gsm;
    gsm.gsm_rssi = -113;
    CHECK(to_strength(gsm) == 0);
    CHECK(to_strength(SignalInfo{}) == -1);
}

TEST_CASE("operator names are valid UTF-8 of at most 63 bytes", "[nas]")
{
    CHECK(sanitize_operator_name("QMI-SIM Telecom") == "QMI-SIM Telecom");
    CHECK(sanitize_operator_name("Telef\xc3\xb3nica") == "Telef\xc3\xb3nica");
    CHECK(sanitize_operator_name("Bad\xff\xfeName") == "BadName");
    CHECK(sanitize_operator_name("Cut\xc3") == "Cut");
    CHECK(sanitize_operator_name("Tab\tNL\n") == "TabNL");
    std::string lots(40, 'a');
    std::string accents;
    for (int i = 0; i < 20; i++)
        accents += "\xc3\xa9";
    auto out = sanitize_operator_name(lots + accents);
    CHECK(out.size() <= 63);
    CHECK(out.size() == 40 + 22); // never half a character
}

TEST_CASE("operator names: well-formed bytes that are still not UTF-8 are dropped", "[nas]")
{
    // Found by fuzz_nas_values: continuation bytes were checked, not what
    // they encode. D-Bus refuses overlong forms ("/" as C0 AF, NUL as C0
    // 80), UTF-16 surrogates (ED A0 80) and code points past U+10FFFF.
    CHECK(sanitize_operator_name("A\xc0\xaf-B") == "A-B");
    CHECK(sanitize_operator_name("N\xc0\x80ul") == "Nul");
    CHECK(sanitize_operator_name("Sur\xed\xa0\x80rogate") == "Surrogate");
    CHECK(sanitize_operator_name("Big\xf4\x90\x80\x80\xf7\xbf\xbf\xbf") == "Big");
    CHECK(sanitize_operator_name("Over\xe0\x80\xaflong") == "Overlong");
    CHECK(sanitize_operator_name("\xf0\x9f\x93\xb6 ok") == "\xf0\x9f\x93\xb6 ok"); // U+1F4F6
}

TEST_CASE("network time: universal time plus zone becomes local time", "[nas]")
{
    NetworkTime t{2026, 11, 24, 23, 30, 15, 8, 0}; // UTC+2h
    auto local = to_local_time(t);
    CHECK(local.year == 2026);
    CHECK(local.month == 11);
    CHECK(local.day == 25);
    CHECK(local.hour == 1);
    CHECK(local.minute == 30);
    CHECK(local.second == 15);
    CHECK(local.utc_offset_seconds == 7200);
    CHECK(local.dst_hours == 0);

    NetworkTime west{2027, 1, 1, 2, 0, 0, -20, 1}; // UTC-5h, 1h DST
    local = to_local_time(west);
    CHECK(local.year == 2026);
    CHECK(local.day == 31);
    CHECK(local.hour == 21);
    CHECK(local.utc_offset_seconds == -18000);
    CHECK(local.dst_hours == 1);

    NetworkTime no_zone{2026, 2, 28, 12, 0, 0, std::nullopt, std::nullopt};
    CHECK(to_local_time(no_zone).utc_offset_seconds == 0);
}

TEST_CASE("technology preference <-> NAS mode preference", "[nas][radio-settings]")
{
    const unsigned all = QMI_NAS_RAT_MODE_PREFERENCE_GSM | QMI_NAS_RAT_MODE_PREFERENCE_UMTS |
                         QMI_NAS_RAT_MODE_PREFERENCE_LTE;
    CHECK(mode_preference_to_access_mode(all) == 0);
    CHECK(mode_preference_to_access_mode(QMI_NAS_RAT_MODE_PREFERENCE_GSM) == 1);
    CHECK(mode_preference_to_access_mode(QMI_NAS_RAT_MODE_PREFERENCE_UMTS) == 2);
    CHECK(mode_preference_to_access_mode(QMI_NAS_RAT_MODE_PREFERENCE_LTE) == 4);
    // CDMA bits next to LTE do not make it "any".
    CHECK(mode_preference_to_access_mode(QMI_NAS_RAT_MODE_PREFERENCE_LTE |
                                         QMI_NAS_RAT_MODE_PREFERENCE_CDMA_1X) == 4);
    CHECK(mode_preference_to_access_mode(QMI_NAS_RAT_MODE_PREFERENCE_UMTS |
                                         QMI_NAS_RAT_MODE_PREFERENCE_LTE) == 0);

    CHECK(access_mode_to_mode_preference(1, all) == QMI_NAS_RAT_MODE_PREFERENCE_GSM);
    CHECK(access_mode_to_mode_preference(2, all) == QMI_NAS_RAT_MODE_PREFERENCE_UMTS);
    CHECK(access_mode_to_mode_preference(4, all) == QMI_NAS_RAT_MODE_PREFERENCE_LTE);
    // "any" means every 3GPP technology the modem has, or all three if unknown.
    CHECK(access_mode_to_mode_preference(0, QMI_NAS_RAT_MODE_PREFERENCE_GSM |
                                                QMI_NAS_RAT_MODE_PREFERENCE_UMTS) ==
          (QMI_NAS_RAT_MODE_PREFERENCE_GSM | QMI_NAS_RAT_MODE_PREFERENCE_UMTS));
    CHECK(access_mode_to_mode_preference(0, 0) == all);
}

TEST_CASE("DMS radio interfaces -> available technologies", "[nas][radio-settings]")
{
    auto pref = radio_interfaces_to_mode_preference(
        {QMI_DMS_RADIO_INTERFACE_GSM, QMI_DMS_RADIO_INTERFACE_UMTS, QMI_DMS_RADIO_INTERFACE_LTE});
    CHECK(mode_preference_to_available_rats(pref) == (1u | 2u | 4u));
    pref = radio_interfaces_to_mode_preference({QMI_DMS_RADIO_INTERFACE_LTE, QMI_DMS_RADIO_INTERFACE_EVDO});
    CHECK(mode_preference_to_available_rats(pref) == 4u);
    CHECK(mode_preference_to_available_rats(0) == 0u);
}

TEST_CASE("GSM/UMTS band selection <-> NAS band preference bits", "[nas][radio-settings]")
{
    const std::uint64_t lte_b3 = std::uint64_t(1) << 40; // not a GSM/UMTS bit
    const std::uint64_t all = QMI_NAS_BAND_PREFERENCE_GSM_850 | QMI_NAS_BAND_PREFERENCE_GSM_900_PRIMARY |
                              QMI_NAS_BAND_PREFERENCE_GSM_900_EXTENDED | QMI_NAS_BAND_PREFERENCE_GSM_DCS_1800 |
                              QMI_NAS_BAND_PREFERENCE_GSM_PCS_1900 | QMI_NAS_BAND_PREFERENCE_WCDMA_2100 |
                              QMI_NAS_BAND_PREFERENCE_WCDMA_850_US;
    auto b = band_preference_to_bands(all);
    CHECK(b.gsm == 0);
    CHECK(b.umts == 0);
    b = band_preference_to_bands(QMI_NAS_BAND_PREFERENCE_GSM_DCS_1800 | QMI_NAS_BAND_PREFERENCE_WCDMA_2100 | lte_b3);
    CHECK(b.gsm == 4);
    CHECK(b.umts == 5);

    auto pref = bands_to_band_preference({4, 5}, all | lte_b3);
    CHECK(pref == (QMI_NAS_BAND_PREFERENCE_GSM_DCS_1800 | QMI_NAS_BAND_PREFERENCE_WCDMA_2100 | lte_b3));
    pref = bands_to_band_preference({0, 0}, pref);
    CHECK((pref & lte_b3) != 0);
    CHECK(band_preference_to_bands(pref).gsm == 0);
    CHECK((pref & QMI_NAS_BAND_PREFERENCE_GSM_850) != 0);
    CHECK((pref & QMI_NAS_BAND_PREFERENCE_WCDMA_900) != 0);
}
