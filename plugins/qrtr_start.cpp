#include "qrtr_start.hpp"

#include "core/lifetime.hpp"
#include "qrtr_bus_source.hpp"

#include <ofono/log.h>

namespace qmi
{
namespace
{

void to_ofono_log(QrtrLogLevel level, const std::string &text)
{
    switch (level) {
    case QrtrLogLevel::Debug:
        DBG("%s", text.c_str());
        break;
    case QrtrLogLevel::Info:
        ofono_info("%s", text.c_str());
        break;
    case QrtrLogLevel::Warning:
        ofono_warn("%s", text.c_str());
        break;
    }
}

} // namespace

// The settle timers: each holds the lifetime's token, so none runs after the
// service is gone.
struct QrtrDiscoveryService::Timers {
    Lifetime life;
};

QrtrDiscoveryService::QrtrDiscoveryService(ModemRegistry &registry)
    : timers_(std::make_unique<Timers>())
{
    QrtrDiscovery::Hooks hooks;
    hooks.network_interface = [] { return pick_network_interface(read_net_interfaces("/sys")); };
    hooks.after = [timers = timers_.get()](unsigned ms, std::function<void()> fn) {
        timers->life.after(ms, [fn = std::move(fn)]() mutable { fn(); });
    };
    hooks.log = to_ofono_log;
    discovery_ = std::make_unique<QrtrDiscovery>(
        registry, std::make_unique<QrtrBusSource>(to_ofono_log), std::move(hooks));
    discovery_->start();
}

QrtrDiscoveryService::~QrtrDiscoveryService()
{
    discovery_.reset(); // stops the bus, removes its modems
    timers_.reset();
}

std::unique_ptr<QrtrDiscoveryService>
start_qrtr_discovery(ModemRegistry &registry, const std::vector<ModemConfig> &configured)
{
    for (const auto &modem : configured) {
        if (is_soc_control_port(modem.device)) {
            ofono_info("QRTR discovery off: qmi.conf [%s] names the SoC modem (%s)",
                       modem.name.c_str(), modem.device.c_str());
            return nullptr;
        }
    }
    return std::make_unique<QrtrDiscoveryService>(registry);
}

} // namespace qmi
