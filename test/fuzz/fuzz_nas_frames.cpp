// NAS (and DMS capabilities) frames from the modem, through libqmi's parsers
// into what netreg, gprs and radio-settings make of them: nas_extract.hpp,
// then nas.hpp / wds.hpp on the result.
//
// Input: a selector byte (the message, see kMessages), then the TLV area.
#include "harness.hpp"
#include "nas_checks.hpp"
#include "tlv_walk.hpp"

#include "core/libqmi_shim.h"
#include "translate/nas_extract.hpp"
#include "translate/wds.hpp"

#include <cstring>

using namespace fuzz;

namespace
{

Span g_tlvs; // the TLV area of the frame being handled

// The modem's own bytes for a TLV whose layout is exactly `size` bytes long.
std::optional<Span> exact_tlv(std::uint8_t type, std::size_t size)
{
    auto v = find_tlv(g_tlvs, type);
    if (!v || v->size() != size)
        return std::nullopt;
    return v;
}

template <typename Output> void serving_system(Output *out, bool indication)
{
    const qmi::ServingSystem ss = qmi::extract_serving_system(out);
    // TLV 0x01 {u8 registration, u8 cs, u8 ps, u8 network type, u8 n, n x i8
    // radio interface}, 0x11 {u8 n, n x u8 data capability}.
    if (auto v = find_tlv(g_tlvs, 0x01); v && v->size() >= 5 && v->size() == 5u + (*v)[4]) {
        FUZZ_CHECK(ss.registration_state == (*v)[0] && ss.ps_attach_state == (*v)[2]);
        FUZZ_CHECK(ss.radio_interfaces.size() == (*v)[4]);
        for (std::size_t i = 0; i < ss.radio_interfaces.size(); ++i)
            FUZZ_CHECK(ss.radio_interfaces[i] == static_cast<std::int8_t>((*v)[5 + i]));
    }
    if (auto v = find_tlv(g_tlvs, 0x11); v && !v->empty() && v->size() == 1u + (*v)[0]) {
        FUZZ_CHECK(ss.data_capabilities.size() == (*v)[0]);
        for (std::size_t i = 0; i < ss.data_capabilities.size(); ++i)
            FUZZ_CHECK(ss.data_capabilities[i] == (*v)[1 + i]);
    }
    if (auto v = find_tlv(g_tlvs, 0x10); v && v->size() == 1)
        FUZZ_CHECK(ss.roaming == ((*v)[0] == QMI_NAS_ROAMING_INDICATOR_STATUS_ON));
    // The response and the indication number LAC and cell id differently.
    if (auto v = exact_tlv(indication ? 0x1D : 0x1C, 2))
        FUZZ_CHECK(ss.lac == le16(*v, 0));
    if (auto v = exact_tlv(indication ? 0x1E : 0x1D, 4))
        FUZZ_CHECK(ss.cell_id == le32(*v, 0));

    check_registration(ss);
    const qmi::RegStatus gprs = qmi::to_gprs_status(ss);
    FUZZ_CHECK(static_cast<int>(gprs) >= 0 && static_cast<int>(gprs) <= 5);
    const int bearer = qmi::to_packet_bearer(ss.data_capabilities);
    FUZZ_CHECK(bearer >= 0 && bearer <= 7);
    if (ss.plmn) {
        check_plmn_text(ss.plmn->mcc, ss.plmn->mnc, ss.plmn->three_digit_mnc);
        check_operator_name(ss.plmn->description);
    }
}

template <typename Output> void signal_info(Output *out)
{
    const qmi::SignalInfo info = qmi::extract_signal_info(out);
    // TLV 0x12 {i8 GSM RSSI}, 0x14 {i8 RSSI, i8 RSRQ, i16 RSRP, i16 SNR}.
    if (auto v = exact_tlv(0x12, 1))
        FUZZ_CHECK(info.gsm_rssi == static_cast<std::int8_t>((*v)[0]));
    if (auto v = exact_tlv(0x14, 6)) {
        FUZZ_CHECK(info.lte_rssi == static_cast<std::int8_t>((*v)[0]));
        FUZZ_CHECK(info.lte_rsrp == static_cast<std::int16_t>(le16(*v, 2)));
    }
    check_strength(info);
}

void on_serving_system(QmiIndicationNasServingSystemOutput *out)
{
    serving_system(out, true);
}

void on_signal_info(QmiIndicationNasSignalInfoOutput *out)
{
    signal_info(out);
}

void on_network_time(QmiIndicationNasNetworkTimeOutput *out)
{
    const auto t = qmi::extract_network_time(out);
    auto v = exact_tlv(0x01, 8);
    FUZZ_CHECK(!v || t);
    if (!t)
        return;
    if (v)
        FUZZ_CHECK(t->year == le16(*v, 0) && t->month == (*v)[2] && t->second == (*v)[6]);
    check_local_time(*t);
}

// netreg: the NITZ long name, else the short one, decoded by libqmi.
void on_operator_name(QmiIndicationNasOperatorNameOutput *out)
{
    QmiNasPlmnEncodingScheme encoding;
    QmiNasPlmnNameCountryInitials initials;
    QmiNasPlmnNameSpareBits long_spare, short_spare;
    GArray *long_name = nullptr, *short_name = nullptr;
    if (!qmi_indication_nas_operator_name_output_get_nitz_information(
            out, &encoding, &initials, &long_spare, &short_spare, &long_name, &short_name, nullptr))
        return;
    for (GArray *name : {long_name, short_name}) {
        char *decoded = qmi_shim_decode_plmn_name(static_cast<int>(wire(encoding)), name);
        if (decoded) {
            FUZZ_CHECK(g_utf8_validate(decoded, -1, nullptr));
            check_operator_name(decoded);
        }
        g_free(decoded);
    }
}

// netreg's scan: one operator per (network, radio technology).
void network_scan(QmiMessageNasNetworkScanOutput *out)
{
    GArray *info = nullptr, *rats = nullptr;
    qmi_message_nas_network_scan_output_get_network_information(out, &info, nullptr);
    qmi_message_nas_network_scan_output_get_radio_access_technology(out, &rats, nullptr);
    for (guint i = 0; info && i < info->len; i++) {
        const auto &n =
            g_array_index(info, QmiMessageNasNetworkScanOutputNetworkInformationElement, i);
        const int status = qmi::scan_status_to_operator_status(wire(n.network_status));
        FUZZ_CHECK(status >= 0 && status <= 3);
        check_plmn_text(n.mcc, n.mnc, false);
        check_operator_name(n.description ? n.description : "");
    }
    for (guint k = 0; rats && k < rats->len; k++) {
        const auto &t =
            g_array_index(rats, QmiMessageNasNetworkScanOutputRadioAccessTechnologyElement, k);
        const qmi::AccessTech tech = qmi::radio_interface_to_tech(wire(t.radio_interface));
        FUZZ_CHECK(tech == qmi::AccessTech::None || tech == qmi::AccessTech::Gsm ||
                   tech == qmi::AccessTech::Utran || tech == qmi::AccessTech::Eutran);
    }
}

void system_selection_preference(QmiMessageNasGetSystemSelectionPreferenceOutput *out)
{
    QmiNasRatModePreference mode{};
    QmiNasBandPreference band{};
    const bool has_mode =
        qmi_message_nas_get_system_selection_preference_output_get_mode_preference(out, &mode,
                                                                                   nullptr);
    const bool has_band =
        qmi_message_nas_get_system_selection_preference_output_get_band_preference(out, &band,
                                                                                   nullptr);
    if (has_mode || has_band)
        check_radio_settings(has_mode ? wire(mode) : 0u, has_band ? wire(band) : 0u);
}

// radio-settings: the modem's technologies from DMS Get Capabilities.
void capabilities(QmiMessageDmsGetCapabilitiesOutput *out)
{
    GArray *radio = nullptr;
    if (!qmi_message_dms_get_capabilities_output_get_info(out, nullptr, nullptr, nullptr, nullptr,
                                                          &radio, nullptr) ||
        !radio)
        return;
    FUZZ_CHECK(g_array_get_element_size(radio) == sizeof(QmiDmsRadioInterface));
    std::vector<int> ifaces;
    for (guint i = 0; i < radio->len; i++)
        ifaces.push_back(static_cast<int>(wire(g_array_index(radio, QmiDmsRadioInterface, i))));
    const unsigned supported = qmi::radio_interfaces_to_mode_preference(ifaces);
    FUZZ_CHECK(
        (supported & ~unsigned{QMI_NAS_RAT_MODE_PREFERENCE_GSM | QMI_NAS_RAT_MODE_PREFERENCE_UMTS |
                               QMI_NAS_RAT_MODE_PREFERENCE_LTE}) == 0);
    check_radio_settings(supported, 0);
}

enum Selector : std::uint8_t {
    kServingSystemResponse,
    kServingSystemIndication,
    kSignalInfoResponse,
    kSignalInfoIndication,
    kNetworkTimeIndication,
    kOperatorNameIndication,
    kNetworkScanResponse,
    kSystemSelectionPreferenceResponse,
    kDmsCapabilitiesResponse,
    kSelectors
};

struct MessageKind {
    QmiService service;
    std::uint16_t id;
    Kind kind;
};
constexpr MessageKind kMessages[kSelectors] = {
    {QMI_SERVICE_NAS, 0x0024, Kind::Response},   {QMI_SERVICE_NAS, 0x0024, Kind::Indication},
    {QMI_SERVICE_NAS, 0x004F, Kind::Response},   {QMI_SERVICE_NAS, 0x0051, Kind::Indication},
    {QMI_SERVICE_NAS, 0x004C, Kind::Indication}, {QMI_SERVICE_NAS, 0x003A, Kind::Indication},
    {QMI_SERVICE_NAS, 0x0021, Kind::Response},   {QMI_SERVICE_NAS, 0x0034, Kind::Response},
    {QMI_SERVICE_DMS, 0x0020, Kind::Response},
};

template <typename Output> struct Unref;
#define FUZZ_UNREF(Type, fn)                                                                       \
    template <> struct Unref<Type> {                                                               \
        static void run(Type *p) { fn(p); }                                                        \
    }
FUZZ_UNREF(QmiMessageNasGetServingSystemOutput, qmi_message_nas_get_serving_system_output_unref);
FUZZ_UNREF(QmiMessageNasGetSignalInfoOutput, qmi_message_nas_get_signal_info_output_unref);
FUZZ_UNREF(QmiMessageNasNetworkScanOutput, qmi_message_nas_network_scan_output_unref);
FUZZ_UNREF(QmiMessageNasGetSystemSelectionPreferenceOutput,
           qmi_message_nas_get_system_selection_preference_output_unref);
FUZZ_UNREF(QmiMessageDmsGetCapabilitiesOutput, qmi_message_dms_get_capabilities_output_unref);

template <typename Output> void with(Output *out, void (*use)(Output *))
{
    if (!out)
        return;
    use(out);
    Unref<Output>::run(out);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    init();
    on_indication<QmiIndicationNasServingSystemOutput, on_serving_system>(QMI_SERVICE_NAS,
                                                                          "serving-system");
    on_indication<QmiIndicationNasSignalInfoOutput, on_signal_info>(QMI_SERVICE_NAS, "signal-info");
    on_indication<QmiIndicationNasNetworkTimeOutput, on_network_time>(QMI_SERVICE_NAS,
                                                                      "network-time");
    on_indication<QmiIndicationNasOperatorNameOutput, on_operator_name>(QMI_SERVICE_NAS,
                                                                        "operator-name");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1 || data[0] >= kSelectors)
        return -1;
    const MessageKind &m = kMessages[data[0]];
    g_tlvs = Span(data + 1, size - 1);
    MessagePtr frame = modem_frame(m.service, m.id, m.kind, g_tlvs);
    if (!frame)
        return 0;
    if (m.kind == Kind::Indication) {
        indicate(m.service, frame.get());
        return 0;
    }
    switch (data[0]) {
    case kServingSystemResponse:
        with(
            request(qmi_client_nas_get_serving_system, qmi_client_nas_get_serving_system_finish,
                    QMI_SERVICE_NAS, nullptr, frame.get()),
            +[](QmiMessageNasGetServingSystemOutput *out) { serving_system(out, false); });
        break;
    case kSignalInfoResponse:
        with(
            request(qmi_client_nas_get_signal_info, qmi_client_nas_get_signal_info_finish,
                    QMI_SERVICE_NAS, nullptr, frame.get()),
            +[](QmiMessageNasGetSignalInfoOutput *out) { signal_info(out); });
        break;
    case kNetworkScanResponse:
        with(request(qmi_client_nas_network_scan, qmi_client_nas_network_scan_finish,
                     QMI_SERVICE_NAS, nullptr, frame.get()),
             network_scan);
        break;
    case kSystemSelectionPreferenceResponse:
        with(request(qmi_client_nas_get_system_selection_preference,
                     qmi_client_nas_get_system_selection_preference_finish, QMI_SERVICE_NAS,
                     nullptr, frame.get()),
             system_selection_preference);
        break;
    case kDmsCapabilitiesResponse:
        with(request(qmi_client_dms_get_capabilities, qmi_client_dms_get_capabilities_finish,
                     QMI_SERVICE_DMS, nullptr, frame.get()),
             capabilities);
        break;
    default:
        break;
    }
    return 0;
}
