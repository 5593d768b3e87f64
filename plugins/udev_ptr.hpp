// RAII owners for libudev objects and GLib sources used by udev discovery.
#pragma once

#include "core/gobject_ptr.hpp"

#include <glib.h>
#include <libudev.h>

#include <memory>

namespace qmi
{

using UdevPtr = std::unique_ptr<udev, CFree<udev_unref>>;
using UdevDevicePtr = std::unique_ptr<udev_device, CFree<udev_device_unref>>;
using UdevEnumeratePtr = std::unique_ptr<udev_enumerate, CFree<udev_enumerate_unref>>;
using UdevMonitorPtr = std::unique_ptr<udev_monitor, CFree<udev_monitor_unref>>;

// An attached GSource: destroyed (detached) and released with its owner.
struct GSourceDestroy {
    void operator()(GSource *source) const
    {
        g_source_destroy(source);
        g_source_unref(source);
    }
};
using SourcePtr = std::unique_ptr<GSource, GSourceDestroy>;

} // namespace qmi
