// Calls and USSD over VOICE: the real ofonod with qmi.so, qmi-sim's call
// model and USSD network. Each test drives oFono's D-Bus API as a dialer
// does and checks the simulator saw the same thing.
#include "testbed.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace e2e;

namespace
{
const std::string kModem = "/sim0";
const std::string kCalls = "org.ofono.VoiceCallManager";
const std::string kCall = "org.ofono.VoiceCall";
const std::string kSs = "org.ofono.SupplementaryServices";

TestBedOptions with_voice(bool start = true)
{
    return with_services("dms,nas,uim,voice", start);
}

void bring_up(TestBed &bed, bool online = true)
{
    REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    if (online) {
        REQUIRE(bed.set_modem_property(kModem, "Online", true));
        REQUIRE(wait_until([&] {
            return prop_string(bed.bus().properties(kModem, "org.ofono.NetworkRegistration"),
                               "Status") == "registered";
        }));
    }
    REQUIRE(wait_until([&] { return !bed.bus().properties(kModem, kCalls).empty(); }, 15000));
}

std::string state_of(TestBed &bed, const std::string &call)
{
    return prop_string(bed.bus().properties(call, kCall), "State");
}

std::string path_of(const CallResult &r)
{
    const gchar *path = nullptr;
    g_variant_get(r.value.get(), "(&o)", &path);
    return path;
}

// Object paths of the current calls (VoiceCallManager.GetCalls).
std::vector<std::string> calls(TestBed &bed)
{
    std::vector<std::string> out;
    for (const auto &[path, props] : bed.bus().objects(kModem, kCalls, "GetCalls"))
        out.push_back(path);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> strings_of(const Bus::Signals &signals)
{
    std::vector<std::string> out;
    for (const auto &v : signals.received) {
        GVariant *first = g_variant_get_child_value(v.get(), 0);
        out.emplace_back(g_variant_get_string(first, nullptr));
        g_variant_unref(first);
    }
    return out;
}

} // namespace

TEST_CASE("MO call: dialing, alerting, active, hang up", "[voice][mo]")
{
    TestBed bed(with_voice());
    bed.sim_ok("set voice.answer-delay-ms 300");
    bring_up(bed);
    auto removed = bed.bus().subscribe(kCalls, "CallRemoved");
    auto reasons = bed.bus().subscribe(kCall, "DisconnectReason");
    auto r = bed.bus().call(kModem, kCalls, "Dial", g_variant_new("(ss)", "+15551230000", ""));
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    const std::string call = path_of(r);
    CHECK(wait_until([&] { return state_of(bed, call) == "alerting"; }));
    CHECK(wait_until([&] { return state_of(bed, call) == "active"; }));
    CHECK(bed.sim_ok("get voice.dialled") == "+15551230000");
    CHECK(prop_string(bed.bus().properties(call, kCall), "LineIdentification") == "+15551230000");

    REQUIRE(bed.bus().call(call, kCall, "Hangup").ok());
    REQUIRE(wait_until([&] { return removed->received.size() == 1; }));
    CHECK(strings_of(*reasons) == std::vector<std::string>{"local"});
    CHECK(bed.sim_ok("get voice.calls").empty());
}

TEST_CASE("MT call: incoming with caller id, answer, remote hang-up", "[voice][mt]")
{
    TestBed bed(with_voice());
    bring_up(bed);
    auto added = bed.bus().subscribe(kCalls, "CallAdded");
    auto removed = bed.bus().subscribe(kCalls, "CallRemoved");
    auto reasons = bed.bus().subscribe(kCall, "DisconnectReason");
    const std::string id = bed.sim_ok("call-incoming +15559876543");
    REQUIRE(wait_until([&] { return added->received.size() == 1; }));
    const gchar *path = nullptr;
    GVariant *props = nullptr;
    g_variant_get(added->received[0].get(), "(&o@a{sv})", &path, &props);
    const std::string call = path;
    Properties p = to_properties(props);
    g_variant_unref(props);
    CHECK(prop_string(p, "State") == "incoming");
    CHECK(prop_string(p, "LineIdentification") == "+15559876543");

    REQUIRE(bed.bus().call(call, kCall, "Answer").ok());
    CHECK(wait_until([&] { return state_of(bed, call) == "active"; }));
    bed.sim_ok("call-hangup " + id);
    REQUIRE(wait_until([&] { return removed->received.size() == 1; }));
    CHECK(strings_of(*reasons) == std::vector<std::string>{"remote"});
}

TEST_CASE("a withheld number and CLIR", "[voice][clir]")
{
    TestBed bed(with_voice());
    bring_up(bed);
    auto added = bed.bus().subscribe(kCalls, "CallAdded");
    bed.sim_ok("call-incoming +15550000001 restricted");
    REQUIRE(wait_until([&] { return added->received.size() == 1; }));
    const auto all = calls(bed);
    REQUIRE(all.size() == 1);
    CHECK(prop_string(bed.bus().properties(all[0], kCall), "LineIdentification") == "withheld");
    REQUIRE(bed.bus().call(kModem, kCalls, "HangupAll").ok());
    REQUIRE(wait_until([&] { return calls(bed).empty(); }));

    // Hiding our own number goes as 22.030's #31# prefix.
    REQUIRE(
        bed.bus().call(kModem, kCalls, "Dial", g_variant_new("(ss)", "5551234", "enabled")).ok());
    CHECK(wait_until([&] { return bed.sim_ok("get voice.dialled") == "#31#5551234"; }));
}

TEST_CASE("two calls: hold and answer, swap, conference, private chat, hang up all",
          "[voice][multiparty]")
{
    TestBed bed(with_voice());
    bed.sim_ok("set voice.answer-delay-ms 100");
    bring_up(bed);
    auto r = bed.bus().call(kModem, kCalls, "Dial", g_variant_new("(ss)", "+15551110001", ""));
    REQUIRE(r.ok());
    const std::string first = path_of(r);
    REQUIRE(wait_until([&] { return state_of(bed, first) == "active"; }));

    bed.sim_ok("call-incoming +15552220002");
    REQUIRE(wait_until([&] { return calls(bed).size() == 2; }));
    std::string second;
    for (const auto &c : calls(bed))
        if (c != first)
            second = c;
    CHECK(wait_until([&] { return state_of(bed, second) == "waiting"; }));

    REQUIRE(bed.bus().call(kModem, kCalls, "HoldAndAnswer").ok());
    CHECK(wait_until(
        [&] { return state_of(bed, first) == "held" && state_of(bed, second) == "active"; }));

    REQUIRE(bed.bus().call(kModem, kCalls, "SwapCalls").ok());
    CHECK(wait_until(
        [&] { return state_of(bed, first) == "active" && state_of(bed, second) == "held"; }));

    r = bed.bus().call(kModem, kCalls, "CreateMultiparty");
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    CHECK(wait_until(
        [&] { return state_of(bed, first) == "active" && state_of(bed, second) == "active"; }));
    CHECK(bed.sim_ok("get voice.calls").find(":mpty") != std::string::npos);

    r = bed.bus().call(kModem, kCalls, "PrivateChat", g_variant_new("(o)", first.c_str()));
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    CHECK(wait_until(
        [&] { return state_of(bed, first) == "active" && state_of(bed, second) == "held"; }));

    // Back into the conference, then hang the conference up.
    REQUIRE(bed.bus().call(kModem, kCalls, "CreateMultiparty").ok());
    CHECK(wait_until(
        [&] { return state_of(bed, first) == "active" && state_of(bed, second) == "active"; }));
    r = bed.bus().call(kModem, kCalls, "HangupMultiparty");
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    CHECK(wait_until([&] { return calls(bed).empty(); }));
    CHECK(bed.sim_ok("get voice.calls").empty());
}

TEST_CASE("SendTones reaches the network digit by digit", "[voice][dtmf]")
{
    TestBed bed(with_voice());
    bed.sim_ok("set voice.answer-delay-ms 100");
    bring_up(bed);
    auto r = bed.bus().call(kModem, kCalls, "Dial", g_variant_new("(ss)", "+15551230000", ""));
    REQUIRE(r.ok());
    const std::string call = path_of(r);
    REQUIRE(wait_until([&] { return state_of(bed, call) == "active"; }));
    r = bed.bus().call(kModem, kCalls, "SendTones", g_variant_new("(s)", "1234#*0"));
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    CHECK(bed.sim_ok("get voice.dtmf") == "1234#*0");
    // A tone that is not a DTMF digit is refused before the modem sees it.
    CHECK_FALSE(bed.bus().call(kModem, kCalls, "SendTones", g_variant_new("(s)", "12x")).ok());
    CHECK(bed.sim_ok("get voice.dtmf") == "1234#*0");
}

TEST_CASE("dialling while offline fails cleanly; a malformed number is refused", "[voice][errors]")
{
    TestBed bed(with_voice());
    bring_up(bed, false);
    auto r = bed.bus().call(kModem, kCalls, "Dial", g_variant_new("(ss)", "+15551230000", ""));
    CHECK_FALSE(r.ok());
    CHECK(r.error_name.rfind("org.ofono.Error", 0) == 0);
    CHECK(calls(bed).empty());
    r = bed.bus().call(kModem, kCalls, "Dial", g_variant_new("(ss)", "12ab34", ""));
    CHECK_FALSE(r.ok());
    CHECK(bed.ofono_running());
}

TEST_CASE("USSD: *100# answered, network notification and request", "[voice][ussd]")
{
    TestBed bed(with_voice());
    bring_up(bed);
    auto r = bed.bus().call(kModem, kSs, "Initiate", g_variant_new("(s)", "*100#"), 30000);
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    const gchar *type = nullptr;
    GVariant *result = nullptr;
    g_variant_get(r.value.get(), "(&sv)", &type, &result);
    CHECK(std::string(type) == "USSD");
    CHECK(std::string(g_variant_get_string(result, nullptr)) == "Your balance is 42.00");
    g_variant_unref(result);
    CHECK(bed.sim_ok("get voice.ussd-last") == "*100#");

    bed.sim_ok("ussd-reply *101# Остаток: 42 ₽");
    r = bed.bus().call(kModem, kSs, "Initiate", g_variant_new("(s)", "*101#"), 30000);
    REQUIRE(r.ok());
    g_variant_get(r.value.get(), "(&sv)", &type, &result);
    CHECK(std::string(g_variant_get_string(result, nullptr)) == "Остаток: 42 ₽");
    g_variant_unref(result);

    auto notes = bed.bus().subscribe(kSs, "NotificationReceived");
    auto requests = bed.bus().subscribe(kSs, "RequestReceived");
    bed.sim_ok("ussd-notify Your bundle renews tomorrow");
    REQUIRE(wait_until([&] { return notes->received.size() == 1; }));
    CHECK(strings_of(*notes)[0] == "Your bundle renews tomorrow");

    bed.sim_ok("ussd-request Reply 1 for yes");
    REQUIRE(wait_until([&] { return requests->received.size() == 1; }));
    CHECK(strings_of(*requests)[0] == "Reply 1 for yes");
    r = bed.bus().call(kModem, kSs, "Respond", g_variant_new("(s)", "1"), 30000);
    INFO(r.error_name << " " << r.error_message);
    CHECK(wait_until([&] { return bed.sim_ok("get voice.ussd-last") == "1"; }));
}

TEST_CASE("oFono's call and USSD scripts work", "[voice][scripts]")
{
    TestBed bed(with_voice());
    bed.sim_ok("set voice.auto-answer off");
    bring_up(bed);
    std::string out;
    CHECK(bed.run_script("dial-number", {kModem, "+15553334444"}, &out) == 0);
    INFO(out);
    REQUIRE(wait_until([&] { return calls(bed).size() == 1; }));
    CHECK(bed.sim_ok("get voice.dialled") == "+15553334444");
    CHECK(bed.run_script("hangup-all", {kModem}, &out) == 0);
    REQUIRE(wait_until([&] { return calls(bed).empty(); }));

    bed.sim_ok("call-incoming +15556667777");
    REQUIRE(wait_until([&] { return calls(bed).size() == 1; }));
    CHECK(bed.run_script("answer-calls", {}, &out) == 0);
    CHECK(wait_until([&] { return state_of(bed, calls(bed).at(0)) == "active"; }));
    // A second call waits; swap-calls holds the first and takes it.
    bed.sim_ok("call-incoming +15558889999");
    REQUIRE(wait_until([&] { return calls(bed).size() == 2; }));
    CHECK(bed.run_script("hold-and-answer", {kModem}, &out) == 0);
    CHECK(wait_until(
        [&] { return bed.sim_ok("get voice.calls").find(":held:") != std::string::npos; }));
    CHECK(bed.run_script("swap-calls", {kModem}, &out) == 0);
    CHECK(wait_until([&] {
        const std::string all = bed.sim_ok("get voice.calls");
        return all.find(":held:") != std::string::npos && all.find(":active:") != std::string::npos;
    }));
    CHECK(bed.run_script("hangup-all", {kModem}, &out) == 0);
    REQUIRE(wait_until([&] { return calls(bed).empty(); }));

    CHECK(bed.run_script("initiate-ussd", {kModem, "*100#"}, &out) == 0);
    CHECK(out.find("Your balance is 42.00") != std::string::npos);
}

TEST_CASE("an emergency call works without a SIM", "[voice][emergency]")
{
    TestBed bed(with_voice(false));
    bed.sim_ok("sim remove");
    bed.start_ofono();
    REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    // Once oFono knows the card is absent it lets the radio on, for
    // emergency calls only.
    REQUIRE(wait_until([&] {
        return prop_bool(bed.bus().properties(kModem, "org.ofono.SimManager"), "Present") == false;
    }));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    auto numbers = as_strings(bed.bus().properties(kModem, kCalls)["EmergencyNumbers"]);
    CHECK(std::find(numbers.begin(), numbers.end(), "112") != numbers.end());
    auto r = bed.bus().call(kModem, kCalls, "Dial", g_variant_new("(ss)", "112", ""), 30000);
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    CHECK(wait_until([&] { return bed.sim_ok("get voice.dialled") == "112"; }));
    CHECK(wait_until([&] { return state_of(bed, path_of(r)) == "active"; }));
    REQUIRE(bed.bus().call(kModem, kCalls, "HangupAll").ok());
    CHECK(wait_until([&] { return calls(bed).empty(); }));
}
