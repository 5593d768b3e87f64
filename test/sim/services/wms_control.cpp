// WMS on the control socket: "wms.*" state keys and the network's side of
// SMS: sms-deliver, sms-text, sms-store and sms-send-fail.
#include "wms_service.hpp"

#include "../names.hpp"
#include "../sms_codec.hpp"

namespace qmisim
{

namespace
{

constexpr std::uint32_t kMaxCapacity = 1000;
constexpr std::uint32_t kMaxDelayMs = 600'000;

Outcome read_only(const std::string &)
{
    return Outcome::failure("read-only key");
}

std::string tag_name(QmiWmsMessageTagType tag)
{
    switch (tag) {
    case QMI_WMS_MESSAGE_TAG_TYPE_MT_READ:
        return "read";
    case QMI_WMS_MESSAGE_TAG_TYPE_MT_NOT_READ:
        return "not-read";
    case QMI_WMS_MESSAGE_TAG_TYPE_MO_SENT:
        return "sent";
    case QMI_WMS_MESSAGE_TAG_TYPE_MO_NOT_SENT:
        break;
    }
    return "not-sent";
}

std::optional<QmiWmsMessageTagType> parse_tag(std::string_view text)
{
    for (const auto tag : {QMI_WMS_MESSAGE_TAG_TYPE_MT_READ, QMI_WMS_MESSAGE_TAG_TYPE_MT_NOT_READ,
                           QMI_WMS_MESSAGE_TAG_TYPE_MO_SENT, QMI_WMS_MESSAGE_TAG_TYPE_MO_NOT_SENT})
        if (text == tag_name(tag))
            return tag;
    return std::nullopt;
}

std::string override_name(RouteOverride value)
{
    return value == RouteOverride::Store      ? "store"
           : value == RouteOverride::Transfer ? "transfer"
                                              : "none";
}

std::string class_name(QmiWmsMessageClass message_class)
{
    if (message_class <= QMI_WMS_MESSAGE_CLASS_3)
        return std::to_string(static_cast<unsigned>(message_class));
    return message_class == QMI_WMS_MESSAGE_CLASS_NONE ? "none" : "cdma";
}

std::string nick(const char *name)
{
    return name ? name : "unknown";
}

// "0:store-and-notify:nv ... none:store-and-notify:nv status-reports:stored"
std::string routes_text(const WmsState &wms)
{
    std::string out;
    for (const auto &[message_class, route] : wms.routes)
        out += class_name(message_class) + ":" +
               nick(qmi_wms_receipt_action_get_string(route.action)) + ":" +
               nick(qmi_wms_storage_type_get_string(route.storage)) + " ";
    return out + "status-reports:" + (wms.transfer_status_reports ? "transferred" : "stored");
}

// "<count> <index>:<tag> ..." of one storage.
std::string storage_text(const MessageStore &store)
{
    std::string out = std::to_string(store.messages.size());
    for (const auto &[index, message] : store.messages)
        out += " " + std::to_string(index) + ":" + tag_name(message.tag);
    return out;
}

// "<destination> [ref R part P/T] <text>" of a submitted raw message.
Outcome sent_text(const Bytes &raw)
{
    const sms::ParsedPdu parsed = sms::parse_submit(raw);
    const auto text = parsed.tpdu ? sms::user_text(*parsed.tpdu) : std::nullopt;
    if (!text)
        return Outcome::failure("cannot decode the message");
    std::string out = sms::address_text(parsed.tpdu->address) + " ";
    if (text->concat)
        out += "[ref " + std::to_string(text->concat->reference) + " part " +
               std::to_string(text->concat->part) + "/" + std::to_string(text->concat->total) +
               "] ";
    return Outcome::success(out + text->text);
}

std::optional<bool> parse_on_off(const std::string &value)
{
    if (value == "on" || value == "true" || value == "1")
        return true;
    if (value == "off" || value == "false" || value == "0")
        return false;
    return std::nullopt;
}

bool valid_smsc(const std::string &number)
{
    const bool plus = !number.empty() && number.front() == '+';
    return encode_address(plus ? number.substr(1) : number).has_value();
}

} // namespace

StateKey WmsService::delay_key(std::string name, unsigned WmsState::*field)
{
    return {std::move(name), [this, field] { return std::to_string(wms().*field); },
            [this, field](const std::string &value) {
                const auto ms = parse_number(value, kMaxDelayMs);
                if (!ms)
                    return Outcome::failure("bad delay '" + value + "'");
                wms().*field = *ms;
                return Outcome::success();
            }};
}

StateKey WmsService::capacity_key(std::string name, MessageStore WmsState::*field)
{
    return {std::move(name), [this, field] { return std::to_string((wms().*field).capacity); },
            [this, field](const std::string &value) {
                const auto n = parse_number(value, kMaxCapacity);
                if (!n)
                    return Outcome::failure("capacity is 0 to " + std::to_string(kMaxCapacity));
                MessageStore &store = wms().*field;
                if (!store.messages.empty() && store.messages.rbegin()->first >= *n)
                    return Outcome::failure("a message is stored at index " +
                                            std::to_string(store.messages.rbegin()->first));
                store.capacity = *n;
                return Outcome::success();
            }};
}

std::vector<StateKey> WmsService::state_keys()
{
    auto count_key = [](std::string name, std::function<std::size_t()> count) {
        return StateKey{std::move(name), [count] { return std::to_string(count()); }, read_only};
    };
    // "get wms.sent-pdu <n>" and "get wms.sent-text <n>": the n-th Raw Send.
    auto sent_key = [this](std::string name, std::function<Outcome(const Bytes &)> show) {
        return StateKey{name, [] { return std::string{}; }, read_only,
                        [this, name, show](const std::string &arguments) {
                            const std::size_t count = wms().sent.size();
                            const auto n = parse_number(arguments, 0xFFFFFFFF);
                            if (!n || *n == 0 || *n > count)
                                return Outcome::failure(count == 0 ? "no Raw Send yet"
                                                                   : "usage: get " + name +
                                                                         " <n>, n from 1 to " +
                                                                         std::to_string(count));
                            return show(wms().sent[*n - 1]);
                        }};
    };

    std::vector<StateKey> keys{
        delay_key("wms.status-report-delay-ms", &WmsState::status_report_delay_ms),
        delay_key("wms.ack-timeout-ms", &WmsState::ack_timeout_ms),
        capacity_key("wms.nv-capacity", &WmsState::nv),
        capacity_key("wms.uim-capacity", &WmsState::uim),
        count_key("wms.sent", [this] { return wms().sent.size(); }),
        count_key("wms.unacked", [this] { return wms().unacked.size(); }),
        count_key("wms.deliveries", [this] { return wms().deliveries; }),
        count_key("wms.rejected", [this] { return wms().rejected; }),
        sent_key("wms.sent-pdu", [](const Bytes &raw) { return Outcome::success(hex(raw)); }),
        sent_key("wms.sent-text", sent_text),
    };
    keys.push_back({"wms.smsc", [this] { return wms().smsc.empty() ? "none" : wms().smsc; },
                    [this](const std::string &value) {
                        if (value != "none" && !valid_smsc(value))
                            return Outcome::failure("SMSC is [+]digits (at most 20), or none");
                        wms().smsc = value == "none" ? "" : value;
                        return Outcome::success();
                    }});
    keys.push_back({"wms.route-override", [this] { return override_name(wms().route_override); },
                    [this](const std::string &value) {
                        for (const auto o :
                             {RouteOverride::None, RouteOverride::Store, RouteOverride::Transfer})
                            if (value == override_name(o)) {
                                wms().route_override = o;
                                return Outcome::success();
                            }
                        return Outcome::failure("route-override is none, store or transfer");
                    }});
    keys.push_back({"wms.status-reports", [this] { return wms().status_reports ? "on" : "off"; },
                    [this](const std::string &value) {
                        const auto on = parse_on_off(value);
                        if (!on)
                            return Outcome::failure("status-reports is on or off");
                        wms().status_reports = *on;
                        return Outcome::success();
                    }});
    keys.push_back(
        {"wms.domain", [this] { return std::to_string(wms().domain); },
         [this](const std::string &value) {
             const auto n = parse_number(value, 3);
             if (!n)
                 return Outcome::failure(
                     "domain is 0 (CS preferred), 1 (PS preferred), 2 (CS only) or 3 (PS only)");
             wms().domain = static_cast<std::uint8_t>(*n);
             return Outcome::success();
         }});
    keys.push_back({"wms.routes", [this] { return routes_text(wms()); }, read_only});
    keys.push_back({"wms.storage", [] { return std::string{}; }, read_only,
                    [this](const std::string &arguments) {
                        if (arguments.empty() || arguments == "nv")
                            return Outcome::success(storage_text(wms().nv));
                        if (arguments == "uim")
                            return Outcome::success(storage_text(wms().uim));
                        return Outcome::failure("usage: get wms.storage [nv|uim]");
                    }});
    return keys;
}

std::vector<CommandSpec> WmsService::commands()
{
    return {
        {"sms-deliver", 1, 1, "sms-deliver <hex: SMSC address + SMS-DELIVER or STATUS-REPORT>",
         [this](const CommandArgs &args) { return sms_deliver(args); }},
        {"sms-text", 4, kRestOfLine, "sms-text <from> <gsm7|ucs2> <none|0|1|2|3> <text...>",
         [this](const CommandArgs &args) { return sms_text(args); }},
        {"sms-store", 4, kRestOfLine,
         "sms-store <nv|uim> <read|not-read|sent|not-sent> <from-or-to> <text...>",
         [this](const CommandArgs &args) { return sms_store(args); }},
        {"sms-send-fail", 1, 2, "sms-send-fail <rp-cause> [<tp-cause>]",
         [this](const CommandArgs &args) { return sms_send_fail(args); }},
    };
}

Outcome WmsService::sms_deliver(const CommandArgs &args)
{
    const auto raw = parse_hex(args.tokens[1]);
    if (!raw)
        return Outcome::failure("bad hex");
    if (!sms::parse_mt(*raw).tpdu)
        return Outcome::failure("not an SMSC address + SMS-DELIVER or SMS-STATUS-REPORT");
    if (deliver(*raw, route_of(*raw)) == Delivery::StorageFull)
        return Outcome::failure("storage full");
    return Outcome::success();
}

Outcome WmsService::sms_text(const CommandArgs &args)
{
    const std::string from{args.tokens[1]};
    const std::string_view alphabet_name = args.tokens[2];
    const std::string_view class_text = args.tokens[3];
    if (!sms::encode_tp_address(from))
        return Outcome::failure("bad originator '" + from + "'");
    if (alphabet_name != "gsm7" && alphabet_name != "ucs2")
        return Outcome::failure("alphabet is gsm7 or ucs2");
    const auto alphabet = alphabet_name == "gsm7" ? sms::Alphabet::Gsm7 : sms::Alphabet::Ucs2;
    const auto message_class = class_text == "none" ? std::optional<std::uint32_t>{sms::kNoClass}
                                                    : parse_number(class_text, 3);
    if (!message_class)
        return Outcome::failure("class is none or 0-3");
    const auto parts = sms::build_deliver(from, args.rest(4), alphabet, *message_class,
                                          wms().next_concat_ref, sms::now_utc());
    if (!parts)
        return Outcome::failure(alphabet == sms::Alphabet::Gsm7
                                    ? "text outside the GSM 7-bit alphabet (or too long)"
                                    : "text outside UCS2 (or too long)");
    if (parts->size() > 1)
        wms().next_concat_ref++;

    const WmsRoute route = wms().route_for(static_cast<QmiWmsMessageClass>(*message_class));
    if (route.action == QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY) {
        const bool uim = route.storage == QMI_WMS_STORAGE_TYPE_UIM;
        const MessageStore &store = uim ? wms().uim : wms().nv;
        if ((uim && !state().card.available()) || store.free_slots() < parts->size()) {
            wms().rejected += parts->size();
            return Outcome::failure("storage full");
        }
    }
    for (const Bytes &tpdu : *parts)
        deliver(*sms::with_smsc(wms().smsc, tpdu), route);
    return Outcome::success(std::to_string(parts->size()));
}

Outcome WmsService::sms_store(const CommandArgs &args)
{
    const std::string_view where = args.tokens[1];
    const auto tag = parse_tag(args.tokens[2]);
    const std::string address{args.tokens[3]};
    if (where != "nv" && where != "uim")
        return Outcome::failure("storage is nv or uim");
    if (!tag)
        return Outcome::failure("tag is read, not-read, sent or not-sent");
    if (where == "uim" && !state().card.available())
        return Outcome::failure("no SIM");
    const bool mt =
        *tag == QMI_WMS_MESSAGE_TAG_TYPE_MT_READ || *tag == QMI_WMS_MESSAGE_TAG_TYPE_MT_NOT_READ;
    const std::string text = args.rest(4);
    const auto tpdu = mt ? sms::build_single_deliver(address, text, sms::now_utc())
                         : sms::build_submit(address, text);
    if (!tpdu)
        return Outcome::failure("bad address, or the text does not fit one message");
    MessageStore &store = where == "uim" ? wms().uim : wms().nv;
    const auto index = store.add({*tag, *sms::with_smsc(wms().smsc, *tpdu)});
    if (!index)
        return Outcome::failure("storage full");
    return Outcome::success(std::to_string(*index));
}

Outcome WmsService::sms_send_fail(const CommandArgs &args)
{
    const auto rp = parse_number(args.tokens[1], 0xFF);
    const auto tp = args.tokens.size() > 2 ? parse_number(args.tokens[2], 0xFF)
                                           : std::optional<std::uint32_t>{0xFF};
    if (!rp || !tp)
        return Outcome::failure("causes are 0-255");
    wms().send_failure =
        SendFailure{static_cast<std::uint8_t>(*rp), static_cast<std::uint8_t>(*tp)};
    return Outcome::success();
}

} // namespace qmisim
