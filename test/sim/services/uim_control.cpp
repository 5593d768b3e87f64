// The SIM on the control socket: "sim.*" state keys and "sim insert|remove".
// Every change goes through host().card_changed(), so UIM clients get the
// Card Status indication a real card change would raise.
#include "uim_service.hpp"

#include "../names.hpp"

namespace qmisim
{

namespace
{

std::string pin_state_name(QmiUimPinState state)
{
    switch (state) {
    case QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED:
        return "required";
    case QMI_UIM_PIN_STATE_ENABLED_VERIFIED:
        return "verified";
    case QMI_UIM_PIN_STATE_DISABLED:
        return "disabled";
    case QMI_UIM_PIN_STATE_BLOCKED:
        return "puk-required";
    case QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED:
        return "blocked";
    default:
        return "unknown";
    }
}

std::optional<bool> parse_bool(const std::string &value)
{
    if (value == "true" || value == "1" || value == "yes" || value == "on")
        return true;
    if (value == "false" || value == "0" || value == "no" || value == "off")
        return false;
    return std::nullopt;
}

// "3F007FFF6F40" -> path {3F00, 7FFF}, file 6F40.
std::optional<FilePath> parse_file_path(std::string_view text)
{
    const auto bytes = parse_hex(text);
    if (!bytes || bytes->empty() || bytes->size() % 2)
        return std::nullopt;
    FilePath where;
    for (std::size_t i = 0; i < bytes->size(); i += 2)
        where.path.push_back(static_cast<std::uint16_t>((*bytes)[i] << 8 | (*bytes)[i + 1]));
    where.id = where.path.back();
    where.path.pop_back();
    return where;
}

// "get sim.file <path> [record <n>]": the raw contents, whatever the PINs say.
Outcome file_contents(const Card &card, const std::string &arguments)
{
    const auto space = arguments.find(' ');
    const auto where = parse_file_path(std::string_view{arguments}.substr(0, space));
    if (!where)
        return Outcome::failure("usage: get sim.file <hex path, e.g. 3F007FFF6F40> [record <n>]");
    const CardFile *file = card.files().find(*where);
    if (!file)
        return Outcome::failure("no such file");
    if (!file->is_ef())
        return Outcome::failure("not an elementary file");
    if (space == std::string::npos) {
        if (file->kind == FileKind::Transparent)
            return Outcome::success(hex(file->data));
        std::string all;
        for (const Bytes &record : file->records)
            all += (all.empty() ? "" : " ") + hex(record);
        return Outcome::success(all);
    }
    const std::string rest = arguments.substr(space + 1);
    const auto n = rest.rfind("record ", 0) == 0 ? parse_number(rest.substr(7), 0xFF)
                                                 : std::optional<std::uint32_t>{};
    if (!n)
        return Outcome::failure("usage: get sim.file <hex path> [record <n>]");
    if (file->kind == FileKind::Transparent || *n == 0 || *n > file->records.size())
        return Outcome::failure("no record " + std::to_string(*n));
    return Outcome::success(hex(file->records[*n - 1]));
}

} // namespace

StateKey UimService::secret_key(std::string name, PinId id, bool puk)
{
    auto field = [this, id, puk]() -> Secret & {
        PinLock &lock = card().lock(id);
        return puk ? lock.puk : lock.pin;
    };
    return {std::move(name), [field] { return field().code; },
            [field](const std::string &value) {
                if (!Card::valid_pin(value))
                    return Outcome::failure("a code is 4 to 8 digits");
                field().code = value;
                return Outcome::success();
            }};
}

StateKey UimService::retries_key(std::string name, PinId id, bool puk)
{
    auto field = [this, id, puk]() -> Secret & {
        PinLock &lock = card().lock(id);
        return puk ? lock.puk : lock.pin;
    };
    return {std::move(name), [field] { return std::to_string(field().retries); },
            [this, field](const std::string &value) {
                const auto n = parse_number(value, 15);
                if (!n)
                    return Outcome::failure("tries left are 0 to 15");
                field().retries = static_cast<std::uint8_t>(*n);
                host().card_changed();
                return Outcome::success();
            }};
}

std::vector<StateKey> UimService::state_keys()
{
    auto profile_key = [this](std::string name, auto read, auto write, std::string error) {
        return StateKey{std::move(name), [this, read] { return read(card().profile()); },
                        [this, write, error](const std::string &value) {
                            if (!write(card(), value))
                                return Outcome::failure(error);
                            host().card_changed();
                            return Outcome::success();
                        }};
    };
    auto read_only = [](const std::string &) { return Outcome::failure("read-only key"); };

    std::vector<StateKey> keys{
        secret_key("sim.pin", PinId::Pin1, false),
        secret_key("sim.puk", PinId::Pin1, true),
        secret_key("sim.pin2", PinId::Pin2, false),
        secret_key("sim.puk2", PinId::Pin2, true),
        retries_key("sim.pin-retries", PinId::Pin1, false),
        retries_key("sim.puk-retries", PinId::Pin1, true),
        retries_key("sim.pin2-retries", PinId::Pin2, false),
        retries_key("sim.puk2-retries", PinId::Pin2, true),
        profile_key(
            "sim.iccid", [](const CardProfile &p) { return p.iccid; },
            [](Card &c, const std::string &v) { return c.set_iccid(v); }, "ICCID is 1-20 digits"),
        profile_key(
            "sim.imsi", [](const CardProfile &p) { return p.imsi; },
            [](Card &c, const std::string &v) { return c.set_imsi(v); }, "IMSI is 6-15 digits"),
        profile_key(
            "sim.mnc-length", [](const CardProfile &p) { return std::to_string(p.mnc_length); },
            [](Card &c, const std::string &v) {
                const auto n = parse_number(v, 3);
                return n && c.set_mnc_length(*n);
            },
            "MNC length is 2 or 3"),
        profile_key(
            "sim.spn", [](const CardProfile &p) { return p.spn; },
            [](Card &c, const std::string &v) { return c.set_spn(v); },
            "SPN is at most 16 characters of the GSM default alphabet"),
        profile_key(
            "sim.msisdn",
            [](const CardProfile &p) { return p.msisdn.empty() ? std::string{"none"} : p.msisdn; },
            [](Card &c, const std::string &v) { return c.set_msisdn(v == "none" ? "" : v); },
            "MSISDN is [+]digits (at most 20), or none"),
    };
    keys.push_back(
        {"sim.pin-enabled", [this] { return card().lock(PinId::Pin1).enabled ? "true" : "false"; },
         [this](const std::string &value) {
             const auto enable = parse_bool(value);
             if (!enable)
                 return Outcome::failure("pin-enabled is true or false");
             PinLock &lock = card().lock(PinId::Pin1);
             // Takes effect at the next power-up: an unlocked card
             // stays unlocked until then.
             if (*enable && !lock.enabled)
                 lock.verified = card().app_state() == QMI_UIM_CARD_APPLICATION_STATE_READY;
             lock.enabled = *enable;
             host().card_changed();
             return Outcome::success();
         }});
    keys.push_back({"sim.pin-state",
                    [this] { return pin_state_name(card().lock(PinId::Pin1).state()); },
                    read_only});
    keys.push_back(
        {"sim.present", [this] { return card().present() ? "true" : "false"; }, read_only});
    keys.push_back({"sim.init-delay-ms",
                    [this] { return std::to_string(state().sim_init_delay_ms); },
                    [this](const std::string &value) {
                        const auto n = parse_number(value, 600'000);
                        if (!n)
                            return Outcome::failure("bad delay '" + value + "'");
                        state().sim_init_delay_ms = *n;
                        return Outcome::success();
                    }});
    keys.push_back(
        {"sim.file", [] { return std::string{}; }, read_only,
         [this](const std::string &arguments) { return file_contents(card(), arguments); }});
    return keys;
}

std::vector<CommandSpec> UimService::commands()
{
    return {{"sim", 1, 1, "sim insert|remove",
             [this](const CommandArgs &args) { return insert_or_remove(args); }}};
}

Outcome UimService::insert_or_remove(const CommandArgs &args)
{
    if (args.tokens[1] == "remove") {
        if (!card().present())
            return Outcome::failure("no SIM in the slot");
        init_timer_.reset();
        card().remove();
        host().card_changed();
        return Outcome::success();
    }
    if (args.tokens[1] == "insert") {
        if (card().present())
            return Outcome::failure("a SIM is already in the slot");
        card().insert();
        card().power_up(state().sim_init_delay_ms > 0);
        host().card_changed();
        start_initialization();
        return Outcome::success();
    }
    return Outcome::failure("usage: sim insert|remove");
}

} // namespace qmisim
