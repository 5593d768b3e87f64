#include "bus.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace e2e
{

GDBusConnection *open_connection(const std::string &address)
{
    GError *error = nullptr;
    GDBusConnection *conn = g_dbus_connection_new_for_address_sync(
        address.c_str(),
        static_cast<GDBusConnectionFlags>(G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                          G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION),
        nullptr, nullptr, &error);
    if (!conn) {
        std::string msg = error->message;
        g_error_free(error);
        throw std::runtime_error("cannot connect to " + address + ": " + msg);
    }
    return conn;
}

Bus::Bus(const std::string &address) : conn_(open_connection(address)) {}

Bus::~Bus()
{
    for (const auto &[id, signals] : subscriptions_)
        g_dbus_connection_signal_unsubscribe(conn_, id);
    if (conn_)
        g_object_unref(conn_);
}

namespace
{
CallResult to_result(GVariant *reply, GError *error)
{
    CallResult r;
    if (reply) {
        r.value = adopt(reply);
        return r;
    }
    char *remote = g_dbus_error_get_remote_error(error);
    r.error_name = remote ? remote : "local";
    g_free(remote);
    g_dbus_error_strip_remote_error(error);
    r.error_message = error->message;
    g_error_free(error);
    return r;
}
} // namespace

CallResult Bus::call(const std::string &path, const std::string &iface, const std::string &method,
                     GVariant *params, int timeout_ms, const std::string &dest)
{
    GError *error = nullptr;
    GVariant *reply = g_dbus_connection_call_sync(
        conn_, dest.c_str(), path.c_str(), iface.c_str(), method.c_str(), params, nullptr,
        G_DBUS_CALL_FLAGS_NONE, timeout_ms, nullptr, &error);
    return to_result(reply, error);
}

std::shared_ptr<Bus::PendingCall> Bus::call_async(const std::string &path, const std::string &iface,
                                                  const std::string &method, GVariant *params,
                                                  int timeout_ms, const std::string &dest)
{
    auto pending = std::make_shared<PendingCall>();
    g_dbus_connection_call(
        conn_, dest.c_str(), path.c_str(), iface.c_str(), method.c_str(), params, nullptr,
        G_DBUS_CALL_FLAGS_NONE, timeout_ms, nullptr,
        [](GObject *source, GAsyncResult *res, gpointer data) {
            std::unique_ptr<std::shared_ptr<PendingCall>> slot(
                static_cast<std::shared_ptr<PendingCall> *>(data));
            GError *error = nullptr;
            GVariant *reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
            (*slot)->result = to_result(reply, error);
            (*slot)->done = true;
        },
        new std::shared_ptr<PendingCall>(pending));
    return pending;
}

bool Bus::has_owner(const std::string &name)
{
    auto r = call("/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
                  g_variant_new("(s)", name.c_str()), 5000, "org.freedesktop.DBus");
    gboolean has = FALSE;
    if (r.ok())
        g_variant_get(r.value.get(), "(b)", &has);
    return has;
}

Properties Bus::properties(const std::string &path, const std::string &iface)
{
    Properties props;
    auto r = call(path, iface, "GetProperties");
    if (!r.ok())
        return props;
    GVariant *dict = g_variant_get_child_value(r.value.get(), 0);
    props = to_properties(dict);
    g_variant_unref(dict);
    return props;
}

Properties to_properties(GVariant *dict)
{
    Properties props;
    GVariantIter iter;
    g_variant_iter_init(&iter, dict);
    const char *key = nullptr;
    GVariant *value = nullptr;
    while (g_variant_iter_next(&iter, "{&sv}", &key, &value))
        props[key] = adopt(value);
    return props;
}

CallResult Bus::set_property(const std::string &path, const std::string &iface,
                             const std::string &name, GVariant *value, int timeout_ms)
{
    return call(path, iface, "SetProperty", g_variant_new("(sv)", name.c_str(), value), timeout_ms);
}

Bus::ObjectList Bus::objects(const std::string &path, const std::string &iface,
                             const std::string &method)
{
    ObjectList out;
    auto r = call(path, iface, method);
    if (!r.ok())
        return out;
    GVariant *array = g_variant_get_child_value(r.value.get(), 0);
    GVariantIter iter;
    g_variant_iter_init(&iter, array);
    const char *object = nullptr;
    GVariant *props = nullptr;
    while (g_variant_iter_next(&iter, "(&o@a{sv})", &object, &props)) {
        out.emplace_back(object, to_properties(props));
        g_variant_unref(props);
    }
    g_variant_unref(array);
    return out;
}

std::vector<std::string> Bus::modems()
{
    std::vector<std::string> paths;
    for (const auto &[path, props] : objects("/", "org.ofono.Manager", "GetModems"))
        paths.push_back(path);
    return paths;
}

std::string Bus::context_of_type(const std::string &modem, const std::string &type)
{
    const std::string gprs = "org.ofono.ConnectionManager";
    for (const auto &[path, props] : objects(modem, gprs, "GetContexts"))
        if (prop_string(props, "Type") == type)
            return path;
    auto r = call(modem, gprs, "AddContext", g_variant_new("(s)", type.c_str()));
    if (!r.ok())
        return {};
    const gchar *created = nullptr;
    g_variant_get(r.value.get(), "(&o)", &created);
    return created;
}

std::shared_ptr<Bus::Signals> Bus::subscribe(const std::string &iface, const std::string &member)
{
    auto signals = std::make_shared<Signals>();
    const guint id = g_dbus_connection_signal_subscribe(
        conn_, nullptr, iface.c_str(), member.c_str(), nullptr, nullptr, G_DBUS_SIGNAL_FLAGS_NONE,
        [](GDBusConnection *, const gchar *, const gchar *, const gchar *, const gchar *,
           GVariant *params, gpointer data) {
            static_cast<Signals *>(data)->received.push_back(adopt(g_variant_ref(params)));
        },
        signals.get(), nullptr);
    subscriptions_.emplace_back(id, signals);
    return signals;
}

bool wait_until(const std::function<bool()> &cond, int timeout_ms)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
        // Signals subscribed to through Bus::subscribe arrive here.
        while (g_main_context_iteration(nullptr, FALSE)) {
        }
        if (cond())
            return true;
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string as_string(const Variant &v)
{
    if (v && (g_variant_is_of_type(v.get(), G_VARIANT_TYPE_STRING) ||
              g_variant_is_of_type(v.get(), G_VARIANT_TYPE_OBJECT_PATH)))
        return g_variant_get_string(v.get(), nullptr);
    return {};
}

bool as_bool(const Variant &v)
{
    return v && g_variant_is_of_type(v.get(), G_VARIANT_TYPE_BOOLEAN) &&
           g_variant_get_boolean(v.get());
}

std::vector<std::string> as_strings(const Variant &v)
{
    std::vector<std::string> out;
    if (!v || !g_variant_is_of_type(v.get(), G_VARIANT_TYPE_STRING_ARRAY))
        return out;
    gsize n = 0;
    const gchar **strv = g_variant_get_strv(v.get(), &n);
    for (gsize i = 0; i < n; i++)
        out.emplace_back(strv[i]);
    g_free(strv);
    return out;
}

std::string prop_string(const Properties &p, const std::string &key)
{
    auto it = p.find(key);
    return it == p.end() ? std::string() : as_string(it->second);
}

std::optional<bool> prop_bool(const Properties &p, const std::string &key)
{
    auto it = p.find(key);
    if (it == p.end() || !g_variant_is_of_type(it->second.get(), G_VARIANT_TYPE_BOOLEAN))
        return std::nullopt;
    return g_variant_get_boolean(it->second.get());
}

} // namespace e2e
