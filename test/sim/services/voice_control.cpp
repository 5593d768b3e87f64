// VOICE on the control socket: "voice.*" state keys and the commands with
// which the test plays the network and the remote party (call-incoming,
// call-answer, call-hangup, call-busy, ss-notify, ussd-*). Changes go
// through publish(), so the host sees the indications a real network raises.
#include "voice_service.hpp"

#include "../names.hpp"
#include "../tlv.hpp"
#include "voice_tlv.hpp"

#include <cctype>

namespace qmisim
{

using namespace voice;

namespace
{

std::optional<bool> parse_switch(const std::string &value)
{
    if (value == "on" || value == "true" || value == "1")
        return true;
    if (value == "off" || value == "false" || value == "0")
        return false;
    return std::nullopt;
}

std::string normalized(std::string_view text)
{
    std::string out;
    for (const char c : text)
        if (std::isalnum(static_cast<unsigned char>(c)))
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// A libqmi enum value by number or nick, in any spelling.
std::optional<std::uint16_t> parse_enum(GType type, std::string_view text)
{
    if (const auto number = parse_number(text, 0xFFFF))
        return static_cast<std::uint16_t>(*number);
    const std::string wanted = normalized(text);
    auto *klass = static_cast<GEnumClass *>(g_type_class_ref(type));
    std::optional<std::uint16_t> found;
    for (guint i = 0; i < klass->n_values && !found; i++)
        if (normalized(klass->values[i].value_nick) == wanted)
            found = static_cast<std::uint16_t>(klass->values[i].value);
    g_type_class_unref(klass);
    return found;
}

bool dialable(std::string_view number)
{
    if (number.empty() || number.size() > 81)
        return false;
    for (const char c : number)
        if (!std::isdigit(static_cast<unsigned char>(c)) && c != '+' && c != '*' && c != '#')
            return false;
    return true;
}

std::string join(const auto &items, char separator)
{
    std::string out;
    for (const auto &item : items)
        out += (out.empty() ? "" : std::string(1, separator)) + item;
    return out;
}

Outcome read_only(const std::string &)
{
    return Outcome::failure("read-only key");
}

} // namespace

std::vector<StateKey> VoiceService::state_keys()
{
    auto delay_key = [this](std::string name, unsigned VoiceSettings::*field) {
        return StateKey{std::move(name),
                        [this, field] { return std::to_string(voice().settings.*field); },
                        [this, field](const std::string &value) {
                            const auto n = parse_number(value, 600'000);
                            if (!n)
                                return Outcome::failure("bad delay '" + value + "'");
                            voice().settings.*field = *n;
                            return Outcome::success();
                        }};
    };
    auto switch_key = [this](std::string name, bool VoiceSettings::*field) {
        return StateKey{std::move(name),
                        [this, field] { return voice().settings.*field ? "on" : "off"; },
                        [this, field](const std::string &value) {
                            const auto on = parse_switch(value);
                            if (!on)
                                return Outcome::failure("on or off");
                            voice().settings.*field = *on;
                            return Outcome::success();
                        }};
    };
    auto text_key = [](std::string name, std::function<std::string()> get) {
        return StateKey{std::move(name), std::move(get), read_only};
    };

    std::vector<StateKey> keys{
        delay_key("voice.alert-delay-ms", &VoiceSettings::alert_delay_ms),
        delay_key("voice.answer-delay-ms", &VoiceSettings::answer_delay_ms),
        delay_key("voice.ussd-delay-ms", &VoiceSettings::ussd_delay_ms),
        switch_key("voice.auto-answer", &VoiceSettings::auto_answer),
        switch_key("voice.ussd-utf16", &VoiceSettings::ussd_utf16),
        text_key("voice.calls", [this] { return describe_calls(calls().calls()); }),
        text_key("voice.ussd-last", [this] { return voice().records.ussd_last; }),
        text_key("voice.ussd-count", [this] { return std::to_string(voice().records.ussd_count); }),
        text_key("voice.ussd-session", [this] { return ussd_session(); }),
    };
    keys.push_back({"voice.emergency-numbers",
                    [this] { return join(voice().settings.emergency_numbers, ','); },
                    [this](const std::string &value) {
                        std::set<std::string> numbers;
                        std::size_t pos = 0;
                        while (value != "none" && pos <= value.size()) {
                            const auto end = std::min(value.find(',', pos), value.size());
                            const std::string number = value.substr(pos, end - pos);
                            if (!dialable(number))
                                return Outcome::failure("bad number '" + number + "'");
                            numbers.insert(number);
                            pos = end + 1;
                        }
                        voice().settings.emergency_numbers = std::move(numbers);
                        return Outcome::success();
                    }});
    keys.push_back({"voice.dialled", [this] { return join(voice().records.dialled, ' '); },
                    [this](const std::string &value) {
                        if (value != "none")
                            return Outcome::failure("only 'none' (forget the numbers)");
                        voice().records.dialled.clear();
                        return Outcome::success();
                    }});
    keys.push_back({"voice.dtmf", [] { return std::string{}; }, read_only,
                    [this](const std::string &arguments) {
                        const VoiceRecords &records = voice().records;
                        std::optional<std::uint8_t> call = records.last_dtmf_call;
                        if (!arguments.empty()) {
                            const auto n = parse_number(arguments, CallModel::kMaxId);
                            if (!n || *n == 0)
                                return Outcome::failure("usage: get voice.dtmf [<call id 1-7>]");
                            call = static_cast<std::uint8_t>(*n);
                        }
                        const auto it = call ? records.dtmf.find(*call) : records.dtmf.end();
                        return Outcome::success(it == records.dtmf.end() ? "" : it->second);
                    }});
    keys.push_back({"voice.ussd-reply", [] { return std::string{}; }, read_only,
                    [this](const std::string &code) {
                        const auto &replies = voice().settings.ussd_replies;
                        const auto it = replies.find(code);
                        if (it == replies.end())
                            return Outcome::failure("no reply for '" + code + "'");
                        return Outcome::success(it->second);
                    }});
    return keys;
}

std::vector<CommandSpec> VoiceService::commands()
{
    auto remote = [this](const CommandArgs &args) { return call_remote(args); };
    return {
        {"call-incoming", 1, 2, "call-incoming <number> [allowed|restricted|unavailable|payphone]",
         [this](const CommandArgs &args) { return call_incoming(args); }},
        {"call-answer", 1, 1, "call-answer <id>", remote},
        {"call-hangup", 1, 2, "call-hangup <id> [<end reason>]", remote},
        {"call-busy", 1, 1, "call-busy <id>", remote},
        {"ss-notify", 2, 2, "ss-notify <id> <notification type>",
         [this](const CommandArgs &args) { return supplementary_notify(args); }},
        {"ussd-reply", 1, kRestOfLine, "ussd-reply <code> [<text...>]",
         [this](const CommandArgs &args) { return ussd_reply(args); }},
        {"ussd-notify", 1, kRestOfLine, "ussd-notify <text...>",
         [this](const CommandArgs &args) { return ussd_from_network(args, false); }},
        {"ussd-request", 1, kRestOfLine, "ussd-request <text...>",
         [this](const CommandArgs &args) { return ussd_from_network(args, true); }},
    };
}

Outcome VoiceService::require_network()
{
    if (!state().enabled_services.contains(QMI_SERVICE_VOICE))
        return Outcome::failure("the voice service is not enabled");
    if (!registered())
        return Outcome::failure("not registered: no network");
    return Outcome::success();
}

Outcome VoiceService::call_incoming(const CommandArgs &args)
{
    if (Outcome ready = require_network(); !ready.ok)
        return ready;
    const std::string number{args.tokens[1]};
    if (!dialable(number))
        return Outcome::failure("bad number '" + number + "'");
    auto presentation = CallPresentation::Allowed;
    if (args.tokens.size() > 2) {
        const auto parsed = parse_presentation(args.tokens[2]);
        if (!parsed)
            return Outcome::failure("presentation is allowed, restricted, unavailable or payphone");
        presentation = *parsed;
    }
    const CallResult result = calls().incoming(number, presentation, call_mode());
    if (result.error == CallError::WrongState)
        return Outcome::failure("another call is ringing");
    if (!result.ok())
        return Outcome::failure("no free call id");
    voice().records.dtmf.erase(result.id);
    if (voice().records.last_dtmf_call == result.id)
        voice().records.last_dtmf_call.reset();
    publish();
    return Outcome::success(std::to_string(result.id));
}

Outcome VoiceService::call_remote(const CommandArgs &args)
{
    const auto id = parse_number(args.tokens[1], CallModel::kMaxId);
    const Call *call = id ? calls().find(static_cast<std::uint8_t>(*id)) : nullptr;
    if (!call || !call->live())
        return Outcome::failure("no call " + std::string{args.tokens[1]});
    const auto name = args.tokens[0];
    CallError error = CallError::None;
    if (name == "call-answer") {
        error = calls().remote_answer(call->id);
    } else if (name == "call-busy") {
        error = call->setting_up()
                    ? calls().remote_release(call->id, QMI_VOICE_CALL_END_REASON_USER_BUSY)
                    : CallError::WrongState;
    } else {
        std::uint16_t reason = QMI_VOICE_CALL_END_REASON_NORMAL_CALL_CLEARING;
        if (args.tokens.size() > 2) {
            const auto parsed = parse_enum(QMI_TYPE_VOICE_CALL_END_REASON, args.tokens[2]);
            if (!parsed)
                return Outcome::failure("unknown end reason '" + std::string{args.tokens[2]} + "'");
            reason = *parsed;
        }
        error = calls().remote_release(call->id, reason);
    }
    if (error != CallError::None)
        return Outcome::failure("call " + std::to_string(call->id) + " is " +
                                call_state_name(call->state));
    publish();
    return Outcome::success();
}

Outcome VoiceService::supplementary_notify(const CommandArgs &args)
{
    const auto id = parse_number(args.tokens[1], CallModel::kMaxId);
    const Call *call = id ? calls().find(static_cast<std::uint8_t>(*id)) : nullptr;
    if (!call || !call->live())
        return Outcome::failure("no call " + std::string{args.tokens[1]});
    const auto type =
        parse_enum(QMI_TYPE_VOICE_SUPPLEMENTARY_SERVICE_NOTIFICATION_TYPE, args.tokens[2]);
    if (!type || *type > 0xFF)
        return Outcome::failure("unknown notification type '" + std::string{args.tokens[2]} + "'");
    notify(kSubSupplementary, kSupplementaryService, [&](QmiMessage *indication) {
        TlvWriter{indication, 0x01}.u8(call->id).u8(static_cast<std::uint8_t>(*type)).done();
    });
    return Outcome::success();
}

Outcome VoiceService::ussd_reply(const CommandArgs &args)
{
    const std::string code{args.tokens[1]};
    const std::string text = args.rest(2);
    auto &replies = voice().settings.ussd_replies;
    if (text.empty())
        replies.erase(code);
    else
        replies[code] = text;
    return Outcome::success();
}

Outcome VoiceService::ussd_from_network(const CommandArgs &args, bool request)
{
    if (Outcome ready = require_network(); !ready.ok)
        return ready;
    if (request && (ussd_ || ussd_awaits_answer_))
        return Outcome::failure("a USSD session is open (" + ussd_session() + ")");
    const std::string text = args.rest(1);
    if (request)
        ussd_awaits_answer_ = true;
    send_ussd_indication(
        request ? QMI_VOICE_USER_ACTION_REQUIRED : QMI_VOICE_USER_ACTION_NOT_REQUIRED, text);
    return Outcome::success();
}

} // namespace qmisim
