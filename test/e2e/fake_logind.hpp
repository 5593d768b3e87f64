// A stand-in for systemd-logind on the test's private bus: it owns
// org.freedesktop.login1, hands out "delay" sleep inhibitors (one end of a
// pipe each, like logind's fifo) and emits PrepareForSleep when told. The
// test sees an inhibitor let go when the plugin closes its end.
#pragma once

#include <gio/gio.h>

#include <string>
#include <vector>

namespace e2e
{

class FakeLogind
{
  public:
    // Connects and owns the name; wait_until() dispatches its calls.
    explicit FakeLogind(const std::string &bus_address);
    ~FakeLogind();
    FakeLogind(const FakeLogind &) = delete;
    FakeLogind &operator=(const FakeLogind &) = delete;

    bool owns_name() const { return owned_; }
    // Inhibitors whose holder still has its end open.
    int inhibitors_held();
    int inhibitors_taken() const { return taken_; }
    void prepare_for_sleep(bool sleeping);

  private:
    static void on_call(GDBusConnection *, const gchar *, const gchar *, const gchar *,
                        const gchar *method, GVariant *params, GDBusMethodInvocation *invocation,
                        gpointer data);

    GDBusConnection *conn_ = nullptr;
    GDBusNodeInfo *introspection_ = nullptr;
    guint object_ = 0, name_ = 0;
    bool owned_ = false;
    int taken_ = 0;
    std::vector<int> fifos_; // our ends of the inhibitors' pipes
};

} // namespace e2e
