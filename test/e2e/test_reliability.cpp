// Reliability: the modem lost (port gone, reset, silent) at chosen points —
// bring-up, a call, SMS delivery, a data context — and hostile QMI input.
// After each fault: interrupted D-Bus calls end with an error exactly once,
// calls and contexts are reported gone, oFono sees the modem off, ofonod
// lives on, and Powered=true brings the modem back fully.
#include "testbed.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace e2e;

namespace
{
const std::string kModem = "/sim0";
const std::string kModemIface = "org.ofono.Modem";
const std::string kSim = "org.ofono.SimManager";
const std::string kNetreg = "org.ofono.NetworkRegistration";
const std::string kCalls = "org.ofono.VoiceCallManager";
const std::string kMessages = "org.ofono.MessageManager";
const std::string kGprs = "org.ofono.ConnectionManager";
const std::string kContext = "org.ofono.ConnectionContext";
const std::string kSs = "org.ofono.SupplementaryServices";

TestBedOptions with_everything()
{
    return with_services("dms,nas,uim,wms,voice,wds,wda");
}

Properties modem_props(TestBed &bed)
{
    return bed.bus().properties(kModem, kModemIface);
}

bool powered(TestBed &bed)
{
    return prop_bool(modem_props(bed), "Powered") == true;
}

bool has_interface(TestBed &bed, const std::string &iface)
{
    const auto ifaces = as_strings(modem_props(bed)["Interfaces"]);
    return std::find(ifaces.begin(), ifaces.end(), iface) != ifaces.end();
}

// Powered, the SIM read (IMSI known), online and registered, and the atoms
// of every service the bed offers are there.
bool fully_up(TestBed &bed)
{
    const auto modem = modem_props(bed);
    return prop_bool(modem, "Powered") == true && prop_bool(modem, "Online") == true &&
           !prop_string(bed.bus().properties(kModem, kSim), "SubscriberIdentity").empty() &&
           prop_string(bed.bus().properties(kModem, kNetreg), "Status") == "registered" &&
           has_interface(bed, kCalls) && has_interface(bed, kMessages) &&
           prop_bool(bed.bus().properties(kModem, kGprs), "Attached") == true;
}

void bring_up(TestBed &bed)
{
    REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    REQUIRE(wait_until([&] { return fully_up(bed); }, 20000));
}

// Signal subscriptions (AddMatch) go out asynchronously; a method call on
// the same connection is handled after them. Before a fault or a network
// event from the control socket, this makes sure the match is in place.
void settle_subscriptions(TestBed &bed)
{
    bed.bus().modems();
}

// How the modem is lost. Each is undone by recover().
enum class Loss { PortGone, Reset, Silent };

std::string name_of(Loss loss)
{
    switch (loss) {
    case Loss::PortGone:
        return "disappear";
    case Loss::Reset:
        return "reset";
    case Loss::Silent:
        return "silent";
    }
    return {};
}

// The fault now (control command), or armed for the next request
// `service msgid` (reset-on, disappear-on, silent-on).
void lose_now(TestBed &bed, Loss loss)
{
    bed.sim_ok(loss == Loss::Silent ? "silent on" : name_of(loss));
}

void lose_on(TestBed &bed, Loss loss, const std::string &request)
{
    bed.sim_ok(name_of(loss) + "-on " + request);
}

// A modem that stops answering is given up after a request timeout (10 s)
// and a CTL probe (5 s).
constexpr int kLossDetectMs = 25000;

void expect_reported_off(TestBed &bed, Loss loss)
{
    const int timeout = loss == Loss::Silent ? kLossDetectMs : 10000;
    CHECK(wait_until([&] { return !powered(bed); }, timeout));
    CHECK(prop_bool(modem_props(bed), "Online") != true);
    CHECK(bed.ofono_running());
}

// Undoes the fault, powers the modem up and online again, and checks it
// is back as a user knows it.
void recover(TestBed &bed, Loss loss)
{
    if (loss == Loss::PortGone)
        bed.sim_ok("reappear");
    if (loss == Loss::Silent)
        bed.sim_ok("silent off");
    REQUIRE(wait_until([&] { return !powered(bed); }, kLossDetectMs));
    CallResult r;
    const bool on = bed.set_modem_property(kModem, "Powered", true, &r);
    INFO("Powered=true: " << r.error_name << " " << r.error_message);
    REQUIRE(on);
    const bool online = bed.set_modem_property(kModem, "Online", true, &r);
    INFO("Online=true: " << r.error_name << " " << r.error_message);
    REQUIRE(online);
    CHECK(wait_until([&] { return fully_up(bed); }, 20000));
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
    CHECK(bed.ofono_running());
}

std::string first_arg(const Variant &v)
{
    GVariant *first = g_variant_get_child_value(v.get(), 0);
    std::string out = g_variant_is_of_type(first, G_VARIANT_TYPE_STRING) ||
                              g_variant_is_of_type(first, G_VARIANT_TYPE_OBJECT_PATH)
                          ? g_variant_get_string(first, nullptr)
                          : std::string();
    g_variant_unref(first);
    return out;
}

std::vector<std::string> call_paths(TestBed &bed)
{
    std::vector<std::string> out;
    for (const auto &[path, props] : bed.bus().objects(kModem, kCalls, "GetCalls"))
        out.push_back(path);
    return out;
}

std::vector<std::string> incoming_texts(const Bus::Signals &signals)
{
    std::vector<std::string> out;
    for (const auto &v : signals.received)
        out.push_back(first_arg(v));
    return out;
}

// The internet context (created if need be), with APN "internet".
std::string internet_context(TestBed &bed)
{
    const std::string found = bed.bus().context_of_type(kModem, "internet");
    REQUIRE(!found.empty());
    REQUIRE(bed.bus()
                .set_property(found, kContext, "AccessPointName", g_variant_new_string("internet"))
                .ok());
    return found;
}

// Active=false among the PropertyChanged signals of ConnectionContext.
bool saw_inactive(const Bus::Signals &signals)
{
    for (const auto &v : signals.received) {
        const gchar *name = nullptr;
        GVariant *value = nullptr;
        g_variant_get(v.get(), "(&sv)", &name, &value);
        const bool inactive = std::string(name) == "Active" &&
                              g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN) &&
                              !g_variant_get_boolean(value);
        g_variant_unref(value);
        if (inactive)
            return true;
    }
    return false;
}
} // namespace

TEST_CASE("the modem lost during bring-up: reported off, Powered=true recovers",
          "[reliability][bring-up]")
{
    const Loss loss = GENERATE(Loss::PortGone, Loss::Reset);
    // Where: CTL Get Version Info while opening (Powered=true is still
    // waiting), DMS Set Operating Mode (Powered=true was answered as soon
    // as DMS was there), or the first SIM file read (EF ICCID, the prefetch
    // of the other files right behind it: card status known, files not read).
    const std::string at = GENERATE(as<std::string>{}, "ctl 0x0021", "dms 0x002E", "uim 0x0020");
    INFO("fault: " << name_of(loss) << " on " << at);
    TestBed bed(with_everything());
    REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }));
    lose_on(bed, loss, at);
    CallResult r;
    const bool up = bed.set_modem_property(kModem, "Powered", true, &r);
    if (at == "ctl 0x0021") {
        // The waiting Powered=true gets its error (not a D-Bus timeout).
        CHECK_FALSE(up);
        CHECK(r.error_name == "org.ofono.Error.Failed");
    }
    expect_reported_off(bed, loss);
    CHECK(prop_string(bed.bus().properties(kModem, kSim), "SubscriberIdentity").empty());
    recover(bed, loss);
}

TEST_CASE("a modem that stops answering during bring-up: its requests time out, it is reported "
          "off, and comes back once it answers",
          "[reliability][bring-up][silent]")
{
    TestBed bed(with_everything());
    REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }));
    lose_on(bed, Loss::Silent, "uim 0x0020");
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    expect_reported_off(bed, Loss::Silent);
    CHECK(prop_string(bed.bus().properties(kModem, kSim), "SubscriberIdentity").empty());
    CHECK(bed.ofono_log().find("stopped answering") != std::string::npos);
    recover(bed, Loss::Silent);
}

TEST_CASE("the modem lost during a call: the call is removed, the modem reported off, Powered=true "
          "recovers",
          "[reliability][voice]")
{
    const Loss loss = GENERATE(Loss::PortGone, Loss::Reset);
    INFO("fault: " << name_of(loss));
    TestBed bed(with_everything());
    bring_up(bed);
    bed.sim_ok("set voice.answer-delay-ms 100");
    auto removed = bed.bus().subscribe(kCalls, "CallRemoved");
    auto reasons = bed.bus().subscribe("org.ofono.VoiceCall", "DisconnectReason");
    auto r = bed.bus().call(kModem, kCalls, "Dial", g_variant_new("(ss)", "+15551230000", ""));
    REQUIRE(r.ok());
    const std::string call = first_arg(r.value);
    REQUIRE(wait_until([&] {
        return prop_string(bed.bus().properties(call, "org.ofono.VoiceCall"), "State") == "active";
    }));

    lose_now(bed, loss);
    CHECK(wait_until([&] { return removed->received.size() == 1; }));
    CHECK(!removed->received.empty());
    if (!removed->received.empty())
        CHECK(first_arg(removed->received[0]) == call);
    // oFono names every reason but a hang-up "network".
    CHECK(reasons->received.size() == 1);
    if (!reasons->received.empty())
        CHECK(first_arg(reasons->received[0]) == "network");
    expect_reported_off(bed, loss);
    CHECK(call_paths(bed).empty());

    recover(bed, loss);
    CHECK(call_paths(bed).empty());
    CHECK(removed->received.size() == 1); // removed once, never again
    // And calls work again.
    r = bed.bus().call(kModem, kCalls, "Dial", g_variant_new("(ss)", "+15551230001", ""));
    CHECK(r.ok());
    CHECK(wait_until([&] { return call_paths(bed).size() == 1; }));
}

TEST_CASE("the modem lost while a Dial is on its way: Dial fails once, no call is left",
          "[reliability][voice]")
{
    const Loss loss = GENERATE(Loss::PortGone, Loss::Reset);
    INFO("fault: " << name_of(loss));
    TestBed bed(with_everything());
    bring_up(bed);
    auto added = bed.bus().subscribe(kCalls, "CallAdded");
    auto removed = bed.bus().subscribe(kCalls, "CallRemoved");
    lose_on(bed, loss, "voice 0x0020"); // Dial Call
    auto dial =
        bed.bus().call_async(kModem, kCalls, "Dial", g_variant_new("(ss)", "+15551230000", ""));
    CHECK(wait_until([&] { return dial->done; }, 15000));
    INFO(dial->result.error_name << " " << dial->result.error_message);
    CHECK_FALSE(dial->result.ok());
    CHECK(dial->result.error_name != "local"); // oFono answered; no D-Bus timeout
    expect_reported_off(bed, loss);
    CHECK(added->received.size() == removed->received.size());
    recover(bed, loss);
    CHECK(call_paths(bed).empty());
}

namespace
{
// An SMS arrives in the modem's storage; the modem is lost at `request`
// (Raw Read: while the plugin reads it; Delete: after oFono took it).
// After Powered=true it must reach the client once, and leave the modem.
void sms_lost_at(Loss loss, const std::string &request)
{
    TestBed bed(with_everything());
    bring_up(bed);
    auto incoming = bed.bus().subscribe(kMessages, "IncomingMessage");
    settle_subscriptions(bed);
    lose_on(bed, loss, request);
    REQUIRE(bed.sim_ok("sms-text +15551112222 gsm7 none not lost, not twice") == "1");
    expect_reported_off(bed, loss);
    CHECK(bed.sim_ok("get wms.storage nv").rfind("1 ", 0) == 0); // still on the modem

    recover(bed, loss);
    CHECK(wait_until([&] { return bed.sim_ok("get wms.storage nv") == "0"; }, 10000));
    CHECK(wait_until([&] { return !incoming->received.empty(); }, 10000));
    // Give a second delivery every chance to show up.
    wait_until([] { return false; }, 1500);
    CHECK(incoming_texts(*incoming) == std::vector<std::string>{"not lost, not twice"});
}
} // namespace

TEST_CASE("the modem lost while an SMS is read from it: delivered exactly once after "
          "Powered=true",
          "[reliability][sms]")
{
    const Loss loss = GENERATE(Loss::PortGone, Loss::Reset);
    INFO("fault: " << name_of(loss) << " on Raw Read");
    sms_lost_at(loss, "wms 0x0022");
}

// The Delete never happened: the message is read again after Powered=true
// and recognised as one oFono has (Device::handed_over_sms).
TEST_CASE("the modem lost after oFono took an SMS, before its Delete: still delivered once",
          "[reliability][sms]")
{
    const Loss loss = GENERATE(Loss::PortGone, Loss::Reset);
    INFO("fault: " << name_of(loss) << " on Delete");
    sms_lost_at(loss, "wms 0x0024");
}

TEST_CASE("the modem lost with an active data context: Active=false is reported, Powered=true "
          "recovers and the context activates again",
          "[reliability][data]")
{
    const Loss loss = GENERATE(Loss::PortGone, Loss::Reset);
    INFO("fault: " << name_of(loss));
    TestBed bed(with_everything());
    bring_up(bed);
    const std::string ctx = internet_context(bed);
    REQUIRE(bed.bus().set_property(ctx, kContext, "Active", g_variant_new_boolean(TRUE)).ok());
    REQUIRE(wait_until(
        [&] { return prop_bool(bed.bus().properties(ctx, kContext), "Active") == true; }));
    auto changes = bed.bus().subscribe(kContext, "PropertyChanged");
    settle_subscriptions(bed);

    lose_now(bed, loss);
    CHECK(wait_until([&] { return saw_inactive(*changes); }));
    expect_reported_off(bed, loss);

    recover(bed, loss);
    CHECK(prop_bool(bed.bus().properties(ctx, kContext), "Active") == false);
    auto r = bed.bus().set_property(ctx, kContext, "Active", g_variant_new_boolean(TRUE));
    INFO(r.error_name << " " << r.error_message);
    CHECK(r.ok());
    CHECK(wait_until([&] { return bed.sim_ok("get wds.sessions") != "none"; }));
}

TEST_CASE("a modem that stops answering while online: requests fail after their timeout, the "
          "modem is reported off, Powered=true recovers once it answers",
          "[reliability][silent]")
{
    TestBed bed(with_everything());
    bring_up(bed);
    bed.sim_ok("silent on");
    // USSD waits up to 90 s for the network; Dial Call times out after 10 s,
    // a CTL probe 5 s later, and then the modem counts as lost: both fail.
    auto ussd = bed.bus().call_async(kModem, kSs, "Initiate", g_variant_new("(s)", "*100#"));
    auto dial =
        bed.bus().call_async(kModem, kCalls, "Dial", g_variant_new("(ss)", "+15551230000", ""));
    CHECK(wait_until([&] { return dial->done && ussd->done; }, kLossDetectMs));
    INFO("Dial: " << dial->result.error_name << " " << dial->result.error_message);
    INFO("Initiate: " << ussd->result.error_name << " " << ussd->result.error_message);
    CHECK_FALSE(dial->result.ok());
    CHECK_FALSE(ussd->result.ok());
    CHECK(dial->result.error_name != "local"); // oFono answered; no D-Bus timeout
    CHECK(ussd->result.error_name != "local");
    expect_reported_off(bed, Loss::Silent);
    CHECK(bed.ofono_log().find("stopped answering") != std::string::npos);
    CHECK(call_paths(bed).empty());
    recover(bed, Loss::Silent);
}

namespace
{
// Gives the simulator a recent frame of each indication the plugin listens
// to (hostile input is made from them): a call and its end, an SMS, USSD,
// a data session and its end, signal, NITZ.
void exercise_every_indication(TestBed &bed)
{
    bed.sim_ok("set voice.answer-delay-ms 100");
    auto r = bed.bus().call(kModem, kCalls, "Dial", g_variant_new("(ss)", "+15551230000", ""));
    REQUIRE(r.ok());
    REQUIRE(wait_until(
        [&] { return bed.sim_ok("get voice.calls").find(":active:") != std::string::npos; }));
    REQUIRE(bed.bus().call(kModem, kCalls, "HangupAll").ok());
    REQUIRE(wait_until([&] { return call_paths(bed).empty(); }));
    auto incoming = bed.bus().subscribe(kMessages, "IncomingMessage");
    settle_subscriptions(bed);
    bed.sim_ok("sms-text +15551112222 gsm7 none before the storm");
    REQUIRE(wait_until([&] { return incoming->received.size() == 1; }));
    bed.sim_ok("set wms.route-override transfer"); // Event Report 0x11 too
    bed.sim_ok("sms-text +15551112222 gsm7 none and one handed over");
    REQUIRE(wait_until([&] { return incoming->received.size() == 2; }));
    bed.sim_ok("set wms.route-override none");
    REQUIRE(bed.bus().call(kModem, kSs, "Initiate", g_variant_new("(s)", "*100#"), 30000).ok());
    const std::string ctx = internet_context(bed);
    REQUIRE(bed.bus().set_property(ctx, kContext, "Active", g_variant_new_boolean(TRUE)).ok());
    REQUIRE(bed.bus().set_property(ctx, kContext, "Active", g_variant_new_boolean(FALSE)).ok());
    bed.sim_ok("set nas.rsrp -80");
    bed.sim_ok("nitz 2026-11-24T10:00:00 4 0");
    // UIM Card Status indications: the card out and back.
    bed.sim_ok("sim remove");
    REQUIRE(wait_until(
        [&] { return prop_bool(bed.bus().properties(kModem, kSim), "Present") == false; }));
    bed.sim_ok("sim insert");
    REQUIRE(wait_until([&] { return fully_up(bed); }, 20000));
}

int netreg_strength(TestBed &bed)
{
    const auto p = bed.bus().properties(kModem, kNetreg);
    const auto it = p.find("Strength");
    return it == p.end() ? -1 : g_variant_get_byte(it->second.get());
}

// After a flood: the modem answers a round trip (USSD), takes real
// indications again (registration, signal), and the SIM is there.
void expect_working(TestBed &bed)
{
    auto r = bed.bus().call(kModem, kSs, "Initiate", g_variant_new("(s)", "*100#"), 30000);
    INFO("USSD after the flood: " << r.error_name << " " << r.error_message);
    CHECK(r.ok());
    bed.sim_ok("set nas.registration searching");
    CHECK(wait_until([&] {
        return prop_string(bed.bus().properties(kModem, kNetreg), "Status") == "searching";
    }));
    bed.sim_ok("set nas.registration registered");
    CHECK(wait_until([&] {
        return prop_string(bed.bus().properties(kModem, kNetreg), "Status") == "registered";
    }));
    // Below the -102 dBm threshold: a real Signal Info, a lower strength.
    bed.sim_ok("set nas.rsrp -110");
    CHECK(wait_until([&] {
        const int strength = netreg_strength(bed);
        return strength > 0 && strength < 40;
    }));
    CHECK(prop_bool(bed.bus().properties(kModem, kSim), "Present") == true);
    CHECK(bed.ofono_running());
}
} // namespace

namespace
{
// Every kind but bad-enum: whatever reaches a reader is a value the modem
// could legitimately send, or is refused before the plugin (libqmi).
const std::string kInRangeKinds = "missing-tlv,short-tlv,bad-length,unknown-service,"
                                  "unknown-message,duplicate-response,unsolicited-response,flood";
// Services whose readers cope with any of those (all of them).
const std::string kSoundServices = "ctl,dms,nas,voice,wms,wds,uim";
// Services whose readers also take any enum value from the wire
// (core/wire_enum.hpp).
const std::string kEnumSafeServices = "ctl,dms,nas,voice,wms,wds,uim";
} // namespace

TEST_CASE("thousands of hostile QMI frames while online and registered: ofonod stays up, the "
          "modem keeps working",
          "[reliability][hostile]")
{
    const std::uint32_t seed = GENERATE(1u, 2u);
    TestBed bed(with_everything());
    bring_up(bed);
    exercise_every_indication(bed);
    const std::string s = std::to_string(seed);
    const std::string framed =
        bed.sim_ok("hostile 2400 " + s + " " + kInRangeKinds + " " + kSoundServices);
    const std::string enums = bed.sim_ok("hostile 600 " + s + " bad-enum " + kEnumSafeServices);
    INFO("seed " << seed << ": " << framed << "; " << enums);
    // The answer to the next request queues behind the flood (paced, one
    // frame per read), so once it is back the plugin has read every frame.
    expect_working(bed);
    CHECK(powered(bed)); // no framing broken: libqmi kept the port
}

// The UIM, WMS and WDS readers: out-of-range enums are read as integers,
// and a Card Status that says nothing about the card changes nothing.
TEST_CASE("hostile frames for the UIM, WMS and WDS readers", "[reliability][hostile]")
{
    const std::uint32_t seed = GENERATE(range(1u, 3u));
    TestBed bed(with_everything());
    bring_up(bed);
    exercise_every_indication(bed);
    const std::string s = std::to_string(seed);
    INFO(bed.sim_ok("hostile 1000 " + s + " " + kInRangeKinds + " uim"));
    INFO(bed.sim_ok("hostile 2000 " + s + " bad-enum uim,wms,wds"));
    expect_working(bed);
}

TEST_CASE("a hostile frame that breaks QMUX framing: libqmi closes the port, the modem is reported "
          "off, Powered=true recovers",
          "[reliability][hostile]")
{
    // After a thousand that keep framing, one that breaks it: frames queued
    // behind it would reach whichever host opens the port next.
    const std::string breaker = GENERATE(as<std::string>{}, "truncated-frame", "garbage");
    TestBed bed(with_everything());
    bring_up(bed);
    exercise_every_indication(bed);
    const std::string framed = bed.sim_ok("hostile 1000 3 " + kInRangeKinds + " " + kSoundServices);
    INFO(framed << "; then " << breaker);
    bed.sim_ok("hostile 1 3 " + breaker);
    // A request: its answer completes a truncated frame, and libqmi sees
    // the framing error then. It fails (once) when the port goes.
    auto ussd = bed.bus().call_async(kModem, kSs, "Initiate", g_variant_new("(s)", "*100#"));
    CHECK(wait_until([&] { return !powered(bed); }));
    CHECK(wait_until([&] { return ussd->done; }));
    CHECK(ussd->result.error_name != "local"); // answered by oFono, not a D-Bus timeout
    CHECK(bed.ofono_log().find("QMI framing error") != std::string::npos);
    CHECK(bed.ofono_log().find("went away") != std::string::npos);
    recover(bed, Loss::Reset);
    expect_working(bed);
}
