// Mobile data over WDS/WDA: the real ofonod with qmi.so, qmi-sim's packet
// network. ConnectionManager / ConnectionContext driven as ConnMan or
// NetworkManager would, the simulator checked for the sessions.
#include "testbed.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <cstdlib>
#include <string>

using namespace e2e;

namespace
{
const std::string kModem = "/sim0";
const std::string kGprs = "org.ofono.ConnectionManager";
const std::string kContext = "org.ofono.ConnectionContext";

TestBedOptions with_data(bool start = true)
{
    return with_services("dms,nas,uim,wds,wda", start);
}

Properties gprs_props(TestBed &bed)
{
    return bed.bus().properties(kModem, kGprs);
}

void bring_up(TestBed &bed)
{
    REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    REQUIRE(wait_until([&] { return prop_bool(gprs_props(bed), "Attached") == true; }, 15000));
}

// The first context of a type, created with AddContext when there is none.
std::string context(TestBed &bed, const std::string &type = "internet")
{
    const std::string found = bed.bus().context_of_type(kModem, type);
    REQUIRE(!found.empty());
    return found;
}

CallResult set(TestBed &bed, const std::string &ctx, const char *name, GVariant *value)
{
    return bed.bus().set_property(ctx, kContext, name, value);
}

Properties settings(TestBed &bed, const std::string &ctx, const char *which = "Settings")
{
    auto p = bed.bus().properties(ctx, kContext);
    auto it = p.find(which);
    if (it == p.end())
        return {};
    return to_properties(it->second.get());
}

std::vector<std::string> dns(const Properties &s)
{
    return as_strings(s.at("DomainNameServers"));
}
} // namespace

TEST_CASE("an internet context: Active=true gives the simulator's IPv4 settings", "[data][ipv4]")
{
    TestBed bed(with_data());
    bring_up(bed);
    const std::string ctx = context(bed);
    REQUIRE(set(bed, ctx, "AccessPointName", g_variant_new_string("internet")).ok());
    // The IPv4 client is ready before Active=true: activation is Start
    // Network then Get Current Settings, nothing else (two round trips).
    REQUIRE(wait_until([&] { return bed.sim_count("clients wds") >= 2; })); // lte + this
    const int allocations = bed.sim_count("requests ctl 0x22");
    auto r = set(bed, ctx, "Active", g_variant_new_boolean(TRUE));
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    REQUIRE(wait_until([&] { return !settings(bed, ctx).empty(); }));
    CHECK(bed.sim_count("requests ctl 0x22") == allocations);
    CHECK(bed.sim_count("requests wds 0x4d") == 0); // Set IP Family
    CHECK(bed.sim_count("requests wds 0x20") == 1); // Start Network
    CHECK(bed.sim_count("requests wds 0x2d") == 1); // Get Current Settings
    auto s = settings(bed, ctx);
    CHECK(prop_string(s, "Interface") == "wwan0");
    CHECK(prop_string(s, "Method") == "static");
    CHECK(
        prop_string(s, "Address") ==
        bed.sim_ok("get wds.ipv4-address").substr(0, bed.sim_ok("get wds.ipv4-address").find('/')));
    CHECK(!prop_string(s, "Netmask").empty());
    CHECK(prop_string(s, "Gateway") == bed.sim_ok("get wds.ipv4-gateway"));
    CHECK(!dns(s).empty());
    CHECK(bed.sim_ok("get wds.sessions").find("internet") != std::string::npos);

    REQUIRE(set(bed, ctx, "Active", g_variant_new_boolean(FALSE)).ok());
    CHECK(wait_until([&] { return bed.sim_ok("get wds.sessions") == "none"; }));
    CHECK(prop_bool(bed.bus().properties(ctx, kContext), "Active") == false);
}

TEST_CASE("IPv6 and dual-stack contexts", "[data][ipv6]")
{
    TestBed bed(with_data());
    bring_up(bed);
    const std::string ctx = context(bed);
    REQUIRE(set(bed, ctx, "AccessPointName", g_variant_new_string("internet")).ok());
    REQUIRE(set(bed, ctx, "Protocol", g_variant_new_string("ipv6")).ok());
    REQUIRE(set(bed, ctx, "Active", g_variant_new_boolean(TRUE)).ok());
    REQUIRE(wait_until([&] { return !settings(bed, ctx, "IPv6.Settings").empty(); }));
    auto v6 = settings(bed, ctx, "IPv6.Settings");
    CHECK(prop_string(v6, "Interface") == "wwan0");
    const std::string expected = bed.sim_ok("get wds.ipv6-address"); // "2001:db8:1::2/64"
    REQUIRE(!prop_string(v6, "Address").empty());
    CHECK(expected == prop_string(v6, "Address") + "/64");
    CHECK(v6.count("PrefixLength") == 1);
    CHECK(!dns(v6).empty());
    CHECK(settings(bed, ctx).empty());
    REQUIRE(set(bed, ctx, "Active", g_variant_new_boolean(FALSE)).ok());
    REQUIRE(wait_until([&] { return bed.sim_ok("get wds.sessions") == "none"; }));

    REQUIRE(set(bed, ctx, "Protocol", g_variant_new_string("dual")).ok());
    REQUIRE(set(bed, ctx, "Active", g_variant_new_boolean(TRUE)).ok());
    REQUIRE(wait_until([&] {
        return !settings(bed, ctx).empty() && !settings(bed, ctx, "IPv6.Settings").empty();
    }));
    // One session per family, each on its own WDS client.
    const std::string sessions = bed.sim_ok("get wds.sessions");
    INFO(sessions);
    CHECK(sessions.find("ipv4") != std::string::npos);
    CHECK(sessions.find("ipv6") != std::string::npos);
    REQUIRE(set(bed, ctx, "Active", g_variant_new_boolean(FALSE)).ok());
    CHECK(wait_until([&] { return bed.sim_ok("get wds.sessions") == "none"; }));
}

TEST_CASE("the network drops the session: the client sees Active=false", "[data][drop]")
{
    TestBed bed(with_data());
    bring_up(bed);
    const std::string ctx = context(bed);
    REQUIRE(set(bed, ctx, "AccessPointName", g_variant_new_string("internet")).ok());
    REQUIRE(set(bed, ctx, "Active", g_variant_new_boolean(TRUE)).ok());
    REQUIRE(wait_until(
        [&] { return prop_bool(bed.bus().properties(ctx, kContext), "Active") == true; }));
    bed.sim_ok("wds-disconnect all");
    CHECK(wait_until(
        [&] { return prop_bool(bed.bus().properties(ctx, kContext), "Active") == false; }));
    // And it comes back when asked.
    REQUIRE(set(bed, ctx, "Active", g_variant_new_boolean(TRUE)).ok());
    CHECK(wait_until(
        [&] { return prop_bool(bed.bus().properties(ctx, kContext), "Active") == true; }));
}

TEST_CASE("bad APNs and credentials: a clear error, the context stays inactive, a retry works",
          "[data][errors]")
{
    TestBed bed(with_data());
    bring_up(bed);
    const std::string ctx = context(bed);
    // The network does not know this APN.
    REQUIRE(set(bed, ctx, "AccessPointName", g_variant_new_string("nosuchapn")).ok());
    auto r = set(bed, ctx, "Active", g_variant_new_boolean(TRUE));
    CHECK_FALSE(r.ok());
    CHECK(r.error_name.rfind("org.ofono.Error", 0) == 0);
    CHECK(prop_bool(bed.bus().properties(ctx, kContext), "Active") == false);
    CHECK(bed.sim_ok("get wds.sessions") == "none");
    CHECK(bed.ofono_log().find("refused by the network") != std::string::npos);

    // An APN QMI cannot carry (oFono itself takes up to 100 characters).
    CHECK_FALSE(
        set(bed, ctx, "AccessPointName", g_variant_new_string(std::string(101, 'a').c_str())).ok());
    CHECK_FALSE(set(bed, ctx, "AccessPointName", g_variant_new_string("bad apn!")).ok());

    // Wrong credentials for an APN that needs them, then the right ones.
    bed.sim_ok("set wds.require-auth internet alice s3cr3t-pa55");
    REQUIRE(set(bed, ctx, "AccessPointName", g_variant_new_string("internet")).ok());
    REQUIRE(set(bed, ctx, "Username", g_variant_new_string("alice")).ok());
    REQUIRE(set(bed, ctx, "Password", g_variant_new_string("wrong-pa55")).ok());
    CHECK_FALSE(set(bed, ctx, "Active", g_variant_new_boolean(TRUE)).ok());
    REQUIRE(set(bed, ctx, "Password", g_variant_new_string("s3cr3t-pa55")).ok());
    r = set(bed, ctx, "Active", g_variant_new_boolean(TRUE));
    INFO(r.error_name << " " << r.error_message);
    CHECK(r.ok());
    // Neither password reaches the log, not even at debug level.
    CHECK(bed.ofono_log().find("s3cr3t-pa55") == std::string::npos);
    CHECK(bed.ofono_log().find("wrong-pa55") == std::string::npos);
}

TEST_CASE("LTE DefaultAccessPointName goes into the modem's default profile", "[data][lte]")
{
    TestBed bed(with_data());
    REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(wait_until(
        [&] { return !bed.bus().properties(kModem, "org.ofono.LongTermEvolution").empty(); },
        15000));
    auto r = bed.bus().set_property(kModem, "org.ofono.LongTermEvolution", "DefaultAccessPointName",
                                    g_variant_new_string("ims.example"));
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    const std::string profile =
        bed.sim_ok("get wds.profile " + bed.sim_ok("get wds.default-profile"));
    INFO(profile);
    CHECK(profile.find("ims.example") != std::string::npos);
}

TEST_CASE("oFono's data scripts work", "[data][scripts]")
{
    TestBed bed(with_data());
    bring_up(bed);
    std::string out;
    CHECK(bed.run_script("create-internet-context", {"internet"}, &out) == 0);
    INFO(out);
    CHECK(bed.run_script("list-contexts", {}, &out) == 0);
    CHECK(out.find("internet") != std::string::npos);
    CHECK(bed.run_script("activate-context", {}, &out) == 0);
    CHECK(wait_until([&] { return bed.sim_ok("get wds.sessions") != "none"; }));
    CHECK(bed.run_script("deactivate-context", {}, &out) == 0);
    CHECK(wait_until([&] { return bed.sim_ok("get wds.sessions") == "none"; }));
}

// ConnMan (Debian's connmand with its oFono plugin) on the same private
// bus, in its own network and mount namespaces where a veth "wwan0" (up,
// its peer up so it has carrier, as a qmi_wwan interface is once the
// system brought it up) stands in for the modem's interface: it connects the cellular service
// and puts the context's settings on wwan0. Nothing outside the
// namespaces is touched (its state, /run and resolv.conf are tmpfs/temp).
TEST_CASE("a real ConnMan connects the cellular service over the context", "[data][connman]")
{
    if (std::system("command -v connmand >/dev/null 2>&1") != 0)
        FAIL("connmand is not installed (tools/install-deps installs connman)");
    TestBed bed(with_data());
    bring_up(bed);
    const std::string ctx = context(bed);
    REQUIRE(set(bed, ctx, "AccessPointName", g_variant_new_string("internet")).ok());

    const std::string script =
        "set -e; ip link add wwan0 type veth peer name wwan0-peer; ip link set wwan0-peer up; "
        "ip link set wwan0 up; ip link set lo up; "
        "mount -t tmpfs qmi-e2e /run; mount -t tmpfs qmi-e2e /var/lib; mkdir /var/lib/connman; "
        ": > \"$1/resolv.conf\"; mount --bind \"$1/resolv.conf\" /etc/resolv.conf; "
        "exec connmand -n -d -r -p ofono,loopback";
    // meson test sets MALLOC_PERTURB_, under which Debian's connmand 1.41
    // dies on Disconnect (it reads freed memory); ConnMan runs without it.
    Process connman({"env", "-u", "MALLOC_PERTURB_", "unshare", "--net", "--mount", "--propagation",
                     "private", "sh", "-c", script, "connman-ns", bed.dir()},
                    {{"DBUS_SYSTEM_BUS_ADDRESS", bed.bus_address()}}, bed.dir() + "/connmand.log");
    auto in_ns = [&](const std::string &command) {
        std::string out;
        run({"nsenter", "-t", std::to_string(connman.pid()), "-n", "sh", "-c", command}, {}, &out);
        return out;
    };

    // The cellular service ConnMan made from the context.
    std::string service;
    REQUIRE(wait_until(
        [&] {
            auto r = bed.bus().call("/", "net.connman.Manager", "GetServices", nullptr, 5000,
                                    "net.connman");
            if (!r.ok())
                return false;
            GVariant *array = g_variant_get_child_value(r.value.get(), 0);
            GVariantIter iter;
            g_variant_iter_init(&iter, array);
            const gchar *path = nullptr;
            GVariant *props = nullptr;
            while (g_variant_iter_next(&iter, "(&o@a{sv})", &path, &props)) {
                if (prop_string(to_properties(props), "Type") == "cellular")
                    service = path;
                g_variant_unref(props);
            }
            g_variant_unref(array);
            return !service.empty();
        },
        20000));
    auto r =
        bed.bus().call(service, "net.connman.Service", "Connect", nullptr, 60000, "net.connman");
    INFO(r.error_name << " " << r.error_message);
    REQUIRE((r.ok() || r.error_name == "net.connman.Error.AlreadyConnected"));
    CHECK(prop_bool(bed.bus().properties(ctx, kContext), "Active") == true);
    const std::string address = bed.sim_ok("get wds.ipv4-address");
    const std::string ip = address.substr(0, address.find('/'));
    CHECK(wait_until([&] { return in_ns("ip -4 addr show wwan0").find(ip) != std::string::npos; }));
    CHECK(wait_until(
        [&] { return in_ns("ip -4 route show default").find("dev wwan0") != std::string::npos; }));

    // ConnMan takes Disconnect once the service is ready (online checks
    // may still run on a loaded machine; they fail here, no internet).
    auto service_state = [&] {
        auto p = bed.bus().call(service, "net.connman.Service", "GetProperties", nullptr, 5000,
                                "net.connman");
        if (!p.ok())
            return std::string();
        GVariant *dict = g_variant_get_child_value(p.value.get(), 0);
        const std::string state = prop_string(to_properties(dict), "State");
        g_variant_unref(dict);
        return state;
    };
    CHECK(wait_until([&] {
        const std::string state = service_state();
        return state == "ready" || state == "online";
    }));
    r = bed.bus().call(service, "net.connman.Service", "Disconnect", nullptr, 30000, "net.connman");
    INFO("Disconnect: " << r.error_name << " " << r.error_message << ", state " << service_state());
    CHECK(r.ok());
    CHECK(wait_until([&] { return in_ns("ip -4 addr show wwan0").find(ip) == std::string::npos; }));
    CHECK(wait_until([&] { return bed.sim_ok("get wds.sessions") == "none"; }));
    CHECK(prop_bool(bed.bus().properties(ctx, kContext), "Active") == false);
}

// Without QMAP multiplexing the modem carries one context at a time: the
// driver gives oFono one context slot, so a second one is refused by
// oFono's core while the first is active, and works once it is not.
TEST_CASE("two contexts: the single-context limit is reported", "[data][limit]")
{
    TestBed bed(with_data());
    bring_up(bed);
    const std::string internet = context(bed, "internet");
    const std::string mms = context(bed, "mms");
    REQUIRE(set(bed, internet, "AccessPointName", g_variant_new_string("internet")).ok());
    REQUIRE(set(bed, mms, "AccessPointName", g_variant_new_string("mms")).ok());
    REQUIRE(set(bed, internet, "Active", g_variant_new_boolean(TRUE)).ok());
    auto r = set(bed, mms, "Active", g_variant_new_boolean(TRUE));
    CHECK_FALSE(r.ok());
    INFO(r.error_name << " " << r.error_message);
    CHECK(r.error_name.rfind("org.ofono.Error", 0) == 0);
    CHECK(bed.sim_ok("get wds.sessions").find("mms") == std::string::npos);
    REQUIRE(set(bed, internet, "Active", g_variant_new_boolean(FALSE)).ok());
    r = set(bed, mms, "Active", g_variant_new_boolean(TRUE));
    INFO(r.error_name << " " << r.error_message);
    CHECK(r.ok());
    CHECK(wait_until(
        [&] { return bed.sim_ok("get wds.sessions").find("mms") != std::string::npos; }));
}

TEST_CASE("activating while detached: a clear error, and it works once attached again",
          "[data][errors]")
{
    TestBed bed(with_data());
    bring_up(bed);
    const std::string ctx = context(bed);
    REQUIRE(set(bed, ctx, "AccessPointName", g_variant_new_string("internet")).ok());
    bed.sim_ok("set nas.registration searching"); // out of coverage: no packet service
    REQUIRE(wait_until([&] { return prop_bool(gprs_props(bed), "Attached") == false; }));
    auto r = set(bed, ctx, "Active", g_variant_new_boolean(TRUE));
    INFO(r.error_name << " " << r.error_message);
    CHECK_FALSE(r.ok());
    CHECK(r.error_name.rfind("org.ofono.Error", 0) == 0);
    CHECK(bed.sim_ok("get wds.sessions") == "none");
    bed.sim_ok("set nas.registration registered");
    REQUIRE(wait_until([&] { return prop_bool(gprs_props(bed), "Attached") == true; }));
    r = set(bed, ctx, "Active", g_variant_new_boolean(TRUE));
    INFO(r.error_name << " " << r.error_message);
    CHECK(r.ok());
    CHECK(bed.ofono_running());
}

namespace
{
// Starts ofonod through one of test/e2e's wrappers (run-ofonod's
// QMI_OFONOD_WRAPPER). run-ofonod ignores a wrapper when it preloads the
// sanitizer runtimes, so the wrapper preloads them (QMI_NETNS_PRELOAD).
void start_wrapped(TestBed &bed, const std::string &wrapper)
{
    const char *e2e_dir = std::getenv("QMI_E2E_DIR");
    const std::string path = std::string(e2e_dir ? e2e_dir : ".") + "/" + wrapper;
    const char *preload = std::getenv("QMI_E2E_PRELOAD");
    const std::string saved = preload ? preload : "";
    if (!saved.empty())
        setenv("QMI_NETNS_PRELOAD", saved.c_str(), 1);
    unsetenv("QMI_E2E_PRELOAD");
    setenv("QMI_OFONOD_WRAPPER", path.c_str(), 1);
    setenv("QMI_FAKE_QMI_WWAN_DEVICE", bed.modem_device().c_str(), 1);
    bed.start_ofono();
    unsetenv("QMI_OFONOD_WRAPPER");
    unsetenv("QMI_NETNS_PRELOAD");
    unsetenv("QMI_FAKE_QMI_WWAN_DEVICE");
    if (!saved.empty())
        setenv("QMI_E2E_PRELOAD", saved.c_str(), 1);
}
} // namespace

// QMAP multiplexing asked for (Multiplex=on) with firmware that aggregates
// (wda.qmap on), on a kernel without rmnet (this machine's: `ip link add
// ... type rmnet` gives "Unknown device type"). ofonod runs in a network
// namespace with a veth "wwan0" (test/e2e/ofonod-in-netns), so libqmi's
// link creation reaches the kernel and the kernel refuses it. oFono 1.31
// answers every failed activation with org.ofono.Error.Failed "Operation
// failed" (src/gprs.c, pri_activate_callback): the reason is in the log.
TEST_CASE("Multiplex=on without rmnet: the log names it, then one context works", "[data][qmap]")
{
    TestBedOptions options = with_data(false);
    options.config = "[sim0]\nDevice=@DIR@/modem\nNetworkInterface=wwan0\nMultiplex=on\n";
    TestBed bed(options);
    bed.sim_ok("set wda.qmap on");
    start_wrapped(bed, "ofonod-in-netns");
    bring_up(bed);
    // The modem took QMAP: one context per link was offered.
    CHECK(bed.sim_ok("get wda.aggregation") == "ul=qmap dl=qmap");
    CHECK(
        wait_until([&] { return bed.ofono_log().find("3 data context(s)") != std::string::npos; }));
    const std::string internet = context(bed, "internet");
    REQUIRE(set(bed, internet, "AccessPointName", g_variant_new_string("internet")).ok());
    auto r = set(bed, internet, "Active", g_variant_new_boolean(TRUE));
    INFO(r.error_name << " " << r.error_message);
    CHECK_FALSE(r.ok());
    CHECK(r.error_name == "org.ofono.Error.Failed");
    const std::string log = bed.ofono_log();
    INFO(log.substr(log.size() > 3000 ? log.size() - 3000 : 0));
    CHECK(log.find("cannot be activated: the kernel has no rmnet support (no /sys/module/rmnet") !=
          std::string::npos);
    CHECK(prop_bool(bed.bus().properties(internet, kContext), "Active") == false);
    CHECK(bed.sim_ok("get wds.sessions") == "none");
    CHECK(bed.sim_count("requests wds 0x20") == 0); // no Start Network without a link
    CHECK(bed.sim_count("requests wds 0xa2") == 0); // nor a mux to bind to

    // The fallback: no aggregation, one context on wwan0 itself.
    CHECK(
        wait_until([&] { return bed.sim_ok("get wda.aggregation") == "ul=disabled dl=disabled"; }));
    CHECK(wait_until(
        [&] { return bed.ofono_log().find("1 data context(s) left") != std::string::npos; }));
    CHECK(bed.ofono_log().find("falling back to one data context without QMAP") !=
          std::string::npos);
    r = set(bed, internet, "Active", g_variant_new_boolean(TRUE));
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    REQUIRE(wait_until([&] { return !settings(bed, internet).empty(); }));
    CHECK(prop_string(settings(bed, internet), "Interface") == "wwan0");
    CHECK(bed.sim_ok("get wds.sessions").find("internet") != std::string::npos);
    CHECK(bed.sim_ok("get wds.mux-bindings") == "none");
    // And oFono knows the limit again: a second context waits its turn.
    const std::string mms = context(bed, "mms");
    REQUIRE(set(bed, mms, "AccessPointName", g_variant_new_string("mms")).ok());
    CHECK_FALSE(set(bed, mms, "Active", g_variant_new_boolean(TRUE)).ok());
    CHECK(bed.sim_ok("get wds.sessions").find("mms") == std::string::npos);
}

// Without Multiplex=, on this machine (no qmi_wwan add_mux for wwan0): auto
// is off, the modem is never asked for QMAP, one context as before; and
// Multiplex=off never asks either.
TEST_CASE("Multiplex=auto without add_mux: no QMAP, one context", "[data][qmap]")
{
    TestBed bed(with_data(false));
    bed.sim_ok("set wda.qmap on");
    bed.start_ofono();
    bring_up(bed);
    CHECK(bed.sim_ok("get wda.aggregation") == "ul=disabled dl=disabled");
    CHECK(bed.sim_ok("get wda.link-layer") == "raw-ip");
    CHECK(bed.ofono_log().find("no QMAP multiplexing: the kernel offers no "
                               "/sys/class/net/wwan0/qmi/add_mux") != std::string::npos);
    CHECK(
        wait_until([&] { return bed.ofono_log().find("1 data context(s)") != std::string::npos; }));

    TestBedOptions off = with_data(false);
    off.config = "[sim0]\nDevice=@DIR@/modem\nNetworkInterface=wwan0\nMultiplex=off\n";
    TestBed off_bed(off);
    off_bed.sim_ok("set wda.qmap on");
    start_wrapped(off_bed, "ofonod-fake-qmi-wwan"); // add_mux there: off still wins
    bring_up(off_bed);
    CHECK(off_bed.sim_ok("get wda.aggregation") == "ul=disabled dl=disabled");
    CHECK(off_bed.ofono_log().find("no QMAP multiplexing: Multiplex=off") != std::string::npos);
    const std::string ctx = context(off_bed);
    REQUIRE(set(off_bed, ctx, "AccessPointName", g_variant_new_string("internet")).ok());
    REQUIRE(set(off_bed, ctx, "Active", g_variant_new_boolean(TRUE)).ok());
    REQUIRE(wait_until([&] { return !settings(off_bed, ctx).empty(); }));
    CHECK(prop_string(settings(off_bed, ctx), "Interface") == "wwan0");
    CHECK(off_bed.sim_count("requests wds 0xa2") == 0);
}

// The qmi_wwan path end to end, against a stand-in for the kernel's QMAP
// sysfs files in ofonod's mount namespace (test/e2e/ofonod-fake-qmi-wwan,
// fake-qmi-wwan: /sys/class/net/wwan0/qmi/add_mux makes qmimuxN, as
// qmi_wwan does; no packet moves). libqmi's real add_link/delete_link run
// against it. Multiplex= is not set: auto finds add_mux.
TEST_CASE("QMAP over qmi_wwan's add_mux: internet, MMS and IMS at once, a link each",
          "[data][qmap]")
{
    TestBed bed(with_data(false));
    bed.sim_ok("set wda.qmap on");
    start_wrapped(bed, "ofonod-fake-qmi-wwan");
    bring_up(bed);
    CHECK(bed.ofono_log().find("trying QMAP multiplexing: qmi_wwan offers "
                               "/sys/class/net/wwan0/qmi/add_mux") != std::string::npos);
    CHECK(bed.sim_ok("get wda.aggregation") == "ul=qmap dl=qmap");
    CHECK(
        wait_until([&] { return bed.ofono_log().find("3 data context(s)") != std::string::npos; }));

    const std::vector<std::string> apns{"internet", "mms", "ims"};
    std::vector<std::string> contexts;
    for (const auto &apn : apns) {
        contexts.push_back(context(bed, apn));
        REQUIRE(
            set(bed, contexts.back(), "AccessPointName", g_variant_new_string(apn.c_str())).ok());
    }
    for (const auto &ctx : contexts) {
        auto r = set(bed, ctx, "Active", g_variant_new_boolean(TRUE));
        INFO(ctx << ": " << r.error_name << " " << r.error_message);
        REQUIRE(r.ok());
    }
    // Each its own link, mux id and address, all up at once.
    std::set<std::string> interfaces, addresses;
    for (const auto &ctx : contexts) {
        REQUIRE(wait_until([&] { return !settings(bed, ctx).empty(); }));
        auto s = settings(bed, ctx);
        interfaces.insert(prop_string(s, "Interface"));
        addresses.insert(prop_string(s, "Address"));
        CHECK(prop_bool(bed.bus().properties(ctx, kContext), "Active") == true);
    }
    CHECK(interfaces == std::set<std::string>{"qmimux0", "qmimux1", "qmimux2"});
    CHECK(addresses.size() == 3);
    const std::string sessions = bed.sim_ok("get wds.sessions");
    INFO(sessions);
    CHECK(sessions.find(":internet:ipv4:") != std::string::npos);
    CHECK(sessions.find(":mux1") != std::string::npos);
    CHECK(sessions.find(":mux2") != std::string::npos);
    CHECK(sessions.find(":mux3") != std::string::npos);
    CHECK(bed.sim_count("requests wds 0xa2") == 3); // Bind Mux Data Port, one per client
    const std::string fake_log = read_file(bed.dir() + "/fake-qmi-wwan.log");
    INFO(fake_log);
    CHECK(fake_log.find("add 0x01 qmimux0\nadd 0x02 qmimux1\nadd 0x03 qmimux2\n") !=
          std::string::npos);

    // One goes: its link goes, the others stay up.
    REQUIRE(set(bed, contexts[1], "Active", g_variant_new_boolean(FALSE)).ok());
    CHECK(wait_until(
        [&] { return bed.sim_ok("get wds.sessions").find(":mms:") == std::string::npos; }));
    CHECK(wait_until([&] {
        return read_file(bed.dir() + "/fake-qmi-wwan.log").find("del 0x02 qmimux1") !=
               std::string::npos;
    }));
    CHECK(prop_bool(bed.bus().properties(contexts[0], kContext), "Active") == true);
    CHECK(prop_bool(bed.bus().properties(contexts[2], kContext), "Active") == true);
    // And comes back on the free mux id.
    REQUIRE(set(bed, contexts[1], "Active", g_variant_new_boolean(TRUE)).ok());
    REQUIRE(wait_until([&] { return !settings(bed, contexts[1]).empty(); }));
    CHECK(prop_string(settings(bed, contexts[1]), "Interface") == "qmimux1");
    CHECK(bed.ofono_log().find("removing link") == std::string::npos);
    CHECK(bed.ofono_log().find("cannot be activated") == std::string::npos);
}
