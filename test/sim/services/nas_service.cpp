// NAS request handlers. Every handler that changes the registration goes
// through change() (nas_machine.cpp), which raises the indications.
#include "nas_service.hpp"

#include "../tlv.hpp"
#include "nas_ids.hpp"

#include <array>
#include <cstdlib>
#include <utility>

namespace qmisim
{

using namespace nas;

namespace
{

// Register Indications: TLV -> subscription name.
const std::array<std::pair<std::uint8_t, std::string>, 15> kIndicationTlvs{{
    {0x10, kSubSystemSelection},
    {0x12, "ddtm"},
    {0x13, kSubServingSystem},
    {0x14, "dual-standby-preference"},
    {0x15, "subscription-info"},
    {0x17, kSubNetworkTime},
    {0x18, kSubSystemInfo},
    {0x19, kSubSignalInfo},
    {0x1A, "error-rate"},
    {0x1B, "hdr-new-uati"},
    {0x1C, "hdr-session-closed"},
    {0x1D, "managed-roaming"},
    {0x1E, kSubCurrentPlmnName},
    {0x1F, "embms-status"},
    {0x20, "rf-band-information"},
}};
constexpr std::uint8_t kTlvNetworkReject = 0x21; // {enable, suppress system info}

constexpr std::uint16_t kAllModes = kModeGsm | kModeUmts | kModeLte;

// A TLV holding a u8 count and that many numbers, read by `element`.
struct NumberArray {
    bool present = false;
    bool ok = true;
    std::vector<int> values;
};

template <typename Read>
NumberArray read_array(QmiMessage *request, std::uint8_t type, Read element)
{
    NumberArray out;
    TlvReader tlv{request, type};
    out.present = tlv.present();
    if (!out.present)
        return out;
    const auto count = tlv.u8();
    out.ok = count.has_value();
    for (unsigned i = 0; out.ok && i < count.value_or(0); i++) {
        const auto value = element(tlv);
        out.ok = value.has_value();
        if (value)
            out.values.push_back(*value);
    }
    return out;
}

auto read_i8 = [](TlvReader &tlv) -> std::optional<int> { return tlv.i8(); };
auto read_i16 = [](TlvReader &tlv) -> std::optional<int> { return tlv.i16(); };

// A {u8 report, u8 delta} TLV of Set Event Report: the delta, 0 when off.
std::optional<unsigned> read_report_delta(QmiMessage *request, std::uint8_t type)
{
    TlvReader tlv{request, type};
    if (!tlv.present())
        return std::nullopt;
    const auto report = tlv.u8();
    const auto delta = tlv.u8();
    if (!report || !delta)
        return std::nullopt;
    return *report ? *delta : 0U;
}

std::uint16_t technology_from_modes(std::uint16_t modes)
{
    if ((modes & kAllModes) == kAllModes)
        return QMI_NAS_RADIO_TECHNOLOGY_PREFERENCE_AUTO;
    std::uint16_t tech = QMI_NAS_RADIO_TECHNOLOGY_PREFERENCE_3GPP;
    if (modes & kModeGsm)
        tech |= QMI_NAS_RADIO_TECHNOLOGY_PREFERENCE_AMPS_OR_GSM;
    if (modes & kModeUmts)
        tech |= QMI_NAS_RADIO_TECHNOLOGY_PREFERENCE_CDMA_OR_WCDMA;
    if (modes & kModeLte)
        tech |= QMI_NAS_RADIO_TECHNOLOGY_PREFERENCE_LTE;
    return tech;
}

std::uint16_t modes_from_technology(std::uint16_t tech)
{
    std::uint16_t modes = 0;
    if (tech & QMI_NAS_RADIO_TECHNOLOGY_PREFERENCE_AMPS_OR_GSM)
        modes |= kModeGsm;
    if (tech & QMI_NAS_RADIO_TECHNOLOGY_PREFERENCE_CDMA_OR_WCDMA)
        modes |= kModeUmts;
    if (tech & QMI_NAS_RADIO_TECHNOLOGY_PREFERENCE_LTE)
        modes |= kModeLte;
    // "auto" or just "3GPP": everything we have.
    return modes ? modes : kAllModes;
}

} // namespace

NasService::NasService(ServiceHost &host) : Service(QMI_SERVICE_NAS, {1, 25}, host)
{
    on(kReset, &NasService::reset);
    on(kAbort, &NasService::abort);
    on(kEventReport, &NasService::set_event_report);
    on(kRegisterIndications, &NasService::register_indications);
    on(kGetSignalStrength, &NasService::get_signal_strength);
    on(kNetworkScan, &NasService::network_scan);
    on(kInitiateNetworkRegister, &NasService::initiate_network_register);
    on(kServingSystem, &NasService::get_serving_system);
    on(kGetHomeNetwork, &NasService::get_home_network);
    on(kSetTechnologyPreference, &NasService::set_technology_preference);
    on(kGetTechnologyPreference, &NasService::get_technology_preference);
    on(kSetSystemSelectionPreference, &NasService::set_system_selection_preference);
    on(kSystemSelectionPreference, &NasService::get_system_selection_preference);
    on(kGetOperatorName, &NasService::get_operator_name);
    on(kGetSystemInfo, &NasService::get_system_info);
    on(kGetSignalInfo, &NasService::get_signal_info);
    on(kConfigSignalInfo, &NasService::config_signal_info);
}

void NasService::on_client_allocated(std::uint8_t cid)
{
    // Like real modems, Serving System indications are on until turned off.
    if (ClientInfo *client = state().client(QMI_SERVICE_NAS, cid))
        client->subscriptions.insert(kSubServingSystem);
}

MessagePtr NasService::reset(QmiMessage *request)
{
    // Back to the defaults of a fresh client: indications and reporting.
    const std::uint8_t cid = qmi_message_get_client_id(request);
    if (ClientInfo *client = state().client(QMI_SERVICE_NAS, cid)) {
        *client = ClientInfo{};
        on_client_allocated(cid);
    }
    return success(request);
}

MessagePtr NasService::abort(QmiMessage *request)
{
    const auto transaction = read_u16_tlv(request, 0x01);
    if (!transaction)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const std::uint8_t cid = qmi_message_get_client_id(request);
    for (auto it = scans_.begin(); it != scans_.end(); ++it) {
        if (it->cid != cid || it->transaction != *transaction)
            continue;
        host().send_deferred_response(failure(it->request.get(), QMI_PROTOCOL_ERROR_ABORTED));
        scans_.erase(it);
        return success(request);
    }
    return failure(request, QMI_PROTOCOL_ERROR_INVALID_TRANSACTION_ID);
}

MessagePtr NasService::set_event_report(QmiMessage *request)
{
    ClientInfo *client = state().client(QMI_SERVICE_NAS, qmi_message_get_client_id(request));
    if (!client)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_CLIENT_ID);
    NasClientConfig config = client->nas;
    const SignalView now = snapshot().signal;

    // Signal Strength Indicator: {u8 report, u8 n, i8 thresholds[n]}.
    if (TlvReader tlv{request, 0x10}; tlv.present()) {
        const auto report = tlv.u8();
        const auto count = tlv.u8();
        if (!report || !count)
            return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
        config.report_signal_strength = *report != 0;
        config.strength_thresholds.clear();
        for (unsigned i = 0; i < *count; i++) {
            const auto threshold = tlv.i8();
            if (!threshold)
                return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
            config.strength_thresholds.push_back(*threshold);
        }
    }
    // RSSI (0x13), LTE SNR (0x1B) and LTE RSRP (0x1C) deltas. The other
    // indicators are accepted and never raised.
    const std::array<std::pair<std::uint8_t, unsigned NasClientConfig::*>, 3> deltas{
        {{0x13, &NasClientConfig::rssi_delta},
         {0x1B, &NasClientConfig::snr_delta},
         {0x1C, &NasClientConfig::rsrp_delta}}};
    for (const auto &[type, field] : deltas) {
        if (TlvReader{request, type}.present()) {
            const auto delta = read_report_delta(request, type);
            if (!delta)
                return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
            config.*field = *delta;
        }
    }
    config.rssi_baseline = now.rssi;
    config.rsrp_baseline = now.rsrp;
    config.snr_baseline = now.snr;
    client->nas = config;
    return success(request);
}

MessagePtr NasService::register_indications(QmiMessage *request)
{
    ClientInfo *client = state().client(QMI_SERVICE_NAS, qmi_message_get_client_id(request));
    if (!client)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_CLIENT_ID);
    for (const auto &[type, name] : kIndicationTlvs) {
        const auto enable = read_u8_tlv(request, type);
        if (!enable)
            continue;
        if (*enable)
            client->subscriptions.insert(name);
        else
            client->subscriptions.erase(name);
    }
    if (const auto reject = read_u8_tlv(request, kTlvNetworkReject)) {
        if (*reject)
            client->subscriptions.insert("network-reject");
        else
            client->subscriptions.erase("network-reject");
    }
    return success(request);
}

MessagePtr NasService::get_signal_strength(QmiMessage *request)
{
    const SignalView signal = snapshot().signal;
    if (signal.rat == Rat::None)
        return failure(request, QMI_PROTOCOL_ERROR_NO_NETWORK_FOUND);
    MessagePtr response = success(request);
    write_signal_strength(response.get(), signal, read_u16_tlv(request, 0x10).value_or(0));
    return response;
}

MessagePtr NasService::network_scan(QmiMessage *request)
{
    if (!online())
        return failure(request, QMI_PROTOCOL_ERROR_NO_RADIO);
    start_scan(request);
    return nullptr; // answered by finish_scan()
}

MessagePtr NasService::initiate_network_register(QmiMessage *request)
{
    const auto action = read_u8_tlv(request, 0x01);
    if (!action)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto duration = read_u8_tlv(request, 0x11);
    const bool permanent =
        duration.value_or(QMI_NAS_CHANGE_DURATION_PERMANENT) == QMI_NAS_CHANGE_DURATION_PERMANENT;
    const Camp &camp = nas().camp;
    const bool registered = camp.phase == CampPhase::Camped && !camp.denied;
    NasPreferences prefs = nas().preferences;

    if (*action == QMI_NAS_NETWORK_REGISTER_TYPE_AUTOMATIC) {
        if (!prefs.manual && registered)
            return failure(request, QMI_PROTOCOL_ERROR_NO_EFFECT);
        prefs.manual = false;
        prefs.manual_rat.reset();
        set_preferences(prefs, permanent);
        return success(request);
    }
    if (*action != QMI_NAS_NETWORK_REGISTER_TYPE_MANUAL)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);

    TlvReader info{request, 0x10};
    const auto mcc = info.u16();
    const auto mnc = info.u16();
    const auto radio = info.i8();
    if (!mcc || !mnc || !radio)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    std::optional<bool> pcs_digit;
    if (const auto pcs = read_u8_tlv(request, 0x12))
        pcs_digit = *pcs != 0;
    const Plmn plmn = plmn_from_qmi(*mcc, *mnc, pcs_digit);
    const std::optional<Rat> rat = rat_from_radio_interface(*radio);

    // Real firmware fails at once when the network is not around (or not on
    // the requested RAT); ModemManager relies on that.
    const NetworkOperator *op = find_operator(nas().world, plmn);
    const Rat usable = op ? best_rat(*op, prefs.mode_preference, rat) : Rat::None;
    if (usable == Rat::None || (rat && usable != *rat))
        return failure(request, QMI_PROTOCOL_ERROR_NO_NETWORK_FOUND);
    if (prefs.manual && prefs.manual_plmn == plmn && registered && camp.plmn == plmn &&
        (!rat || camp.rat == *rat))
        return failure(request, QMI_PROTOCOL_ERROR_NO_EFFECT);

    prefs.manual = true;
    prefs.manual_plmn = plmn;
    prefs.manual_rat = rat;
    set_preferences(prefs, permanent);
    return success(request);
}

MessagePtr NasService::get_serving_system(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_serving_system(response.get(), snapshot().registration, ServingSystemKind::Response);
    return response;
}

MessagePtr NasService::get_home_network(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_home_network(response.get(), nas().world.home, nas().world.home_name);
    return response;
}

MessagePtr NasService::set_technology_preference(QmiMessage *request)
{
    TlvReader current{request, 0x01};
    const auto tech = current.u16();
    const auto duration = current.u8();
    if (!tech || !duration)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    NasPreferences prefs = nas().preferences;
    prefs.mode_preference = modes_from_technology(*tech);
    set_preferences(prefs, *duration == QMI_NAS_PREFERENCE_DURATION_PERMANENT);
    return success(request);
}

MessagePtr NasService::get_technology_preference(QmiMessage *request)
{
    MessagePtr response = success(request);
    TlvWriter{response.get(), 0x01}
        .u16(technology_from_modes(nas().preferences.mode_preference))
        .u8(nas().preferences == nas().persistent_preferences
                ? QMI_NAS_PREFERENCE_DURATION_PERMANENT
                : QMI_NAS_PREFERENCE_DURATION_POWER_CYCLE)
        .done();
    TlvWriter{response.get(), 0x10}
        .u16(technology_from_modes(nas().persistent_preferences.mode_preference))
        .done();
    return response;
}

MessagePtr NasService::set_system_selection_preference(QmiMessage *request)
{
    NasPreferences prefs = nas().preferences;
    if (const auto modes = read_u16_tlv(request, 0x11)) {
        if (!*modes)
            return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
        prefs.mode_preference = *modes;
    }
    if (const auto bands = TlvReader{request, 0x12}.u64())
        prefs.band_preference = *bands;
    if (const auto roaming = read_u16_tlv(request, 0x14))
        prefs.roaming_preference = *roaming;
    if (const auto lte_bands = TlvReader{request, 0x15}.u64())
        prefs.lte_band_preference = *lte_bands;
    if (TlvReader selection{request, 0x16}; selection.present()) {
        const auto mode = selection.u8();
        const auto mcc = selection.u16();
        const auto mnc = selection.u16();
        if (!mode || !mcc || !mnc)
            return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
        if (*mode == QMI_NAS_NETWORK_SELECTION_PREFERENCE_AUTOMATIC) {
            prefs.manual = false;
        } else if (*mode == QMI_NAS_NETWORK_SELECTION_PREFERENCE_MANUAL) {
            std::optional<bool> pcs_digit;
            if (const auto pcs = read_u8_tlv(request, 0x1A))
                pcs_digit = *pcs != 0;
            prefs.manual = true;
            prefs.manual_plmn = plmn_from_qmi(*mcc, *mnc, pcs_digit);
        } else {
            return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
        }
        prefs.manual_rat.reset();
    }
    if (TlvReader domain{request, 0x18}; domain.present())
        prefs.service_domain_preference = domain.u32().value_or(prefs.service_domain_preference);
    const auto duration = read_u8_tlv(request, 0x17);
    set_preferences(prefs, duration.value_or(QMI_NAS_CHANGE_DURATION_PERMANENT) ==
                               QMI_NAS_CHANGE_DURATION_PERMANENT);
    return success(request);
}

MessagePtr NasService::get_system_selection_preference(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_system_selection_preference(response.get(), nas().preferences);
    return response;
}

MessagePtr NasService::get_operator_name(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_operator_name(response.get(), operator_names());
    return response;
}

MessagePtr NasService::get_system_info(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_system_info(response.get(), snapshot().registration);
    return response;
}

MessagePtr NasService::get_signal_info(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_signal_info(response.get(), snapshot().signal);
    return response;
}

MessagePtr NasService::config_signal_info(QmiMessage *request)
{
    ClientInfo *client = state().client(QMI_SERVICE_NAS, qmi_message_get_client_id(request));
    if (!client)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_CLIENT_ID);
    const NumberArray rssi = read_array(request, 0x10, read_i8);
    const NumberArray ecio = read_array(request, 0x11, read_i16);
    const NumberArray snr = read_array(request, 0x13, read_i16);
    const NumberArray rsrq = read_array(request, 0x15, read_i8);
    const NumberArray rsrp = read_array(request, 0x16, read_i16);
    for (const NumberArray *array : {&rssi, &ecio, &snr, &rsrq, &rsrp})
        if (!array->ok)
            return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    // SINR, IO, RSCP thresholds and the LTE report rate are accepted and unused.
    NasClientConfig &config = client->nas;
    config.signal_thresholds_set = true;
    config.rssi_thresholds = rssi.values;
    config.ecio_thresholds = ecio.values;
    config.snr_thresholds = snr.values;
    config.rsrq_thresholds = rsrq.values;
    config.rsrp_thresholds = rsrp.values;
    return success(request);
}

} // namespace qmisim
