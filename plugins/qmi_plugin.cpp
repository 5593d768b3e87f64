// Plugin entry: registers the `qmi` drivers and creates one oFono modem per
// group of the static configuration file; discovered modems join the same
// registry (plugins/modem_registry.hpp).
#include "config.hpp"
#include "core/device.hpp"
#include "discovery_options.hpp"
#include "modem_registry.hpp"
#include "qrtr_start.hpp"
#include "udev_discovery.hpp"
#include "registration.hpp"

#include <ofono/log.h>
#include <ofono/modem.h>
#include <ofono/plugin.h>

#include <cstdlib>
#include <memory>

#ifndef QMI_SYSCONFDIR
#define QMI_SYSCONFDIR "/etc"
#endif

namespace {

std::unique_ptr<qmi::ModemRegistry> registry;
std::unique_ptr<qmi::UdevWatch> udev_discovery;
std::unique_ptr<qmi::QrtrDiscoveryService> qrtr_discovery;

ofono_modem *create_modem(const qmi::ModemConfig &cfg)
{
    ofono_modem *modem = ofono_modem_create(cfg.name.c_str(), qmi::kDriverName);
    if (!modem) {
        ofono_error("modem %s: oFono refused the modem (name taken?)", cfg.name.c_str());
        return nullptr;
    }
    // A name from the start: dialers list the modem by it even while off.
    ofono_modem_set_name(modem, cfg.name.c_str());
    ofono_modem_set_string(modem, "Device", cfg.device.c_str());
    if (!cfg.network_interface.empty())
        ofono_modem_set_string(modem, "NetworkInterface", cfg.network_interface.c_str());
    if (!cfg.at_port.empty())
        ofono_modem_set_string(modem, "AtPort", cfg.at_port.c_str());
    if (!cfg.quectel_dai.empty())
        ofono_modem_set_string(modem, "QuectelDai", cfg.quectel_dai.c_str());
    ofono_modem_set_boolean(modem, "Proxy", cfg.proxy);
    ofono_modem_set_string(modem, "Multiplex", qmi::multiplex_name(cfg.multiplex));
    if (ofono_modem_register(modem) < 0) {
        ofono_error("modem %s: registering the modem failed", cfg.name.c_str());
        ofono_modem_remove(modem);
        return nullptr;
    }
    DBG("modem /%s on %s", cfg.name.c_str(), cfg.device.c_str());
    return modem;
}

int qmi_plugin_init()
{
    int err = qmi::register_drivers();
    if (err < 0) {
        ofono_error("qmi: registering drivers failed (%d)", err);
        return err;
    }
    const auto path = qmi::config_path(std::getenv("OFONO_QMI_CONFIG"), QMI_SYSCONFDIR);
    DBG("configuration %s", path.c_str());
    const auto config = qmi::load_config_file(path);
    for (const auto &problem : config.problems)
        ofono_warn("%s", problem.c_str());
    registry = std::make_unique<qmi::ModemRegistry>(create_modem, ofono_modem_remove);
    for (const auto &modem : config.modems) {
        std::string why;
        if (registry->add(qmi::ModemRegistry::Origin::Config, modem.name, modem, &why).empty())
            ofono_error("qmi.conf [%s]: modem not created: %s", modem.name.c_str(), why.c_str());
    }
    // Discovery after the configured modems: a device qmi.conf names is theirs.
    std::vector<std::string> discovery_problems;
    const auto discovery =
        qmi::parse_discovery_options(std::getenv("OFONO_QMI_DISCOVERY"), discovery_problems);
    for (const auto &problem : discovery_problems)
        ofono_warn("%s", problem.c_str());
    if (discovery.udev)
        udev_discovery = qmi::start_udev_discovery(*registry);
    else
        DBG("udev discovery off (OFONO_QMI_DISCOVERY)");
    if (discovery.qrtr)
        qrtr_discovery = qmi::start_qrtr_discovery(*registry, config.modems);
    else
        DBG("QRTR discovery off (OFONO_QMI_DISCOVERY)");
    return 0;
}

void qmi_plugin_exit()
{
    qrtr_discovery.reset();
    udev_discovery.reset();
    registry.reset();
    qmi::unregister_drivers();
    qmi::Device::wait_for_port_scans();
}

} // namespace

OFONO_PLUGIN_DEFINE(qmi, "Qualcomm QMI modem driver (libqmi)", OFONO_VERSION,
                    OFONO_PLUGIN_PRIORITY_DEFAULT, qmi_plugin_init, qmi_plugin_exit)
