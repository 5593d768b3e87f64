#include "commands.hpp"

#include "names.hpp"

#include <cstdint>
#include <limits>
#include <sstream>

namespace qmisim
{

namespace
{

std::vector<std::string_view> split(std::string_view line)
{
    std::vector<std::string_view> tokens;
    std::size_t pos = 0;
    while (pos < line.size()) {
        const auto start = line.find_first_not_of(" \t", pos);
        if (start == std::string_view::npos)
            break;
        const auto end = std::min(line.find_first_of(" \t", start), line.size());
        tokens.push_back(line.substr(start, end - start));
        pos = end;
    }
    return tokens;
}

std::optional<std::set<QmiService>> parse_service_list(std::string_view text)
{
    std::set<QmiService> services;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto end = std::min(text.find(',', pos), text.size());
        const auto name = text.substr(pos, end - pos);
        if (!name.empty()) {
            const auto service = parse_service(name);
            if (!service)
                return std::nullopt;
            services.insert(*service);
        }
        pos = end + 1;
    }
    return services;
}

Outcome count(std::size_t n)
{
    return Outcome::success(std::to_string(n));
}

} // namespace

std::string CommandArgs::rest(std::size_t index) const
{
    if (index >= tokens.size())
        return {};
    const auto offset = static_cast<std::size_t>(tokens[index].data() - line.data());
    auto text = line.substr(offset);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return std::string{text};
}

Commands::Commands(Simulator &simulator, std::function<void()> quit)
    : sim_(simulator), quit_(std::move(quit)), commands_(table())
{
}

std::vector<CommandSpec> Commands::table()
{
    // Shared argument parsers; each returns nullopt on bad input.
    auto service_arg = [](std::string_view text) { return parse_service(text); };
    auto msgid_arg = [](std::string_view text) -> std::optional<std::uint16_t> {
        const auto n = parse_number(text, 0xFFFF);
        return n ? std::optional<std::uint16_t>(static_cast<std::uint16_t>(*n)) : std::nullopt;
    };
    // fail-next / drop-next / garbage-next share their first two arguments.
    auto arm = [this, service_arg, msgid_arg](const Args &a, FaultKind kind,
                                              QmiProtocolError error) {
        const auto service = service_arg(a.tokens[1]);
        const auto msgid = msgid_arg(a.tokens[2]);
        if (!service)
            return Outcome::failure("unknown service '" + std::string{a.tokens[1]} + "'");
        if (!msgid)
            return Outcome::failure("bad message id '" + std::string{a.tokens[2]} + "'");
        sim_.arm_fault({*service, *msgid, kind, error});
        return Outcome::success();
    };

    std::vector<CommandSpec> commands{
        {"ping", 0, 0, "ping", [](const Args &) { return Outcome::success(); }},
        {"get", 1, kRestOfLine, "get <key> [<arguments...>]",
         [this](const Args &a) { return sim_.get_key(std::string{a.tokens[1]}, a.rest(2)); }},
        {"set", 2, kRestOfLine, "set <key> <value...>",
         [this](const Args &a) { return sim_.set_key(std::string{a.tokens[1]}, a.rest(2)); }},
        {"latency", 1, 1, "latency <ms>",
         [this](const Args &a) {
             const auto ms = parse_number(a.tokens[1], 600'000);
             if (!ms)
                 return Outcome::failure("bad latency '" + std::string{a.tokens[1]} + "'");
             sim_.set_latency(*ms);
             return Outcome::success();
         }},
        {"requests", 1, 2, "requests <service> [<msgid>]",
         [this, service_arg, msgid_arg](const Args &a) {
             const auto service = service_arg(a.tokens[1]);
             if (!service)
                 return Outcome::failure("unknown service '" + std::string{a.tokens[1]} + "'");
             std::optional<std::uint16_t> msgid;
             if (a.tokens.size() > 2 && !(msgid = msgid_arg(a.tokens[2])))
                 return Outcome::failure("bad message id '" + std::string{a.tokens[2]} + "'");
             return count(sim_.requests(*service, msgid));
         }},
        {"clients", 0, 1, "clients [<service>]",
         [this, service_arg](const Args &a) {
             if (a.tokens.size() == 1)
                 return count(sim_.clients(std::nullopt));
             const auto service = service_arg(a.tokens[1]);
             if (!service)
                 return Outcome::failure("unknown service '" + std::string{a.tokens[1]} + "'");
             return count(sim_.clients(*service));
         }},
        {"fail-next", 3, 3, "fail-next <service> <msgid> <qmi-error>",
         [arm](const Args &a) {
             const auto error = parse_protocol_error(a.tokens[3]);
             if (!error || *error == QMI_PROTOCOL_ERROR_NONE)
                 return Outcome::failure("bad QMI error '" + std::string{a.tokens[3]} + "'");
             return arm(a, FaultKind::Fail, *error);
         }},
        {"drop-next", 2, 2, "drop-next <service> <msgid>",
         [arm](const Args &a) { return arm(a, FaultKind::Drop, QMI_PROTOCOL_ERROR_NONE); }},
        {"garbage-next", 2, 2, "garbage-next <service> <msgid>",
         [arm](const Args &a) { return arm(a, FaultKind::Garbage, QMI_PROTOCOL_ERROR_NONE); }},
        {"reset-on", 2, 2, "reset-on <service> <msgid>",
         [arm](const Args &a) { return arm(a, FaultKind::Reset, QMI_PROTOCOL_ERROR_NONE); }},
        {"disappear-on", 2, 2, "disappear-on <service> <msgid>",
         [arm](const Args &a) { return arm(a, FaultKind::Disappear, QMI_PROTOCOL_ERROR_NONE); }},
        {"silent-on", 2, 2, "silent-on <service> <msgid>",
         [arm](const Args &a) { return arm(a, FaultKind::Silence, QMI_PROTOCOL_ERROR_NONE); }},
        {"silent", 1, 1, "silent on|off",
         [this](const Args &a) {
             if (a.tokens[1] != "on" && a.tokens[1] != "off")
                 return Outcome::failure("expected on or off, not '" + std::string{a.tokens[1]} +
                                         "'");
             sim_.set_silent(a.tokens[1] == "on");
             return Outcome::success();
         }},
        {"hostile", 1, 4, "hostile <count> [<seed> [<kinds> [<services>]]]",
         [this](const Args &a) {
             const auto count = parse_number(a.tokens[1], 100'000);
             if (!count || *count == 0)
                 return Outcome::failure("bad count '" + std::string{a.tokens[1]} + "'");
             std::uint32_t seed = 1;
             if (a.tokens.size() > 2) {
                 const auto n =
                     parse_number(a.tokens[2], std::numeric_limits<std::uint32_t>::max());
                 if (!n)
                     return Outcome::failure("bad seed '" + std::string{a.tokens[2]} + "'");
                 seed = *n;
             }
             auto kinds = default_hostile_kinds();
             if (a.tokens.size() > 3) {
                 const auto parsed = parse_hostile_kinds(a.tokens[3]);
                 if (!parsed)
                     return Outcome::failure("bad kinds '" + std::string{a.tokens[3]} + "'");
                 kinds = *parsed;
             }
             std::optional<std::set<QmiService>> services;
             if (a.tokens.size() > 4 && a.tokens[4] != "all") {
                 services = parse_service_list(a.tokens[4]);
                 if (!services)
                     return Outcome::failure("unknown service in '" + std::string{a.tokens[4]} +
                                             "'");
             }
             return sim_.hostile(*count, seed, kinds, services);
         }},
        {"disappear", 0, 0, "disappear",
         [this](const Args &) {
             sim_.disappear();
             return Outcome::success();
         }},
        {"reappear", 0, 0, "reappear", [this](const Args &) { return sim_.reappear(); }},
        {"drop-indications", 1, 1, "drop-indications on|off",
         [this](const Args &a) {
             if (a.tokens[1] != "on" && a.tokens[1] != "off")
                 return Outcome::failure("drop-indications takes on or off");
             sim_.drop_indications(a.tokens[1] == "on");
             return Outcome::success();
         }},
        {"reset", 0, 0, "reset",
         [this](const Args &) {
             sim_.reset();
             return Outcome::success();
         }},
        {"services", 1, 1, "services <name,name,...>",
         [this](const Args &a) {
             const auto services = parse_service_list(a.tokens[1]);
             if (!services)
                 return Outcome::failure("unknown service in '" + std::string{a.tokens[1]} + "'");
             return sim_.set_services(*services);
         }},
        {"log-mark", 1, kRestOfLine, "log-mark <text>",
         [this](const Args &a) {
             sim_.log().mark(a.rest(1));
             return Outcome::success();
         }},
        {"indications", 0, 2, "indications [<service> [<msgid>]]",
         [this, service_arg, msgid_arg](const Args &a) {
             if (a.tokens.size() == 1)
                 return count(sim_.indications(std::nullopt, std::nullopt));
             const auto service = service_arg(a.tokens[1]);
             if (!service)
                 return Outcome::failure("unknown service '" + std::string{a.tokens[1]} + "'");
             std::optional<std::uint16_t> msgid;
             if (a.tokens.size() > 2 && !(msgid = msgid_arg(a.tokens[2])))
                 return Outcome::failure("bad message id '" + std::string{a.tokens[2]} + "'");
             return count(sim_.indications(*service, msgid));
         }},
        {"quit", 0, 0, "quit",
         [this](const Args &) {
             quit_();
             return Outcome::success();
         }},
    };
    for (auto &command : sim_.service_commands())
        commands.push_back(std::move(command));
    return commands;
}

std::string Commands::run(const std::string &line)
{
    Args args{split(line), line};
    if (args.tokens.empty())
        return "ERR empty command";
    for (const auto &command : commands_) {
        if (command.name != args.tokens[0])
            continue;
        const std::size_t n = args.tokens.size() - 1;
        if (n < command.min_args || n > command.max_args)
            return "ERR usage: " + std::string{command.usage};
        const Outcome outcome = command.run(args);
        if (!outcome.ok)
            return "ERR " + outcome.text;
        return outcome.text.empty() ? "OK" : "OK " + outcome.text;
    }
    return "ERR unknown command '" + std::string{args.tokens[0]} + "'";
}

} // namespace qmisim
