// QRTR discovery: on Qualcomm SoC phones (sdm845 and later, msm8916 too)
// the modem is a node of the QRTR bus. A node that serves QMI DMS becomes
// an oFono modem on qrtr://N (registry key "qrtr:N", name "qrtrN") with the
// phone's data interface; when the node leaves the bus (a modem subsystem
// restart) the modem is removed, and it is made again when the node is back.
//
// Which nodes: the AP's own node and the other remote processors (ADSP,
// CDSP, sensors, Wi-Fi firmware) serve QMI services too, but never DMS.
// When: the firmware registers its services one by one, DMS among the
// first; the modem is made once the node has served DMS and no new service
// has appeared for settle_ms, so oFono (and ConnMan, which powers a new
// modem at once) finds the node complete. A node that leaves within that
// time never becomes a modem.
//
// No libqrtr and no oFono here: events come from a QrtrNodeSource, modems go
// to a ModemRegistry, time and sysfs come through Hooks. Unit-tested with a
// simulated bus (test/unit/test_qrtr_discovery.cpp).
#pragma once

#include "config.hpp"
#include "modem_registry.hpp"
#include "qrtr_nodes.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace qmi
{

// A network interface as /sys/class/net shows it.
struct NetInterface {
    std::string name;   // rmnet_ipa0, wwan0, ...
    std::string driver; // basename of device/driver: "ipa", "bam-dmux", ...
    int dev_port = -1;  // the dev_port attribute (bam-dmux: the channel), -1 unknown
};

// The interfaces under <sysfs_root>/class/net that have a driver (virtual
// ones such as rmnet_data0 or lo have none). Unreadable entries are skipped.
std::vector<NetInterface> read_net_interfaces(const std::string &sysfs_root);

// The SoC modem's data interface among them: the IPA driver's (rmnet_ipa0
// on sdm845-class SoCs), else bam-dmux's first channel (msm8916/msm8974:
// the lowest dev_port, normally wwan0); "" when there is neither.
std::string pick_network_interface(const std::vector<NetInterface> &interfaces);

// True for a Device= that is a SoC modem's control port: qrtr://N, a WWAN
// subsystem QMI port (/dev/wwanNqmiM, msm8916's rpmsg QMI channel) or an
// rpmsg character device. A qmi.conf naming one already has the phone's
// modem, so QRTR discovery stays off (two oFono modems on one modem fight).
bool is_soc_control_port(const std::string &device);

class QrtrDiscovery final : private QrtrNodeEvents
{
  public:
    static constexpr unsigned kSettleMs = 1000;

    struct Hooks {
        // The data interface for a modem being made ("" for none).
        std::function<std::string()> network_interface;
        // Runs fn once, ms milliseconds later, from the main loop.
        std::function<void(unsigned ms, std::function<void()> fn)> after;
        QrtrLog log;
    };

    QrtrDiscovery(ModemRegistry &registry, std::unique_ptr<QrtrNodeSource> source, Hooks hooks,
                  unsigned settle_ms = kSettleMs);
    // Stops the source and removes the modems this discovery made.
    ~QrtrDiscovery();
    QrtrDiscovery(const QrtrDiscovery &) = delete;
    QrtrDiscovery &operator=(const QrtrDiscovery &) = delete;

    void start();

    static std::string key_for(std::uint32_t node);
    static std::string name_for(std::uint32_t node);

  private:
    enum class NodeState {
        Waiting,  // no DMS (yet)
        Settling, // DMS served, waiting for the rest of the services
        Modem,    // the oFono modem exists
        Refused,  // the registry did not take it (qmi.conf has it, oFono refused)
    };
    struct Node {
        std::set<std::uint32_t> services;
        NodeState state = NodeState::Waiting;
        unsigned long settle = 0; // the settle timer that may make the modem
    };

    void node_added(std::uint32_t node) override;
    void node_removed(std::uint32_t node) override;
    void service_added(std::uint32_t node, std::uint32_t service) override;
    void service_removed(std::uint32_t node, std::uint32_t service) override;

    void settle(std::uint32_t id, Node &node);
    void settled(std::uint32_t id, unsigned long timer);
    void remove_modem(std::uint32_t id, Node &node, const char *why);
    void log(QrtrLogLevel level, const std::string &text) const;

    ModemRegistry &registry_;
    Hooks hooks_;
    unsigned settle_ms_;
    std::map<std::uint32_t, Node> nodes_;
    unsigned long next_timer_ = 0;
    std::shared_ptr<const void> alive_ = std::make_shared<char>();
    std::unique_ptr<QrtrNodeSource> source_; // last: stopped first
};

} // namespace qmi
