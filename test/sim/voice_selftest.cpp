// Self-test for qmi-sim's VOICE service. The unit part drives the call model
// (3GPP TS 22.030 call hold rules) directly; the host part is libqmi with a
// DMS and a VOICE client against the simulator (--services dms,nas,uim,voice):
// MO and MT calls, call waiting and the Manage Calls operations, DTMF, USSD
// both ways, refusals and indication registration.
#include <catch2/catch.hpp>

#include "selftest_support.hpp"
#include "services/voice_calls.hpp"
#include "tlv.hpp"

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace qmisim;
using namespace qmisim::selftest;

namespace
{

// ---------------------------------------------------------------------------
// Unit tests of the call model

constexpr std::uint16_t kLocal = 29; // the model does not care what the numbers mean
constexpr std::uint16_t kRemote = 145;

std::string states(const CallModel &model)
{
    return describe_calls(model.calls());
}

// Moves host releases to Ended and forgets ended calls, as publish() does.
void settle(CallModel &model)
{
    model.finish_disconnecting();
    model.forget_ended();
}

} // namespace

TEST_CASE("Call model: MO call from origination to end", "[voice][model]")
{
    CallModel m;
    const CallResult dialled = m.dial("+15551234567", false, 4);
    REQUIRE(dialled.ok());
    CHECK(dialled.id == 1);
    CHECK(states(m) == "1:origination:mo:+15551234567");
    CHECK(m.remote_answer(2) == CallError::NoSuchCall);
    CHECK(m.alert(1) == CallError::None);
    CHECK(m.alert(1) == CallError::WrongState);
    CHECK(m.remote_answer(1) == CallError::None);
    CHECK(states(m) == "1:active:mo:+15551234567");
    CHECK(m.active_call() == 1);
    CHECK(m.answer(1) == CallError::WrongState); // not ringing

    CHECK(m.release(1, kLocal) == CallError::None);
    CHECK(m.find(1)->state == CallState::Disconnecting);
    CHECK(m.find(1)->end_reason == kLocal);
    CHECK(m.release(1, kLocal) == CallError::NoSuchCall);
    CHECK(m.finish_disconnecting());
    CHECK(m.find(1)->state == CallState::Ended);
    m.forget_ended();
    CHECK(m.calls().empty());
}

TEST_CASE("Call model: dialling, incoming and waiting calls", "[voice][model]")
{
    CallModel m;
    REQUIRE(m.incoming("+111", CallPresentation::Allowed, 2).ok());
    CHECK(states(m) == "1:incoming:mt:+111");
    // No dialling while a call rings alone, and one ringing call at a time.
    CHECK(m.dial("+222", false, 2).error == CallError::WrongState);
    CHECK(m.incoming("+333", CallPresentation::Allowed, 2).error == CallError::WrongState);
    CHECK(m.answer(1) == CallError::None);

    // Dialling holds the active call; a second MO setup is refused.
    REQUIRE(m.dial("+222", false, 2).id == 2);
    CHECK(states(m) == "1:held:mt:+111 2:origination:mo:+222");
    CHECK(m.dial("+444", false, 2).error == CallError::WrongState);
    CHECK(m.remote_answer(2) == CallError::None);
    // Active and held: no third call from this side.
    CHECK(m.dial("+444", false, 2).error == CallError::WrongState);

    // A waiting call can arrive, but not be answered over active + held.
    REQUIRE(m.incoming("+555", CallPresentation::Restricted, 2).id == 3);
    CHECK(m.find(3)->state == CallState::Waiting);
    CHECK(m.answer(3) == CallError::WrongState);

    // The network hangs up the held call: now answering holds the active one.
    CHECK(m.remote_release(1, kRemote) == CallError::None);
    CHECK(m.find(1)->state == CallState::Ended);
    m.forget_ended();
    CHECK(m.answer(3) == CallError::None);
    CHECK(states(m) == "2:held:mo:+222 3:active:mt:+555");
}

TEST_CASE("Call model: call hold operations (22.030)", "[voice][model]")
{
    CallModel m;
    REQUIRE(m.incoming("+111", CallPresentation::Allowed, 2).ok());
    REQUIRE(m.answer(1) == CallError::None);
    REQUIRE(m.incoming("+222", CallPresentation::Allowed, 2).id == 2);

    // 2: hold active, accept waiting; 2 again swaps.
    CHECK(m.hold(CallHold::HoldActiveAcceptOther, {}, kLocal) == CallError::None);
    CHECK(states(m) == "1:held:mt:+111 2:active:mt:+222");
    CHECK(m.hold(CallHold::HoldActiveAcceptOther, {}, kLocal) == CallError::None);
    CHECK(states(m) == "1:active:mt:+111 2:held:mt:+222");

    // 3: conference; nothing held afterwards, so 3 again fails.
    CHECK(m.hold(CallHold::Conference, {}, kLocal) == CallError::None);
    CHECK(states(m) == "1:active:mt:+111:mpty 2:active:mt:+222:mpty");
    CHECK(m.hold(CallHold::Conference, {}, kLocal) == CallError::WrongState);
    CHECK(m.active_call() == 1);

    // Dial a third party and join it.
    REQUIRE(m.dial("+333", false, 2).id == 3);
    CHECK(states(m) == "1:held:mt:+111:mpty 2:held:mt:+222:mpty 3:origination:mo:+333");
    CHECK(m.hold(CallHold::HoldActiveAcceptOther, {}, kLocal) == CallError::WrongState);
    REQUIRE(m.remote_answer(3) == CallError::None);
    CHECK(m.hold(CallHold::Conference, {}, kLocal) == CallError::None);
    CHECK(states(m) == "1:active:mt:+111:mpty 2:active:mt:+222:mpty 3:active:mo:+333:mpty");

    // 2X: private chat with 2; 1 and 3 stay a (held) multiparty call.
    CHECK(m.hold(CallHold::HoldAllExceptSpecific, {}, kLocal) == CallError::NoSuchCall);
    CHECK(m.hold(CallHold::HoldAllExceptSpecific, 2, kLocal) == CallError::None);
    CHECK(states(m) == "1:held:mt:+111:mpty 2:active:mt:+222 3:held:mo:+333:mpty");
    CHECK(m.hold(CallHold::HoldAllExceptSpecific, 2, kLocal) == CallError::WrongState);

    // 1X: release 3; the held multiparty call of one is an ordinary call.
    CHECK(m.hold(CallHold::ReleaseSpecific, 3, kLocal) == CallError::None);
    settle(m);
    CHECK(states(m) == "1:held:mt:+111 2:active:mt:+222");

    // 0: nothing waiting, so the held call goes.
    CHECK(m.hold(CallHold::ReleaseHeldOrWaiting, {}, kLocal) == CallError::None);
    settle(m);
    CHECK(states(m) == "2:active:mt:+222");
    CHECK(m.hold(CallHold::ReleaseHeldOrWaiting, {}, kLocal) == CallError::WrongState);

    // 0 with a waiting call rejects it (UDUB), the active call stays.
    REQUIRE(m.incoming("+444", CallPresentation::Allowed, 2).id == 1);
    CHECK(m.hold(CallHold::ReleaseHeldOrWaiting, {}, kLocal) == CallError::None);
    CHECK(m.find(1)->state == CallState::Disconnecting);
    settle(m);

    // 1: release the active call and accept the waiting one.
    REQUIRE(m.incoming("+555", CallPresentation::Allowed, 2).id == 1);
    CHECK(m.hold(CallHold::ReleaseActiveAcceptOther, {}, kLocal) == CallError::None);
    settle(m);
    CHECK(states(m) == "1:active:mt:+555");

    // 4: explicit transfer of a held and an active call leaves both.
    REQUIRE(m.dial("+666", false, 2).id == 2);
    CHECK(m.hold(CallHold::ExplicitTransfer, {}, kLocal) == CallError::WrongState); // not alerting
    REQUIRE(m.alert(2) == CallError::None);
    CHECK(m.hold(CallHold::ExplicitTransfer, {}, kLocal) == CallError::None);
    settle(m);
    CHECK(m.calls().empty());
    CHECK(m.hold(CallHold::ReleaseActiveAcceptOther, {}, kLocal) == CallError::WrongState);
    CHECK(m.hold(CallHold::ReleaseAll, {}, kLocal) == CallError::WrongState);
}

TEST_CASE("Call model: five parties at most, ids 1 to 7", "[voice][model]")
{
    CallModel m;
    REQUIRE(m.dial("+100", false, 2).ok());
    REQUIRE(m.remote_answer(1) == CallError::None);
    for (int party = 2; party <= 6; party++) {
        const std::string number = "+" + std::to_string(party * 100);
        REQUIRE(m.dial(number, false, 2).ok());
        REQUIRE(m.remote_answer(static_cast<std::uint8_t>(party)) == CallError::None);
        const CallError joined = m.hold(CallHold::Conference, {}, kLocal);
        CHECK(joined == (party <= 5 ? CallError::None : CallError::TooManyParties));
    }
    // Five in the (held) multiparty call, the sixth active; a waiting call is
    // the 7th id, and then there is none left.
    REQUIRE(m.incoming("+700", CallPresentation::Allowed, 2).id == 7);
    REQUIRE(m.remote_release(7, kRemote) == CallError::None);
    REQUIRE(m.hold(CallHold::ReleaseAll, {}, kLocal) == CallError::None);
    CHECK(m.finish_disconnecting());
    CHECK(std::all_of(m.calls().begin(), m.calls().end(),
                      [](const Call &c) { return c.state == CallState::Ended; }));
    m.forget_ended();
    CHECK_FALSE(m.any_live());

    // The radio goes off: everything ends at once, with the given reason.
    REQUIRE(m.dial("+1", true, 2).ok());
    m.end_all(0);
    CHECK(m.find(1)->state == CallState::Ended);
    CHECK(m.find(1)->emergency);
}

TEST_CASE("Voice settings: emergency numbers", "[voice][model]")
{
    VoiceSettings settings;
    CHECK(settings.is_emergency("112"));
    CHECK(settings.is_emergency("911"));
    CHECK_FALSE(settings.is_emergency("999"));
    settings.emergency_numbers.insert("999");
    CHECK(settings.is_emergency("999"));
}

// ---------------------------------------------------------------------------
// libqmi host

namespace
{

#define VOICE_CALL(name, client, input)                                                            \
    qmi_call<qmi_client_voice_##name, qmi_client_voice_##name##_finish,                            \
             qmi_message_voice_##name##_output_get_result,                                         \
             qmi_message_voice_##name##_output_unref>(client, input)

using ByteArray = Owned<GArray, g_array_unref>;
using Bytes = std::vector<guint8>;

struct CallView {
    guint8 id = 0;
    QmiVoiceCallState state = QMI_VOICE_CALL_STATE_UNKNOWN;
    QmiVoiceCallType type = QMI_VOICE_CALL_TYPE_VOICE;
    QmiVoiceCallDirection direction = QMI_VOICE_CALL_DIRECTION_UNKNOWN;
    QmiVoiceCallMode mode = QMI_VOICE_CALL_MODE_UNKNOWN;
    bool multiparty = false;
    std::string number;
    QmiVoicePresentation presentation = QMI_VOICE_PRESENTATION_ALLOWED;
    std::optional<guint16> end_reason; // raw TLV 0x14, which libqmi 1.32 does not decode
};
using CallList = std::map<guint8, CallView>;

template <typename Info, typename Number> CallList decode_calls(GArray *infos, GArray *numbers)
{
    CallList calls;
    for (guint i = 0; infos && i < infos->len; i++) {
        const Info &info = g_array_index(infos, Info, i);
        CallView &view = calls[info.id];
        view.id = info.id;
        view.state = info.state;
        view.type = info.type;
        view.direction = info.direction;
        view.mode = info.mode;
        view.multiparty = info.multipart_indicator;
    }
    for (guint i = 0; numbers && i < numbers->len; i++) {
        const Number &number = g_array_index(numbers, Number, i);
        calls[number.id].number = number.type ? number.type : "";
        calls[number.id].presentation = number.presentation_indicator;
    }
    return calls;
}

Bytes bytes_of(const GArray *array)
{
    if (!array)
        return {};
    const auto *data = reinterpret_cast<const guint8 *>(array->data);
    return {data, data + array->len};
}

std::string utf16_text(const GArray *array)
{
    if (!array)
        return "<none>";
    GCharPtr text{g_utf16_to_utf8(reinterpret_cast<const gunichar2 *>(array->data),
                                  static_cast<glong>(array->len), nullptr, nullptr, nullptr)};
    return text ? text.get() : "<bad>";
}

// The host's view of USS data in libqmi's coding schemes.
std::string uss_text(QmiVoiceUssDataCodingScheme coding, const Bytes &data)
{
    if (coding == QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII)
        return {data.begin(), data.end()};
    if (coding != QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2)
        return "<coding " + std::to_string(coding) + ">";
    GCharPtr text{g_convert(reinterpret_cast<const gchar *>(data.data()),
                            static_cast<gssize>(data.size()), "UTF-8", "UCS-2BE", nullptr, nullptr,
                            nullptr)};
    return text ? text.get() : "<bad>";
}

ByteArray uss_bytes(QmiVoiceUssDataCodingScheme coding, const std::string &text)
{
    ByteArray array{g_array_new(FALSE, FALSE, 1)};
    if (coding == QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2) {
        gsize written = 0;
        GCharPtr ucs2{g_convert(text.c_str(), -1, "UCS-2BE", "UTF-8", nullptr, &written, nullptr)};
        g_array_append_vals(array.get(), ucs2.get(), static_cast<guint>(written));
    } else {
        g_array_append_vals(array.get(), text.data(), static_cast<guint>(text.size()));
    }
    return array;
}

struct UssdEvent {
    QmiVoiceUserAction action = QMI_VOICE_USER_ACTION_UNKNOWN;
    QmiVoiceUssDataCodingScheme coding = QMI_VOICE_USS_DATA_CODING_SCHEME_UNKNOWN;
    std::string text;
    std::string utf16;
};

struct NoWaitEvent {
    std::optional<guint16> error;
    std::optional<QmiVoiceCallEndReason> cause;
    std::string text;
};

// Everything the VOICE client signals, in order. No REQUIRE in the
// callbacks: a throw must not cross GLib's C frames.
struct Events {
    guint8 cid = 0;
    std::vector<CallList> statuses;
    // libqmi hands typed indications to clients from an idle: queue the raw part.
    std::deque<std::map<guint8, guint16>> pending_end_reasons;
    std::vector<UssdEvent> ussd;
    int releases = 0;
    std::vector<NoWaitEvent> no_wait;
    std::vector<std::pair<guint8, QmiVoiceSupplementaryServiceNotificationType>> supplementary;

    // QmiDevice "indication" comes before the client's typed signal.
    static void on_raw(QmiDevice *, GByteArray *raw, gpointer d)
    {
        auto *self = static_cast<Events *>(d);
        auto *message = reinterpret_cast<QmiMessage *>(raw);
        if (qmi_message_get_service(message) != QMI_SERVICE_VOICE ||
            qmi_message_get_message_id(message) != 0x002E ||
            qmi_message_get_client_id(message) != self->cid)
            return;
        auto &end_reasons = self->pending_end_reasons.emplace_back();
        TlvReader reasons{message, 0x14};
        const auto n = reasons.u8();
        for (unsigned i = 0; n && i < *n; i++) {
            const auto id = reasons.u8();
            const auto reason = reasons.u16();
            if (id && reason)
                end_reasons[*id] = *reason;
        }
    }
    static void on_status(QmiClientVoice *, QmiIndicationVoiceAllCallStatusOutput *out, gpointer d)
    {
        auto *self = static_cast<Events *>(d);
        GArray *infos = nullptr;
        GArray *numbers = nullptr;
        qmi_indication_voice_all_call_status_output_get_call_information(out, &infos, nullptr);
        qmi_indication_voice_all_call_status_output_get_remote_party_number(out, &numbers, nullptr);
        CallList calls = decode_calls<QmiIndicationVoiceAllCallStatusOutputCallInformationCall,
                                      QmiIndicationVoiceAllCallStatusOutputRemotePartyNumberCall>(
            infos, numbers);
        if (!self->pending_end_reasons.empty()) {
            for (const auto &[id, reason] : self->pending_end_reasons.front())
                calls[id].end_reason = reason;
            self->pending_end_reasons.pop_front();
        }
        self->statuses.push_back(std::move(calls));
    }
    static void on_ussd(QmiClientVoice *, QmiIndicationVoiceUssdOutput *out, gpointer d)
    {
        UssdEvent event;
        GArray *data = nullptr;
        GArray *utf16 = nullptr;
        qmi_indication_voice_ussd_output_get_user_action(out, &event.action, nullptr);
        if (qmi_indication_voice_ussd_output_get_uss_data(out, &event.coding, &data, nullptr))
            event.text = uss_text(event.coding, bytes_of(data));
        qmi_indication_voice_ussd_output_get_uss_data_utf16(out, &utf16, nullptr);
        event.utf16 = utf16_text(utf16);
        static_cast<Events *>(d)->ussd.push_back(event);
    }
    static void on_release(QmiClientVoice *, gpointer d) { static_cast<Events *>(d)->releases++; }
    static void on_no_wait(QmiClientVoice *, QmiIndicationVoiceOriginateUssdNoWaitOutput *out,
                           gpointer d)
    {
        NoWaitEvent event;
        guint16 error = 0;
        QmiVoiceCallEndReason cause{};
        QmiVoiceUssDataCodingScheme coding{};
        GArray *data = nullptr;
        if (qmi_indication_voice_originate_ussd_no_wait_output_get_error_code(out, &error, nullptr))
            event.error = error;
        if (qmi_indication_voice_originate_ussd_no_wait_output_get_failure_cause(out, &cause,
                                                                                 nullptr))
            event.cause = cause;
        if (qmi_indication_voice_originate_ussd_no_wait_output_get_uss_data(out, &coding, &data,
                                                                            nullptr))
            event.text = uss_text(coding, bytes_of(data));
        static_cast<Events *>(d)->no_wait.push_back(event);
    }
    static void on_supplementary(QmiClientVoice *,
                                 QmiIndicationVoiceSupplementaryServiceOutput *out, gpointer d)
    {
        guint8 id = 0;
        QmiVoiceSupplementaryServiceNotificationType type{};
        if (qmi_indication_voice_supplementary_service_output_get_info(out, &id, &type, nullptr))
            static_cast<Events *>(d)->supplementary.emplace_back(id, type);
    }
};

GObjectPtr<QmiClientVoice> allocate_voice(QmiDevice *device)
{
    return GObjectPtr<QmiClientVoice>{
        QMI_CLIENT_VOICE(allocate_client(device, QMI_SERVICE_VOICE).release())};
}

// A simulator with a libqmi host holding a DMS and a VOICE client.
class Host
{
  public:
    explicit Host(std::vector<std::string> args = {"--services", "dms,nas,uim,voice", "--verbose"})
        : sim(args)
    {
        device = open_device(sim.link);
        dms = allocate_dms(device.get());
        voice = allocate_voice(device.get());
        listen(voice.get(), events);
        REQUIRE(sim.command("set voice.alert-delay-ms 10") == "OK");
        REQUIRE(sim.command("set voice.answer-delay-ms 20") == "OK");
        REQUIRE(sim.command("set voice.ussd-delay-ms 10") == "OK");
        REQUIRE(sim.command("set nas.register-delay-ms 10") == "OK");
    }
    Host(const Host &) = delete;
    Host &operator=(const Host &) = delete;
    ~Host()
    {
        g_signal_handlers_disconnect_by_data(device.get(), &events);
        g_signal_handlers_disconnect_by_data(voice.get(), &events);
    }

    void listen(QmiClientVoice *client, Events &sink)
    {
        sink.cid = qmi_client_get_cid(QMI_CLIENT(client));
        g_signal_connect(device.get(), "indication", G_CALLBACK(Events::on_raw), &sink);
        g_signal_connect(client, "all-call-status", G_CALLBACK(Events::on_status), &sink);
        g_signal_connect(client, "ussd", G_CALLBACK(Events::on_ussd), &sink);
        g_signal_connect(client, "release-ussd", G_CALLBACK(Events::on_release), &sink);
        g_signal_connect(client, "originate-ussd-no-wait", G_CALLBACK(Events::on_no_wait), &sink);
        g_signal_connect(client, "supplementary-service", G_CALLBACK(Events::on_supplementary),
                         &sink);
    }

    void online()
    {
        REQUIRE(set_operating_mode(dms.get(), QMI_DMS_OPERATING_MODE_ONLINE) ==
                QMI_PROTOCOL_ERROR_NONE);
        REQUIRE(spin_until([&] { return sim.command("get nas.registration") == "OK registered"; }));
    }

    // The next All Call Status indication (they are consumed in order).
    CallList next_status()
    {
        REQUIRE(spin_until([&] { return seen_ < events.statuses.size(); }));
        return events.statuses[seen_++];
    }
    // Skips indications until one shows call `id` in `state`.
    CallList wait_call(guint8 id, QmiVoiceCallState state)
    {
        for (;;) {
            CallList calls = next_status();
            if (calls.contains(id) && calls[id].state == state)
                return calls;
        }
    }
    // Lets late indications arrive; true if none is left unconsumed.
    bool quiet()
    {
        spin_until([] { return false; }, 100);
        return seen_ == events.statuses.size();
    }

    CallList all_call_info()
    {
        auto reply = VOICE_CALL(get_all_call_info, voice.get(), nullptr);
        REQUIRE(reply.ok());
        GArray *infos = nullptr;
        GArray *numbers = nullptr;
        REQUIRE(qmi_message_voice_get_all_call_info_output_get_call_information(reply.output.get(),
                                                                                &infos, nullptr));
        REQUIRE(qmi_message_voice_get_all_call_info_output_get_remote_party_number(
            reply.output.get(), &numbers, nullptr));
        return decode_calls<QmiMessageVoiceGetAllCallInfoOutputCallInformationCall,
                            QmiMessageVoiceGetAllCallInfoOutputRemotePartyNumberCall>(infos,
                                                                                      numbers);
    }

    // Dial Call: the call id, or the error.
    std::pair<guint8, std::optional<QmiProtocolError>> dial(const char *number)
    {
        Owned<QmiMessageVoiceDialCallInput, qmi_message_voice_dial_call_input_unref> input{
            qmi_message_voice_dial_call_input_new()};
        qmi_message_voice_dial_call_input_set_calling_number(input.get(), number, nullptr);
        auto reply = VOICE_CALL(dial_call, voice.get(), input.get());
        guint8 id = 0;
        if (reply.ok())
            REQUIRE(
                qmi_message_voice_dial_call_output_get_call_id(reply.output.get(), &id, nullptr));
        return {id, reply.error};
    }

    std::optional<QmiProtocolError> end(guint8 id)
    {
        Owned<QmiMessageVoiceEndCallInput, qmi_message_voice_end_call_input_unref> input{
            qmi_message_voice_end_call_input_new()};
        qmi_message_voice_end_call_input_set_call_id(input.get(), id, nullptr);
        auto reply = VOICE_CALL(end_call, voice.get(), input.get());
        guint8 echoed = 0;
        if (reply.ok())
            CHECK((qmi_message_voice_end_call_output_get_call_id(reply.output.get(), &echoed,
                                                                 nullptr) &&
                   echoed == id));
        return reply.error;
    }

    std::optional<QmiProtocolError> answer(guint8 id)
    {
        Owned<QmiMessageVoiceAnswerCallInput, qmi_message_voice_answer_call_input_unref> input{
            qmi_message_voice_answer_call_input_new()};
        qmi_message_voice_answer_call_input_set_call_id(input.get(), id, nullptr);
        return VOICE_CALL(answer_call, voice.get(), input.get()).error;
    }

    std::optional<QmiProtocolError> manage(QmiVoiceSupplementaryServiceType type,
                                           std::optional<guint8> id = std::nullopt)
    {
        Owned<QmiMessageVoiceManageCallsInput, qmi_message_voice_manage_calls_input_unref> input{
            qmi_message_voice_manage_calls_input_new()};
        qmi_message_voice_manage_calls_input_set_service_type(input.get(), type, nullptr);
        if (id)
            qmi_message_voice_manage_calls_input_set_call_id(input.get(), *id, nullptr);
        return VOICE_CALL(manage_calls, voice.get(), input.get()).error;
    }

    SimProcess sim;
    GObjectPtr<QmiDevice> device;
    GObjectPtr<QmiClientDms> dms;
    GObjectPtr<QmiClientVoice> voice;
    Events events;

  private:
    std::size_t seen_ = 0;
};

constexpr auto kConversation = QMI_VOICE_CALL_STATE_CONVERSATION;

} // namespace

TEST_CASE("VOICE: MO call through alerting to active, ended by the host", "[voice]")
{
    Host h;
    h.online();
    const auto [id, error] = h.dial("+15551234567");
    REQUIRE_FALSE(error);
    CHECK(id == 1);

    CallList calls = h.next_status();
    REQUIRE(calls.size() == 1);
    CHECK(calls[1].state == QMI_VOICE_CALL_STATE_ORIGINATION);
    CHECK(calls[1].direction == QMI_VOICE_CALL_DIRECTION_MO);
    CHECK(calls[1].type == QMI_VOICE_CALL_TYPE_VOICE);
    CHECK(calls[1].mode == QMI_VOICE_CALL_MODE_LTE);
    CHECK(calls[1].number == "+15551234567");
    CHECK(h.next_status()[1].state == QMI_VOICE_CALL_STATE_ALERTING);
    CHECK(h.next_status()[1].state == kConversation);
    CHECK(h.sim.command("get voice.calls") == "OK 1:active:mo:+15551234567");

    calls = h.all_call_info();
    REQUIRE(calls.size() == 1);
    CHECK(calls[1].state == kConversation);
    CHECK(calls[1].number == "+15551234567");
    CHECK_FALSE(calls[1].multiparty);

    // End Call: disconnecting, then ended with a local reason, then gone.
    CHECK_FALSE(h.end(1));
    calls = h.next_status();
    CHECK(calls[1].state == QMI_VOICE_CALL_STATE_DISCONNECTING);
    CHECK_FALSE(calls[1].end_reason);
    calls = h.next_status();
    CHECK(calls[1].state == QMI_VOICE_CALL_STATE_END);
    CHECK(calls[1].end_reason == QMI_VOICE_CALL_END_REASON_CLIENT_END);
    CHECK(h.all_call_info().empty());
    CHECK(h.sim.command("get voice.calls") == "OK");
    CHECK(h.end(1) == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK(h.quiet());

    // Without auto-answer the remote side answers, or is busy, on command.
    REQUIRE(h.sim.command("set voice.auto-answer off") == "OK");
    REQUIRE(h.dial("+15550002").first == 1);
    h.wait_call(1, QMI_VOICE_CALL_STATE_ALERTING);
    CHECK(h.sim.command("call-busy 1") == "OK");
    calls = h.next_status();
    CHECK(calls[1].state == QMI_VOICE_CALL_STATE_END);
    CHECK(calls[1].end_reason == QMI_VOICE_CALL_END_REASON_USER_BUSY);

    REQUIRE(h.dial("+15550003").first == 1);
    h.wait_call(1, QMI_VOICE_CALL_STATE_ALERTING);
    CHECK(h.quiet()); // no auto-answer
    CHECK(h.sim.command("call-answer 1") == "OK");
    CHECK(h.next_status()[1].state == kConversation);
    CHECK(h.sim.command("call-busy 1").rfind("ERR ", 0) == 0);
    CHECK(h.sim.command("call-hangup 1") == "OK");
    calls = h.next_status();
    CHECK(calls[1].state == QMI_VOICE_CALL_STATE_END);
    CHECK(calls[1].end_reason == QMI_VOICE_CALL_END_REASON_NORMAL_CALL_CLEARING);
    CHECK(h.sim.command("get voice.dialled") == "OK +15551234567 +15550002 +15550003");
    CHECK(h.quiet());
    CHECK(h.sim.command("indications voice 0x2e") ==
          "OK " + std::to_string(h.events.statuses.size()));
}

TEST_CASE("VOICE: MT call with CLIP, answered, hung up by the remote party", "[voice]")
{
    Host h;
    CHECK(h.sim.command("call-incoming +4930123456").rfind("ERR ", 0) == 0); // not registered
    h.online();
    REQUIRE(h.sim.command("call-incoming +4930123456") == "OK 1");
    CallList calls = h.next_status();
    CHECK(calls[1].state == QMI_VOICE_CALL_STATE_INCOMING);
    CHECK(calls[1].direction == QMI_VOICE_CALL_DIRECTION_MT);
    CHECK(calls[1].number == "+4930123456");
    CHECK(calls[1].presentation == QMI_VOICE_PRESENTATION_ALLOWED);
    CHECK(h.answer(2) == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK_FALSE(h.answer(1));
    CHECK(h.next_status()[1].state == kConversation);
    CHECK(h.answer(1) == QMI_PROTOCOL_ERROR_INCOMPATIBLE_STATE);

    CHECK(h.sim.command("call-hangup 1 bogus-reason").rfind("ERR ", 0) == 0);
    CHECK(h.sim.command("call-hangup 1 temporary-failure") == "OK");
    calls = h.next_status();
    CHECK(calls[1].state == QMI_VOICE_CALL_STATE_END);
    CHECK(calls[1].end_reason == QMI_VOICE_CALL_END_REASON_TEMPORARY_FAILURE);

    // A withheld number: presentation only; the host rejects the call.
    REQUIRE(h.sim.command("call-incoming 5550100 restricted") == "OK 1");
    calls = h.next_status();
    CHECK(calls[1].presentation == QMI_VOICE_PRESENTATION_RESTRICTED);
    CHECK(calls[1].number.empty());
    CHECK(h.sim.command("get voice.calls") == "OK 1:incoming:mt:5550100");
    CHECK_FALSE(h.end(1));
    CHECK(h.wait_call(1, QMI_VOICE_CALL_STATE_END)[1].end_reason ==
          QMI_VOICE_CALL_END_REASON_CLIENT_END);
    CHECK(h.quiet());
}

TEST_CASE("VOICE: waiting call, hold, swap, conference, private chat through Manage Calls",
          "[voice]")
{
    Host h;
    h.online();
    auto call_states = [&h] {
        std::string out;
        for (const auto &[id, call] : h.all_call_info())
            out += std::to_string(id) + ":" + std::to_string(call.state) +
                   (call.multiparty ? "m " : " ");
        return out;
    };
    constexpr int kActive = QMI_VOICE_CALL_STATE_CONVERSATION;
    constexpr int kHeld = QMI_VOICE_CALL_STATE_HOLD;
    auto expect = [](std::initializer_list<std::pair<int, std::pair<int, bool>>> calls) {
        std::string out;
        for (const auto &[id, what] : calls)
            out +=
                std::to_string(id) + ":" + std::to_string(what.first) + (what.second ? "m " : " ");
        return out;
    };

    REQUIRE(h.sim.command("call-incoming +111") == "OK 1");
    REQUIRE_FALSE(h.answer(1));
    REQUIRE(h.sim.command("call-incoming +222") == "OK 2");
    h.wait_call(2, QMI_VOICE_CALL_STATE_WAITING);
    CHECK(h.sim.command("call-incoming +999").rfind("ERR ", 0) == 0);

    // CHLD=2 accepts the waiting call; again swaps.
    using T = QmiVoiceSupplementaryServiceType;
    const T hold = QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_HOLD_ACTIVE_ACCEPT_WAITING_OR_HELD;
    CHECK_FALSE(h.manage(hold));
    CallList calls = h.next_status();
    CHECK(calls[1].state == QMI_VOICE_CALL_STATE_HOLD);
    CHECK(calls[2].state == kConversation);
    CHECK_FALSE(h.manage(hold));
    CHECK(call_states() == expect({{1, {kActive, false}}, {2, {kHeld, false}}}));

    // CHLD=3: conference; with nothing held a second one fails.
    CHECK_FALSE(h.manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_MAKE_CONFERENCE_CALL));
    CHECK(call_states() == expect({{1, {kActive, true}}, {2, {kActive, true}}}));
    CHECK(h.manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_MAKE_CONFERENCE_CALL) ==
          QMI_PROTOCOL_ERROR_INCOMPATIBLE_STATE);

    // A third party: dialling holds the conference; it answers; join it.
    REQUIRE(h.dial("+333").first == 3);
    h.wait_call(3, kConversation);
    CHECK(call_states() == expect({{1, {kHeld, true}}, {2, {kHeld, true}}, {3, {kActive, false}}}));
    CHECK_FALSE(h.manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_MAKE_CONFERENCE_CALL));
    CHECK(h.sim.command("get voice.calls") ==
          "OK 1:active:mt:+111:mpty 2:active:mt:+222:mpty 3:active:mo:+333:mpty");

    // CHLD=2X: private chat with 2.
    const T except = QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_HOLD_ALL_EXCEPT_SPECIFIED_CALL;
    CHECK(h.manage(except) == QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    CHECK_FALSE(h.manage(except, 2));
    CHECK(call_states() == expect({{1, {kHeld, true}}, {2, {kActive, false}}, {3, {kHeld, true}}}));

    // CHLD=1X: release 3; 1 is an ordinary held call again.
    const T release = QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_RELEASE_SPECIFIED_CALL;
    CHECK(h.manage(release, 5) == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK_FALSE(h.manage(release, 3));
    calls = h.wait_call(3, QMI_VOICE_CALL_STATE_END);
    CHECK(calls[3].end_reason == QMI_VOICE_CALL_END_REASON_CLIENT_END);
    CHECK_FALSE(calls[1].multiparty);
    CHECK(call_states() == expect({{1, {kHeld, false}}, {2, {kActive, false}}}));

    // CHLD=0 with a waiting call rejects it; without one it releases the held call.
    const T udub = QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_RELEASE_HELD_OR_WAITING;
    REQUIRE(h.sim.command("call-incoming +444") == "OK 3");
    CHECK_FALSE(h.manage(udub));
    h.wait_call(3, QMI_VOICE_CALL_STATE_END);
    CHECK_FALSE(h.manage(udub));
    h.wait_call(1, QMI_VOICE_CALL_STATE_END);
    CHECK(call_states() == expect({{2, {kActive, false}}}));
    CHECK(h.manage(udub) == QMI_PROTOCOL_ERROR_INCOMPATIBLE_STATE);

    // CHLD=1: release the active call and accept the waiting one.
    REQUIRE(h.sim.command("call-incoming +555") == "OK 1");
    CHECK_FALSE(
        h.manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_RELEASE_ACTIVE_ACCEPT_HELD_OR_WAITING));
    calls = h.wait_call(2, QMI_VOICE_CALL_STATE_END);
    CHECK(calls[1].state == kConversation);

    // CHLD=4: explicit call transfer of the held and the active call.
    REQUIRE(h.dial("+666").first == 2);
    h.wait_call(2, kConversation);
    CHECK_FALSE(h.manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_EXPLICIT_CALL_TRANSFER));
    calls = h.wait_call(2, QMI_VOICE_CALL_STATE_END);
    CHECK(calls[1].state == QMI_VOICE_CALL_STATE_END);
    CHECK(h.all_call_info().empty());

    // Not simulated: CCBS and local hold.
    CHECK(h.manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_LOCAL_HOLD) ==
          QMI_PROTOCOL_ERROR_NOT_SUPPORTED);
    CHECK(h.manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_END_ALL_CALLS) ==
          QMI_PROTOCOL_ERROR_INCOMPATIBLE_STATE);
    CHECK(h.quiet());
}

TEST_CASE("VOICE: DTMF is recorded per call", "[voice]")
{
    Host h;
    h.online();
    auto burst = [&h](guint8 id, const char *digits) {
        Owned<QmiMessageVoiceBurstDtmfInput, qmi_message_voice_burst_dtmf_input_unref> input{
            qmi_message_voice_burst_dtmf_input_new()};
        qmi_message_voice_burst_dtmf_input_set_data(input.get(), id, digits, nullptr);
        return VOICE_CALL(burst_dtmf, h.voice.get(), input.get()).error;
    };
    auto start = [&h](guint8 id, guint8 digit) {
        Owned<QmiMessageVoiceStartContinuousDtmfInput,
              qmi_message_voice_start_continuous_dtmf_input_unref>
            input{qmi_message_voice_start_continuous_dtmf_input_new()};
        qmi_message_voice_start_continuous_dtmf_input_set_data(input.get(), id, digit, nullptr);
        return VOICE_CALL(start_continuous_dtmf, h.voice.get(), input.get()).error;
    };
    auto stop = [&h](guint8 id) {
        Owned<QmiMessageVoiceStopContinuousDtmfInput,
              qmi_message_voice_stop_continuous_dtmf_input_unref>
            input{qmi_message_voice_stop_continuous_dtmf_input_new()};
        qmi_message_voice_stop_continuous_dtmf_input_set_data(input.get(), id, nullptr);
        return VOICE_CALL(stop_continuous_dtmf, h.voice.get(), input.get()).error;
    };

    CHECK(burst(0xFF, "1") == QMI_PROTOCOL_ERROR_OUT_OF_CALL);
    REQUIRE(h.dial("+15550100").first == 1);
    CHECK(burst(1, "1") == QMI_PROTOCOL_ERROR_OUT_OF_CALL); // not answered yet
    h.wait_call(1, kConversation);
    CHECK_FALSE(burst(1, "123#"));
    CHECK(burst(1, "12x") == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK_FALSE(start(0xFF, '5')); // 0xFF: the active call
    CHECK_FALSE(stop(1));
    CHECK(stop(1) == QMI_PROTOCOL_ERROR_NO_EFFECT);
    CHECK_FALSE(burst(0xFF, "*0"));
    CHECK(h.sim.command("get voice.dtmf 1") == "OK 123#5*0");
    CHECK(h.sim.command("get voice.dtmf") == "OK 123#5*0");

    // A held call hears nothing; the second call gets its own digits.
    REQUIRE(h.dial("+15550200").first == 2);
    h.wait_call(2, kConversation);
    CHECK(burst(1, "9") == QMI_PROTOCOL_ERROR_OUT_OF_CALL);
    CHECK_FALSE(start(2, '7'));
    CHECK(h.sim.command("get voice.dtmf") == "OK 7");
    CHECK(h.sim.command("get voice.dtmf 1") == "OK 123#5*0");
    CHECK(h.sim.command("get voice.dtmf 2") == "OK 7");
    CHECK(h.sim.command("get voice.dtmf 3") == "OK");
}

TEST_CASE("VOICE: USSD from the host in both codings, and from the network", "[voice]")
{
    Host h;
    h.online();
    auto originate = [&h](QmiVoiceUssDataCodingScheme coding, const std::string &text) {
        Owned<QmiMessageVoiceOriginateUssdInput, qmi_message_voice_originate_ussd_input_unref>
            input{qmi_message_voice_originate_ussd_input_new()};
        qmi_message_voice_originate_ussd_input_set_uss_data(input.get(), coding,
                                                            uss_bytes(coding, text).get(), nullptr);
        return VOICE_CALL(originate_ussd, h.voice.get(), input.get());
    };
    auto reply_of = [](auto &reply) {
        QmiVoiceUssDataCodingScheme coding{};
        GArray *data = nullptr;
        GArray *utf16 = nullptr;
        REQUIRE(qmi_message_voice_originate_ussd_output_get_uss_data(reply.output.get(), &coding,
                                                                     &data, nullptr));
        qmi_message_voice_originate_ussd_output_get_uss_data_utf16(reply.output.get(), &utf16,
                                                                   nullptr);
        return std::tuple{coding, uss_text(coding, bytes_of(data)), utf16_text(utf16)};
    };

    // The default reply, in ASCII, plus the UTF-16 TLV.
    auto balance = originate(QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII, "*100#");
    REQUIRE(balance.ok());
    CHECK(reply_of(balance) == std::tuple{QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII,
                                          std::string{"Your balance is 42.00"},
                                          std::string{"Your balance is 42.00"}});

    // A UCS-2 request, and a reply that needs UCS-2.
    REQUIRE(h.sim.command("ussd-reply *101# Guthaben: 5,00 €") == "OK");
    CHECK(h.sim.command("get voice.ussd-reply *101#") == "OK Guthaben: 5,00 €");
    auto euro = originate(QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2, "*101#");
    REQUIRE(euro.ok());
    CHECK(reply_of(euro) == std::tuple{QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2,
                                       std::string{"Guthaben: 5,00 €"},
                                       std::string{"Guthaben: 5,00 €"}});
    CHECK(h.sim.command("get voice.ussd-last") == "OK *101#");
    CHECK(h.sim.command("get voice.ussd-count") == "OK 2");

    // No reply for that code: the network refuses it.
    auto unknown = originate(QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII, "*999#");
    CHECK(unknown.error == QMI_PROTOCOL_ERROR_SUPS_FAILURE_CASE);
    QmiVoiceCallEndReason cause{};
    CHECK(qmi_message_voice_originate_ussd_output_get_failure_cause(unknown.output.get(), &cause,
                                                                    nullptr));
    CHECK(cause == QMI_VOICE_CALL_END_REASON_FACILITY_NOT_SUPPORTED);
    REQUIRE(h.sim.command("ussd-reply *101#") == "OK");
    CHECK(originate(QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII, "*101#").error ==
          QMI_PROTOCOL_ERROR_SUPS_FAILURE_CASE);

    // No Wait: success at once, the answer as an indication (without UTF-16 now).
    REQUIRE(h.sim.command("set voice.ussd-utf16 off") == "OK");
    {
        Owned<QmiMessageVoiceOriginateUssdNoWaitInput,
              qmi_message_voice_originate_ussd_no_wait_input_unref>
            input{qmi_message_voice_originate_ussd_no_wait_input_new()};
        qmi_message_voice_originate_ussd_no_wait_input_set_uss_data(
            input.get(), QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII,
            uss_bytes(QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII, "*100#").get(), nullptr);
        REQUIRE(VOICE_CALL(originate_ussd_no_wait, h.voice.get(), input.get()).ok());
        REQUIRE(spin_until([&] { return !h.events.no_wait.empty(); }));
        CHECK_FALSE(h.events.no_wait[0].error);
        CHECK(h.events.no_wait[0].text == "Your balance is 42.00");
    }
    CHECK(originate(QMI_VOICE_USS_DATA_CODING_SCHEME_8BIT, "*100#").ok()); // Latin-1
    CHECK(originate(QMI_VOICE_USS_DATA_CODING_SCHEME_UNKNOWN, "*100#").error ==
          QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);

    // The network notifies, then asks; the host answers.
    REQUIRE(h.sim.command("ussd-notify Welcome to QMI-SIM") == "OK");
    REQUIRE(spin_until([&] { return h.events.ussd.size() == 1; }));
    CHECK(h.events.ussd[0].action == QMI_VOICE_USER_ACTION_NOT_REQUIRED);
    CHECK(h.events.ussd[0].text == "Welcome to QMI-SIM");
    CHECK(h.events.ussd[0].utf16 == "<none>");
    REQUIRE(h.sim.command("set voice.ussd-utf16 on") == "OK");

    auto answer = [&h](const std::string &text) {
        Owned<QmiMessageVoiceAnswerUssdInput, qmi_message_voice_answer_ussd_input_unref> input{
            qmi_message_voice_answer_ussd_input_new()};
        qmi_message_voice_answer_ussd_input_set_uss_data(
            input.get(), QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII,
            uss_bytes(QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII, text).get(), nullptr);
        return VOICE_CALL(answer_ussd, h.voice.get(), input.get()).error;
    };
    CHECK(answer("1") == QMI_PROTOCOL_ERROR_INCOMPATIBLE_STATE); // nobody asked
    REQUIRE(h.sim.command("ussd-reply 1 Bonus: 100 Ümits") == "OK");
    REQUIRE(h.sim.command("ussd-request 1: Bonus, 2: Credit") == "OK");
    REQUIRE(spin_until([&] { return h.events.ussd.size() == 2; }));
    CHECK(h.events.ussd[1].action == QMI_VOICE_USER_ACTION_REQUIRED);
    CHECK(h.events.ussd[1].text == "1: Bonus, 2: Credit");
    CHECK(h.events.ussd[1].utf16 == "1: Bonus, 2: Credit");
    CHECK(h.sim.command("get voice.ussd-session") == "OK awaiting-answer");
    CHECK(h.sim.command("ussd-request again").rfind("ERR ", 0) == 0);
    CHECK_FALSE(answer("1"));
    REQUIRE(spin_until([&] { return h.events.ussd.size() == 3; }));
    CHECK(h.events.ussd[2].action == QMI_VOICE_USER_ACTION_NOT_REQUIRED);
    CHECK(h.events.ussd[2].coding == QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2);
    CHECK(h.events.ussd[2].text == "Bonus: 100 Ümits");
    CHECK(h.sim.command("get voice.ussd-last") == "OK 1");

    // An answer the network has no reply for: it releases the session.
    REQUIRE(h.sim.command("ussd-request Say something") == "OK");
    CHECK_FALSE(answer("7"));
    REQUIRE(spin_until([&] { return h.events.releases == 1; }));
    CHECK(h.sim.command("get voice.ussd-session") == "OK idle");

    // Cancel: nothing open, an open request, a pending originate.
    CHECK(VOICE_CALL(cancel_ussd, h.voice.get(), nullptr).error == QMI_PROTOCOL_ERROR_NO_EFFECT);
    REQUIRE(h.sim.command("ussd-request Anything?") == "OK");
    CHECK(VOICE_CALL(cancel_ussd, h.voice.get(), nullptr).ok());
    CHECK(h.sim.command("get voice.ussd-session") == "OK idle");

    REQUIRE(h.sim.command("set voice.ussd-delay-ms 2000") == "OK");
    Owned<QmiMessageVoiceOriginateUssdInput, qmi_message_voice_originate_ussd_input_unref> input{
        qmi_message_voice_originate_ussd_input_new()};
    qmi_message_voice_originate_ussd_input_set_uss_data(
        input.get(), QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII,
        uss_bytes(QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII, "*100#").get(), nullptr);
    auto slot = std::make_shared<GObjectPtr<GAsyncResult>>();
    qmi_client_voice_originate_ussd(
        h.voice.get(), input.get(), kQmiTimeoutS, nullptr,
        [](GObject *, GAsyncResult *result, gpointer data) {
            std::unique_ptr<ResultSlot> owner{static_cast<ResultSlot *>(data)};
            (*owner)->reset(G_ASYNC_RESULT(g_object_ref(result)));
        },
        new ResultSlot(slot));
    REQUIRE(spin_until([&] { return h.sim.command("get voice.ussd-session") == "OK pending"; }));
    CHECK(originate(QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII, "*100#").error ==
          QMI_PROTOCOL_ERROR_SUPS_FAILURE_CASE); // busy
    CHECK(VOICE_CALL(cancel_ussd, h.voice.get(), nullptr).ok());
    REQUIRE(spin_until([&] { return slot->get() != nullptr; }));
    Owned<QmiMessageVoiceOriginateUssdOutput, qmi_message_voice_originate_ussd_output_unref>
        aborted{qmi_client_voice_originate_ussd_finish(h.voice.get(), slot->get(), nullptr)};
    REQUIRE(aborted);
    ErrorSlot error;
    CHECK_FALSE(qmi_message_voice_originate_ussd_output_get_result(aborted.get(), error.out()));
    CHECK(error.matches(QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_ABORTED));
}

TEST_CASE("VOICE: refusals, emergency calls without SIM, radio off", "[voice]")
{
    Host h;
    CHECK(h.dial("+15550100").second == QMI_PROTOCOL_ERROR_NO_RADIO);
    CHECK(h.dial("112").second == QMI_PROTOCOL_ERROR_NO_RADIO);
    CHECK(h.sim.command("get voice.dialled") == "OK");
    h.online();
    CHECK(h.dial("12ab").second == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);

    // Searching: only emergency calls.
    REQUIRE(h.sim.command("set nas.registration searching") == "OK");
    CHECK(h.dial("+15550100").second == QMI_PROTOCOL_ERROR_NO_NETWORK_FOUND);
    REQUIRE(h.dial("911").first == 1);
    CallList calls = h.next_status();
    CHECK(calls[1].type == QMI_VOICE_CALL_TYPE_EMERGENCY);
    CHECK(calls[1].mode == QMI_VOICE_CALL_MODE_UNKNOWN);
    REQUIRE_FALSE(h.end(1));
    h.wait_call(1, QMI_VOICE_CALL_STATE_END);
    REQUIRE(h.sim.command("set nas.registration registered") == "OK");
    REQUIRE(spin_until([&] { return h.sim.command("get nas.registration") == "OK registered"; }));

    // No SIM: only emergency numbers, including configured ones.
    REQUIRE(h.sim.command("sim remove") == "OK");
    CHECK(h.dial("+15550100").second == QMI_PROTOCOL_ERROR_NO_SIM);
    CHECK(h.dial("999").second == QMI_PROTOCOL_ERROR_NO_SIM);
    REQUIRE(h.sim.command("set voice.emergency-numbers 999,118") == "OK");
    CHECK(h.sim.command("get voice.emergency-numbers") == "OK 118,999");
    REQUIRE(h.dial("999").first == 1);
    calls = h.wait_call(1, kConversation);
    CHECK(calls[1].type == QMI_VOICE_CALL_TYPE_EMERGENCY);
    CHECK(calls[1].mode == QMI_VOICE_CALL_MODE_LTE);
    REQUIRE(h.dial("112").first == 2);
    h.wait_call(2, kConversation);
    CHECK(h.sim.command("get voice.dialled") == "OK 911 999 112");

    // Radio off ends every call at once.
    REQUIRE(set_operating_mode(h.dms.get(), QMI_DMS_OPERATING_MODE_LOW_POWER) ==
            QMI_PROTOCOL_ERROR_NONE);
    calls = h.wait_call(1, QMI_VOICE_CALL_STATE_END);
    CHECK(calls[1].end_reason == QMI_VOICE_CALL_END_REASON_OFFLINE);
    CHECK(calls[2].state == QMI_VOICE_CALL_STATE_END);
    CHECK(calls[2].end_reason == QMI_VOICE_CALL_END_REASON_OFFLINE);
    CHECK(h.sim.command("get voice.calls") == "OK");
    REQUIRE(h.sim.command("sim insert") == "OK");
}

TEST_CASE("VOICE: indication registration and supplementary service notifications", "[voice]")
{
    Host h;
    h.online();
    GObjectPtr<QmiClientVoice> quiet = allocate_voice(h.device.get());
    Events quiet_events;
    h.listen(quiet.get(), quiet_events);
    {
        Owned<QmiMessageVoiceIndicationRegisterInput,
              qmi_message_voice_indication_register_input_unref>
            input{qmi_message_voice_indication_register_input_new()};
        qmi_message_voice_indication_register_input_set_call_notification_events(input.get(), FALSE,
                                                                                 nullptr);
        qmi_message_voice_indication_register_input_set_supplementary_service_notification_events(
            input.get(), FALSE, nullptr);
        qmi_message_voice_indication_register_input_set_ussd_notification_events(input.get(), FALSE,
                                                                                 nullptr);
        REQUIRE(VOICE_CALL(indication_register, quiet.get(), input.get()).ok());
    }

    REQUIRE(h.sim.command("call-incoming +15550300") == "OK 1");
    h.wait_call(1, QMI_VOICE_CALL_STATE_INCOMING);
    REQUIRE(h.sim.command("ss-notify 1 incoming-forwarded-call") == "OK");
    CHECK(h.sim.command("ss-notify 1 no-such-type").rfind("ERR ", 0) == 0);
    REQUIRE(h.sim.command("ussd-notify hello") == "OK");
    REQUIRE(spin_until([&] { return !h.events.supplementary.empty() && !h.events.ussd.empty(); }));
    CHECK(h.events.supplementary[0] ==
          std::pair{guint8{1},
                    QMI_VOICE_SUPPLEMENTARY_SERVICE_NOTIFICATION_TYPE_INCOMING_FORWARDED_CALL});
    CHECK(h.quiet());
    CHECK(quiet_events.statuses.empty());
    CHECK(quiet_events.supplementary.empty());
    CHECK(quiet_events.ussd.empty());
    CHECK(h.sim.command("indications voice 0x2e") == "OK 1");

    // Get All Call Info answers every client.
    auto reply = VOICE_CALL(get_all_call_info, quiet.get(), nullptr);
    REQUIRE(reply.ok());
    GArray *infos = nullptr;
    REQUIRE(qmi_message_voice_get_all_call_info_output_get_call_information(reply.output.get(),
                                                                            &infos, nullptr));
    CHECK(infos->len == 1);

    // A reset forgets the calls (and the clients).
    REQUIRE(h.sim.command("reset") == "OK");
    CHECK(h.sim.command("get voice.calls") == "OK");
    g_signal_handlers_disconnect_by_data(h.device.get(), &quiet_events);
    g_signal_handlers_disconnect_by_data(quiet.get(), &quiet_events);
}

TEST_CASE("VOICE: not among the default services", "[voice]")
{
    SimProcess sim;
    GObjectPtr<QmiDevice> device = open_device(sim.link);
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_allocate_client(device.get(), QMI_SERVICE_VOICE, QMI_CID_NONE, kQmiTimeoutS,
                                   nullptr, cb, data);
    });
    ErrorSlot error;
    GObjectPtr<QmiClient> client{
        qmi_device_allocate_client_finish(device.get(), result.get(), error.out())};
    CHECK_FALSE(client);
    CHECK(error); // libqmi: not in Get Version Info
    CHECK(sim.command("call-incoming +15550100") == "ERR the voice service is not enabled");
    CHECK(sim.command("get voice.auto-answer") == "OK on");
}
