// QRTR discovery in the plugin: the libqrtr bus source, the discovery logic
// (plugins/qrtr_discovery.hpp), /sys for the data interface, GLib timers,
// oFono's log.
#pragma once

#include "config.hpp"
#include "modem_registry.hpp"
#include "qrtr_discovery.hpp"

#include <memory>
#include <vector>

namespace qmi
{

class QrtrDiscoveryService;

// Starts watching the QRTR bus, unless a configured modem already names a
// SoC modem's control port (then nullptr, logged at debug level). Destroy
// the result before the registry.
std::unique_ptr<QrtrDiscoveryService>
start_qrtr_discovery(ModemRegistry &registry, const std::vector<ModemConfig> &configured);

class QrtrDiscoveryService
{
  public:
    explicit QrtrDiscoveryService(ModemRegistry &registry);
    ~QrtrDiscoveryService();
    QrtrDiscoveryService(const QrtrDiscoveryService &) = delete;
    QrtrDiscoveryService &operator=(const QrtrDiscoveryService &) = delete;

  private:
    struct Timers;
    std::unique_ptr<Timers> timers_;
    std::unique_ptr<QrtrDiscovery> discovery_;
};

} // namespace qmi
