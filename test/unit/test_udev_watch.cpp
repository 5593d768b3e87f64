// plugins/udev_watch: coldplug, hot-plug, the wait for a late network
// interface, removal, against a umockdev testbed (libudev in this process
// sees the fake sysfs and the testbed's uevents through umockdev's preload
// library; see under_umockdev.hpp). Runs under ASan/LSan in the sanitizer
// build like the other unit tests.
//
// The fake devices follow doc/hardware.md's layouts and the kernel's sysfs
// naming; they are not recordings of real hardware.
#include "udev_watch.hpp"

#include "under_umockdev.hpp"

#include <catch2/catch.hpp>

#include <umockdev.h>

#include <chrono>
#include <string>
#include <vector>

#ifndef QMI_UMOCKDEV_PRELOAD
#define QMI_UMOCKDEV_PRELOAD "libumockdev-preload.so.0"
#endif

namespace
{

const bool g_under_umockdev = test_support::run_under_umockdev_preload(QMI_UMOCKDEV_PRELOAD);

std::string take(gchar *s)
{
    std::string out = s ? s : "";
    g_free(s);
    return out;
}

// A umockdev testbed; adding a device sends its "add" uevent.
class Testbed
{
  public:
    Testbed() : testbed_(umockdev_testbed_new()) {}
    ~Testbed()
    {
        g_object_unref(testbed_);
        g_unsetenv("UMOCKDEV_DIR");
    }
    Testbed(const Testbed &) = delete;
    Testbed &operator=(const Testbed &) = delete;

    // name: the path below /sys/devices.
    std::string add(const char *subsystem, const std::string &name,
                    std::vector<const char *> attributes, std::vector<const char *> properties)
    {
        attributes.push_back(nullptr);
        properties.push_back(nullptr);
        auto path = take(umockdev_testbed_add_devicev(testbed_, subsystem, name.c_str(), nullptr,
                                                      const_cast<gchar **>(attributes.data()),
                                                      const_cast<gchar **>(properties.data())));
        REQUIRE(!path.empty());
        added_.push_back(path);
        return path;
    }
    std::string add_interface(const std::string &name, const char *number, const char *driver)
    {
        auto path = add("usb", name, {"bInterfaceNumber", number},
                        {"DEVTYPE", "usb_interface", "DRIVER", driver});
        umockdev_testbed_set_attribute_link(
            testbed_, path.c_str(), "driver",
            (std::string("../../../../bus/usb/drivers/") + driver).c_str());
        return path;
    }
    // Removes what was added, children first, each with its "remove" event.
    void unplug_all()
    {
        for (auto it = added_.rbegin(); it != added_.rend(); ++it) {
            umockdev_testbed_uevent(testbed_, it->c_str(), "remove");
            umockdev_testbed_remove_device(testbed_, it->c_str());
        }
        added_.clear();
    }

    // A Quectel EG25-G at /sys/devices/usb1/<port>, without its network
    // interface (add_eg25_net) so a test can choose when that comes.
    std::string add_eg25(const std::string &port, int wdm)
    {
        const std::string usb = "usb1/" + port;
        auto path = add("usb", usb,
                        {"idVendor", "2c7c", "idProduct", "0125", "manufacturer", "Quectel",
                         "product", "EG25-G"},
                        {"DEVTYPE", "usb_device"});
        add_interface(usb + "/" + port + ":1.2", "02", "option");
        add("usb-serial", usb + "/" + port + ":1.2/ttyUSB2", {}, {});
        add("tty", usb + "/" + port + ":1.2/ttyUSB2/tty/ttyUSB2", {}, {"DEVNAME", "/dev/ttyUSB2"});
        add_interface(usb + "/" + port + ":1.4", "04", "qmi_wwan");
        const std::string wdm_name = "cdc-wdm" + std::to_string(wdm);
        add("usbmisc", usb + "/" + port + ":1.4/usbmisc/" + wdm_name, {},
            {"DEVNAME", ("/dev/" + wdm_name).c_str()});
        return path;
    }
    void add_eg25_net(const std::string &port, const char *ifname)
    {
        add("net", "usb1/" + port + "/" + port + ":1.4/net/" + ifname, {}, {"INTERFACE", ifname});
    }

  private:
    UMockdevTestbed *testbed_;
    std::vector<std::string> added_;
};

struct Recorder {
    std::vector<qmi::UsbModem> found;
    std::vector<std::string> lost;
    std::vector<std::string> log;

    qmi::UdevWatch::Handlers handlers()
    {
        qmi::UdevWatch::Handlers h;
        h.found = [this](const qmi::UsbModem &m) { found.push_back(m); };
        h.lost = [this](const std::string &key) { lost.push_back(key); };
        h.log = [this](qmi::UdevWatch::LogLevel, const std::string &text) { log.push_back(text); };
        return h;
    }
    bool logged(const std::string &text) const
    {
        for (const auto &line : log)
            if (line.find(text) != std::string::npos)
                return true;
        return false;
    }
};

// Runs the default main context until cond holds or timeout_ms passes.
template <typename Cond> bool spin_until(Cond cond, int timeout_ms = 3000)
{
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!cond()) {
        if (std::chrono::steady_clock::now() > end)
            return false;
        g_main_context_iteration(nullptr, FALSE);
        g_usleep(2000);
    }
    return true;
}

void spin_for(int ms)
{
    spin_until([] { return false; }, ms);
}

} // namespace

TEST_CASE("udev watch: a modem present at start is reported at once", "[udev]")
{
    REQUIRE(g_under_umockdev);
    Testbed tb;
    const auto usb = tb.add_eg25("1-1", 0);
    tb.add_eg25_net("1-1", "wwan0");
    Recorder rec;
    auto watch = qmi::UdevWatch::start(rec.handlers());
    REQUIRE(watch);
    REQUIRE(rec.found.size() == 1);
    const auto &m = rec.found[0];
    CHECK(m.key == "/sys/devices/usb1/1-1");
    CHECK(m.config.name == "qmi_2c7c_0125");
    CHECK(m.config.device == "/dev/cdc-wdm0");
    CHECK(m.config.network_interface == "wwan0");
    CHECK(m.config.at_port == "/dev/ttyUSB2");
    CHECK(m.control_syspath == "/sys/devices/usb1/1-1/1-1:1.4/usbmisc/cdc-wdm0");

    // Unplugged: reported lost once, by key.
    tb.unplug_all();
    REQUIRE(spin_until([&] { return !rec.lost.empty(); }));
    spin_for(100);
    CHECK(rec.lost == std::vector<std::string>{"/sys/devices/usb1/1-1"});
    CHECK(rec.found.size() == 1);
}

TEST_CASE("udev watch: hot-plug waits for the network interface, not forever", "[udev]")
{
    REQUIRE(g_under_umockdev);
    Testbed tb;
    Recorder rec;
    auto watch = qmi::UdevWatch::start(rec.handlers(), 300);
    REQUIRE(watch);
    CHECK(rec.found.empty());

    // The control port first; the interface with a later event.
    tb.add_eg25("1-2", 1);
    REQUIRE(spin_until([&] { return rec.logged("waiting for its network interface"); }));
    CHECK(rec.found.empty());
    tb.add_eg25_net("1-2", "wwan1");
    REQUIRE(spin_until([&] { return !rec.found.empty(); }));
    CHECK(rec.found[0].config.device == "/dev/cdc-wdm1");
    CHECK(rec.found[0].config.network_interface == "wwan1");
    // The wait was cancelled: nothing more comes when it would have ended.
    spin_for(500);
    CHECK(rec.found.size() == 1);
    CHECK_FALSE(rec.logged("appeared within"));

    // Out and in again without the interface: after the grace period the
    // modem comes without it.
    tb.unplug_all();
    REQUIRE(spin_until([&] { return rec.lost.size() == 1; }));
    const auto start = std::chrono::steady_clock::now();
    tb.add_eg25("1-2", 1);
    REQUIRE(spin_until([&] { return rec.found.size() == 2; }));
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(250));
    CHECK(rec.found[1].config.network_interface.empty());
    CHECK(rec.found[1].missing == std::vector<std::string>{"network interface"});
    CHECK(rec.logged("no network interface appeared within 300 ms"));
}

TEST_CASE("udev watch: MBIM ports and other USB devices are not reported", "[udev]")
{
    REQUIRE(g_under_umockdev);
    Testbed tb;
    Recorder rec;
    auto watch = qmi::UdevWatch::start(rec.handlers(), 100);
    REQUIRE(watch);
    tb.add("usb", "usb1/1-3", {"idVendor", "1199", "idProduct", "9079"}, {"DEVTYPE", "usb_device"});
    tb.add_interface("usb1/1-3/1-3:1.12", "0c", "cdc_mbim");
    tb.add("usbmisc", "usb1/1-3/1-3:1.12/usbmisc/cdc-wdm0", {}, {"DEVNAME", "/dev/cdc-wdm0"});
    tb.add("net", "usb1/1-3/1-3:1.12/net/wwan0", {}, {"INTERFACE", "wwan0"});
    spin_for(400);
    CHECK(rec.found.empty());
    tb.unplug_all();
    spin_for(100);
    CHECK(rec.lost.empty());
}

TEST_CASE("udev watch: destroyed while waiting, it calls nothing afterwards", "[udev]")
{
    REQUIRE(g_under_umockdev);
    Testbed tb;
    Recorder rec;
    auto watch = qmi::UdevWatch::start(rec.handlers(), 200);
    REQUIRE(watch);
    tb.add_eg25("1-4", 0);
    REQUIRE(spin_until([&] { return rec.logged("waiting for its network interface"); }));
    watch.reset();
    spin_for(400);
    CHECK(rec.found.empty());
    CHECK(rec.lost.empty());
}
