// SIM over UIM: the real ofonod with qmi.so, qmi-sim's UIM card model.
#include "log_scan.hpp"
#include "testbed.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace e2e;

namespace
{
const std::string kModem = "/sim0";
const std::string kSim = "org.ofono.SimManager";

Properties sim_props(TestBed &bed)
{
    return bed.bus().properties(kModem, kSim);
}

int retries_of(const Properties &p, const std::string &which)
{
    auto it = p.find("Retries");
    if (it == p.end())
        return -1;
    GVariant *v = g_variant_lookup_value(it->second.get(), which.c_str(), G_VARIANT_TYPE_BYTE);
    if (!v)
        return -1;
    int n = g_variant_get_byte(v);
    g_variant_unref(v);
    return n;
}

void power_up(TestBed &bed)
{
    REQUIRE(wait_until([&] {
        auto m = bed.bus().modems();
        return std::find(m.begin(), m.end(), kModem) != m.end();
    }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(wait_until([&] { return prop_bool(sim_props(bed), "Present").has_value(); }));
}

CallResult sim_call(TestBed &bed, const char *method, GVariant *args)
{
    return bed.bus().call(kModem, kSim, method, args);
}

TestBedOptions deferred()
{
    TestBedOptions o;
    o.start_ofono = false;
    return o;
}

// Configures a card that asks for its PIN from power-up, then starts ofonod
// and powers the modem until oFono asks for the PIN.
void start_locked(TestBed &bed, const std::string &pin, const std::string &puk)
{
    bed.sim_ok("set sim.pin " + pin);
    bed.sim_ok("set sim.puk " + puk);
    bed.sim_ok("set sim.pin-enabled true");
    bed.sim_ok("sim remove"); // a re-inserted card asks for its PIN
    bed.sim_ok("sim insert");
    bed.start_ofono();
    power_up(bed);
    REQUIRE(wait_until([&] { return prop_string(sim_props(bed), "PinRequired") == "pin"; }));
}
} // namespace

TEST_CASE("SimManager shows the simulated card", "[sim]")
{
    TestBed bed(deferred());
    bed.sim_ok("set sim.iccid 89490200001234567890");
    bed.sim_ok("set sim.imsi 001019876543210");
    bed.sim_ok("set sim.spn QMI-SIM Mobile");
    bed.sim_ok("set sim.msisdn +15551234567");
    bed.start_ofono();
    power_up(bed);
    REQUIRE(wait_until([&] { return !prop_string(sim_props(bed), "SubscriberIdentity").empty(); }));
    // oFono reads EF-SPN once network registration asks for it (online).
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    REQUIRE(
        wait_until([&] { return !prop_string(sim_props(bed), "ServiceProviderName").empty(); }));
    auto p = sim_props(bed);
    CHECK(prop_bool(p, "Present") == true);
    CHECK(prop_string(p, "CardIdentifier") == "89490200001234567890");
    CHECK(prop_string(p, "SubscriberIdentity") == "001019876543210");
    CHECK(prop_string(p, "MobileCountryCode") == "001");
    CHECK(prop_string(p, "MobileNetworkCode") == "01");
    CHECK(prop_string(p, "ServiceProviderName") == "QMI-SIM Mobile");
    CHECK(prop_string(p, "PinRequired") == "none");
    auto numbers = as_strings(p["SubscriberNumbers"]);
    CHECK(std::find(numbers.begin(), numbers.end(), "+15551234567") != numbers.end());
}

// oFono's core reads its start-up files one after another; the driver has
// already asked the card for all of them at once (sim_file_cache.hpp).
TEST_CASE("the start-up files are read ahead concurrently and serve oFono's reads",
          "[sim][read-ahead]")
{
    TestBed bed(deferred());
    bed.sim_ok("set sim.imsi 001019876543210");
    bed.sim_ok("set sim.msisdn +15551234567");
    bed.sim_ok("latency 20"); // answers overlap only if requests do
    bed.start_ofono();
    power_up(bed);
    REQUIRE(wait_until([&] { return !prop_string(sim_props(bed), "SubscriberIdentity").empty(); }));
    const int in_flight = most_in_flight(bed.sim_log(), "uim", {0x20, 0x21, 0x24});
    INFO("most file reads in flight at once: " << in_flight);
    CHECK(in_flight >= 10);
    CHECK(prop_string(sim_props(bed), "SubscriberIdentity") == "001019876543210");
    REQUIRE(wait_until([&] {
        auto n = as_strings(sim_props(bed)["SubscriberNumbers"]);
        return std::find(n.begin(), n.end(), "+15551234567") != n.end();
    }));
    // Read once: oFono's reads found the answers, nothing was asked twice.
    const int attributes = bed.sim_count("requests uim 0x24");
    const int transparent = bed.sim_count("requests uim 0x20");
    INFO("Get File Attributes " << attributes << ", Read Transparent " << transparent);
    CHECK(transparent <= 12);
    CHECK(attributes <= 16);
}

// Bring-up's critical path (doc/architecture.md, "Bring-up"): Powered=true is
// answered once DMS is there, without waiting for Set Operating Mode; the
// card status is asked for in that round trip, ahead of the other atoms'
// requests; NAS and the data link layer wait for post_sim; the files oFono
// reads only after SIM-ready are not read before it asks.
TEST_CASE("bring-up: Powered after one round trip, the SIM's requests first", "[sim][bring-up]")
{
    TestBed bed(deferred());
    bed.sim_ok("latency 300"); // far above any host delay: the order is the protocol's
    bed.start_ofono();
    REQUIRE(wait_until([&] {
        auto m = bed.bus().modems();
        return std::find(m.begin(), m.end(), kModem) != m.end();
    }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    bed.sim_ok("log-mark powered");
    REQUIRE(wait_until([&] { return !prop_string(sim_props(bed), "SubscriberIdentity").empty(); },
                       15000));
    bed.sim_ok("log-mark sim-ready");
    const std::string log = bed.sim_log();
    INFO(log.substr(0, 4000));
    const auto first = [&log](const std::string &text) { return first_line(log, text); };
    const auto set_mode_answered = first(">> dms   0x002e");
    CHECK(first("== MARK powered") < set_mode_answered);
    CHECK(first("<< uim   0x002f") < set_mode_answered);        // Get Card Status
    CHECK(first("<< uim   0x002f") < first("<< dms   0x0021")); // before devinfo
    CHECK(first("<< uim   0x002f") < first("<< dms   0x0001")); // and DMS Set Event Report
    CHECK(first("<< uim   0x0024") < first("<< wda   0x0020")); // files before WDA
    CHECK(count_before(log, "<< nas ", "== MARK sim-ready") == 0);
    // The read-ahead asks for the attributes of what SIM-ready waits for
    // (ICCID, LI, PL, Phase, AD, CPHS info, SST/UST, EST), not of SPN, CSP,
    // MSISDN, SDN or PNN, before the first answer comes back.
    CHECK(count_before(log, "<< uim   0x0024", ">> uim   0x0024") == 8);
}

// The UIM client is asked for before the service list is known; a modem
// without UIM that leaves that request unanswered must not hold Powered=true
// up until the request times out (10 s, then "no uim client" in the log).
TEST_CASE("a modem without UIM that ignores the UIM client request: Powered=true at once",
          "[sim][bring-up][dms]")
{
    TestBedOptions options = deferred();
    options.sim_args = {"--services", "dms,nas"};
    TestBed bed(options);
    bed.sim_ok("drop-next ctl 0x0022"); // the first Allocate CID: UIM's
    bed.start_ofono();
    REQUIRE(wait_until([&] {
        auto m = bed.bus().modems();
        return std::find(m.begin(), m.end(), kModem) != m.end();
    }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    CHECK(bed.ofono_log().find("no uim client") == std::string::npos);
    CHECK(bed.sim_log().find("fault: response dropped") != std::string::npos);
    REQUIRE(wait_until([&] { return prop_bool(sim_props(bed), "Present") == true; }));
}

TEST_CASE("a PIN-locked card: wrong PINs, PUK, change, lock and unlock", "[sim][pin]")
{
    TestBed bed(deferred());
    start_locked(bed, "70315926", "93817265");
    CHECK(retries_of(sim_props(bed), "pin") == 3);

    auto r = sim_call(bed, "EnterPin", g_variant_new("(ss)", "pin", "60428517"));
    CHECK_FALSE(r.ok());
    CHECK(r.error_name.rfind("org.ofono.Error", 0) == 0);
    CHECK(wait_until([&] { return retries_of(sim_props(bed), "pin") == 2; }));
    CHECK(bed.sim_ok("get sim.pin-retries") == "2");

    CHECK_FALSE(sim_call(bed, "EnterPin", g_variant_new("(ss)", "pin", "60428517")).ok());
    CHECK_FALSE(sim_call(bed, "EnterPin", g_variant_new("(ss)", "pin", "60428517")).ok());
    CHECK(wait_until([&] { return prop_string(sim_props(bed), "PinRequired") == "puk"; }));
    CHECK(bed.sim_ok("get sim.pin-state") == "puk-required");

    r = sim_call(bed, "ResetPin", g_variant_new("(sss)", "puk", "93817265", "51739264"));
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    CHECK(wait_until([&] { return prop_string(sim_props(bed), "PinRequired") == "none"; }));
    CHECK(bed.sim_ok("get sim.pin") == "51739264");
    REQUIRE(wait_until([&] { return !prop_string(sim_props(bed), "SubscriberIdentity").empty(); }));

    r = sim_call(bed, "ChangePin", g_variant_new("(sss)", "pin", "51739264", "42086173"));
    REQUIRE(r.ok());
    CHECK(bed.sim_ok("get sim.pin") == "42086173");

    r = sim_call(bed, "UnlockPin", g_variant_new("(ss)", "pin", "42086173"));
    REQUIRE(r.ok());
    CHECK(bed.sim_ok("get sim.pin-enabled") == "false");
    CHECK(wait_until([&] { return as_strings(sim_props(bed)["LockedPins"]).empty(); }));
    r = sim_call(bed, "LockPin", g_variant_new("(ss)", "pin", "42086173"));
    REQUIRE(r.ok());
    CHECK(bed.sim_ok("get sim.pin-enabled") == "true");
    CHECK(wait_until([&] {
        auto locked = as_strings(sim_props(bed)["LockedPins"]);
        return std::find(locked.begin(), locked.end(), "pin") != locked.end();
    }));

    // No PIN or PUK ever reaches the log, not even at debug level.
    const auto log = bed.ofono_log() + bed.sim_log();
    for (const char *secret : {"70315926", "60428517", "93817265", "51739264", "42086173"})
        CHECK(log.find(secret) == std::string::npos);
}

TEST_CASE("card removed and reinserted at run time", "[sim]")
{
    TestBed bed;
    power_up(bed);
    REQUIRE(wait_until([&] { return !prop_string(sim_props(bed), "SubscriberIdentity").empty(); }));
    bed.sim_ok("sim remove");
    CHECK(wait_until([&] { return prop_bool(sim_props(bed), "Present") == false; }));
    CHECK(prop_string(sim_props(bed), "SubscriberIdentity").empty());
    bed.sim_ok("sim insert");
    CHECK(wait_until([&] { return prop_bool(sim_props(bed), "Present") == true; }));
    CHECK(wait_until([&] { return !prop_string(sim_props(bed), "SubscriberIdentity").empty(); }));
    CHECK(bed.ofono_running());
}

TEST_CASE("oFono's PIN scripts work", "[sim][scripts]")
{
    TestBed bed(deferred());
    start_locked(bed, "1234", "12345678");
    std::string out;
    CHECK(bed.run_script("enter-pin", {kModem, "pin", "1234"}, &out) == 0);
    CHECK(wait_until([&] { return prop_string(sim_props(bed), "PinRequired") == "none"; }));
    CHECK(bed.run_script("change-pin", {kModem, "pin", "1234", "5678"}, &out) == 0);
    CHECK(bed.sim_ok("get sim.pin") == "5678");
    CHECK(bed.run_script("unlock-pin", {kModem, "pin", "5678"}, &out) == 0);
    CHECK(bed.sim_ok("get sim.pin-enabled") == "false");
    CHECK(bed.run_script("lock-pin", {kModem, "pin", "5678"}, &out) == 0);
    CHECK(bed.sim_ok("get sim.pin-enabled") == "true");
    // reset-pin needs the PUK state: re-insert (PIN asked again), block it.
    bed.sim_ok("sim remove");
    bed.sim_ok("sim insert");
    REQUIRE(wait_until([&] { return prop_string(sim_props(bed), "PinRequired") == "pin"; }));
    for (int i = 0; i < 3; i++)
        sim_call(bed, "EnterPin", g_variant_new("(ss)", "pin", "0000"));
    REQUIRE(wait_until([&] { return prop_string(sim_props(bed), "PinRequired") == "puk"; }));
    CHECK(bed.run_script("reset-pin", {kModem, "puk", "12345678", "2222"}, &out) == 0);
    CHECK(bed.sim_ok("get sim.pin") == "2222");
}

TEST_CASE("SubscriberNumbers writes EF-MSISDN on the card (UIM Write Record)", "[sim][write]")
{
    TestBed bed;
    power_up(bed);
    REQUIRE(wait_until([&] { return !prop_string(sim_props(bed), "SubscriberIdentity").empty(); }));
    const std::string before = bed.sim_ok("get sim.file 3F007FFF6F40 record 1");
    const char *numbers[] = {"+15557654321"};
    // oFono refuses the write (InProgress) until its own EF-MSISDN read is
    // done, which no property shows: retry as a client would.
    CallResult r;
    REQUIRE(wait_until([&] {
        r = bed.bus().set_property(kModem, kSim, "SubscriberNumbers",
                                   g_variant_new_strv(numbers, 1));
        return r.ok() || r.error_name != "org.ofono.Error.InProgress";
    }));
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    CHECK(wait_until([&] {
        auto n = as_strings(sim_props(bed)["SubscriberNumbers"]);
        return std::find(n.begin(), n.end(), "+15557654321") != n.end();
    }));
    const std::string after = bed.sim_ok("get sim.file 3F007FFF6F40 record 1");
    INFO("before " << before << " after " << after);
    CHECK(after != before);
    // 15557654321 as swapped BCD: 51 55 67 45 23 F1.
    std::string upper = after;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    upper.erase(std::remove(upper.begin(), upper.end(), ':'), upper.end());
    CHECK(upper.find("5155674523F1") != std::string::npos);
}

// Old Gobi parts have no UIM service: the same atom goes through DMS.
TEST_CASE("a modem without UIM: SIM over DMS UIM messages", "[sim][dms]")
{
    TestBedOptions options = deferred();
    options.sim_args = {"--services", "dms,nas"};
    TestBed bed(options);
    bed.sim_ok("set sim.iccid 8949020000123456789");
    bed.sim_ok("set sim.imsi 001019876543210");
    bed.sim_ok("set sim.pin 24681357");
    bed.sim_ok("set sim.pin-enabled true");
    bed.sim_ok("sim remove");
    bed.sim_ok("sim insert");
    bed.start_ofono();
    power_up(bed);
    REQUIRE(wait_until([&] { return prop_string(sim_props(bed), "PinRequired") == "pin"; }));
    CHECK(prop_string(sim_props(bed), "CardIdentifier") == "8949020000123456789");
    CHECK(retries_of(sim_props(bed), "pin") == 3);

    CHECK_FALSE(sim_call(bed, "EnterPin", g_variant_new("(ss)", "pin", "13572468")).ok());
    CHECK(wait_until([&] { return retries_of(sim_props(bed), "pin") == 2; }));
    auto r = sim_call(bed, "EnterPin", g_variant_new("(ss)", "pin", "24681357"));
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    REQUIRE(wait_until([&] { return prop_string(sim_props(bed), "PinRequired") == "none"; }));
    REQUIRE(wait_until([&] { return !prop_string(sim_props(bed), "SubscriberIdentity").empty(); }));
    auto p = sim_props(bed);
    CHECK(prop_string(p, "SubscriberIdentity") == "001019876543210");
    CHECK(prop_string(p, "MobileCountryCode") == "001");
    CHECK(bed.sim_count("requests uim") == 0);
    CHECK(bed.sim_count("requests dms 0x43") >= 1); // UIM Get IMSI
    // The UIM and VOICE clients asked for before the service list was known
    // were refused; that is no error worth a log line.
    CHECK(bed.ofono_log().find("allocating a client failed") == std::string::npos);

    r = sim_call(bed, "ChangePin", g_variant_new("(sss)", "pin", "24681357", "86421357"));
    REQUIRE(r.ok());
    CHECK(bed.sim_ok("get sim.pin") == "86421357");
    REQUIRE(sim_call(bed, "UnlockPin", g_variant_new("(ss)", "pin", "86421357")).ok());
    CHECK(bed.sim_ok("get sim.pin-enabled") == "false");

    // Removal and insertion arrive as DMS Event Report UIM state, unpolled.
    bed.sim_ok("sim remove");
    CHECK(wait_until([&] { return prop_bool(sim_props(bed), "Present") == false; }));
    bed.sim_ok("sim insert");
    CHECK(wait_until([&] { return !prop_string(sim_props(bed), "SubscriberIdentity").empty(); }));
    CHECK(bed.ofono_running());
    const auto log = bed.ofono_log() + bed.sim_log();
    for (const char *secret : {"24681357", "13572468", "86421357"})
        CHECK(log.find(secret) == std::string::npos);
}
