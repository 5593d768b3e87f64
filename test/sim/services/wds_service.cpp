#include "wds_service.hpp"

#include "../tlv.hpp"

#include <algorithm>

namespace qmisim
{

using namespace wds;

namespace
{

// Why sessions end or cannot start (0x10 call end reason, 0x11 verbose).
const EndReason kOffline{QMI_WDS_CALL_END_REASON_GENERIC_NO_SERVICE,
                         QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL,
                         QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_LPM_OR_POWER_DOWN};
const EndReason kNoService{QMI_WDS_CALL_END_REASON_GENERIC_NO_SERVICE,
                           QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_CM,
                           QMI_WDS_VERBOSE_CALL_END_REASON_CM_NO_SERVICE};
const EndReason kSimNotReady{QMI_WDS_CALL_END_REASON_GENERIC_UNSPECIFIED,
                             QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_CM,
                             QMI_WDS_VERBOSE_CALL_END_REASON_CM_INVALID_SIM_STATE};
const EndReason kSimRemoved{QMI_WDS_CALL_END_REASON_GENERIC_UNSPECIFIED,
                            QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL,
                            QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_MMGDSI_CARD_EVENT};
const EndReason kClientEnd{QMI_WDS_CALL_END_REASON_GENERIC_CLIENT_END,
                           QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_CM,
                           QMI_WDS_VERBOSE_CALL_END_REASON_CM_CLIENT_END};
const EndReason kInProgress{QMI_WDS_CALL_END_REASON_GENERIC_ACCESS_ATTEMPT_IN_PROGRESS,
                            QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL,
                            QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_CALL_ALREADY_PRESENT};
const EndReason kPdpMismatch{QMI_WDS_CALL_END_REASON_GENERIC_UNSPECIFIED,
                             QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL,
                             QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_IP_PDP_MISMATCH};
const EndReason kUnknownApn{QMI_WDS_CALL_END_REASON_GSM_WCDMA_UNKNOWN_APN,
                            QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_3GPP,
                            QMI_WDS_VERBOSE_CALL_END_REASON_3GPP_UNKNOWN_APN};
const EndReason kAuthFailed{QMI_WDS_CALL_END_REASON_GENERIC_AUTHENTICATION_FAILED,
                            QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_3GPP,
                            QMI_WDS_VERBOSE_CALL_END_REASON_3GPP_AUTHENTICATION_FAILED};

EndReason too_many_sessions(IpFamily family)
{
    return {
        QMI_WDS_CALL_END_REASON_GENERIC_UNSPECIFIED, QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL,
        static_cast<std::int16_t>(
            family == IpFamily::V4 ? QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_MAX_V4_CONNECTIONS
                                   : QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_MAX_V6_CONNECTIONS)};
}

MessagePtr call_failed(QmiMessage *request, const EndReason &reason)
{
    MessagePtr response{qmi_message_response_new(request, QMI_PROTOCOL_ERROR_CALL_FAILED)};
    write_end_reason(response.get(), reason);
    return response;
}

// Set Event Report TLVs that are a plain on/off switch, by name.
struct EventSwitch {
    std::uint8_t tlv;
    const char *name;
};
constexpr EventSwitch kEventSwitches[] = {
    {0x10, "channel-rate"},
    {0x12, "data-bearer-technology"},
    {0x13, "dormancy-status"},
    {0x14, "mip-status"},
    {0x15, "current-data-bearer-technology"},
    {0x17, "data-call-status"},
    {0x18, "preferred-data-system"},
    {0x19, "evdo-pm-change"},
    {0x1A, "data-systems"},
    {0x1B, "uplink-flow-control"},
    {0x1C, "limited-data-system-status"},
    {0x1D, "pdn-filter-removals"},
    {0x1E, "extended-data-bearer-technology"},
};

// What the bearer of each RAT is called, and what it can carry.
struct Bearer {
    std::int8_t technology; // QmiWdsDataBearerTechnology
    std::uint32_t rat_mask; // QmiWdsRat3gpp
    std::uint32_t tx_bps;   // uplink
    std::uint32_t rx_bps;   // downlink
};

Bearer bearer_of(Rat rat)
{
    switch (rat) {
    case Rat::Lte:
        return {QMI_WDS_DATA_BEARER_TECHNOLOGY_LTE, QMI_WDS_RAT_3GPP_LTE, 50'000'000, 150'000'000};
    case Rat::Umts:
        return {QMI_WDS_DATA_BEARER_TECHNOLOGY_HSDPA_HSUPDA,
                QMI_WDS_RAT_3GPP_WCDMA | QMI_WDS_RAT_3GPP_HSDPA | QMI_WDS_RAT_3GPP_HSUPA, 5'760'000,
                42'200'000};
    case Rat::Gsm:
        return {QMI_WDS_DATA_BEARER_TECHNOLOGY_EDGE, QMI_WDS_RAT_3GPP_EDGE, 236'800, 236'800};
    case Rat::None:
        break;
    }
    return {QMI_WDS_DATA_BEARER_TECHNOLOGY_UNKNOWN, QMI_WDS_RAT_3GPP_NONE, 0, 0};
}

void write_current_bearer(QmiMessage *message, std::uint8_t type, std::optional<Rat> rat)
{
    TlvWriter{message, type}
        .u8(rat ? QMI_WDS_NETWORK_TYPE_3GPP : QMI_WDS_NETWORK_TYPE_UNKNOWN)
        .u32(rat ? bearer_of(*rat).rat_mask : 0)
        .u32(0) // no 3GPP2 service options
        .done();
}

} // namespace

// --- the service

WdsService::WdsService(ServiceHost &host) : Service(QMI_SERVICE_WDS, {1, 67}, host)
{
    on(kReset, &WdsService::reset);
    on(kSetEventReport, &WdsService::set_event_report);
    on(kAbort, &WdsService::abort);
    on(kSetIpFamily, &WdsService::set_ip_family);
    on(kStartNetwork, &WdsService::start_network);
    on(kStopNetwork, &WdsService::stop_network);
    on(kPacketServiceStatus, &WdsService::get_packet_service_status);
    on(kGetCurrentSettings, &WdsService::get_current_settings);
    on(kGetChannelRates, &WdsService::get_channel_rates);
    on(kGetDataBearerTechnology, &WdsService::get_data_bearer_technology);
    on(kGetCurrentDataBearerTechnology, &WdsService::get_current_data_bearer_technology);
    on(kCreateProfile, &WdsService::create_profile);
    on(kModifyProfile, &WdsService::modify_profile);
    on(kDeleteProfile, &WdsService::delete_profile);
    on(kGetProfileList, &WdsService::get_profile_list);
    on(kGetProfileSettings, &WdsService::get_profile_settings);
    on(kGetDefaultSettings, &WdsService::get_default_settings);
    on(kGetDefaultProfileNumber, &WdsService::get_default_profile_number);
    on(kSetDefaultProfileNumber, &WdsService::set_default_profile_number);
    on(kResetProfileToDefault, &WdsService::reset_profile_to_default);
    on(kGetLteAttachParameters, &WdsService::get_lte_attach_parameters);
    on(kBindMuxDataPort, &WdsService::bind_mux_data_port);
    watch_ =
        std::make_unique<StateWatch>([this] { return needs_teardown(); }, [this] { teardown(); });
}

// --- hooks

void WdsService::on_client_allocated(std::uint8_t cid)
{
    wds().clients[cid] = WdsClient{};
}

void WdsService::on_operating_mode_changed()
{
    if (!online())
        end_all(kOffline);
}

void WdsService::on_card_changed()
{
    if (!sim_ready())
        end_all(kSimRemoved);
}

void WdsService::on_boot()
{
    pending_.clear();
    wds().sessions.clear();
    wds().clients.clear();
    last_rat_.reset();
}

// --- conditions

bool WdsService::online()
{
    return state().operating_mode == QMI_DMS_OPERATING_MODE_ONLINE;
}

bool WdsService::registered()
{
    return online() && make_registration_view(state().nas).registered();
}

bool WdsService::sim_ready()
{
    return state().card.present() &&
           state().card.app_state() == QMI_UIM_CARD_APPLICATION_STATE_READY;
}

std::optional<EndReason> WdsService::radio_refusal(bool starting)
{
    if (!online())
        return kOffline;
    if (!sim_ready())
        return starting ? kSimNotReady : kSimRemoved;
    if (!registered())
        return kNoService;
    return std::nullopt;
}

std::optional<Rat> WdsService::bearer_rat()
{
    const auto &sessions = wds().sessions.all();
    if (std::none_of(sessions.begin(), sessions.end(),
                     [](const Session &s) { return s.connected(); }))
        return std::nullopt;
    return make_registration_view(state().nas).rat;
}

// --- how sessions end

void WdsService::send_status(std::uint8_t cid, bool connected, IpFamily family,
                             const std::optional<EndReason> &ended)
{
    send_to(cid, kPacketServiceStatus, [&](QmiMessage *indication) {
        write_packet_service_status(indication, connected, family, ended);
    });
}

void WdsService::end_session(std::uint8_t cid, const EndReason &reason, QmiProtocolError error)
{
    const auto session = wds().sessions.end(cid);
    if (!session)
        return;
    auto pending = pending_.extract(cid);
    // A client that is gone hears nothing, as on real firmware.
    if (!state().client(id(), cid))
        return;
    if (session->connected()) {
        send_status(cid, false, session->plan.family, reason);
        return;
    }
    if (pending.empty())
        return;
    if (error == QMI_PROTOCOL_ERROR_CALL_FAILED)
        host().send_deferred_response(call_failed(pending.mapped().request.get(), reason));
    else
        host().send_deferred_response(failure(pending.mapped().request.get(), error));
}

void WdsService::end_all(const EndReason &reason)
{
    std::vector<std::uint8_t> owners;
    for (const Session &session : wds().sessions.all())
        owners.push_back(session.cid);
    for (const std::uint8_t cid : owners)
        end_session(cid, reason);
}

// Sessions whose client went away (released, service disabled) end
// silently; a lost registration ends the others (the operating mode and
// the SIM have their own hooks, this covers them too).
bool WdsService::needs_teardown()
{
    const auto &sessions = wds().sessions.all();
    if (sessions.empty())
        return false;
    const bool orphan = std::any_of(sessions.begin(), sessions.end(), [this](const Session &s) {
        return !state().client(id(), s.cid);
    });
    return orphan || radio_refusal(false).has_value();
}

void WdsService::teardown()
{
    std::vector<std::uint8_t> orphans;
    for (const Session &session : wds().sessions.all())
        if (!state().client(id(), session.cid))
            orphans.push_back(session.cid);
    for (const std::uint8_t cid : orphans)
        end_session(cid, kClientEnd);
    if (const auto reason = radio_refusal(false))
        end_all(*reason);
}

void WdsService::on_connect_timer(std::uint8_t cid)
{
    auto pending = pending_.extract(cid);
    Session *session = wds().sessions.of_client(cid);
    if (pending.empty() || !session)
        return;
    MessagePtr request = std::move(pending.mapped().request);
    const CallRefusal verdict = network_verdict(wds().network, session->plan);
    if (verdict != CallRefusal::None) {
        wds().sessions.end(cid);
        host().send_deferred_response(call_failed(
            request.get(), verdict == CallRefusal::UnknownApn ? kUnknownApn : kAuthFailed));
        return;
    }
    const std::uint32_t handle = wds().sessions.connect(cid);
    last_rat_ = make_registration_view(state().nas).rat;
    MessagePtr response = success(request.get());
    write_u32_tlv(response.get(), 0x01, handle);
    host().send_deferred_response(std::move(response));
    send_status(cid, true, session->plan.family, std::nullopt);
}

// --- handlers

MessagePtr WdsService::reset(QmiMessage *request)
{
    const std::uint8_t cid = qmi_message_get_client_id(request);
    end_session(cid, kClientEnd, QMI_PROTOCOL_ERROR_ABORTED);
    client_config(cid) = WdsClient{};
    return success(request);
}

MessagePtr WdsService::set_event_report(QmiMessage *request)
{
    WdsClient &client = client_config(qmi_message_get_client_id(request));
    auto set = [&client](const char *name, bool on) {
        if (on)
            client.events.insert(name);
        else
            client.events.erase(name);
    };
    for (const EventSwitch &event : kEventSwitches)
        if (const auto value = read_u8_tlv(request, event.tlv))
            set(event.name, *value != 0);
    TlvReader statistics{request, 0x11};
    if (const auto interval = statistics.u8())
        set("transfer-statistics", *interval != 0);
    return success(request);
}

MessagePtr WdsService::abort(QmiMessage *request)
{
    const auto transaction = read_u16_tlv(request, 0x01);
    if (!transaction)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const std::uint8_t cid = qmi_message_get_client_id(request);
    const auto it = pending_.find(cid);
    if (it == pending_.end() ||
        qmi_message_get_transaction_id(it->second.request.get()) != *transaction)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_TRANSACTION_ID);
    end_session(cid, kClientEnd, QMI_PROTOCOL_ERROR_ABORTED);
    return success(request);
}

MessagePtr WdsService::set_ip_family(QmiMessage *request)
{
    const auto family = read_u8_tlv(request, 0x01);
    if (!family)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (*family != 4 && *family != 6)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    client_config(qmi_message_get_client_id(request)).family = static_cast<IpFamily>(*family);
    return success(request);
}

MessagePtr WdsService::start_network(QmiMessage *request)
{
    const std::uint8_t cid = qmi_message_get_client_id(request);
    const PlanResult result =
        plan_call(wds().profiles, read_call_request(request), client_config(cid).family);
    if (result.refusal == CallRefusal::InvalidArgument)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);

    if (const Session *session = wds().sessions.of_client(cid)) {
        if (!session->connected())
            return call_failed(request, kInProgress);
        // Already up: no-effect, and the handle of the call that is up.
        MessagePtr response = failure(request, QMI_PROTOCOL_ERROR_NO_EFFECT);
        write_u32_tlv(response.get(), 0x01, session->handle);
        return response;
    }
    if (const auto refusal = radio_refusal(true))
        return call_failed(request, *refusal);
    if (result.refusal == CallRefusal::NoSuchProfile)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_PROFILE);
    if (result.refusal == CallRefusal::PdpMismatch)
        return call_failed(request, kPdpMismatch);
    if (wds().sessions.size() >= wds().network.max_sessions)
        return call_failed(request, too_many_sessions(result.plan->family));

    CallPlan plan = *result.plan;
    if (plan.apn.empty())
        plan.apn = wds().network.default_apn();
    wds().sessions.begin(cid, plan).mux_id = client_config(cid).mux_id;
    PendingStart &pending = pending_[cid];
    pending.request.reset(qmi_message_ref(request));
    pending.timer.reset(add_timeout(wds().network.connect_delay_ms, [this, cid] {
        pending_[cid].timer.forget();
        on_connect_timer(cid);
    }));
    return nullptr;
}

MessagePtr WdsService::stop_network(QmiMessage *request)
{
    const auto handle = read_u32_tlv(request, 0x01);
    if (!handle)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const std::uint8_t cid = qmi_message_get_client_id(request);
    const Session *session = wds().sessions.by_handle(*handle);
    // A handle belongs to the client that started the call.
    if (!session || session->cid != cid)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_HANDLE);
    end_session(cid, kClientEnd);
    return success(request);
}

MessagePtr WdsService::get_packet_service_status(QmiMessage *request)
{
    const Session *session = wds().sessions.of_client(qmi_message_get_client_id(request));
    const QmiWdsConnectionStatus status = !session ? QMI_WDS_CONNECTION_STATUS_DISCONNECTED
                                          : session->connected()
                                              ? QMI_WDS_CONNECTION_STATUS_CONNECTED
                                              : QMI_WDS_CONNECTION_STATUS_AUTHENTICATING;
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x01, status);
    return response;
}

MessagePtr WdsService::get_current_settings(QmiMessage *request)
{
    const Session *session = wds().sessions.of_client(qmi_message_get_client_id(request));
    if (!session || !session->connected())
        return failure(request, QMI_PROTOCOL_ERROR_OUT_OF_CALL);
    // Without a mask (oFono's driver sends none), everything there is.
    const std::uint32_t mask = read_u32_tlv(request, 0x10).value_or(0xFFFFFFFF);
    MessagePtr response = success(request);
    write_current_settings(response.get(), mask, *session,
                           wds().profiles.find(session->plan.profile), wds().network);
    return response;
}

// Current rates of this client's call (0 without one) and the maximum of
// the RAT camped on. libqmi requires TLV 0x01 even in an error response, so
// there is none.
MessagePtr WdsService::get_channel_rates(QmiMessage *request)
{
    const Session *session = wds().sessions.of_client(qmi_message_get_client_id(request));
    const bool up = session && session->connected();
    const Bearer bearer = bearer_of(make_registration_view(state().nas).rat);
    MessagePtr response = success(request);
    TlvWriter{response.get(), 0x01}
        .u32(up ? bearer.tx_bps : 0)
        .u32(up ? bearer.rx_bps : 0)
        .u32(bearer.tx_bps)
        .u32(bearer.rx_bps)
        .done();
    return response;
}

MessagePtr WdsService::get_data_bearer_technology(QmiMessage *request)
{
    if (const auto rat = bearer_rat()) {
        MessagePtr response = success(request);
        TlvWriter{response.get(), 0x01}.i8(bearer_of(*rat).technology).done();
        return response;
    }
    MessagePtr response = failure(request, QMI_PROTOCOL_ERROR_OUT_OF_CALL);
    TlvWriter{response.get(), 0x10}.i8(bearer_of(last_rat_.value_or(Rat::None)).technology).done();
    return response;
}

MessagePtr WdsService::get_current_data_bearer_technology(QmiMessage *request)
{
    if (const auto rat = bearer_rat()) {
        MessagePtr response = success(request);
        write_current_bearer(response.get(), 0x01, rat);
        return response;
    }
    MessagePtr response = failure(request, QMI_PROTOCOL_ERROR_OUT_OF_CALL);
    write_current_bearer(response.get(), 0x10, last_rat_);
    return response;
}

// The client's sessions go over this QMAP mux from now on. A client with a
// session (connecting or up) keeps its mux.
MessagePtr WdsService::bind_mux_data_port(QmiMessage *request)
{
    const auto mux = read_u8_tlv(request, 0x11);
    if (!mux)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (*mux == 0 || *mux == 0xFF)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    std::optional<std::pair<std::uint32_t, std::uint32_t>> endpoint;
    TlvReader info{request, 0x10};
    if (info.present()) {
        const auto type = info.u32();
        const auto number = info.u32();
        if (!type || !number)
            return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
        endpoint.emplace(*type, *number);
    }
    const std::uint8_t cid = qmi_message_get_client_id(request);
    if (wds().sessions.of_client(cid))
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_OPERATION);
    WdsClient &client = client_config(cid);
    client.mux_id = *mux;
    client.endpoint = endpoint;
    return success(request);
}

} // namespace qmisim
