// plugins/qrtr_discovery: QRTR nodes becoming oFono modems, driven by a
// simulated QRTR bus (the same QrtrNodeSource interface the libqrtr source
// implements), a hand-turned clock for the settle timers, and oFono's modem
// creation replaced by recording functions. Also the data interface choice
// from sysfs-like fixtures (sdm845 with IPA, msm8916 with bam-dmux).
#include "qrtr_discovery.hpp"

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <glib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace
{

using qmi::ModemConfig;
using qmi::ModemRegistry;
using qmi::NetInterface;
using qmi::QrtrDiscovery;
using qmi::QrtrLogLevel;

// QMI service numbers as a real sdm845 bus shows them (qrtr-lookup).
constexpr std::uint32_t kWds = 1, kDms = 2, kNas = 3, kWms = 5, kUim = 11, kRmtfs = 14, kVoice = 9,
                        kServregLocator = 64, kServregNotifier = 66, kTftp = 4096;
const std::vector<std::uint32_t> kModemServices = {kDms, kNas, kWds, kUim, kWms, kVoice};
const std::vector<std::uint32_t> kApServices = {kRmtfs, kServregLocator, kTftp};

// oFono: every created modem gets a fake pointer; live tracks what exists.
struct FakeOfono {
    std::vector<std::string> journal; // "+qrtr0 qrtr://0 rmnet_ipa0", "-qrtr0"
    std::vector<ModemConfig> made;
    std::set<std::size_t> live;
    std::size_t most_live = 0;

    ModemRegistry registry()
    {
        return ModemRegistry(
            [this](const ModemConfig &cfg) -> ofono_modem * {
                made.push_back(cfg);
                live.insert(made.size());
                most_live = std::max(most_live, live.size());
                journal.push_back("+" + cfg.name + " " + cfg.device + " " + cfg.network_interface);
                return reinterpret_cast<ofono_modem *>(made.size());
            },
            [this](ofono_modem *m) {
                const auto index = reinterpret_cast<std::size_t>(m);
                REQUIRE(live.erase(index) == 1); // never removed twice
                journal.push_back("-" + made.at(index - 1).name);
            });
    }
    std::size_t created() const { return made.size(); }
};

// The settle timers, fired by hand.
struct FakeClock {
    struct Timer {
        unsigned ms;
        std::function<void()> fn;
    };
    std::vector<Timer> pending;
    void after(unsigned ms, std::function<void()> fn) { pending.push_back({ms, std::move(fn)}); }
    // Fires the oldest timer; false if there is none.
    bool fire_next()
    {
        if (pending.empty())
            return false;
        auto timer = std::move(pending.front());
        pending.erase(pending.begin());
        timer.fn();
        return true;
    }
    void run()
    {
        while (fire_next()) {
        }
    }
};

// A simulated QRTR bus: what libqrtr reports, in libqrtr's order (a node
// before its first service; its services removed, then the node).
struct SimBus {
    std::map<std::uint32_t, std::vector<std::uint32_t>> nodes;
    qmi::QrtrNodeEvents *events = nullptr;
    bool destroyed = false;
    int starts = 0;

    void add_node(std::uint32_t id, const std::vector<std::uint32_t> &services)
    {
        nodes[id] = {};
        if (events)
            events->node_added(id);
        for (auto s : services)
            add_service(id, s);
    }
    void add_service(std::uint32_t id, std::uint32_t service)
    {
        nodes[id].push_back(service);
        if (events)
            events->service_added(id, service);
    }
    void remove_service(std::uint32_t id, std::uint32_t service)
    {
        auto &list = nodes.at(id);
        list.erase(std::find(list.begin(), list.end(), service));
        if (events)
            events->service_removed(id, service);
        if (list.empty())
            drop(id);
    }
    // The node's processor stopped: every service goes, then the node.
    void remove_node(std::uint32_t id)
    {
        auto services = nodes.at(id);
        for (auto s : services)
            remove_service(id, s);
    }
    void drop(std::uint32_t id)
    {
        nodes.erase(id);
        if (events)
            events->node_removed(id);
    }
};

class SimSource final : public qmi::QrtrNodeSource
{
  public:
    explicit SimSource(SimBus &bus) : bus_(bus) {}
    ~SimSource() override
    {
        bus_.events = nullptr;
        bus_.destroyed = true;
    }
    void start(qmi::QrtrNodeEvents &events) override
    {
        bus_.starts++;
        // Coldplug as QrtrBusSource does it: each present node, then its services.
        for (const auto &[id, services] : bus_.nodes) {
            events.node_added(id);
            for (auto s : services)
                events.service_added(id, s);
        }
        bus_.events = &events;
    }

  private:
    SimBus &bus_;
};

struct Rig {
    FakeOfono ofono;
    ModemRegistry registry = ofono.registry();
    FakeClock clock;
    SimBus bus;
    std::string data_interface = "rmnet_ipa0";
    std::vector<std::pair<QrtrLogLevel, std::string>> logs;
    std::unique_ptr<QrtrDiscovery> discovery;

    void start()
    {
        QrtrDiscovery::Hooks hooks;
        hooks.network_interface = [this] { return data_interface; };
        hooks.after = [this](unsigned ms, std::function<void()> fn) {
            clock.after(ms, std::move(fn));
        };
        hooks.log = [this](QrtrLogLevel level, const std::string &text) {
            logs.emplace_back(level, text);
        };
        discovery = std::make_unique<QrtrDiscovery>(registry, std::make_unique<SimSource>(bus),
                                                    std::move(hooks));
        discovery->start();
    }

    // The common start: the modem's node 0 is there, and has settled.
    void start_with_modem()
    {
        bus.add_node(0, kModemServices);
        start();
        clock.run();
    }
    std::size_t warnings() const
    {
        return std::count_if(logs.begin(), logs.end(),
                             [](const auto &l) { return l.first == QrtrLogLevel::Warning; });
    }
};

using Journal = std::vector<std::string>;

} // namespace

TEST_CASE("qrtr discovery: coldplug makes the modem node a modem, once it has settled", "[qrtr]")
{
    Rig rig;
    rig.bus.add_node(1, kApServices);        // the AP's own node (rmtfs, pd-mapper, tqftpserv)
    rig.bus.add_node(0, kModemServices);     // the modem
    rig.bus.add_node(5, {kServregNotifier}); // the ADSP
    rig.start();
    CHECK(rig.bus.starts == 1);
    CHECK(rig.ofono.created() == 0); // waiting for the node's services to settle
    CHECK_FALSE(rig.clock.pending.empty());
    CHECK(rig.clock.pending.front().ms == QrtrDiscovery::kSettleMs);
    rig.clock.run();
    CHECK(rig.ofono.journal == Journal{"+qrtr0 qrtr://0 rmnet_ipa0"});
    CHECK(rig.registry.has_key("qrtr:0"));
    CHECK(rig.registry.has_device("qrtr://0"));
    CHECK(rig.registry.size() == 1);
    CHECK(rig.ofono.made.at(0).proxy == false);
    CHECK(rig.warnings() == 0);
}

TEST_CASE("qrtr discovery: nodes without QMI DMS never become modems", "[qrtr]")
{
    Rig rig;
    rig.bus.add_node(1, kApServices);
    rig.start();
    rig.bus.add_node(5, {kServregNotifier});
    // A node serving some modem-side services but not DMS is not a modem either.
    rig.bus.add_node(7, {kNas, kWds});
    rig.clock.run();
    CHECK(rig.ofono.created() == 0);
    CHECK(rig.registry.size() == 0);
    rig.bus.remove_node(5);
    rig.bus.remove_node(1);
    CHECK(rig.ofono.journal.empty());
}

TEST_CASE("qrtr discovery: services arriving one by one; the modem waits for the last", "[qrtr]")
{
    Rig rig;
    rig.start();
    rig.bus.add_node(0, {});
    rig.bus.add_service(0, kTftp); // not yet a modem: no timer
    CHECK(rig.clock.pending.empty());
    rig.bus.add_service(0, kDms);
    CHECK(rig.clock.pending.size() == 1);
    rig.bus.add_service(0, kNas); // restarts the wait
    rig.clock.fire_next();        // the first timer is stale
    CHECK(rig.ofono.created() == 0);
    rig.bus.add_service(0, kWds);
    rig.clock.fire_next(); // stale as well
    CHECK(rig.ofono.created() == 0);
    rig.clock.fire_next(); // the last one: the node has settled
    CHECK(rig.ofono.journal == Journal{"+qrtr0 qrtr://0 rmnet_ipa0"});
    // Late services change nothing.
    rig.bus.add_service(0, kUim);
    rig.clock.run();
    CHECK(rig.ofono.created() == 1);
}

TEST_CASE("qrtr discovery: a modem restart removes the modem, then makes it again", "[qrtr]")
{
    Rig rig;
    rig.start_with_modem();
    REQUIRE(rig.ofono.created() == 1);

    // Subsystem restart: every service of node 0 goes, then the node.
    rig.bus.remove_node(0);
    CHECK(rig.ofono.journal == Journal{"+qrtr0 qrtr://0 rmnet_ipa0", "-qrtr0"});
    CHECK_FALSE(rig.registry.has_key("qrtr:0"));
    CHECK(rig.ofono.live.empty());

    // The firmware is back.
    rig.bus.add_node(0, kModemServices);
    CHECK(rig.ofono.created() == 1);
    rig.clock.run();
    CHECK(rig.ofono.journal ==
          Journal{"+qrtr0 qrtr://0 rmnet_ipa0", "-qrtr0", "+qrtr0 qrtr://0 rmnet_ipa0"});
    CHECK(rig.ofono.live.size() == 1);
    CHECK(rig.ofono.most_live == 1);
}

TEST_CASE("qrtr discovery: flapping leaves at most one modem and no stale timer", "[qrtr]")
{
    Rig rig;
    rig.start_with_modem();
    REQUIRE(rig.ofono.created() == 1);

    SECTION("back and gone again faster than the settle time")
    {
        for (int i = 0; i < 5; i++) {
            rig.bus.remove_node(0);
            rig.bus.add_node(0, kModemServices);
        }
        CHECK(rig.ofono.live.empty()); // removed at the first loss, not made yet
        CHECK(rig.clock.pending.size() >= 5);
        rig.clock.run();
        CHECK(rig.ofono.created() == 2);
        CHECK(rig.ofono.live.size() == 1);
    }
    SECTION("gone for good while settling")
    {
        rig.bus.remove_node(0);
        rig.bus.add_node(0, kModemServices);
        rig.bus.remove_node(0);
        rig.clock.run();
        CHECK(rig.ofono.created() == 1);
        CHECK(rig.ofono.live.empty());
        CHECK(rig.registry.size() == 0);
    }
    SECTION("a timer from before the loss fires after the node came back")
    {
        rig.bus.remove_node(0);
        rig.bus.add_node(0, {kDms}); // timer A
        rig.bus.remove_node(0);
        rig.bus.add_node(0, {kDms, kNas}); // timers B, C
        rig.clock.fire_next();             // A: from a node that is gone
        rig.clock.fire_next();             // B: restarted by NAS
        CHECK(rig.ofono.created() == 1);
        rig.clock.fire_next(); // C
        CHECK(rig.ofono.created() == 2);
        CHECK(rig.ofono.live.size() == 1);
    }
    CHECK(rig.ofono.most_live == 1);
    CHECK(std::count(rig.ofono.journal.begin(), rig.ofono.journal.end(), "-qrtr0") == 1);
}

TEST_CASE("qrtr discovery: DMS leaving the node removes the modem; back, it returns", "[qrtr]")
{
    Rig rig;
    rig.start_with_modem();
    rig.bus.remove_service(0, kDms); // the node stays (other services remain)
    CHECK(rig.ofono.live.empty());
    rig.bus.remove_service(0, kNas);
    rig.bus.add_service(0, kDms);
    rig.clock.run();
    CHECK(rig.ofono.created() == 2);
    CHECK(rig.ofono.live.size() == 1);
}

TEST_CASE("qrtr discovery: two modem nodes are two modems", "[qrtr]")
{
    Rig rig;
    rig.bus.add_node(0, kModemServices);
    rig.start();
    rig.bus.add_node(3, kModemServices);
    rig.clock.run();
    CHECK(rig.ofono.journal == Journal{"+qrtr0 qrtr://0 rmnet_ipa0", "+qrtr3 qrtr://3 rmnet_ipa0"});
    rig.bus.remove_node(3);
    CHECK(rig.registry.has_key("qrtr:0"));
    CHECK_FALSE(rig.registry.has_key("qrtr:3"));
    CHECK(rig.ofono.journal.back() == "-qrtr3");
}

TEST_CASE("qrtr discovery: a node qmi.conf already names stays the configuration's", "[qrtr]")
{
    Rig rig;
    ModemConfig phone;
    phone.name = "phone";
    phone.device = "qrtr://0";
    REQUIRE(rig.registry.add(ModemRegistry::Origin::Config, "phone", phone) == "phone");
    rig.bus.add_node(0, kModemServices);
    rig.start();
    rig.clock.run();
    CHECK(rig.ofono.journal == Journal{"+phone qrtr://0 "});
    CHECK(rig.warnings() == 0);
    // Its restart does not touch the configured modem either.
    rig.bus.remove_node(0);
    rig.bus.add_node(0, kModemServices);
    rig.clock.run();
    CHECK(rig.ofono.journal == Journal{"+phone qrtr://0 "});
}

TEST_CASE("qrtr discovery: no data interface found, the modem is made without one", "[qrtr]")
{
    Rig rig;
    rig.data_interface = "";
    rig.bus.add_node(0, kModemServices);
    rig.start();
    rig.clock.run();
    REQUIRE(rig.ofono.created() == 1);
    CHECK(rig.ofono.made.at(0).network_interface.empty());
}

TEST_CASE("qrtr discovery: stopping stops the bus and removes its modems only", "[qrtr]")
{
    Rig rig;
    ModemConfig usb;
    usb.name = "usb";
    usb.device = "/dev/cdc-wdm0";
    rig.registry.add(ModemRegistry::Origin::Udev, "/sys/usb1", usb);
    rig.bus.add_node(0, kModemServices);
    rig.start();
    rig.clock.run();
    rig.bus.add_node(2, kModemServices); // still settling when discovery stops
    REQUIRE(rig.ofono.created() == 2);
    REQUIRE_FALSE(rig.clock.pending.empty());
    rig.discovery.reset();
    CHECK(rig.bus.destroyed);
    CHECK(rig.ofono.journal.back() == "-qrtr0");
    CHECK(rig.registry.size() == 1);
    CHECK(rig.registry.has_key("/sys/usb1"));
    rig.clock.run(); // node 2's timer outlived the discovery: it does nothing
    CHECK(rig.ofono.created() == 2);
}

TEST_CASE("qrtr discovery: a node reported twice is started over", "[qrtr]")
{
    Rig rig;
    rig.start_with_modem();
    rig.bus.events->node_added(0); // no removal in between (a confused source)
    CHECK(rig.ofono.live.empty());
    for (auto s : kModemServices)
        rig.bus.events->service_added(0, s);
    rig.clock.run();
    CHECK(rig.ofono.live.size() == 1);
    CHECK(rig.ofono.most_live == 1);
}

// ---- the data interface ------------------------------------------------------

TEST_CASE("qrtr data interface: sdm845 picks the IPA interface", "[qrtr]")
{
    const std::vector<NetInterface> sdm845 = {
        {"rmnet_ipa0", "ipa", -1},
        {"wlan0", "ath10k_snoc", 0},
        {"usb0", "ci_hdrc", 0},
    };
    CHECK(qmi::pick_network_interface(sdm845) == "rmnet_ipa0");
}

TEST_CASE("qrtr data interface: msm8916 picks bam-dmux's first channel", "[qrtr]")
{
    CHECK(qmi::pick_network_interface({
              {"wlan0", "wcn36xx", 0},
              {"wwan1", "bam-dmux", 1},
              {"wwan0", "bam-dmux", 0},
          }) == "wwan0");
    // The channel (dev_port) decides, not the name the kernel gave first.
    CHECK(qmi::pick_network_interface({
              {"wwan0", "bam-dmux", 2},
              {"wwan1", "bam-dmux", 0},
          }) == "wwan1");
    // Without dev_port: numeric name order (wwan9 before wwan10).
    CHECK(qmi::pick_network_interface({
              {"wwan10", "bam-dmux", -1},
              {"wwan9", "bam-dmux", -1},
          }) == "wwan9");
}

TEST_CASE("qrtr data interface: none for a USB modem's or a laptop's interfaces", "[qrtr]")
{
    CHECK(qmi::pick_network_interface({}).empty());
    CHECK(qmi::pick_network_interface({
                                          {"wwan0", "qmi_wwan", 0},
                                          {"eth0", "e1000e", 0},
                                      })
              .empty());
}

namespace
{

namespace fs = std::filesystem;

// A temporary sysfs-like tree laid out as the kernel does: /sys/class/net/X
// is a link into /sys/devices, X/device links to the parent device, whose
// driver links into /sys/bus.
struct SysfsFixture {
    TempDir dir{"sysfs"};
    fs::path root = dir.path;
    SysfsFixture() { fs::create_directories(root / "class/net"); }

    // parent: e.g. "platform/soc@0/1e40000.ipa"; driver "" for a virtual device.
    void netdev(const std::string &name, const std::string &parent, const std::string &driver,
                int dev_port = -1)
    {
        fs::path dir;
        if (parent.empty()) {
            dir = root / "devices/virtual/net" / name;
            fs::create_directories(dir);
        } else {
            const fs::path dev = root / "devices" / parent;
            dir = dev / "net" / name;
            fs::create_directories(dir);
            fs::create_directory_symlink("../../../" + fs::path(parent).filename().string(),
                                         dir / "device");
            if (!driver.empty() && !fs::exists(fs::symlink_status(dev / "driver"))) {
                fs::create_directories(root / "bus/platform/drivers" / driver);
                fs::create_directory_symlink(
                    fs::relative(root / "bus/platform/drivers" / driver, dev), dev / "driver");
            }
        }
        if (dev_port >= 0)
            std::ofstream(dir / "dev_port") << dev_port << "\n";
        fs::create_directory_symlink(fs::relative(dir, root / "class/net"),
                                     root / "class/net" / name);
    }
};

} // namespace

TEST_CASE("qrtr data interface: read from an sdm845-like sysfs", "[qrtr]")
{
    SysfsFixture sys;
    sys.netdev("lo", "", "");
    sys.netdev("rmnet_data0", "", ""); // rmnet link on top of IPA: virtual
    sys.netdev("rmnet_ipa0", "platform/soc@0/1e40000.ipa", "ipa");
    sys.netdev("wlan0", "platform/soc@0/18800000.wifi", "ath10k_snoc", 0);
    const auto found = qmi::read_net_interfaces(sys.root.string());
    REQUIRE(found.size() == 2);
    CHECK(found[0].name == "rmnet_ipa0");
    CHECK(found[0].driver == "ipa");
    CHECK(found[0].dev_port == -1);
    CHECK(found[1].name == "wlan0");
    CHECK(found[1].driver == "ath10k_snoc");
    CHECK(found[1].dev_port == 0);
    CHECK(qmi::pick_network_interface(found) == "rmnet_ipa0");
}

TEST_CASE("qrtr data interface: read from an msm8916-like sysfs", "[qrtr]")
{
    SysfsFixture sys;
    sys.netdev("lo", "", "");
    sys.netdev("wlan0", "platform/soc@0/a000000.wifi", "wcn36xx", 0);
    // bam-dmux registers wwanN as the modem opens channels (here 1 before 0).
    sys.netdev("wwan0", "platform/soc@0/4044000.bam-dmux", "bam-dmux", 1);
    sys.netdev("wwan1", "platform/soc@0/4044000.bam-dmux", "bam-dmux", 0);
    const auto found = qmi::read_net_interfaces(sys.root.string());
    REQUIRE(found.size() == 3);
    CHECK(found[1].name == "wwan0");
    CHECK(found[1].driver == "bam-dmux");
    CHECK(found[1].dev_port == 1);
    CHECK(qmi::pick_network_interface(found) == "wwan1");
}

TEST_CASE("qrtr data interface: a missing sysfs is an empty list", "[qrtr]")
{
    CHECK(qmi::read_net_interfaces("/nonexistent-sysfs-root").empty());
}

TEST_CASE("qrtr: which configured devices are a SoC modem's control port", "[qrtr]")
{
    CHECK(qmi::is_soc_control_port("qrtr://0"));
    CHECK(qmi::is_soc_control_port("/dev/wwan0qmi0"));
    CHECK(qmi::is_soc_control_port("/dev/rpmsg0"));
    CHECK_FALSE(qmi::is_soc_control_port("/dev/cdc-wdm0"));
    CHECK_FALSE(qmi::is_soc_control_port("/dev/wwan0at0"));
    CHECK_FALSE(qmi::is_soc_control_port("/tmp/qmi-sim-pty"));
}
