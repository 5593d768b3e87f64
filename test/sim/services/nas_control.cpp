// NAS on the control socket: "nas.*" state keys and the operator-add,
// operator-clear and nitz commands. Changes go through change(), so the
// host gets the same indications as for a change made over QMI.
#include "nas_service.hpp"

#include "../names.hpp"
#include "nas_ids.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace qmisim
{

using namespace nas;

namespace
{

std::optional<int> parse_int(std::string_view text, int min, int max)
{
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min ||
        value > max)
        return std::nullopt;
    return value;
}

std::optional<std::set<Rat>> parse_rat_list(std::string_view text)
{
    std::set<Rat> rats;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto end = std::min(text.find(',', pos), text.size());
        const auto rat = parse_rat(text.substr(pos, end - pos));
        if (!rat)
            return std::nullopt;
        rats.insert(*rat);
        pos = end + 1;
    }
    return rats;
}

std::optional<OperatorStatus> parse_operator_status(std::string_view text)
{
    if (text == "available")
        return OperatorStatus::Available;
    if (text == "forbidden")
        return OperatorStatus::Forbidden;
    if (text == "current")
        return OperatorStatus::Current;
    return std::nullopt;
}

std::string roaming_name(RoamingMode mode)
{
    return mode == RoamingMode::On ? "on" : mode == RoamingMode::Off ? "off" : "auto";
}

// "<mcc> <mnc> <rest...>" split at the first two spaces.
struct PlmnAndText {
    Plmn plmn;
    std::string text;
};
std::optional<PlmnAndText> parse_plmn_and_text(const std::string &value)
{
    const auto first = value.find(' ');
    const auto second = first == std::string::npos ? first : value.find(' ', first + 1);
    const std::string_view all{value};
    const auto mcc = all.substr(0, first);
    const auto mnc =
        first == std::string::npos ? std::string_view{} : all.substr(first + 1, second - first - 1);
    const auto plmn = parse_plmn(mcc, mnc);
    if (!plmn)
        return std::nullopt;
    return PlmnAndText{*plmn, second == std::string::npos ? "" : value.substr(second + 1)};
}

} // namespace

StateKey NasService::signal_key(std::string name, int SignalLevels::*field, int min, int max)
{
    return {std::move(name), [this, field] { return std::to_string(nas().world.signal.*field); },
            [this, field, min, max](const std::string &value) {
                const auto n = parse_int(value, min, max);
                if (!n)
                    return Outcome::failure("bad value '" + value + "'");
                change([&] { nas().world.signal.*field = *n; });
                return Outcome::success();
            }};
}

std::vector<StateKey> NasService::state_keys()
{
    auto number_key = [this](std::string name, auto field, std::uint32_t max) {
        using T = std::remove_reference_t<decltype(nas().world.*field)>;
        return StateKey{std::move(name),
                        [this, field] { return std::to_string(nas().world.*field); },
                        [this, field, max](const std::string &value) {
                            const auto n = parse_number(value, max);
                            if (!n)
                                return Outcome::failure("bad number '" + value + "'");
                            change([&] { nas().world.*field = static_cast<T>(*n); });
                            return Outcome::success();
                        }};
    };
    auto text_key = [this](std::string name, std::string NasWorld::*field) {
        return StateKey{std::move(name), [this, field] { return nas().world.*field; },
                        [this, field](const std::string &value) {
                            nas().world.*field = value;
                            return Outcome::success();
                        }};
    };
    auto read_only = [](const std::string &) { return Outcome::failure("read-only key"); };

    std::vector<StateKey> keys{
        number_key("nas.lac", &NasWorld::lac, 0xFFFF),
        number_key("nas.tac", &NasWorld::tac, 0xFFFF),
        number_key("nas.cell-id", &NasWorld::cell_id, 0xFFFFFFFF),
        number_key("nas.scan-delay-ms", &NasWorld::scan_delay_ms, 600'000),
        number_key("nas.register-delay-ms", &NasWorld::register_delay_ms, 600'000),
        signal_key("nas.rsrp", &SignalLevels::rsrp, -200, 0),
        signal_key("nas.rsrq", &SignalLevels::rsrq, -128, 127),
        signal_key("nas.snr", &SignalLevels::snr, -32768, 32767),
        signal_key("nas.ecio", &SignalLevels::umts_ecio, 0, 255),
        text_key("nas.network-name", &NasWorld::network_name),
        text_key("nas.network-short-name", &NasWorld::network_short_name),
    };

    // RSSI of the RAT the modem is on; while not camped, setting it sets all RATs.
    keys.push_back({"nas.rssi",
                    [this] {
                        const SignalView signal = snapshot().signal;
                        return signal.rat == Rat::None ? std::string{"none"}
                                                       : std::to_string(signal.rssi);
                    },
                    [this](const std::string &value) {
                        const auto n = parse_int(value, -128, 0);
                        if (!n)
                            return Outcome::failure("bad RSSI '" + value + "'");
                        change([&] {
                            SignalLevels &levels = nas().world.signal;
                            switch (snapshot().signal.rat) {
                            case Rat::Gsm:
                                levels.gsm_rssi = *n;
                                break;
                            case Rat::Umts:
                                levels.umts_rssi = *n;
                                break;
                            case Rat::Lte:
                                levels.lte_rssi = *n;
                                break;
                            case Rat::None:
                                levels.gsm_rssi = levels.umts_rssi = levels.lte_rssi = *n;
                                break;
                            }
                        });
                        return Outcome::success();
                    }});
    keys.push_back({"nas.registration",
                    [this] { return registration_state_name(snapshot().registration.state); },
                    [this](const std::string &value) {
                        const auto forced = parse_registration_state(value);
                        if (!forced)
                            return Outcome::failure("unknown registration state '" + value + "'");
                        change([&] {
                            if (*forced == QMI_NAS_REGISTRATION_STATE_REGISTERED)
                                nas().world.forced_state.reset();
                            else
                                nas().world.forced_state = *forced;
                        });
                        return Outcome::success();
                    }});
    keys.push_back({"nas.roaming", [this] { return roaming_name(nas().world.roaming); },
                    [this](const std::string &value) {
                        RoamingMode mode;
                        if (value == "on")
                            mode = RoamingMode::On;
                        else if (value == "off")
                            mode = RoamingMode::Off;
                        else if (value == "auto")
                            mode = RoamingMode::Auto;
                        else
                            return Outcome::failure("roaming is on, off or auto");
                        change([&] { nas().world.roaming = mode; });
                        return Outcome::success();
                    }});
    keys.push_back(
        {"nas.rat", [this] { return rat_name(snapshot().registration.rat); },
         [this](const std::string &value) {
             if (value == "auto") {
                 change([&] { nas().world.pinned_rat.reset(); });
                 return Outcome::success();
             }
             const auto rat = parse_rat(value);
             if (!rat)
                 return Outcome::failure("RAT is gsm, umts, lte or auto");
             const Camp &camp = nas().camp;
             if (camp.phase == CampPhase::Camped) {
                 const NetworkOperator *op = find_operator(nas().world, camp.plmn);
                 if (!op || best_rat(*op, nas().preferences.mode_preference, rat) != *rat)
                     return Outcome::failure(value + " is not usable on " + camp.plmn.text());
             }
             change([&] { nas().world.pinned_rat = rat; });
             return Outcome::success();
         }});
    keys.push_back({"nas.home",
                    [this] { return nas().world.home.text() + " " + nas().world.home_name; },
                    [this](const std::string &value) {
                        const auto home = parse_plmn_and_text(value);
                        if (!home || home->text.empty())
                            return Outcome::failure("usage: set nas.home <mcc> <mnc> <name...>");
                        change([&] {
                            nas().world.home = home->plmn;
                            nas().world.home_name = home->text;
                        });
                        return Outcome::success();
                    }});
    keys.push_back({"nas.operator",
                    [this] {
                        const auto plmn = snapshot().registration.plmn;
                        return plmn ? plmn->text() : std::string{"none"};
                    },
                    read_only});
    keys.push_back({"nas.mode-preference",
                    [this] { return mode_preference_text(nas().preferences.mode_preference); },
                    [this](const std::string &value) {
                        const auto modes = parse_mode_preference(value);
                        if (!modes)
                            return Outcome::failure("bad mode preference '" + value + "'");
                        NasPreferences prefs = nas().preferences;
                        prefs.mode_preference = *modes;
                        set_preferences(prefs, true);
                        return Outcome::success();
                    }});
    keys.push_back({"nas.band-preference",
                    [this] {
                        char buf[32];
                        std::snprintf(buf, sizeof(buf), "0x%llx",
                                      static_cast<unsigned long long>(nas().preferences.band_preference));
                        return std::string(buf);
                    },
                    [](const std::string &) {
                        return Outcome::failure("nas.band-preference is read-only");
                    }});
    keys.push_back({"nas.selection",
                    [this] {
                        const NasPreferences &prefs = nas().preferences;
                        return prefs.manual ? "manual " + prefs.manual_plmn.text()
                                            : std::string{"automatic"};
                    },
                    [this](const std::string &value) {
                        NasPreferences prefs = nas().preferences;
                        if (value == "automatic") {
                            prefs.manual = false;
                        } else if (value.rfind("manual ", 0) == 0) {
                            const auto plmn = parse_plmn_and_text(value.substr(7));
                            if (!plmn || !plmn->text.empty())
                                return Outcome::failure("usage: set nas.selection manual <mcc> "
                                                        "<mnc>");
                            prefs.manual = true;
                            prefs.manual_plmn = plmn->plmn;
                        } else {
                            return Outcome::failure("selection is automatic or manual <mcc> <mnc>");
                        }
                        prefs.manual_rat.reset();
                        set_preferences(prefs, true);
                        return Outcome::success();
                    }});
    return keys;
}

std::vector<CommandSpec> NasService::commands()
{
    return {
        {"operator-add", 5, kRestOfLine,
         "operator-add <mcc> <mnc> <available|forbidden|current> <rat,rat,...> <name...>",
         [this](const CommandArgs &args) { return operator_add(args); }},
        {"operator-clear", 0, 0, "operator-clear",
         [this](const CommandArgs &) {
             change([&] { nas().world.operators.clear(); });
             return Outcome::success();
         }},
        {"nitz", 3, 3, "nitz <YYYY-MM-DDTHH:MM:SS> <tz-quarter-hours> <dst-hours>",
         [this](const CommandArgs &args) { return nitz(args); }},
    };
}

Outcome NasService::operator_add(const CommandArgs &args)
{
    const auto plmn = parse_plmn(args.tokens[1], args.tokens[2]);
    if (!plmn)
        return Outcome::failure("bad MCC/MNC '" + std::string{args.tokens[1]} + " " +
                                std::string{args.tokens[2]} + "'");
    const auto status = parse_operator_status(args.tokens[3]);
    if (!status)
        return Outcome::failure("status is available, forbidden or current");
    const auto rats = parse_rat_list(args.tokens[4]);
    if (!rats)
        return Outcome::failure("bad RAT list '" + std::string{args.tokens[4]} + "'");
    NetworkOperator op{*plmn, args.rest(5), *status, *rats};
    change([&] {
        auto &operators = nas().world.operators;
        for (auto &existing : operators) {
            if (existing.plmn == op.plmn) {
                existing = op;
                return;
            }
        }
        operators.push_back(op);
    });
    return Outcome::success();
}

Outcome NasService::nitz(const CommandArgs &args)
{
    const std::string when{args.tokens[1]};
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    char tail = 0;
    if (std::sscanf(when.c_str(), "%4u-%2u-%2uT%2u:%2u:%2u%c", &year, &month, &day, &hour, &minute,
                    &second, &tail) != 6)
        return Outcome::failure("time is YYYY-MM-DDTHH:MM:SS");
    const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(year)},
                                           std::chrono::month{month}, std::chrono::day{day}};
    if (!date.ok() || hour > 23 || minute > 59 || second > 59)
        return Outcome::failure("no such time '" + when + "'");
    const auto tz = parse_int(args.tokens[2], -48, 56);
    if (!tz)
        return Outcome::failure("time zone is -48..56 quarter hours");
    const auto dst = parse_int(args.tokens[3], 0, 2);
    if (!dst)
        return Outcome::failure("DST adjustment is 0, 1 or 2 hours");
    const RegistrationView view = snapshot().registration;
    if (!view.registered())
        return Outcome::failure("not registered: no network to send NITZ");

    const std::chrono::weekday weekday{std::chrono::sys_days{date}};
    const NetworkTime time{static_cast<std::uint16_t>(year),
                           static_cast<std::uint8_t>(month),
                           static_cast<std::uint8_t>(day),
                           static_cast<std::uint8_t>(hour),
                           static_cast<std::uint8_t>(minute),
                           static_cast<std::uint8_t>(second),
                           static_cast<std::uint8_t>(weekday.iso_encoding() - 1),
                           static_cast<std::int8_t>(*tz),
                           static_cast<std::uint8_t>(*dst),
                           view.rat};
    notify(kSubNetworkTime, kNetworkTimeIndication,
           [&](QmiMessage *indication) { write_network_time(indication, time); });
    const OperatorNames names = operator_names();
    if (!names.long_name.empty() || !names.short_name.empty())
        notify(kSubCurrentPlmnName, kOperatorNameIndication,
               [&](QmiMessage *indication) { write_operator_name(indication, names); });
    return Outcome::success();
}

} // namespace qmisim
