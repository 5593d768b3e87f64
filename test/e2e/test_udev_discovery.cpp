// udev discovery in the real ofonod: a umockdev testbed stands in for sysfs
// and udev. ofonod runs with umockdev's preload library, so its libudev
// (the plugin's and oFono's own) sees a fake Quectel EG25-G (2c7c:0125)
// whose /dev/cdc-wdm0 leads to qmi-sim's pty. Hot-plug goes through
// the testbed (umockdev sends an "add" event for each device added, and
// umockdev_testbed_uevent sends "remove"), which the preload library
// delivers to the plugin's udev monitor. This test program runs under the
// preload library too (it re-executes itself with it, as umockdev-wrapper
// would): umockdev's testbed API finds the devices it adds and sends their
// events through libudev, which must see the fake sysfs for that. ofonod runs as in the supported
// set-up,
// --noplugin=gobi (doc/hardware.md), since oFono's own udev code sees the
// fake modem too.
//
// The fake device's layout follows doc/hardware.md (qmi_wwan on interface
// 4, option's AT port on interface 2) and the kernel's sysfs naming; it is
// not a recording of a real EG25-G.
#include "testbed.hpp"

#include "../unit/under_umockdev.hpp"

#include <catch2/catch.hpp>

#include <umockdev.h>

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <stdexcept>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace e2e;

#ifndef QMI_UMOCKDEV_PRELOAD
#define QMI_UMOCKDEV_PRELOAD "libumockdev-preload.so.0"
#endif

namespace
{

const std::string kModem = "/qmi_2c7c_0125";

const bool g_under_umockdev = test_support::run_under_umockdev_preload(QMI_UMOCKDEV_PRELOAD);

std::string take(gchar *s)
{
    std::string out = s ? s : "";
    g_free(s);
    return out;
}

// A umockdev testbed holding one fake EG25-G. Creating it sets UMOCKDEV_DIR
// in this process, which ofonod inherits; from then on this process's own
// /sys is the fake one too (it runs under the preload library), which only
// umockdev's calls here rely on.
class FakeEg25
{
  public:
    explicit FakeEg25(std::string modem_pty) : pty_(std::move(modem_pty))
    {
        testbed_ = umockdev_testbed_new();
        root_ = take(umockdev_testbed_get_root_dir(testbed_));
    }
    ~FakeEg25()
    {
        g_object_unref(testbed_);
        g_unsetenv("UMOCKDEV_DIR");
    }
    FakeEg25(const FakeEg25 &) = delete;
    FakeEg25 &operator=(const FakeEg25 &) = delete;

    const std::string &root() const { return root_; }
    // Where the next add_control_port()'s /dev/cdc-wdm0 leads.
    void set_pty(std::string pty) { pty_ = std::move(pty); }

    // Into the fake sysfs; umockdev sends an "add" event for each device, in
    // the kernel's order (the USB device, its interfaces, their ports).
    void add_usb_device()
    {
        usb_ = add("usb", "usb2/2-1",
                   {"idVendor", "2c7c", "idProduct", "0125", "manufacturer", "Quectel", "product",
                    "EG25-G"},
                   {"DEVTYPE", "usb_device", "DRIVER", "usb", "PRODUCT", "2c7c/125/318"});
        at_interface_ = add_interface("usb2/2-1/2-1:1.2", "02", "option");
        serial_ = add("usb-serial", "usb2/2-1/2-1:1.2/ttyUSB2", {}, {"DRIVER", "option1"});
        tty_ = add("tty", "usb2/2-1/2-1:1.2/ttyUSB2/tty/ttyUSB2", {},
                   {"DEVNAME", "/dev/ttyUSB2", "MAJOR", "188", "MINOR", "2"});
        qmi_interface_ = add_interface("usb2/2-1/2-1:1.4", "04", "qmi_wwan");
    }
    void add_control_port()
    {
        // The testbed's /dev/cdc-wdm0 is the simulator's pty; the node is
        // there before udev reports the device, as on a real system.
        mkdir((root_ + "/dev").c_str(), 0755);
        unlink((root_ + "/dev/cdc-wdm0").c_str());
        if (symlink(pty_.c_str(), (root_ + "/dev/cdc-wdm0").c_str()) != 0)
            throw std::runtime_error("symlink /dev/cdc-wdm0 failed");
        wdm_ = add("usbmisc", "usb2/2-1/2-1:1.4/usbmisc/cdc-wdm0", {},
                   {"DEVNAME", "/dev/cdc-wdm0", "MAJOR", "180", "MINOR", "176"});
    }
    void add_network_interface()
    {
        net_ = add("net", "usb2/2-1/2-1:1.4/net/wwan0", {"address", "00:00:00:00:00:00"},
                   {"INTERFACE", "wwan0", "IFINDEX", "7"});
    }

    // The whole modem at once, as a coldplug scan sees it.
    void plug()
    {
        add_usb_device();
        add_control_port();
        add_network_interface();
    }

    // Unplugging: children first, as the kernel does. Each device goes on
    // its own (umockdev leaves a removed parent's children's links behind).
    void unplug()
    {
        for (auto *path : {&net_, &wdm_, &qmi_interface_, &tty_, &serial_, &at_interface_, &usb_}) {
            if (path->empty())
                continue;
            umockdev_testbed_uevent(testbed_, path->c_str(), "remove");
            umockdev_testbed_remove_device(testbed_, path->c_str());
            path->clear();
        }
    }

  private:
    std::string add_interface(const char *name, const char *number, const char *driver)
    {
        auto path = add("usb", name, {"bInterfaceNumber", number, "bInterfaceClass", "ff"},
                        {"DEVTYPE", "usb_interface", "DRIVER", driver});
        umockdev_testbed_set_attribute_link(
            testbed_, path.c_str(), "driver",
            (std::string("../../../../bus/usb/drivers/") + driver).c_str());
        return path;
    }

    // name: the path below /sys/devices, given whole (no parent device).
    std::string add(const char *subsystem, const char *name,
                    const std::vector<const char *> &attributes,
                    const std::vector<const char *> &properties)
    {
        std::vector<const char *> attrs = attributes, props = properties;
        attrs.push_back(nullptr);
        props.push_back(nullptr);
        auto path = take(umockdev_testbed_add_devicev(testbed_, subsystem, name, nullptr,
                                                      const_cast<gchar **>(attrs.data()),
                                                      const_cast<gchar **>(props.data())));
        if (path.empty())
            throw std::runtime_error(std::string("umockdev: adding ") + name + " failed");
        return path;
    }

    std::string pty_;
    UMockdevTestbed *testbed_ = nullptr;
    std::string root_;
    std::string usb_, at_interface_, serial_, tty_, qmi_interface_, wdm_, net_;
};

std::string pty_of(const TestBed &bed)
{
    char target[256] = {};
    const ssize_t n = readlink(bed.modem_device().c_str(), target, sizeof(target) - 1);
    if (n <= 0)
        throw std::runtime_error("no simulator pty at " + bed.modem_device());
    return std::string(target, static_cast<size_t>(n));
}

TestBedOptions discovery_options(const std::string &discovery = "udev",
                                 const std::string &config = "# no configured modems\n")
{
    TestBedOptions o;
    o.config = config;
    o.start_ofono = false;
    o.discovery = discovery;
    o.ofono_preload = {QMI_UMOCKDEV_PRELOAD};
    o.ofono_args = {"--noplugin=gobi"};
    return o;
}

bool has_modem(Bus &bus, const std::string &path)
{
    auto modems = bus.modems();
    return std::find(modems.begin(), modems.end(), path) != modems.end();
}

bool log_has(const TestBed &bed, const std::string &text)
{
    return bed.ofono_log().find(text) != std::string::npos;
}

} // namespace

TEST_CASE("udev: an EG25-G present at start is found, powered, online; unplugged and back",
          "[udev]")
{
    TestBed bed(discovery_options());
    FakeEg25 usb(pty_of(bed));
    usb.plug();
    bed.start_ofono();

    // Coldplug.
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    CHECK(bed.bus().modems() == std::vector<std::string>{kModem});
    CHECK(prop_string(bed.bus().properties(kModem, "org.ofono.Modem"), "Name") == "qmi_2c7c_0125");
    CHECK(log_has(bed, "udev discovery: modem /qmi_2c7c_0125: /dev/cdc-wdm0, wwan0, "
                       "AT /dev/ttyUSB2 (2c7c:0125 Quectel EG25-G at /sys/devices/usb2/2-1)"));

    // The simulator behind the testbed's /dev/cdc-wdm0 answers.
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
    REQUIRE(wait_until([&] {
        return prop_bool(bed.bus().properties(kModem, "org.ofono.SimManager"), "Present") == true;
    }));
    CHECK(!prop_string(bed.bus().properties(kModem, "org.ofono.Modem"), "Serial").empty());

    // Hot-unplug: the port vanishes under the open QMI device (the
    // simulator's "disappear": HUP on the pty), udev reports the removal,
    // and the modem goes.
    bed.sim_ok("disappear");
    usb.unplug();
    REQUIRE(wait_until([&] { return !has_modem(bed.bus(), kModem); }));
    CHECK(bed.bus().modems().empty());
    CHECK(log_has(bed, "udev discovery: modem at /sys/devices/usb2/2-1 removed"));

    // Hot-plug: the control port comes first, its network interface with a
    // later event; the modem waits for it, then appears with it.
    usb.set_pty(bed.sim_ok("reappear"));
    usb.add_usb_device();
    usb.add_control_port();
    REQUIRE(wait_until([&] { return log_has(bed, "waiting for its network interface"); }));
    CHECK_FALSE(has_modem(bed.bus(), kModem));
    usb.add_network_interface();
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }));
    const std::string log = bed.ofono_log();
    const auto second = log.rfind("udev discovery: modem /qmi_2c7c_0125:");
    REQUIRE(second != std::string::npos);
    const std::string line = log.substr(second, log.find('\n', second) - second);
    CHECK(line.find(": /dev/cdc-wdm0, wwan0, AT /dev/ttyUSB2 (") != std::string::npos);
    CHECK_FALSE(log_has(bed, "appeared within"));

    // And it works again.
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
}

TEST_CASE("udev: a modem whose network interface never appears comes without it", "[udev]")
{
    TestBed bed(discovery_options());
    FakeEg25 usb(pty_of(bed));
    bed.start_ofono();
    usb.add_usb_device();
    usb.add_control_port();
    REQUIRE(wait_until([&] { return log_has(bed, "waiting for its network interface"); }));
    // Not at once: udev's next event may bring the interface.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK_FALSE(has_modem(bed.bus(), kModem));
    // But after the grace period (2 s), without NetworkInterface=.
    REQUIRE(wait_until([&] { return has_modem(bed.bus(), kModem); }, 5000));
    CHECK(log_has(bed, "no network interface appeared within 2000 ms"));
    CHECK(log_has(bed, "udev discovery: modem /qmi_2c7c_0125: /dev/cdc-wdm0, AT /dev/ttyUSB2 "));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
}

TEST_CASE("udev: a device qmi.conf already names stays the configured modem's", "[udev]")
{
    TestBed bed(discovery_options("udev", "[mine]\nDevice=/dev/cdc-wdm0\n"));
    FakeEg25 usb(pty_of(bed));
    usb.plug();
    bed.start_ofono();
    REQUIRE(wait_until([&] { return log_has(bed, "not added: /dev/cdc-wdm0 is already used"); }));
    CHECK(bed.bus().modems() == std::vector<std::string>{"/mine"});
    REQUIRE(bed.set_modem_property("/mine", "Powered", true));
}

TEST_CASE("udev: OFONO_QMI_DISCOVERY=none finds nothing", "[udev]")
{
    TestBed bed(discovery_options("none"));
    FakeEg25 usb(pty_of(bed));
    usb.plug();
    bed.start_ofono();
    REQUIRE(wait_until([&] { return log_has(bed, "udev discovery off"); }));
    usb.unplug(); // nor is hot-plug
    usb.plug();
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    CHECK(bed.bus().modems().empty());
}
