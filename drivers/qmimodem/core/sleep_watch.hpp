// Follows logind on the system bus so that suspend loses nothing: a "delay"
// sleep inhibitor is held while the host is awake; on PrepareForSleep(true)
// before_sleep runs (the atoms quiet the modem) and the inhibitor is let go
// once it is done, or after kSleepDelayMs at the latest; on
// PrepareForSleep(false) after_resume runs and the inhibitor is taken again.
// Without logind (no system bus, no login1) nothing happens: logged once.
#pragma once

#include "gobject_ptr.hpp"
#include "lifetime.hpp"
#include "move_function.hpp"

#include <gio/gio.h>

#include <string>

namespace qmi
{

class SleepWatch
{
  public:
    using Done = MoveFunction<void()>;
    // logind waits at most InhibitDelayMaxSec (5 s by default); the modem
    // answers in milliseconds, so this only guards a modem that does not.
    static constexpr unsigned kSleepDelayMs = 2000;

    SleepWatch(std::string log_name, MoveFunction<void(Done)> before_sleep,
               MoveFunction<void()> after_resume);
    ~SleepWatch();
    SleepWatch(const SleepWatch &) = delete;
    SleepWatch &operator=(const SleepWatch &) = delete;

    bool holds_inhibitor() const { return fd_ >= 0; }

  private:
    void on_bus(GDBusConnection *bus);
    void inhibit();
    void on_prepare_for_sleep(bool sleeping);
    void release();
    static void on_signal(GDBusConnection *, const gchar *, const gchar *, const gchar *,
                          const gchar *, GVariant *parameters, gpointer data);

    std::string name_;
    MoveFunction<void(Done)> before_sleep_;
    MoveFunction<void()> after_resume_;
    GRef<GDBusConnection> bus_;
    guint subscription_ = 0;
    int fd_ = -1;             // the delay inhibitor's file descriptor
    bool inhibiting_ = false; // an Inhibit call is on its way
    unsigned round_ = 0;      // counts sleeps: a late "done" of an old one is ignored
    Lifetime life_;           // last member: ends first, before callbacks die
};

} // namespace qmi
