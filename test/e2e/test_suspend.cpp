// Suspend and resume through logind: a stand-in logind (fake_logind.hpp) on
// the private bus hands the plugin a sleep delay inhibitor and announces
// PrepareForSleep; the simulator plays a modem whose indications are lost
// while the host sleeps.
#include "fake_logind.hpp"
#include "testbed.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace e2e;

namespace
{
const std::string kModem = "/sim0";
const std::string kMessages = "org.ofono.MessageManager";
const std::string kCalls = "org.ofono.VoiceCallManager";

void bring_up(TestBed &bed)
{
    REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    REQUIRE(wait_until([&] {
        return prop_string(bed.bus().properties(kModem, "org.ofono.NetworkRegistration"),
                           "Status") == "registered";
    }));
    REQUIRE(wait_until([&] { return !bed.bus().properties(kModem, kMessages).empty(); }, 15000));
    REQUIRE(wait_until([&] { return !bed.bus().properties(kModem, kCalls).empty(); }));
}

int stored(TestBed &bed, const std::string &storage)
{
    const std::string listing = bed.sim_ok("get wms.storage " + storage);
    return std::stoi(listing.substr(0, listing.find(' ')));
}
} // namespace

TEST_CASE("suspend: the modem is quieted before sleep; an SMS and a call whose indications were "
          "lost are delivered after resume, once",
          "[suspend]")
{
    TestBed bed(with_services("dms,nas,uim,wms,voice", false));
    FakeLogind logind(bed.bus_address());
    REQUIRE(logind.owns_name());
    bed.start_ofono();
    bring_up(bed);
    bed.sim_ok("set nas.rssi -100");
    // Awake: the plugin holds a delay inhibitor.
    REQUIRE(wait_until([&] { return logind.inhibitors_held() == 1; }));

    logind.prepare_for_sleep(true);
    // It lets go once the modem is quiet (well before logind's 5 s).
    REQUIRE(wait_until([&] { return logind.inhibitors_held() == 0; }, 4000));
    const int signal_reports = bed.sim_count("indications nas 0x51");
    bed.sim_ok("set nas.rssi -60"); // a change a user could see, if awake
    bed.sim_ok("set nas.rssi -100");
    CHECK(bed.sim_count("indications nas 0x51") == signal_reports);
    // A new SMS still wakes the host: its indication stays on.
    auto incoming = bed.bus().subscribe(kMessages, "IncomingMessage");
    auto added = bed.bus().subscribe(kCalls, "CallAdded");
    bed.sim_ok("sms-text +15551230000 gsm7 none Wake up");
    REQUIRE(wait_until([&] { return incoming->received.size() == 1; }));

    // These two arrive while the host is down: their indications are lost.
    bed.sim_ok("drop-indications on");
    bed.sim_ok("sms-text +15551230000 gsm7 none Sent while you slept");
    bed.sim_ok("call-incoming +15557770000");
    bed.sim_ok("drop-indications off");
    wait_until([] { return false; }, 300);
    CHECK(incoming->received.size() == 1);
    CHECK(added->received.empty());

    logind.prepare_for_sleep(false);
    REQUIRE(wait_until([&] { return incoming->received.size() == 2; }));
    const gchar *text = nullptr;
    g_variant_get(incoming->received[1].get(), "(&s@a{sv})", &text, nullptr);
    CHECK(std::string(text) == "Sent while you slept");
    REQUIRE(wait_until([&] { return added->received.size() == 1; }));
    GVariant *props = nullptr;
    g_variant_get(added->received[0].get(), "(&o@a{sv})", nullptr, &props);
    Properties call = to_properties(props);
    g_variant_unref(props);
    CHECK(prop_string(call, "State") == "incoming");
    CHECK(prop_string(call, "LineIdentification") == "+15557770000");
    CHECK(wait_until([&] { return stored(bed, "nv") == 0; }));

    // Awake again: inhibitor taken anew, signal reports back on.
    CHECK(wait_until([&] { return logind.inhibitors_held() == 1; }));
    CHECK(logind.inhibitors_taken() == 2);
    bed.sim_ok("set nas.rssi -60");
    CHECK(wait_until([&] { return bed.sim_count("indications nas 0x51") > signal_reports; }));
    // Once: nothing more arrives.
    wait_until([] { return false; }, 1000);
    CHECK(incoming->received.size() == 2);
    CHECK(added->received.size() == 1);
    CHECK(bed.ofono_running());
}

TEST_CASE("no logind on the bus: the modem works as before", "[suspend]")
{
    TestBed bed(with_services("dms,nas,uim,wms,voice"));
    bring_up(bed);
    CHECK(bed.ofono_running());
}
