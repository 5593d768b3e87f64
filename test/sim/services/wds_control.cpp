// WDS on the control socket: "wds.*" state keys (the packet network, the
// profiles, the sessions) and wds-disconnect, with which the test plays the
// network ending a session.
#include "wds_service.hpp"

#include "../names.hpp"

#include <cctype>
#include <sstream>

namespace qmisim
{

using namespace wds;

namespace
{

constexpr std::uint32_t kMaxDelayMs = 600'000;
constexpr std::uint32_t kMaxSessions = 32;

Outcome read_only(const std::string &)
{
    return Outcome::failure("read-only key");
}

std::vector<std::string> split(const std::string &text, char separator)
{
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in{text};
    while (std::getline(in, part, separator))
        if (!part.empty())
            parts.push_back(part);
    return parts;
}

std::string join(const std::vector<std::string> &items, char separator)
{
    std::string out;
    for (const auto &item : items)
        out += (out.empty() ? "" : std::string(1, separator)) + item;
    return out;
}

std::string lower(std::string text)
{
    for (char &c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
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
std::optional<int> parse_enum(GType type, std::string_view text)
{
    if (const auto number = parse_number(text, 0x7FFF))
        return static_cast<int>(*number);
    const std::string wanted = normalized(text);
    auto *klass = static_cast<GEnumClass *>(g_type_class_ref(type));
    std::optional<int> found;
    for (guint i = 0; i < klass->n_values && !found; i++)
        if (normalized(klass->values[i].value_nick) == wanted)
            found = klass->values[i].value;
    g_type_class_unref(klass);
    return found;
}

// A libqmi enum value's nick; empty if the enum has no such value.
std::string enum_nick(GType type, int value)
{
    auto *klass = static_cast<GEnumClass *>(g_type_class_ref(type));
    const GEnumValue *found = g_enum_get_value(klass, value);
    std::string nick = found ? found->value_nick : "";
    g_type_class_unref(klass);
    return nick;
}

// The enum of each verbose call end reason type.
GType verbose_reason_enum(std::uint16_t type)
{
    switch (type) {
    case QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_MIP:
        return QMI_TYPE_WDS_VERBOSE_CALL_END_REASON_MIP;
    case QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL:
        return QMI_TYPE_WDS_VERBOSE_CALL_END_REASON_INTERNAL;
    case QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_CM:
        return QMI_TYPE_WDS_VERBOSE_CALL_END_REASON_CM;
    case QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_PPP:
        return QMI_TYPE_WDS_VERBOSE_CALL_END_REASON_PPP;
    case QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_EHRPD:
        return QMI_TYPE_WDS_VERBOSE_CALL_END_REASON_EHRPD;
    case QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_IPV6:
        return QMI_TYPE_WDS_VERBOSE_CALL_END_REASON_IPV6;
    default:
        return QMI_TYPE_WDS_VERBOSE_CALL_END_REASON_3GPP;
    }
}

// "[<type>:]<reason>": the type a QmiWdsVerboseCallEndReasonType (3gpp when
// left out), the reason from that type's enum. The 0x10 reason is the
// GSM/WCDMA one of the same name ("regular-deactivation" ->
// "gsm-wcdma-regular-deactivation"), else network-end.
std::optional<EndReason> parse_network_reason(std::string_view text)
{
    EndReason reason;
    reason.verbose_type = QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_3GPP;
    const auto colon = text.find(':');
    if (colon != std::string_view::npos) {
        const auto type =
            parse_enum(QMI_TYPE_WDS_VERBOSE_CALL_END_REASON_TYPE, text.substr(0, colon));
        if (!type)
            return std::nullopt;
        reason.verbose_type = static_cast<std::uint16_t>(*type);
        text.remove_prefix(colon + 1);
    }
    const auto value = parse_enum(verbose_reason_enum(reason.verbose_type), text);
    if (!value)
        return std::nullopt;
    reason.verbose_reason = static_cast<std::int16_t>(*value);
    reason.reason = QMI_WDS_CALL_END_REASON_GSM_WCDMA_NETWORK_END;
    if (reason.verbose_type == QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_3GPP) {
        const std::string nick =
            enum_nick(QMI_TYPE_WDS_VERBOSE_CALL_END_REASON_3GPP, reason.verbose_reason);
        if (!nick.empty())
            if (const auto legacy = parse_enum(QMI_TYPE_WDS_CALL_END_REASON, "gsm-wcdma-" + nick))
                reason.reason = static_cast<std::uint16_t>(*legacy);
    }
    return reason;
}

// "a.b.c.d/n" or "x:y::z/n".
template <typename Address>
std::optional<std::pair<Address, std::uint8_t>>
parse_prefixed(const std::string &text, unsigned max_prefix,
               std::optional<Address> (*parse)(std::string_view))
{
    const auto slash = text.find('/');
    if (slash == std::string::npos)
        return std::nullopt;
    const auto address = parse(text.substr(0, slash));
    const auto prefix = parse_number(text.substr(slash + 1), max_prefix);
    if (!address || !prefix || *prefix == 0)
        return std::nullopt;
    return std::pair{*address, static_cast<std::uint8_t>(*prefix)};
}

// One or two addresses, space-separated, or "none".
template <typename Address>
std::optional<std::vector<Address>> parse_dns(const std::string &text,
                                              std::optional<Address> (*parse)(std::string_view))
{
    std::vector<Address> servers;
    if (text == "none")
        return servers;
    for (const auto &word : split(text, ' ')) {
        const auto address = parse(word);
        if (!address)
            return std::nullopt;
        servers.push_back(*address);
    }
    if (servers.empty() || servers.size() > 2)
        return std::nullopt;
    return servers;
}

template <typename Address>
std::string dns_text(const std::vector<Address> &servers, std::string (*format)(const Address &))
{
    std::vector<std::string> out;
    for (const auto &server : servers)
        out.push_back(format(server));
    return out.empty() ? "none" : join(out, ' ');
}

std::string format_ipv4_ref(const std::uint32_t &address)
{
    return format_ipv4(address);
}

} // namespace

std::vector<StateKey> WdsService::state_keys()
{
    PacketNetwork &net = wds().network;
    auto number_key = [](std::string name, unsigned &field, unsigned min, unsigned max) {
        return StateKey{std::move(name), [&field] { return std::to_string(field); },
                        [&field, min, max](const std::string &value) {
                            const auto n = parse_number(value, max);
                            if (!n || *n < min)
                                return Outcome::failure("a number from " + std::to_string(min) +
                                                        " to " + std::to_string(max));
                            field = *n;
                            return Outcome::success();
                        }};
    };

    std::vector<StateKey> keys{
        number_key("wds.connect-delay-ms", net.connect_delay_ms, 0, kMaxDelayMs),
        number_key("wds.max-sessions", net.max_sessions, 1, kMaxSessions),
        number_key("wds.mtu", net.mtu, 68, 65535),
    };
    keys.push_back({"wds.apns", [&net] { return net.apns.empty() ? "none" : join(net.apns, ','); },
                    [&net](const std::string &value) {
                        std::vector<std::string> apns;
                        if (value != "none")
                            apns = split(value, ',');
                        for (const auto &apn : apns)
                            if (apn.size() > kMaxApnLength)
                                return Outcome::failure("APN longer than 100 characters");
                        net.apns = std::move(apns);
                        return Outcome::success();
                    }});
    keys.push_back({"wds.require-auth",
                    [&net] {
                        std::vector<std::string> out;
                        for (const auto &[apn, credentials] : net.required_auth)
                            out.push_back(apn + ":" + credentials.username);
                        return out.empty() ? "none" : join(out, ' ');
                    },
                    [&net](const std::string &value) {
                        const auto words = split(value, ' ');
                        if (words.size() == 1 && words[0] == "none") {
                            net.required_auth.clear();
                        } else if (words.size() == 2 && words[1] == "none") {
                            net.required_auth.erase(lower(words[0]));
                        } else if (words.size() == 3) {
                            net.required_auth[lower(words[0])] = {words[1], words[2]};
                        } else {
                            return Outcome::failure("<apn> <user> <password>, <apn> none, or none");
                        }
                        return Outcome::success();
                    }});
    keys.push_back(
        {"wds.ipv4-address",
         [&net] { return format_ipv4(net.ipv4.address) + "/" + std::to_string(net.ipv4.prefix); },
         [&net](const std::string &value) {
             const auto parsed = parse_prefixed<std::uint32_t>(value, 32, parse_ipv4);
             if (!parsed)
                 return Outcome::failure("an IPv4 address and prefix: 10.64.1.2/24");
             std::tie(net.ipv4.address, net.ipv4.prefix) = *parsed;
             return Outcome::success();
         }});
    keys.push_back({"wds.ipv4-gateway", [&net] { return format_ipv4(net.ipv4.gateway); },
                    [&net](const std::string &value) {
                        const auto parsed = parse_ipv4(value);
                        if (!parsed)
                            return Outcome::failure("an IPv4 address");
                        net.ipv4.gateway = *parsed;
                        return Outcome::success();
                    }});
    keys.push_back({"wds.ipv4-dns", [&net] { return dns_text(net.ipv4.dns, format_ipv4_ref); },
                    [&net](const std::string &value) {
                        const auto parsed = parse_dns<std::uint32_t>(value, parse_ipv4);
                        if (!parsed)
                            return Outcome::failure("one or two IPv4 addresses, or none");
                        net.ipv4.dns = *parsed;
                        return Outcome::success();
                    }});
    keys.push_back(
        {"wds.ipv6-address",
         [&net] { return format_ipv6(net.ipv6.address) + "/" + std::to_string(net.ipv6.prefix); },
         [&net](const std::string &value) {
             const auto parsed = parse_prefixed<Ipv6Address>(value, 128, parse_ipv6);
             if (!parsed)
                 return Outcome::failure("an IPv6 address and prefix: 2001:db8:1::2/64");
             std::tie(net.ipv6.address, net.ipv6.prefix) = *parsed;
             return Outcome::success();
         }});
    keys.push_back({"wds.ipv6-gateway", [&net] { return format_ipv6(net.ipv6.gateway); },
                    [&net](const std::string &value) {
                        const auto parsed = parse_ipv6(value);
                        if (!parsed)
                            return Outcome::failure("an IPv6 address");
                        net.ipv6.gateway = *parsed;
                        return Outcome::success();
                    }});
    keys.push_back({"wds.ipv6-dns", [&net] { return dns_text(net.ipv6.dns, format_ipv6); },
                    [&net](const std::string &value) {
                        const auto parsed = parse_dns<Ipv6Address>(value, parse_ipv6);
                        if (!parsed)
                            return Outcome::failure("one or two IPv6 addresses, or none");
                        net.ipv6.dns = *parsed;
                        return Outcome::success();
                    }});
    keys.push_back(
        {"wds.sessions", [this] { return describe_sessions(wds().sessions); }, read_only});
    keys.push_back({"wds.mux-bindings",
                    [this] {
                        std::string out;
                        for (const auto &[cid, client] : wds().clients)
                            if (client.mux_id)
                                out += (out.empty() ? "" : " ") + std::to_string(cid) + ":" +
                                       std::to_string(client.mux_id);
                        return out.empty() ? std::string("none") : out;
                    },
                    read_only});
    keys.push_back(
        {"wds.default-profile", [this] { return std::to_string(wds().profiles.default_index()); },
         [this](const std::string &value) {
             const auto index = parse_number(value, ProfileTable::kMaxIndex);
             if (!index || !wds().profiles.set_default(static_cast<std::uint8_t>(*index)))
                 return Outcome::failure("no profile " + value);
             return Outcome::success();
         }});
    // get wds.profile <n>; set wds.profile <n> <field>=<value>...
    keys.push_back(
        {"wds.profile", [] { return std::string{}; },
         [this](const std::string &value) {
             const auto space = value.find(' ');
             const auto index = parse_number(value.substr(0, space), 255);
             if (!index || !ProfileTable::valid_index(*index))
                 return Outcome::failure("usage: set wds.profile <1-16> <field>=<value>...");
             std::string error;
             const auto update = parse_profile_fields(
                 space == std::string::npos ? "" : value.substr(space + 1), error);
             if (!update)
                 return Outcome::failure(error);
             wds().profiles.put(static_cast<std::uint8_t>(*index), *update);
             return Outcome::success();
         },
         [this](const std::string &arguments) {
             if (arguments.empty())
                 return Outcome::failure("usage: get wds.profile <1-16>");
             const auto index = parse_number(arguments, 255);
             const WdsProfile *profile =
                 index ? wds().profiles.find(static_cast<std::uint8_t>(*index)) : nullptr;
             if (!profile)
                 return Outcome::failure("no profile '" + arguments + "'");
             return Outcome::success(describe_profile(*profile));
         }});
    return keys;
}

std::vector<CommandSpec> WdsService::commands()
{
    return {
        {"wds-disconnect", 1, 2, "wds-disconnect <handle|all> [[<type>:]<verbose reason>]",
         [this](const CommandArgs &args) { return disconnect_command(args); }},
    };
}

Outcome WdsService::disconnect_command(const CommandArgs &args)
{
    EndReason reason{QMI_WDS_CALL_END_REASON_GSM_WCDMA_REGULAR_DEACTIVATION,
                     QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_3GPP,
                     QMI_WDS_VERBOSE_CALL_END_REASON_3GPP_REGULAR_DEACTIVATION};
    if (args.tokens.size() > 2) {
        const auto parsed = parse_network_reason(args.tokens[2]);
        if (!parsed)
            return Outcome::failure("unknown reason '" + std::string{args.tokens[2]} + "'");
        reason = *parsed;
    }
    const std::string target{args.tokens[1]};
    const auto handle = parse_number(target, 0xFFFFFFFF);
    if (target != "all" && !handle)
        return Outcome::failure("a packet data handle or all");
    std::vector<std::uint8_t> owners;
    for (const Session &session : wds().sessions.all())
        if (session.connected() && (target == "all" || *handle == session.handle))
            owners.push_back(session.cid);
    if (owners.empty() && target != "all")
        return Outcome::failure("no session with handle " + target);
    for (const std::uint8_t cid : owners)
        end_session(cid, reason);
    return Outcome::success(std::to_string(owners.size()));
}

} // namespace qmisim
