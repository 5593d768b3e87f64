// Finds QMI modems on USB through libudev: the ones present at start
// (coldplug) and, through a udev monitor on GLib's main loop, the ones
// plugged in or pulled out later. It only reports; the caller (udev
// discovery in the plugin, or a test) adds and removes the oFono modems.
// No oFono calls here.
#pragma once

#include "udev_ptr.hpp"
#include "usb_modem_classifier.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace qmi
{

class UdevWatch
{
  public:
    enum class LogLevel { Debug, Info, Warning };
    struct Handlers {
        // A modem to add. Called once per USB device until it is lost.
        std::function<void(const UsbModem &)> found;
        // The USB device or its cdc-wdm port went away (key: UsbModem::key).
        std::function<void(const std::string &key)> lost;
        std::function<void(LogLevel, const std::string &)> log;
    };

    // How long a modem whose network interface (or known AT port) has not
    // appeared yet is waited for before it is reported without it.
    static constexpr unsigned kDefaultGraceMs = 2000;

    // Starts watching: monitor first, then coldplug, so nothing is missed in
    // between. nullptr (and a warning logged) if libudev is unusable.
    static std::unique_ptr<UdevWatch> start(Handlers handlers, unsigned grace_ms = kDefaultGraceMs);
    ~UdevWatch();
    UdevWatch(const UdevWatch &) = delete;
    UdevWatch &operator=(const UdevWatch &) = delete;

  private:
    struct Waiting {
        UdevWatch *self;
        std::string key;
        SourcePtr timer;
    };

    UdevWatch(Handlers handlers, unsigned grace_ms);
    bool open_monitor();
    void coldplug();
    void on_monitor_readable();
    void on_event(udev_device *dev);
    void on_removed(const std::string &syspath);
    void consider(udev_device *usb_device);
    void report(const UsbModem &modem, bool waited);
    static gboolean on_grace_expired(gpointer data);
    void log(LogLevel level, const std::string &text) const;

    Handlers handlers_;
    unsigned grace_ms_;
    UdevPtr udev_;
    UdevMonitorPtr monitor_;
    SourcePtr monitor_source_;
    // Reported modems: key -> sysfs path of their cdc-wdm port.
    std::map<std::string, std::string> reported_;
    // Modems waiting for their network interface or AT port, by key.
    std::map<std::string, std::unique_ptr<Waiting>> waiting_;
};

} // namespace qmi
