// udev discovery in the plugin: UdevWatch's findings become oFono modems in
// the registry (Origin::Udev, key = the USB device's sysfs path), its log
// lines go to oFono's log.
#pragma once

#include "modem_registry.hpp"
#include "udev_watch.hpp"

#include <memory>

namespace qmi
{

// nullptr if libudev is unusable (logged). Destroy it before the registry.
std::unique_ptr<UdevWatch> start_udev_discovery(ModemRegistry &registry);

} // namespace qmi
