#include "voice_service.hpp"

#include "../tlv.hpp"
#include "voice_tlv.hpp"

#include <algorithm>
#include <cctype>

namespace qmisim
{

using namespace voice;

namespace
{

// Host releases (End Call, Manage Calls) carry this end reason.
constexpr std::uint16_t kLocalEnd = QMI_VOICE_CALL_END_REASON_CLIENT_END;

const std::vector<std::uint16_t> kSupportedMessages{
    kIndicationRegister,
    kGetSupportedMessages,
    kDialCall,
    kEndCall,
    kAnswerCall,
    kBurstDtmf,
    kStartContinuousDtmf,
    kStopContinuousDtmf,
    kGetAllCallInfo,
    kManageCalls,
    kOriginateUssd,
    kAnswerUssd,
    kCancelUssd,
    kGetConfig,
    kOriginateUssdNoWait,
};

QmiProtocolError call_error(CallError error)
{
    switch (error) {
    case CallError::None:
        return QMI_PROTOCOL_ERROR_NONE;
    case CallError::NoSuchCall:
        return QMI_PROTOCOL_ERROR_INVALID_ARGUMENT;
    case CallError::WrongState:
        return QMI_PROTOCOL_ERROR_INCOMPATIBLE_STATE;
    case CallError::NoFreeId:
        return QMI_PROTOCOL_ERROR_INSUFFICIENT_RESOURCES;
    case CallError::TooManyParties:
        return QMI_PROTOCOL_ERROR_SUPS_FAILURE_CASE;
    }
    return QMI_PROTOCOL_ERROR_INTERNAL;
}

bool valid_number(const std::string &number)
{
    return !number.empty() && number.size() <= 81 &&
           std::all_of(number.begin(), number.end(), [](char c) {
               return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '*' ||
                      c == '#';
           });
}

// DTMF digits: 0-9, *, #, A-D (upper case on record).
std::optional<std::string> dtmf_digits(std::string digits)
{
    if (digits.empty())
        return std::nullopt;
    for (char &c : digits) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (!std::isdigit(static_cast<unsigned char>(c)) && c != '*' && c != '#' &&
            (c < 'A' || c > 'D'))
            return std::nullopt;
    }
    return digits;
}

std::optional<CallHold> call_hold_op(std::uint8_t type)
{
    switch (type) {
    case QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_RELEASE_HELD_OR_WAITING:
        return CallHold::ReleaseHeldOrWaiting;
    case QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_RELEASE_ACTIVE_ACCEPT_HELD_OR_WAITING:
        return CallHold::ReleaseActiveAcceptOther;
    case QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_HOLD_ACTIVE_ACCEPT_WAITING_OR_HELD:
        return CallHold::HoldActiveAcceptOther;
    case QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_HOLD_ALL_EXCEPT_SPECIFIED_CALL:
        return CallHold::HoldAllExceptSpecific;
    case QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_MAKE_CONFERENCE_CALL:
        return CallHold::Conference;
    case QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_EXPLICIT_CALL_TRANSFER:
        return CallHold::ExplicitTransfer;
    case QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_END_ALL_CALLS:
        return CallHold::ReleaseAll;
    case QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_RELEASE_SPECIFIED_CALL:
        return CallHold::ReleaseSpecific;
    default:
        return std::nullopt;
    }
}

} // namespace

VoiceService::VoiceService(ServiceHost &host) : Service(QMI_SERVICE_VOICE, {2, 1}, host)
{
    on(kIndicationRegister, &VoiceService::indication_register);
    on(kGetSupportedMessages, &VoiceService::get_supported_messages);
    on(kGetConfig, &VoiceService::get_config);
    on(kDialCall, &VoiceService::dial_call);
    on(kEndCall, &VoiceService::end_call);
    on(kAnswerCall, &VoiceService::answer_call);
    on(kGetAllCallInfo, &VoiceService::get_all_call_info);
    on(kManageCalls, &VoiceService::manage_calls);
    on(kBurstDtmf, &VoiceService::burst_dtmf);
    on(kStartContinuousDtmf, &VoiceService::start_continuous_dtmf);
    on(kStopContinuousDtmf, &VoiceService::stop_continuous_dtmf);
    on(kOriginateUssd, &VoiceService::originate_ussd);
    on(kOriginateUssdNoWait, &VoiceService::originate_ussd_no_wait);
    on(kAnswerUssd, &VoiceService::answer_ussd);
    on(kCancelUssd, &VoiceService::cancel_ussd);
}

// --- hooks

void VoiceService::on_client_allocated(std::uint8_t cid)
{
    // Qualcomm firmware reports calls, DTMF, supplementary services and
    // USSD to every client until it turns them off.
    if (ClientInfo *client = state().client(id(), cid))
        for (const Subscription &sub : kSubscriptions)
            if (sub.on_by_default)
                client->subscriptions.insert(sub.name);
}

void VoiceService::on_operating_mode_changed()
{
    if (online())
        return;
    calls().end_all(QMI_VOICE_CALL_END_REASON_OFFLINE);
    publish();
    abort_ussd(QMI_PROTOCOL_ERROR_ABORTED);
}

void VoiceService::on_boot()
{
    timers_.clear();
    calls().clear();
    published_.clear();
    dtmf_playing_.clear();
    ussd_.reset();
    ussd_awaits_answer_ = false;
}

// --- the network side of calls

bool VoiceService::registered()
{
    return online() && make_registration_view(state().nas).registered();
}

std::optional<QmiProtocolError> VoiceService::network_refusal(bool emergency)
{
    if (!online())
        return QMI_PROTOCOL_ERROR_NO_RADIO;
    if (emergency)
        return std::nullopt;
    if (!state().card.present())
        return QMI_PROTOCOL_ERROR_NO_SIM;
    if (state().card.app_state() != QMI_UIM_CARD_APPLICATION_STATE_READY)
        return QMI_PROTOCOL_ERROR_UIM_UNINITIALIZED;
    if (!registered())
        return QMI_PROTOCOL_ERROR_NO_NETWORK_FOUND;
    return std::nullopt;
}

std::uint8_t VoiceService::call_mode()
{
    switch (make_registration_view(state().nas).rat) {
    case Rat::Gsm:
        return QMI_VOICE_CALL_MODE_GSM;
    case Rat::Umts:
        return QMI_VOICE_CALL_MODE_UMTS;
    case Rat::Lte:
        return QMI_VOICE_CALL_MODE_LTE;
    case Rat::None:
        break;
    }
    return QMI_VOICE_CALL_MODE_UNKNOWN;
}

void VoiceService::publish()
{
    auto send = [this] {
        const std::vector<Call> now = calls().calls();
        notify(kSubCallStatus, kAllCallStatus, [&now](QmiMessage *indication) {
            write_call_list(indication, CallListKind::Indication, now);
        });
    };
    if (calls().calls() == published_)
        return;
    send();
    if (calls().finish_disconnecting())
        send();
    calls().forget_ended();
    published_ = calls().calls();

    // Timers belong to calls being set up; tones to live calls.
    std::erase_if(timers_, [this](const auto &entry) {
        const Call *call = calls().find(entry.first);
        return !call || !call->setting_up();
    });
    std::erase_if(dtmf_playing_, [this](std::uint8_t id) { return !calls().find(id); });
}

void VoiceService::schedule(std::uint8_t id, unsigned delay_ms,
                            void (VoiceService::*step)(std::uint8_t))
{
    timers_[id].reset(add_timeout(delay_ms, [this, id, step] {
        timers_[id].forget();
        (this->*step)(id);
    }));
}

void VoiceService::on_alert_timer(std::uint8_t id)
{
    if (calls().alert(id) != CallError::None)
        return;
    publish();
    if (voice().settings.auto_answer)
        schedule(id, voice().settings.answer_delay_ms, &VoiceService::on_answer_timer);
}

void VoiceService::on_answer_timer(std::uint8_t id)
{
    // Auto-answer may have been turned off meanwhile.
    if (!voice().settings.auto_answer || calls().remote_answer(id) != CallError::None)
        return;
    publish();
}

// --- handlers

MessagePtr VoiceService::indication_register(QmiMessage *request)
{
    ClientInfo *client = state().client(id(), qmi_message_get_client_id(request));
    if (!client)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_CLIENT_ID);
    for (const Subscription &sub : kSubscriptions) {
        const auto value = read_u8_tlv(request, sub.tlv);
        if (!value)
            continue;
        if (*value)
            client->subscriptions.insert(sub.name);
        else
            client->subscriptions.erase(sub.name);
    }
    return success(request);
}

MessagePtr VoiceService::get_supported_messages(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_supported_messages(response.get(), kSupportedMessages);
    return response;
}

MessagePtr VoiceService::get_config(QmiMessage *request)
{
    // 3GPP only: the CDMA items (timers, service options, privacy) are left out.
    MessagePtr response = success(request);
    auto asked = [request](std::uint8_t tlv) { return read_u8_tlv(request, tlv).value_or(0) != 0; };
    if (asked(0x10))
        write_u8_tlv(response.get(), 0x10, 0); // auto answer off
    if (asked(0x13))
        write_u8_tlv(response.get(), 0x13, QMI_VOICE_TTY_MODE_OFF);
    if (asked(0x15))
        TlvWriter{response.get(), 0x15}.u8(1).u8(QMI_VOICE_WCDMA_AMR_STATUS_WCDMA_AMR_WB).done();
    if (asked(0x18))
        write_u8_tlv(response.get(), 0x17, QMI_VOICE_DOMAIN_CS_PREFERRED);
    return response;
}

MessagePtr VoiceService::dial_call(QmiMessage *request)
{
    const auto number = read_string_tlv(request, 0x01);
    if (!number)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (!valid_number(*number))
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    // TLV 0x10 call type (not in libqmi 1.32): 0x09 asks for an emergency call.
    const bool emergency = read_u8_tlv(request, 0x10) == QMI_VOICE_CALL_TYPE_EMERGENCY ||
                           voice().settings.is_emergency(*number);
    if (const auto refusal = network_refusal(emergency))
        return failure(request, *refusal);
    const CallResult result = calls().dial(*number, emergency, call_mode());
    if (!result.ok())
        return failure(request, call_error(result.error));

    VoiceRecords &records = voice().records;
    records.dialled.push_back(*number);
    records.dtmf.erase(result.id);
    if (records.last_dtmf_call == result.id)
        records.last_dtmf_call.reset();
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x10, result.id);
    publish();
    schedule(result.id, voice().settings.alert_delay_ms, &VoiceService::on_alert_timer);
    return response;
}

MessagePtr VoiceService::end_call(QmiMessage *request)
{
    const auto call = read_u8_tlv(request, 0x01);
    if (!call)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (const CallError error = calls().release(*call, kLocalEnd); error != CallError::None)
        return failure(request, call_error(error));
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x10, *call);
    publish();
    return response;
}

MessagePtr VoiceService::answer_call(QmiMessage *request)
{
    const auto call = read_u8_tlv(request, 0x01);
    if (!call)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (const CallError error = calls().answer(*call); error != CallError::None)
        return failure(request, call_error(error));
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x10, *call);
    publish();
    return response;
}

MessagePtr VoiceService::get_all_call_info(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_call_list(response.get(), CallListKind::Response, calls().calls());
    return response;
}

MessagePtr VoiceService::manage_calls(QmiMessage *request)
{
    const auto type = read_u8_tlv(request, 0x01);
    if (!type)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto op = call_hold_op(*type);
    if (!op)
        // CCBS, local hold and unhold are not simulated.
        return failure(request, *type <= QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_LOCAL_UNHOLD
                                    ? QMI_PROTOCOL_ERROR_NOT_SUPPORTED
                                    : QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const auto call = read_u8_tlv(request, 0x10);
    const bool needs_call =
        *op == CallHold::ReleaseSpecific || *op == CallHold::HoldAllExceptSpecific;
    if (needs_call && !call)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (const CallError error = calls().hold(*op, call, kLocalEnd); error != CallError::None)
        return failure(request, call_error(error));
    publish();
    return success(request);
}

std::pair<const Call *, QmiProtocolError> VoiceService::dtmf_call(std::uint8_t id)
{
    const auto active = calls().active_call();
    if (id == 0xFF) // the active call
        return {active ? calls().find(*active) : nullptr,
                active ? QMI_PROTOCOL_ERROR_NONE : QMI_PROTOCOL_ERROR_OUT_OF_CALL};
    const Call *call = calls().find(id);
    if (!call)
        return {nullptr, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT};
    if (call->state != CallState::Active)
        return {nullptr, QMI_PROTOCOL_ERROR_OUT_OF_CALL};
    return {call, QMI_PROTOCOL_ERROR_NONE};
}

void VoiceService::record_dtmf(std::uint8_t id, const std::string &digits)
{
    voice().records.dtmf[id] += digits;
    voice().records.last_dtmf_call = id;
}

MessagePtr VoiceService::burst_dtmf(QmiMessage *request)
{
    TlvReader data{request, 0x01};
    if (!data.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto id = data.u8();
    const auto raw = data.string8();
    if (!id || !raw)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    const auto digits = dtmf_digits(*raw);
    if (!digits)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const auto [call, error] = dtmf_call(*id);
    if (!call)
        return failure(request, error);
    record_dtmf(call->id, *digits);
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x10, call->id);
    return response;
}

MessagePtr VoiceService::start_continuous_dtmf(QmiMessage *request)
{
    TlvReader data{request, 0x01};
    if (!data.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto id = data.u8();
    const auto digit = data.u8();
    if (!id || !digit)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    const auto digits = dtmf_digits(std::string(1, static_cast<char>(*digit)));
    if (!digits)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const auto [call, error] = dtmf_call(*id);
    if (!call)
        return failure(request, error);
    record_dtmf(call->id, *digits);
    dtmf_playing_.insert(call->id);
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x10, call->id);
    return response;
}

MessagePtr VoiceService::stop_continuous_dtmf(QmiMessage *request)
{
    const auto id = read_u8_tlv(request, 0x01);
    if (!id)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto [call, error] = dtmf_call(*id);
    if (!call)
        return failure(request, error);
    if (dtmf_playing_.erase(call->id) == 0)
        return failure(request, QMI_PROTOCOL_ERROR_NO_EFFECT);
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x10, call->id);
    return response;
}

} // namespace qmisim
