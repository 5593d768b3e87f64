#include "fake_logind.hpp"

#include "bus.hpp"

#include <gio/gunixfdlist.h>

#include <poll.h>
#include <stdexcept>
#include <unistd.h>

namespace e2e
{
namespace
{
constexpr const char *kXml = R"(<node>
  <interface name="org.freedesktop.login1.Manager">
    <method name="Inhibit">
      <arg name="what" type="s" direction="in"/>
      <arg name="who" type="s" direction="in"/>
      <arg name="why" type="s" direction="in"/>
      <arg name="mode" type="s" direction="in"/>
      <arg name="pipe_fd" type="h" direction="out"/>
    </method>
    <signal name="PrepareForSleep"><arg name="start" type="b"/></signal>
  </interface>
</node>)";
} // namespace

FakeLogind::FakeLogind(const std::string &bus_address)
{
    conn_ = open_connection(bus_address);
    introspection_ = g_dbus_node_info_new_for_xml(kXml, nullptr);
    static const GDBusInterfaceVTable vtable = {&FakeLogind::on_call, nullptr, nullptr, {}};
    object_ = g_dbus_connection_register_object(conn_, "/org/freedesktop/login1",
                                                introspection_->interfaces[0], &vtable, this,
                                                nullptr, nullptr);
    GVariant *reply = g_dbus_connection_call_sync(
        conn_, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
        "RequestName", g_variant_new("(su)", "org.freedesktop.login1", 4u /* do not queue */),
        G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE, 5000, nullptr, nullptr);
    if (reply) {
        guint32 result = 0;
        g_variant_get(reply, "(u)", &result);
        owned_ = result == 1; // primary owner
        g_variant_unref(reply);
    }
}

FakeLogind::~FakeLogind()
{
    for (int fd : fifos_)
        close(fd);
    if (object_)
        g_dbus_connection_unregister_object(conn_, object_);
    if (introspection_)
        g_dbus_node_info_unref(introspection_);
    if (conn_) {
        g_dbus_connection_close_sync(conn_, nullptr, nullptr);
        g_object_unref(conn_);
    }
}

void FakeLogind::on_call(GDBusConnection *, const gchar *, const gchar *, const gchar *,
                         const gchar *method, GVariant *params, GDBusMethodInvocation *invocation,
                         gpointer data)
{
    auto *self = static_cast<FakeLogind *>(data);
    const gchar *what = nullptr, *mode = nullptr;
    if (g_strcmp0(method, "Inhibit") != 0) {
        g_dbus_method_invocation_return_dbus_error(invocation, "org.freedesktop.DBus.Error.Failed",
                                                   "not in the stand-in");
        return;
    }
    g_variant_get(params, "(&s&s&s&s)", &what, nullptr, nullptr, &mode);
    int fds[2];
    if (g_strcmp0(what, "sleep") != 0 || g_strcmp0(mode, "delay") != 0 || pipe(fds) != 0) {
        g_dbus_method_invocation_return_dbus_error(
            invocation, "org.freedesktop.DBus.Error.InvalidArgs", "only sleep delay locks here");
        return;
    }
    self->fifos_.push_back(fds[0]);
    self->taken_++;
    GUnixFDList *list = g_unix_fd_list_new_from_array(&fds[1], 1); // takes fds[1]
    g_dbus_method_invocation_return_value_with_unix_fd_list(invocation, g_variant_new("(h)", 0),
                                                            list);
    g_object_unref(list);
}

int FakeLogind::inhibitors_held()
{
    int held = 0;
    for (auto it = fifos_.begin(); it != fifos_.end();) {
        pollfd p{*it, POLLIN, 0};
        // The holder closing its end shows as hang-up (or EOF) on ours.
        if (poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLIN))) {
            close(*it);
            it = fifos_.erase(it);
            continue;
        }
        held++;
        ++it;
    }
    return held;
}

void FakeLogind::prepare_for_sleep(bool sleeping)
{
    g_dbus_connection_emit_signal(conn_, nullptr, "/org/freedesktop/login1",
                                  "org.freedesktop.login1.Manager", "PrepareForSleep",
                                  g_variant_new("(b)", sleeping), nullptr);
    g_dbus_connection_flush_sync(conn_, nullptr, nullptr);
}

} // namespace e2e
