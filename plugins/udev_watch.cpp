#include "udev_watch.hpp"

#include "udev_usb_reader.hpp"

#include <glib-unix.h>

#include <set>
#include <utility>

namespace qmi
{
namespace
{

std::string text(const char *value)
{
    return value ? std::string(value) : std::string();
}

std::string join(const std::vector<std::string> &words)
{
    std::string out;
    for (const auto &word : words)
        out += (out.empty() ? "" : " and ") + word;
    return out;
}

bool is_below(const std::string &path, const std::string &ancestor)
{
    return path.size() > ancestor.size() && path.compare(0, ancestor.size(), ancestor) == 0 &&
           path[ancestor.size()] == '/';
}

} // namespace

std::unique_ptr<UdevWatch> UdevWatch::start(Handlers handlers, unsigned grace_ms)
{
    std::unique_ptr<UdevWatch> watch(new UdevWatch(std::move(handlers), grace_ms));
    watch->udev_.reset(udev_new());
    if (!watch->udev_) {
        watch->log(LogLevel::Warning, "udev discovery: libudev unavailable; no USB modems found");
        return nullptr;
    }
    // Without a monitor, modems present now are still found.
    if (!watch->open_monitor())
        watch->log(LogLevel::Warning,
                   "udev discovery: no udev monitor; modems plugged in later are not seen");
    watch->coldplug();
    return watch;
}

UdevWatch::UdevWatch(Handlers handlers, unsigned grace_ms)
    : handlers_(std::move(handlers)), grace_ms_(grace_ms)
{
}

UdevWatch::~UdevWatch() = default;

void UdevWatch::log(LogLevel level, const std::string &text) const
{
    if (handlers_.log)
        handlers_.log(level, text);
}

bool UdevWatch::open_monitor()
{
    UdevMonitorPtr monitor(udev_monitor_new_from_netlink(udev_.get(), "udev"));
    if (!monitor)
        return false;
    for (const char *subsystem : {"usbmisc", "net", "tty"})
        udev_monitor_filter_add_match_subsystem_devtype(monitor.get(), subsystem, nullptr);
    // The USB device itself, so that unplugging it is seen as such.
    udev_monitor_filter_add_match_subsystem_devtype(monitor.get(), "usb", "usb_device");
    if (udev_monitor_enable_receiving(monitor.get()) < 0)
        return false;
    const int fd = udev_monitor_get_fd(monitor.get());
    if (fd < 0)
        return false;
    SourcePtr source(g_unix_fd_source_new(fd, G_IO_IN));
    g_source_set_callback(source.get(),
                          G_SOURCE_FUNC(+[](gint, GIOCondition, gpointer data) -> gboolean {
                              static_cast<UdevWatch *>(data)->on_monitor_readable();
                              return G_SOURCE_CONTINUE;
                          }),
                          this, nullptr);
    g_source_attach(source.get(), nullptr);
    monitor_ = std::move(monitor);
    monitor_source_ = std::move(source);
    return true;
}

void UdevWatch::coldplug()
{
    UdevEnumeratePtr ports(udev_enumerate_new(udev_.get()));
    if (!ports)
        return;
    udev_enumerate_add_match_subsystem(ports.get(), "usbmisc");
    udev_enumerate_scan_devices(ports.get());
    std::set<std::string> seen;
    udev_list_entry *entry = nullptr;
    udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(ports.get()))
    {
        UdevDevicePtr port(
            udev_device_new_from_syspath(udev_.get(), udev_list_entry_get_name(entry)));
        udev_device *usb = port ? usb_device_above(port.get()) : nullptr;
        if (usb && seen.insert(text(udev_device_get_syspath(usb))).second)
            consider(usb);
    }
}

void UdevWatch::on_monitor_readable()
{
    while (UdevDevicePtr dev{udev_monitor_receive_device(monitor_.get())})
        on_event(dev.get());
}

void UdevWatch::on_event(udev_device *dev)
{
    const std::string action = text(udev_device_get_action(dev));
    const std::string syspath = text(udev_device_get_syspath(dev));
    log(LogLevel::Debug, "udev discovery: " + action + " " + syspath);
    if (action == "remove") {
        on_removed(syspath);
        return;
    }
    if (action != "add" && action != "move" && action != "change")
        return;
    const std::string subsystem = text(udev_device_get_subsystem(dev));
    if (subsystem == "usb")
        return; // its ports follow as events of their own
    if (udev_device *usb = usb_device_above(dev))
        consider(usb);
}

void UdevWatch::on_removed(const std::string &syspath)
{
    // The removed device no longer exists in sysfs: match by path.
    for (auto it = waiting_.begin(); it != waiting_.end();) {
        if (syspath == it->first || is_below(syspath, it->first))
            it = waiting_.erase(it); // considered again when its ports come back
        else
            ++it;
    }
    for (auto it = reported_.begin(); it != reported_.end(); ++it) {
        if (syspath == it->first || syspath == it->second) {
            const std::string key = it->first;
            reported_.erase(it);
            log(LogLevel::Debug, "udev discovery: " + key + " gone");
            if (handlers_.lost)
                handlers_.lost(key);
            return;
        }
    }
}

void UdevWatch::consider(udev_device *usb_device)
{
    if (reported_.count(text(udev_device_get_syspath(usb_device))))
        return; // already a modem; its later ports change nothing
    const UsbDevice device = read_usb_device(udev_.get(), usb_device);
    const auto modem = classify_usb_device(device);
    if (!modem) {
        waiting_.erase(device.syspath);
        return;
    }
    if (modem->missing.empty()) {
        waiting_.erase(modem->key);
        report(*modem, false);
        return;
    }
    if (waiting_.count(modem->key))
        return;
    // udev reports one device at a time: the network interface (or the AT
    // port) may come with the next event. Wait a little, not forever.
    auto waiting = std::make_unique<Waiting>();
    waiting->self = this;
    waiting->key = modem->key;
    waiting->timer.reset(g_timeout_source_new(grace_ms_));
    g_source_set_callback(waiting->timer.get(), on_grace_expired, waiting.get(), nullptr);
    g_source_attach(waiting->timer.get(), nullptr);
    log(LogLevel::Debug, "udev discovery: " + modem->description + " on " + modem->config.device +
                             ": waiting for its " + join(modem->missing));
    waiting_[modem->key] = std::move(waiting);
}

gboolean UdevWatch::on_grace_expired(gpointer data)
{
    auto *waiting = static_cast<Waiting *>(data);
    UdevWatch *self = waiting->self;
    const std::string key = waiting->key;
    // Destroys this source (GLib keeps it alive until the callback returns).
    self->waiting_.erase(key);
    UdevDevicePtr usb(udev_device_new_from_syspath(self->udev_.get(), key.c_str()));
    if (!usb)
        return G_SOURCE_REMOVE;
    const auto modem = classify_usb_device(read_usb_device(self->udev_.get(), usb.get()));
    if (modem && !self->reported_.count(key))
        self->report(*modem, true);
    return G_SOURCE_REMOVE;
}

void UdevWatch::report(const UsbModem &modem, bool waited)
{
    reported_[modem.key] = modem.control_syspath;
    std::string line =
        "udev discovery: " + modem.description + " at " + modem.key + ": " + modem.config.device;
    if (!modem.config.network_interface.empty())
        line += ", " + modem.config.network_interface;
    if (!modem.config.at_port.empty())
        line += ", AT " + modem.config.at_port;
    log(LogLevel::Debug, line);
    if (waited && !modem.missing.empty())
        log(LogLevel::Warning, "udev discovery: " + modem.description + ": no " +
                                   join(modem.missing) + " appeared within " +
                                   std::to_string(grace_ms_) + " ms; modem created without it");
    if (handlers_.found)
        handlers_.found(modem);
}

} // namespace qmi
