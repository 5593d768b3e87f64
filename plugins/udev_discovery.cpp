#include "udev_discovery.hpp"

#include <ofono/log.h>

namespace qmi
{

std::unique_ptr<UdevWatch> start_udev_discovery(ModemRegistry &registry)
{
    UdevWatch::Handlers handlers;
    handlers.found = [&registry](const UsbModem &modem) {
        std::string ports = modem.config.device;
        if (!modem.config.network_interface.empty())
            ports += ", " + modem.config.network_interface;
        if (!modem.config.at_port.empty())
            ports += ", AT " + modem.config.at_port;
        std::string why;
        const std::string name =
            registry.add(ModemRegistry::Origin::Udev, modem.key, modem.config, &why);
        if (name.empty())
            ofono_info("udev discovery: %s (%s) not added: %s", modem.description.c_str(),
                       ports.c_str(), why.c_str());
        else
            ofono_info("udev discovery: modem /%s: %s (%s at %s)", name.c_str(), ports.c_str(),
                       modem.description.c_str(), modem.key.c_str());
    };
    handlers.lost = [&registry](const std::string &key) {
        if (registry.remove(key))
            ofono_info("udev discovery: modem at %s removed", key.c_str());
    };
    handlers.log = [](UdevWatch::LogLevel level, const std::string &text) {
        switch (level) {
        case UdevWatch::LogLevel::Debug:
            DBG("%s", text.c_str());
            break;
        case UdevWatch::LogLevel::Info:
            ofono_info("%s", text.c_str());
            break;
        case UdevWatch::LogLevel::Warning:
            ofono_warn("%s", text.c_str());
            break;
        }
    };
    return UdevWatch::start(std::move(handlers));
}

} // namespace qmi
