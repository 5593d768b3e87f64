#include "nas_extract.hpp"

#include "core/wire_enum.hpp"

namespace qmi {
namespace {

// The TLVs carry one byte per value, but libqmi hands them over as a GArray
// of the enum (four bytes each).
template <typename Enum> std::vector<int> enum_array(GArray *array)
{
    std::vector<int> out;
    if (!array || g_array_get_element_size(array) != sizeof(Enum))
        return out;
    for (guint i = 0; i < array->len; i++)
        out.push_back(wire(g_array_index(array, Enum, i)));
    return out;
}

// libqmi generates the same getters for Get Serving System and its
// indication under two prefixes; this names them once per type.
#define SERVING_SYSTEM_GETTERS(Type, prefix)                                                      \
    template <> struct ServingSystemGetters<Type> {                                               \
        static constexpr auto serving_system = prefix##_get_serving_system;                       \
        static constexpr auto roaming = prefix##_get_roaming_indicator;                           \
        static constexpr auto data_caps = prefix##_get_data_service_capability;                   \
        static constexpr auto plmn = prefix##_get_current_plmn;                                   \
        static constexpr auto pcs = prefix##_get_mnc_pcs_digit_include_status;                    \
        static constexpr auto lac = prefix##_get_lac_3gpp;                                        \
        static constexpr auto tac = prefix##_get_lte_tac;                                         \
        static constexpr auto cid = prefix##_get_cid_3gpp;                                        \
    }

template <typename T> struct ServingSystemGetters;
SERVING_SYSTEM_GETTERS(QmiMessageNasGetServingSystemOutput, qmi_message_nas_get_serving_system_output);
SERVING_SYSTEM_GETTERS(QmiIndicationNasServingSystemOutput, qmi_indication_nas_serving_system_output);

template <typename T> ServingSystem extract(T *out)
{
    using G = ServingSystemGetters<T>;
    ServingSystem ss;
    QmiNasRegistrationState state = QMI_NAS_REGISTRATION_STATE_UNKNOWN;
    QmiNasAttachState cs, ps;
    QmiNasNetworkType network;
    GArray *radio_interfaces = nullptr;
    if (G::serving_system(out, &state, &cs, &ps, &network, &radio_interfaces, nullptr)) {
        ss.registration_state = wire(state);
        ss.ps_attach_state = wire(ps);
        ss.radio_interfaces = enum_array<QmiNasRadioInterface>(radio_interfaces);
    } else {
        ss.registration_state = QMI_NAS_REGISTRATION_STATE_UNKNOWN;
    }

    QmiNasRoamingIndicatorStatus roaming;
    if (G::roaming(out, &roaming, nullptr))
        ss.roaming = wire(roaming) == QMI_NAS_ROAMING_INDICATOR_STATUS_ON;

    GArray *caps = nullptr;
    if (G::data_caps(out, &caps, nullptr))
        ss.data_capabilities = enum_array<QmiNasDataCapability>(caps);

    guint16 mcc = 0, mnc = 0;
    const gchar *description = nullptr;
    if (G::plmn(out, &mcc, &mnc, &description, nullptr)) {
        Plmn plmn{mcc, mnc, false, description ? description : ""};
        guint16 pcs_mcc = 0, pcs_mnc = 0;
        gboolean pcs = FALSE;
        if (G::pcs(out, &pcs_mcc, &pcs_mnc, &pcs, nullptr) && pcs_mcc == mcc && pcs_mnc == mnc)
            plmn.three_digit_mnc = pcs;
        ss.plmn = plmn;
    }

    guint16 lac = 0, tac = 0;
    guint32 cid = 0;
    if (G::lac(out, &lac, nullptr))
        ss.lac = lac;
    if (G::tac(out, &tac, nullptr))
        ss.tac = tac;
    if (G::cid(out, &cid, nullptr))
        ss.cell_id = cid;
    return ss;
}

template <typename T, typename Gsm, typename Wcdma, typename Lte>
SignalInfo extract_signal(T *out, Gsm gsm, Wcdma wcdma, Lte lte)
{
    SignalInfo info;
    gint8 rssi = 0, rsrq = 0;
    gint16 ecio = 0, rsrp = 0, snr = 0;
    if (gsm(out, &rssi, nullptr))
        info.gsm_rssi = rssi;
    if (wcdma(out, &rssi, &ecio, nullptr))
        info.umts_rssi = rssi;
    if (lte(out, &rssi, &rsrq, &rsrp, &snr, nullptr)) {
        info.lte_rssi = rssi;
        info.lte_rsrp = rsrp;
    }
    return info;
}

} // namespace

ServingSystem extract_serving_system(QmiMessageNasGetServingSystemOutput *out) { return extract(out); }
ServingSystem extract_serving_system(QmiIndicationNasServingSystemOutput *out) { return extract(out); }

SignalInfo extract_signal_info(QmiMessageNasGetSignalInfoOutput *out)
{
    return extract_signal(out, qmi_message_nas_get_signal_info_output_get_gsm_signal_strength,
                          qmi_message_nas_get_signal_info_output_get_wcdma_signal_strength,
                          qmi_message_nas_get_signal_info_output_get_lte_signal_strength);
}

SignalInfo extract_signal_info(QmiIndicationNasSignalInfoOutput *out)
{
    return extract_signal(out, qmi_indication_nas_signal_info_output_get_gsm_signal_strength,
                          qmi_indication_nas_signal_info_output_get_wcdma_signal_strength,
                          qmi_indication_nas_signal_info_output_get_lte_signal_strength);
}

std::optional<NetworkTime> extract_network_time(QmiIndicationNasNetworkTimeOutput *out)
{
    guint16 year = 0;
    guint8 month = 0, day = 0, hour = 0, minute = 0, second = 0;
    QmiNasDayOfWeek dow;
    if (!qmi_indication_nas_network_time_output_get_universal_time(out, &year, &month, &day, &hour,
                                                                   &minute, &second, &dow, nullptr))
        return std::nullopt;
    NetworkTime t{year, month, day, hour, minute, second, std::nullopt, std::nullopt};
    gint8 tz = 0;
    if (qmi_indication_nas_network_time_output_get_timezone_offset(out, &tz, nullptr))
        t.tz_quarter_hours = tz;
    QmiNasDaylightSavingsAdjustment dst;
    if (qmi_indication_nas_network_time_output_get_daylight_savings_adjustment(out, &dst, nullptr))
        t.dst_hours = wire(dst); // the enum counts hours
    return t;
}

} // namespace qmi
