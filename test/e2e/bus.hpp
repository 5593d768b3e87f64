// A minimal synchronous D-Bus client (GDBus) acting as a phone UI would.
#pragma once

#include <gio/gio.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace e2e
{

struct VariantUnref {
    void operator()(GVariant *v) const { g_variant_unref(v); }
};
using Variant = std::shared_ptr<GVariant>;
inline Variant adopt(GVariant *v)
{
    return Variant(v, VariantUnref{});
}

using Properties = std::map<std::string, Variant>;

struct CallResult {
    Variant value;          // on success: the reply tuple
    std::string error_name; // on failure: e.g. org.ofono.Error.Failed
    std::string error_message;
    bool ok() const { return error_name.empty(); }
};

// A connection of our own to the bus at `address` (throws if it cannot).
GDBusConnection *open_connection(const std::string &address);

class Bus
{
  public:
    explicit Bus(const std::string &address);
    ~Bus();

    CallResult call(const std::string &path, const std::string &iface, const std::string &method,
                    GVariant *params = nullptr, int timeout_ms = 30000,
                    const std::string &dest = "org.ofono");
    // The same without waiting: the reply lands in the returned object while
    // wait_until() dispatches (done says when), for calls that a fault
    // interrupts.
    struct PendingCall {
        bool done = false;
        CallResult result;
    };
    std::shared_ptr<PendingCall> call_async(const std::string &path, const std::string &iface,
                                            const std::string &method, GVariant *params = nullptr,
                                            int timeout_ms = 30000,
                                            const std::string &dest = "org.ofono");
    bool has_owner(const std::string &name);

    Properties properties(const std::string &path, const std::string &iface);
    CallResult set_property(const std::string &path, const std::string &iface,
                            const std::string &name, GVariant *value, int timeout_ms = 30000);
    std::vector<std::string> modems();
    // An oFono object list (GetModems, GetCalls, GetContexts: a(oa{sv})) as
    // (path, properties) pairs; empty if the call fails.
    using ObjectList = std::vector<std::pair<std::string, Properties>>;
    ObjectList objects(const std::string &path, const std::string &iface,
                       const std::string &method);
    // The modem's first data context of `type` ("internet"), added with
    // AddContext when there is none; empty if that fails.
    std::string context_of_type(const std::string &modem, const std::string &type);

    // Records every signal `member` of `iface` (any object) from now on;
    // wait_until() dispatches them. Each entry is the signal's argument tuple.
    class Signals
    {
      public:
        std::vector<Variant> received;
    };
    std::shared_ptr<Signals> subscribe(const std::string &iface, const std::string &member);

  private:
    std::vector<std::pair<guint, std::shared_ptr<Signals>>> subscriptions_;
    GDBusConnection *conn_ = nullptr;
};

// An a{sv} dictionary (as in GetProperties or an object list) as a map.
Properties to_properties(GVariant *dict);

// Polls cond every 20 ms until it holds or timeout_ms passes.
bool wait_until(const std::function<bool()> &cond, int timeout_ms = 10000);

std::string as_string(const Variant &v);
bool as_bool(const Variant &v);
std::vector<std::string> as_strings(const Variant &v);
std::string prop_string(const Properties &p, const std::string &key);
std::optional<bool> prop_bool(const Properties &p, const std::string &key);

} // namespace e2e
