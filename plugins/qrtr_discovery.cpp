#include "qrtr_discovery.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>

namespace qmi
{
namespace
{

namespace fs = std::filesystem;

constexpr const char *kIpaDriver = "ipa";
constexpr const char *kBamDmuxDriver = "bam-dmux";

// "wwan10" after "wwan9": the name split into its text and its number.
std::pair<std::string, long> natural_key(const std::string &name)
{
    auto digits = name.find_last_not_of("0123456789");
    digits = digits == std::string::npos ? 0 : digits + 1;
    if (digits == name.size() || name.size() - digits > 9)
        return {name, -1};
    return {name.substr(0, digits), std::stol(name.substr(digits))};
}

bool before(const NetInterface &a, const NetInterface &b)
{
    // An unknown dev_port sorts after any known one.
    const long pa = a.dev_port < 0 ? 1L << 40 : a.dev_port;
    const long pb = b.dev_port < 0 ? 1L << 40 : b.dev_port;
    return std::make_pair(pa, natural_key(a.name)) < std::make_pair(pb, natural_key(b.name));
}

std::string first_of(const std::vector<NetInterface> &interfaces, const std::string &driver)
{
    const NetInterface *best = nullptr;
    for (const auto &i : interfaces)
        if (i.driver == driver && (!best || before(i, *best)))
            best = &i;
    return best ? best->name : std::string();
}

} // namespace

std::vector<NetInterface> read_net_interfaces(const std::string &sysfs_root)
{
    std::vector<NetInterface> found;
    std::error_code ec;
    fs::directory_iterator it(fs::path(sysfs_root) / "class" / "net", ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
        const fs::path dir = it->path();
        std::error_code link_ec;
        const fs::path driver = fs::read_symlink(dir / "device" / "driver", link_ec);
        if (link_ec || driver.filename().empty())
            continue;
        NetInterface i;
        i.name = dir.filename().string();
        i.driver = driver.filename().string();
        std::ifstream port(dir / "dev_port");
        if (int value; port >> value && value >= 0)
            i.dev_port = value;
        found.push_back(std::move(i));
    }
    std::sort(found.begin(), found.end(),
              [](const NetInterface &a, const NetInterface &b) { return a.name < b.name; });
    return found;
}

std::string pick_network_interface(const std::vector<NetInterface> &interfaces)
{
    if (auto ipa = first_of(interfaces, kIpaDriver); !ipa.empty())
        return ipa;
    return first_of(interfaces, kBamDmuxDriver);
}

bool is_soc_control_port(const std::string &device)
{
    if (device.rfind("qrtr://", 0) == 0)
        return true;
    const std::string base = fs::path(device).filename().string();
    if (base.rfind("rpmsg", 0) == 0)
        return true;
    // /dev/wwanNqmiM: the WWAN subsystem's QMI port (msm8916's DATA5_CNTL).
    return base.rfind("wwan", 0) == 0 && base.find("qmi") != std::string::npos;
}

// ---- QrtrDiscovery ----------------------------------------------------------

QrtrDiscovery::QrtrDiscovery(ModemRegistry &registry, std::unique_ptr<QrtrNodeSource> source,
                             Hooks hooks, unsigned settle_ms)
    : registry_(registry), hooks_(std::move(hooks)), settle_ms_(settle_ms),
      source_(std::move(source))
{
}

QrtrDiscovery::~QrtrDiscovery()
{
    source_.reset(); // no more events
    alive_.reset();  // no settle timer does anything
    for (auto &[id, node] : nodes_)
        if (node.state == NodeState::Modem)
            registry_.remove(key_for(id));
}

void QrtrDiscovery::start()
{
    if (source_)
        source_->start(*this);
}

std::string QrtrDiscovery::key_for(std::uint32_t node)
{
    return "qrtr:" + std::to_string(node);
}

std::string QrtrDiscovery::name_for(std::uint32_t node)
{
    return "qrtr" + std::to_string(node);
}

void QrtrDiscovery::log(QrtrLogLevel level, const std::string &text) const
{
    if (hooks_.log)
        hooks_.log(level, text);
}

void QrtrDiscovery::node_added(std::uint32_t id)
{
    auto it = nodes_.find(id);
    if (it != nodes_.end()) {
        // Added twice without a removal in between: start over.
        remove_modem(id, it->second, "node reported again");
        nodes_.erase(it);
    }
    nodes_.emplace(id, Node{});
    log(QrtrLogLevel::Debug, "QRTR discovery: node " + std::to_string(id) + " on the bus");
}

void QrtrDiscovery::node_removed(std::uint32_t id)
{
    auto it = nodes_.find(id);
    if (it == nodes_.end())
        return;
    remove_modem(id, it->second, "node left the QRTR bus (modem subsystem restart?)");
    nodes_.erase(it);
    log(QrtrLogLevel::Debug, "QRTR discovery: node " + std::to_string(id) + " left the bus");
}

void QrtrDiscovery::service_added(std::uint32_t id, std::uint32_t service)
{
    // A source may report a service before (or without) its node.
    Node &node = nodes_[id];
    if (!node.services.insert(service).second)
        return;
    switch (node.state) {
    case NodeState::Waiting:
        if (service == kQrtrServiceDms) {
            log(QrtrLogLevel::Debug,
                "QRTR discovery: node " + std::to_string(id) + " serves QMI DMS: a modem");
            settle(id, node);
        }
        break;
    case NodeState::Settling:
        settle(id, node); // still registering services: wait again
        break;
    case NodeState::Modem:
    case NodeState::Refused:
        log(QrtrLogLevel::Debug, "QRTR discovery: node " + std::to_string(id) + ": service " +
                                     std::to_string(service) +
                                     " appeared after the modem was made");
        break;
    }
}

void QrtrDiscovery::service_removed(std::uint32_t id, std::uint32_t service)
{
    auto it = nodes_.find(id);
    if (it == nodes_.end() || !it->second.services.erase(service))
        return;
    if (service == kQrtrServiceDms)
        remove_modem(id, it->second, "QMI DMS left the node");
}

void QrtrDiscovery::settle(std::uint32_t id, Node &node)
{
    node.state = NodeState::Settling;
    node.settle = ++next_timer_;
    if (!hooks_.after) {
        settled(id, node.settle);
        return;
    }
    hooks_.after(settle_ms_,
                 [alive = std::weak_ptr<const void>(alive_), this, id, timer = node.settle] {
                     if (!alive.expired())
                         settled(id, timer);
                 });
}

void QrtrDiscovery::settled(std::uint32_t id, unsigned long timer)
{
    auto it = nodes_.find(id);
    // A later service restarted the wait, or the node (or its DMS) went.
    if (it == nodes_.end() || it->second.settle != timer || it->second.state != NodeState::Settling)
        return;
    Node &node = it->second;
    ModemConfig cfg;
    cfg.name = name_for(id);
    cfg.device = "qrtr://" + std::to_string(id);
    if (hooks_.network_interface)
        cfg.network_interface = hooks_.network_interface();
    std::string why;
    const std::string name = registry_.add(ModemRegistry::Origin::Qrtr, key_for(id), cfg, &why);
    // The registry may have called into oFono: look the node up again.
    it = nodes_.find(id);
    if (it == nodes_.end() || &it->second != &node)
        return;
    if (name.empty()) {
        node.state = NodeState::Refused;
        log(QrtrLogLevel::Info, "QRTR discovery: modem on " + cfg.device + " not added: " + why);
        return;
    }
    node.state = NodeState::Modem;
    log(QrtrLogLevel::Info,
        "QRTR discovery: modem /" + name + " on " + cfg.device +
            (cfg.network_interface.empty() ? std::string(", no data interface found")
                                           : ", data interface " + cfg.network_interface));
}

void QrtrDiscovery::remove_modem(std::uint32_t id, Node &node, const char *why)
{
    const NodeState was = node.state;
    node.state = NodeState::Waiting;
    node.settle = 0;
    if (was != NodeState::Modem)
        return;
    registry_.remove(key_for(id));
    log(QrtrLogLevel::Info,
        "QRTR discovery: qrtr://" + std::to_string(id) + ": " + why + ": modem removed");
}

} // namespace qmi
