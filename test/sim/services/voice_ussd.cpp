// USSD: the host's strings go to a simulated network that answers after
// voice.ussd-delay-ms from the reply table ("ussd-reply"). One transaction
// at a time, like a real network: a second one while the first is open is
// refused as busy.
#include "voice_service.hpp"

#include "../tlv.hpp"
#include "voice_tlv.hpp"

namespace qmisim
{

using namespace voice;

namespace
{

// What the network answers to a string it has no reply for.
constexpr std::uint16_t kNoReplyCause = QMI_VOICE_CALL_END_REASON_FACILITY_NOT_SUPPORTED;

// USS Data (and, if enabled, USS Data UTF16) carrying `text`.
void write_uss_text(QmiMessage *message, std::uint8_t data_tlv, std::uint8_t utf16_tlv,
                    const std::string &text, bool utf16)
{
    write_uss_data(message, data_tlv, encode_uss(text));
    if (utf16)
        write_uss_utf16(message, utf16_tlv, text);
}

} // namespace

std::pair<std::optional<std::string>, QmiProtocolError>
VoiceService::take_uss_data(QmiMessage *request)
{
    const auto uss = read_uss_data(request, 0x01);
    if (!uss)
        return {std::nullopt, TlvReader{request, 0x01}.present()
                                  ? QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE
                                  : QMI_PROTOCOL_ERROR_MISSING_ARGUMENT};
    auto text = decode_uss(*uss);
    if (!text || text->empty())
        return {std::nullopt, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT};
    VoiceRecords &records = voice().records;
    records.ussd_count++;
    records.ussd_last = *text;
    return {std::move(text), QMI_PROTOCOL_ERROR_NONE};
}

MessagePtr VoiceService::start_ussd(QmiMessage *request, UssdKind kind)
{
    if (const auto refusal = network_refusal(false))
        return failure(request, *refusal);
    if (kind == UssdKind::Answer ? (!ussd_awaits_answer_ || ussd_)
                                 : (ussd_ || ussd_awaits_answer_)) {
        if (kind == UssdKind::Answer)
            return failure(request, QMI_PROTOCOL_ERROR_INCOMPATIBLE_STATE);
        MessagePtr busy = failure(request, QMI_PROTOCOL_ERROR_SUPS_FAILURE_CASE);
        if (kind == UssdKind::Originate)
            TlvWriter{busy.get(), 0x10}.u16(QMI_VOICE_CALL_END_REASON_USSD_BUSY).done();
        return busy;
    }
    auto [text, error] = take_uss_data(request);
    if (!text)
        return failure(request, error);

    ussd_.emplace();
    ussd_->kind = kind;
    ussd_->cid = qmi_message_get_client_id(request);
    ussd_->text = std::move(*text);
    if (kind == UssdKind::Originate)
        ussd_->request.reset(qmi_message_ref(request));
    ussd_awaits_answer_ = false;
    ussd_->timer.reset(add_timeout(voice().settings.ussd_delay_ms, [this] {
        ussd_->timer.forget();
        network_answers();
    }));
    return kind == UssdKind::Originate ? nullptr : success(request);
}

void VoiceService::network_answers()
{
    PendingUssd pending = std::move(*ussd_);
    ussd_.reset();
    const auto &replies = voice().settings.ussd_replies;
    const auto reply = replies.find(pending.text);
    const bool found = reply != replies.end();
    const bool utf16 = voice().settings.ussd_utf16;
    const bool client_alive = state().client(id(), pending.cid) != nullptr;

    switch (pending.kind) {
    case UssdKind::Originate: {
        if (!client_alive)
            return;
        MessagePtr response =
            found ? success(pending.request.get())
                  : failure(pending.request.get(), QMI_PROTOCOL_ERROR_SUPS_FAILURE_CASE);
        if (found)
            write_uss_text(response.get(), 0x12, 0x16, reply->second, utf16);
        else
            TlvWriter{response.get(), 0x10}.u16(kNoReplyCause).done();
        host().send_deferred_response(std::move(response));
        return;
    }
    case UssdKind::OriginateNoWait:
        if (!client_alive)
            return;
        send_to(pending.cid, kOriginateUssdNoWait, [&](QmiMessage *indication) {
            if (found) {
                write_uss_text(indication, 0x12, 0x14, reply->second, utf16);
                return;
            }
            TlvWriter{indication, 0x10}.u16(QMI_PROTOCOL_ERROR_SUPS_FAILURE_CASE).done();
            TlvWriter{indication, 0x11}.u16(kNoReplyCause).done();
        });
        return;
    case UssdKind::Answer:
        // The user's answer: a final notification, or the network gives up.
        if (found)
            send_ussd_indication(QMI_VOICE_USER_ACTION_NOT_REQUIRED, reply->second);
        else
            notify(kSubUssd, kReleaseUssd, [](QmiMessage *) {});
        return;
    }
}

void VoiceService::abort_ussd(QmiProtocolError error)
{
    ussd_awaits_answer_ = false;
    if (!ussd_)
        return;
    PendingUssd pending = std::move(*ussd_);
    ussd_.reset();
    pending.timer.reset();
    if (!state().client(id(), pending.cid))
        return;
    if (pending.kind == UssdKind::Originate)
        host().send_deferred_response(failure(pending.request.get(), error));
    else if (pending.kind == UssdKind::OriginateNoWait)
        send_to(pending.cid, kOriginateUssdNoWait, [error](QmiMessage *indication) {
            TlvWriter{indication, 0x10}.u16(static_cast<std::uint16_t>(error)).done();
        });
}

void VoiceService::send_ussd_indication(QmiVoiceUserAction action, const std::string &text)
{
    const bool utf16 = voice().settings.ussd_utf16;
    notify(kSubUssd, kUssd, [&](QmiMessage *indication) {
        write_u8_tlv(indication, 0x01, action);
        write_uss_text(indication, 0x10, 0x11, text, utf16);
    });
}

std::string VoiceService::ussd_session() const
{
    return ussd_ ? "pending" : ussd_awaits_answer_ ? "awaiting-answer" : "idle";
}

MessagePtr VoiceService::originate_ussd(QmiMessage *request)
{
    return start_ussd(request, UssdKind::Originate);
}

MessagePtr VoiceService::originate_ussd_no_wait(QmiMessage *request)
{
    return start_ussd(request, UssdKind::OriginateNoWait);
}

MessagePtr VoiceService::answer_ussd(QmiMessage *request)
{
    return start_ussd(request, UssdKind::Answer);
}

MessagePtr VoiceService::cancel_ussd(QmiMessage *request)
{
    if (!ussd_ && !ussd_awaits_answer_)
        return failure(request, QMI_PROTOCOL_ERROR_NO_EFFECT);
    abort_ussd(QMI_PROTOCOL_ERROR_ABORTED);
    return success(request);
}

} // namespace qmisim
