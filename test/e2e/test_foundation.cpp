// Foundation: the real ofonod loads qmi.so, creates the configured modem,
// powers it up over libqmi against qmi-sim, and survives bad input.
#include "testbed.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include <fcntl.h>
#include <unistd.h>

using namespace e2e;

namespace {
const std::string kModem = "/sim0";

bool has_modem(Bus &bus, const std::string &path)
{
    auto modems = bus.modems();
    return std::find(modems.begin(), modems.end(), path) != modems.end();
}

Properties modem_props(TestBed &bed, const std::string &path = kModem)
{
    return bed.bus().properties(path, "org.ofono.Modem");
}
} // namespace

TEST_CASE("configured modem appears and powers up with the simulator's device info", "[foundation]")
{
    TestBed bed;
    bed.sim_ok("set dms.manufacturer Acme Wireless");
    bed.sim_ok("set dms.model QS-9000");
    bed.sim_ok("set dms.revision REV-42-TEST");
    bed.sim_ok("set dms.imei 490154203237518");

    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    auto props = modem_props(bed);
    CHECK(prop_bool(props, "Powered") == false);
    CHECK(prop_string(props, "Type") == "hardware");

    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(wait_until([&] { return !prop_string(modem_props(bed), "Serial").empty(); }));
    props = modem_props(bed);
    CHECK(prop_string(props, "Manufacturer") == "Acme Wireless");
    CHECK(prop_string(props, "Model") == "QS-9000");
    CHECK(prop_string(props, "Revision") == "REV-42-TEST");
    CHECK(prop_string(props, "Serial") == "490154203237518");
    CHECK(prop_bool(props, "Online") == false);
    // Powered but offline: the radio is in low-power mode.
    CHECK(bed.sim_ok("get dms.operating-mode") == "low-power");
    // The four device-info queries reach the modem once each.
    CHECK(bed.sim_count("requests dms 0x0021") == 1);
    CHECK(bed.sim_count("requests dms 0x0022") == 1);
    CHECK(bed.sim_count("requests dms 0x0023") == 1);
    CHECK(bed.sim_count("requests dms 0x0025") == 1);
}

TEST_CASE("Online switches the simulator's operating mode", "[foundation]")
{
    TestBed bed;
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));

    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
    REQUIRE(bed.set_modem_property(kModem, "Online", false));
    CHECK(bed.sim_ok("get dms.operating-mode") == "low-power");
}

TEST_CASE("Powered=false releases every QMI client", "[foundation]")
{
    TestBed bed;
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(bed.sim_count("clients") >= 1);

    REQUIRE(bed.set_modem_property(kModem, "Powered", false));
    CHECK(wait_until([&] { return bed.sim_count("clients") == 0; }, 5000));
    // Powering off also turns the radio off.
    CHECK(bed.sim_ok("get dms.operating-mode") == "low-power");

    // And it comes back.
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    CHECK(bed.sim_count("clients dms") == 1);
}

TEST_CASE("oFono's own scripts drive the modem unchanged", "[foundation][scripts]")
{
    TestBed bed;
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    std::string out;

    REQUIRE(bed.run_script("list-modems", {}, &out) == 0);
    INFO(out);
    CHECK(out.find("[ " + kModem + " ]") != std::string::npos);

    REQUIRE(bed.run_script("enable-modem", {kModem}, &out) == 0);
    CHECK(prop_bool(modem_props(bed), "Powered") == true);

    REQUIRE(bed.run_script("online-modem", {kModem}, &out) == 0);
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");

    REQUIRE(bed.run_script("list-modems", {}, &out) == 0);
    CHECK(out.find("Online = 1") != std::string::npos);
    CHECK(out.find("Manufacturer = ") != std::string::npos);

    REQUIRE(bed.run_script("offline-modem", {kModem}, &out) == 0);
    CHECK(bed.sim_ok("get dms.operating-mode") == "low-power");

    REQUIRE(bed.run_script("disable-modem", {kModem}, &out) == 0);
    CHECK(prop_bool(modem_props(bed), "Powered") == false);
    CHECK(wait_until([&] { return bed.sim_count("clients") == 0; }, 5000));
}

TEST_CASE("bad configuration groups are logged by name and skipped", "[foundation][config]")
{
    TestBedOptions options;
    options.config = "[good]\nDevice=@DIR@/modem\nColour=blue\n"
                     "[nodevice]\nNetworkInterface=wwan1\n"
                     "[relative]\nDevice=cdc-wdm0\n"
                     "[badproxy]\nDevice=@DIR@/modem\nProxy=maybe\n";
    TestBed bed(options);
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), "/good"); }));
    CHECK(has_modem(bed.bus(), "/badproxy")); // a bad value is not fatal to the group
    CHECK_FALSE(has_modem(bed.bus(), "/nodevice"));
    CHECK_FALSE(has_modem(bed.bus(), "/relative"));
    const auto log = bed.ofono_log();
    CHECK(log.find("[good]: unknown key 'Colour'") != std::string::npos);
    CHECK(log.find("[nodevice]: Device= is missing") != std::string::npos);
    CHECK(log.find("[relative]: Device=cdc-wdm0") != std::string::npos);
    CHECK(log.find("[badproxy]: Proxy=maybe") != std::string::npos);
    // The good modem works.
    REQUIRE(bed.set_modem_property("/good", "Powered", true));
}

TEST_CASE("a missing device fails Powered=true with an error, ofonod keeps running",
          "[foundation][errors]")
{
    TestBedOptions options;
    options.config = "[gone]\nDevice=@DIR@/no-such-device\n";
    TestBed bed(options);
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), "/gone"); }));
    CallResult r;
    CHECK_FALSE(bed.set_modem_property("/gone", "Powered", true, &r));
    CHECK(r.error_name == "org.ofono.Error.Failed");
    CHECK(prop_bool(modem_props(bed, "/gone"), "Powered") == false);
    CHECK(bed.ofono_log().find("no-such-device") != std::string::npos);
    CHECK(bed.ofono_running());
}

TEST_CASE("the device vanishing while enabled powers the modem off; it comes back",
          "[foundation][errors]")
{
    TestBed bed;
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));

    bed.sim_ok("disappear");
    CHECK(wait_until([&] { return prop_bool(modem_props(bed), "Powered") == false; }));
    CHECK(prop_bool(modem_props(bed), "Online") == false);
    CHECK(bed.ofono_running());

    // While it is gone, powering up fails cleanly.
    CallResult r;
    CHECK_FALSE(bed.set_modem_property(kModem, "Powered", true, &r));
    CHECK(bed.ofono_running());

    bed.sim_ok("reappear");
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(wait_until([&] { return !prop_string(modem_props(bed), "Serial").empty(); }));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
}

TEST_CASE("a QMI error reply fails the D-Bus call; the next one works", "[foundation][errors]")
{
    TestBed bed;
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));

    bed.sim_ok("fail-next dms 0x002E internal");
    CallResult r;
    CHECK_FALSE(bed.set_modem_property(kModem, "Online", true, &r));
    CHECK(r.error_name == "org.ofono.Error.Failed");
    CHECK(prop_bool(modem_props(bed), "Online") == false);

    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
}

TEST_CASE("a dropped reply fails that query only; the modem keeps working",
          "[foundation][errors]")
{
    TestBed bed;
    bed.sim_ok("drop-next dms 0x0023");
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    // Other requests are unaffected while Get Revision waits for its timeout.
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
    REQUIRE(wait_until([&] { return !prop_string(modem_props(bed), "Serial").empty(); }, 20000));
    auto props = modem_props(bed);
    CHECK(prop_string(props, "Revision").empty());
    CHECK(prop_string(props, "Model") == "QMI-SIM EG25");
    CHECK(bed.ofono_running());
}

TEST_CASE("garbage on the port: libqmi drops it, the modem powers off, Powered=true recovers",
          "[foundation][errors]")
{
    TestBed bed;
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));

    // libqmi treats a QMUX framing error as a broken port and hangs up.
    bed.sim_ok("garbage-next dms 0x002E");
    CallResult r;
    CHECK_FALSE(bed.set_modem_property(kModem, "Online", false, &r));
    CHECK(wait_until([&] { return prop_bool(modem_props(bed), "Powered") == false; }));
    CHECK(bed.ofono_log().find("went away") != std::string::npos);
    CHECK(bed.ofono_running());

    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(wait_until([&] { return !prop_string(modem_props(bed), "Serial").empty(); }));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
}

TEST_CASE("Proxy=true opens through qmi-proxy, and qmicli shares the port meanwhile",
          "[foundation][proxy]")
{
    TestBedOptions options;
    options.config = "[sim0]\nDevice=@DIR@/modem\nProxy=true\n";
    TestBed bed(options);
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(wait_until([&] { return !prop_string(modem_props(bed), "Serial").empty(); }));

    // A second host on the same port, through the same proxy.
    std::string out;
    int rc = run({"qmicli", "-p", "--device-open-qmi", "-d", bed.modem_device(), "--dms-get-model"}, {}, &out);
    INFO(out);
    CHECK(rc == 0);
    CHECK(out.find("QMI-SIM EG25") != std::string::npos);

    // The plugin still drives the modem.
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
    REQUIRE(bed.set_modem_property(kModem, "Powered", false));
    CHECK(wait_until([&] { return bed.sim_count("clients") == 0; }, 5000));
}

TEST_CASE("qmicli decodes what qmi-sim sends", "[sim][qmicli]")
{
    TestBedOptions options;
    options.start_ofono = false;
    TestBed bed(options);
    struct Expect {
        const char *option;
        const char *text;
    };
    const Expect expectations[] = {
        {"--dms-get-ids", "IMEI: '867698040123456'"},
        {"--dms-get-manufacturer", "QUALCOMM INCORPORATED"},
        {"--dms-get-model", "QMI-SIM EG25"},
        {"--dms-get-revision", "EG25GGBR07A08M2G"},
        {"--dms-get-operating-mode", "Mode: 'low-power'"},
        {"--dms-get-capabilities", "lte"},
        {"--get-service-version-info", "dms (1.14)"},
    };
    for (const auto &e : expectations) {
        std::string out;
        int rc = run({"qmicli", "--device-open-qmi", "-d", bed.modem_device(), e.option}, {}, &out);
        INFO(e.option << ": " << out);
        CHECK(rc == 0);
        CHECK(out.find(e.text) != std::string::npos);
    }
    // qmicli releases its client ids on exit.
    CHECK(bed.sim_count("clients") == 0);
}

TEST_CASE("a modem that resets on its own is reported off; Powered=true brings it back",
          "[foundation][errors]")
{
    TestBed bed;
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));

    // The modem announces the reset (DMS event report), then forgets its clients.
    bed.sim_ok("set dms.operating-mode reset");
    CHECK(wait_until([&] { return prop_bool(modem_props(bed), "Powered") == false; }));
    CHECK(bed.ofono_log().find("resetting on its own") != std::string::npos);
    bed.sim_ok("reset");

    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
    CHECK(bed.ofono_running());
}

// Coexistence (doc/hardware.md): two readers of one QMI port take each
// other's replies, and the kernel lets the second one open it, so the plugin
// names the port's other users when it opens the port.
namespace
{
int count(const std::string &text, const std::string &what)
{
    int n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
        n++;
    return n;
}

std::string own_comm()
{
    std::ifstream in("/proc/self/comm");
    std::string name;
    std::getline(in, name);
    return name;
}
} // namespace

TEST_CASE("a port another program holds is named in one log line", "[foundation][coexistence]")
{
    TestBed bed;
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    // This test is the other QMI client; it never reads, so the modem still
    // answers ofonod.
    const int held = ::open(bed.modem_device().c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    REQUIRE(held >= 0);
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    const std::string hint = "sim0: port " + bed.modem_device() +
                             " in use by another QMI client (open in " + own_comm() + ", pid " +
                             std::to_string(getpid()) +
                             ") — is oFono's gobi plugin or ModemManager running? see "
                             "doc/hardware.md";
    // The port's users are looked up off the main loop: the line follows.
    CHECK(wait_until([&] { return count(bed.ofono_log(), hint) == 1; }));

    // Alone on the port again: no hint (the simulator holding its own pty is
    // the modem's end, not a client).
    ::close(held);
    REQUIRE(bed.set_modem_property(kModem, "Powered", false));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    CHECK(count(bed.ofono_log(), "in use by another QMI client") == 1);
}

TEST_CASE("two modems on one port inside ofonod: the second one says so",
          "[foundation][coexistence]")
{
    // As oFono's gobi plugin and this one on the same cdc-wdm port.
    TestBedOptions options;
    options.config = "[first]\nDevice=@DIR@/modem\n[second]\nDevice=@DIR@/modem\n";
    TestBed bed(options);
    REQUIRE(wait_until(
        [&] { return has_modem(bed.bus(), "/first") && has_modem(bed.bus(), "/second"); }));
    REQUIRE(bed.set_modem_property("/first", "Powered", true));
    CHECK(count(bed.ofono_log(), "in use by another QMI client") == 0);

    // The two will now take each other's replies: only the line is checked.
    auto pending =
        bed.bus().call_async("/second", "org.ofono.Modem", "SetProperty",
                             g_variant_new("(sv)", "Powered", g_variant_new_boolean(TRUE)));
    CHECK(wait_until([&] {
        return bed.ofono_log().find("second: port " + bed.modem_device() +
                                    " in use by another QMI client (also open elsewhere in this "
                                    "ofonod: oFono's gobi plugin, or another qmi.conf group with "
                                    "this Device=)") != std::string::npos;
    }));
    CHECK(bed.ofono_running());
}
