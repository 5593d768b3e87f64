// Timed D-Bus observation for the benchmark. e2e::Bus is synchronous and
// polls every 20 ms, which is too coarse for a bring-up that takes tens of
// milliseconds at 2 ms latency. Watch owns its own connection to the test
// bed's bus, stamps every signal when it is dispatched, makes asynchronous
// method calls whose replies are stamped too, and waits by blocking in the
// GLib main loop (it wakes when a message arrives).
#pragma once

#include <gio/gio.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bench
{

using Clock = std::chrono::steady_clock;

// Set by SIGINT/SIGTERM (see qmi_bench.cpp): waits end early, the run in
// progress is abandoned and its test bed torn down.
bool interrupted();
void set_interrupted();

struct Signal {
    Clock::time_point at;
    std::string path, iface, member;
    GVariant *args = nullptr; // owned
};

struct Reply {
    bool done = false;
    Clock::time_point at;
    std::string error; // empty on success
};

class Watch
{
  public:
    explicit Watch(const std::string &address);
    ~Watch();
    Watch(const Watch &) = delete;
    Watch &operator=(const Watch &) = delete;

    // Every signal since construction (or since clear()), in arrival order.
    const std::vector<Signal> &signals() const { return signals_; }
    void clear();

    // Asynchronous org.ofono method call; the reply is stamped on arrival.
    std::shared_ptr<Reply> call(const std::string &path, const std::string &iface,
                                const std::string &method, GVariant *params,
                                int timeout_ms = 60000);
    std::shared_ptr<Reply> set_property(const std::string &path, const std::string &iface,
                                        const std::string &name, GVariant *value);

    // Runs the main loop until cond() holds (true) or timeout_ms passes.
    // cond() is checked after every dispatched event, and every poll_ms if
    // that is not 0 (for conditions on state outside D-Bus).
    bool run_until(const std::function<bool()> &cond, int timeout_ms, int poll_ms = 0);

    // The pid of the bus name's owner (org.freedesktop.DBus).
    int owner_pid(const std::string &name);

    // The first PropertyChanged(name, value) of iface on path whose value
    // satisfies pred; its time, or nullopt-like Clock::time_point{} if none.
    Clock::time_point property_changed(const std::string &path, const std::string &iface,
                                       const std::string &name,
                                       const std::function<bool(GVariant *)> &pred) const;
    // How many signals iface.member arrived.
    size_t count(const std::string &iface, const std::string &member) const;

  private:
    GDBusConnection *conn_ = nullptr;
    guint subscription_ = 0;
    std::vector<Signal> signals_;
};

} // namespace bench
