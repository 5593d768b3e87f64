#include "watch.hpp"

#include "bus.hpp"

#include <csignal>
#include <stdexcept>

namespace bench
{
namespace
{

volatile std::sig_atomic_t g_interrupted = 0;

struct CallState {
    std::shared_ptr<Reply> reply;
};

void on_reply(GObject *source, GAsyncResult *result, gpointer data)
{
    auto *state = static_cast<CallState *>(data);
    GError *error = nullptr;
    GVariant *value = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), result, &error);
    state->reply->at = Clock::now();
    state->reply->done = true;
    if (value) {
        g_variant_unref(value);
    } else {
        char *remote = g_dbus_error_get_remote_error(error);
        state->reply->error = remote ? remote : error->message;
        g_free(remote);
        g_error_free(error);
    }
    delete state;
}

gboolean on_timeout(gpointer data)
{
    *static_cast<bool *>(data) = true;
    return G_SOURCE_REMOVE;
}

gboolean on_poll(gpointer)
{
    return G_SOURCE_CONTINUE;
}

} // namespace

bool interrupted()
{
    return g_interrupted != 0;
}
void set_interrupted()
{
    g_interrupted = 1;
}

Watch::Watch(const std::string &address)
{
    conn_ = e2e::open_connection(address);
    subscription_ = g_dbus_connection_signal_subscribe(
        conn_, nullptr, nullptr, nullptr, nullptr, nullptr, G_DBUS_SIGNAL_FLAGS_NONE,
        [](GDBusConnection *, const gchar *, const gchar *path, const gchar *iface,
           const gchar *member, GVariant *params, gpointer data) {
            static_cast<Watch *>(data)->signals_.push_back(
                {Clock::now(), path, iface, member, g_variant_ref(params)});
        },
        this, nullptr);
}

Watch::~Watch()
{
    g_dbus_connection_signal_unsubscribe(conn_, subscription_);
    clear();
    g_object_unref(conn_);
}

void Watch::clear()
{
    for (auto &s : signals_)
        g_variant_unref(s.args);
    signals_.clear();
}

std::shared_ptr<Reply> Watch::call(const std::string &path, const std::string &iface,
                                   const std::string &method, GVariant *params, int timeout_ms)
{
    auto *state = new CallState{std::make_shared<Reply>()};
    auto reply = state->reply;
    g_dbus_connection_call(conn_, "org.ofono", path.c_str(), iface.c_str(), method.c_str(), params,
                           nullptr, G_DBUS_CALL_FLAGS_NONE, timeout_ms, nullptr, on_reply, state);
    return reply;
}

std::shared_ptr<Reply> Watch::set_property(const std::string &path, const std::string &iface,
                                           const std::string &name, GVariant *value)
{
    return call(path, iface, "SetProperty", g_variant_new("(sv)", name.c_str(), value));
}

bool Watch::run_until(const std::function<bool()> &cond, int timeout_ms, int poll_ms)
{
    bool expired = false;
    const guint timer = g_timeout_add(static_cast<guint>(timeout_ms), on_timeout, &expired);
    const guint poller =
        poll_ms > 0 ? g_timeout_add(static_cast<guint>(poll_ms), on_poll, nullptr) : 0;
    bool met = false;
    while (true) {
        while (g_main_context_iteration(nullptr, FALSE)) {
        }
        if (cond()) {
            met = true;
            break;
        }
        if (expired || interrupted())
            break;
        g_main_context_iteration(nullptr, TRUE);
    }
    if (!expired)
        g_source_remove(timer);
    if (poller)
        g_source_remove(poller);
    return met;
}

int Watch::owner_pid(const std::string &name)
{
    GError *error = nullptr;
    GVariant *r = g_dbus_connection_call_sync(
        conn_, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
        "GetConnectionUnixProcessID", g_variant_new("(s)", name.c_str()), G_VARIANT_TYPE("(u)"),
        G_DBUS_CALL_FLAGS_NONE, 5000, nullptr, &error);
    if (!r) {
        g_error_free(error);
        return -1;
    }
    guint32 pid = 0;
    g_variant_get(r, "(u)", &pid);
    g_variant_unref(r);
    return static_cast<int>(pid);
}

Clock::time_point Watch::property_changed(const std::string &path, const std::string &iface,
                                          const std::string &name,
                                          const std::function<bool(GVariant *)> &pred) const
{
    for (const auto &s : signals_) {
        if (s.path != path || s.iface != iface || s.member != "PropertyChanged" ||
            !g_variant_is_of_type(s.args, G_VARIANT_TYPE("(sv)")))
            continue;
        const gchar *key = nullptr;
        GVariant *value = nullptr;
        g_variant_get(s.args, "(&sv)", &key, &value);
        const bool match = name == key && pred(value);
        g_variant_unref(value);
        if (match)
            return s.at;
    }
    return {};
}

size_t Watch::count(const std::string &iface, const std::string &member) const
{
    size_t n = 0;
    for (const auto &s : signals_)
        if (s.iface == iface && s.member == member)
            n++;
    return n;
}

} // namespace bench
