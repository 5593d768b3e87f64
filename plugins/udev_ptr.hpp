// RAII owners for libudev objects and GLib sources used by udev discovery.
#pragma once

#include <glib.h>
#include <libudev.h>

#include <memory>

namespace qmi
{

template <auto Unref> struct UdevUnref {
    template <typename T> void operator()(T *p) const { Unref(p); }
};

using UdevPtr = std::unique_ptr<udev, UdevUnref<udev_unref>>;
using UdevDevicePtr = std::unique_ptr<udev_device, UdevUnref<udev_device_unref>>;
using UdevEnumeratePtr = std::unique_ptr<udev_enumerate, UdevUnref<udev_enumerate_unref>>;
using UdevMonitorPtr = std::unique_ptr<udev_monitor, UdevUnref<udev_monitor_unref>>;

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
