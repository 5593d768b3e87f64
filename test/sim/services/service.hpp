// Base class for one simulated QMI service: a table from message id to
// handler, plus access to the shared modem state through ServiceHost.
#pragma once

#include "../command_spec.hpp"
#include "../modem_state.hpp"
#include "../outcome.hpp"
#include "../qmux.hpp"

#include <libqmi-glib.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace qmisim
{

class Service;

struct ServiceVersion {
    std::uint16_t major;
    std::uint16_t minor;
};

// A control-socket key ("dms.model") owned by a service. `query`, if set,
// answers "get <key> <arguments...>" (e.g. "get sim.file 3F002FE2").
struct StateKey {
    std::string name;
    std::function<std::string()> get;
    std::function<Outcome(const std::string &value)> set;
    std::function<Outcome(const std::string &arguments)> query = {};
};

// What services may ask of the simulator around them.
class ServiceHost
{
  public:
    virtual ModemState &state() = 0;
    // Indications raised while a request is handled go out after its response.
    virtual void send_indication(MessagePtr indication) = 0;
    // The response to a request whose handler returned nullptr (answered
    // later, e.g. a network scan). Latency and drop/garbage faults apply.
    virtual void send_deferred_response(MessagePtr response) = 0;
    // Tells every service that ModemState::operating_mode changed.
    virtual void operating_mode_changed() = 0;
    // Tells every service that ModemState::card changed (PIN, presence, ...).
    virtual void card_changed() = 0;
    // Tells the owning service that CTL allocated a client id.
    virtual void client_allocated(QmiService service, std::uint8_t cid) = 0;
    // Enabled services with an implementation, CTL included, in service order.
    virtual std::vector<const Service *> enabled_services() const = 0;
    // Modem reboots without losing the port (clients forgotten, low-power).
    virtual void schedule_modem_reset(unsigned delay_ms) = 0;

  protected:
    ~ServiceHost() = default;
};

class Service
{
  public:
    using Handler = std::function<MessagePtr(QmiMessage *request)>;

    Service(QmiService id, ServiceVersion version, ServiceHost &host)
        : id_(id), version_(version), host_(host)
    {
    }
    virtual ~Service() = default;
    Service(const Service &) = delete;
    Service &operator=(const Service &) = delete;

    QmiService id() const { return id_; }
    ServiceVersion version() const { return version_; }

    // The response to a request; INVALID_QMI_COMMAND for unknown message ids,
    // which is what Qualcomm firmware answers. nullptr means the handler
    // answers later through ServiceHost::send_deferred_response().
    MessagePtr handle(QmiMessage *request);

    virtual std::vector<StateKey> state_keys() { return {}; }
    // Extra control commands ("operator-add", ...).
    virtual std::vector<CommandSpec> commands() { return {}; }

    // A client id of this service was just allocated (default subscriptions).
    virtual void on_client_allocated(std::uint8_t /*cid*/) {}
    // ModemState::operating_mode changed (over QMI or the control socket).
    virtual void on_operating_mode_changed() {}
    // ModemState::card changed (over QMI or the control socket).
    virtual void on_card_changed() {}
    // The firmware restarted or the device went away: drop timers and
    // requests in flight, forget run-time state. Clients are already gone.
    virtual void on_boot() {}

  protected:
    template <typename S> void on(std::uint16_t message_id, MessagePtr (S::*method)(QmiMessage *))
    {
        handlers_[message_id] = [this, method](QmiMessage *request) {
            return (static_cast<S *>(this)->*method)(request);
        };
    }

    ServiceHost &host() { return host_; }
    ModemState &state() { return host_.state(); }

    static MessagePtr success(QmiMessage *request);
    static MessagePtr failure(QmiMessage *request, QmiProtocolError error);

    // Sends an indication built by `fill` to each client of this service that
    // registered for `subscription`.
    void notify(const std::string &subscription, std::uint16_t message_id,
                const std::function<void(QmiMessage *)> &fill);
    // Sends an indication built by `fill` to one client.
    void send_to(std::uint8_t cid, std::uint16_t message_id,
                 const std::function<void(QmiMessage *)> &fill);
    // The allocated clients of this service (empty map if none).
    std::map<std::uint8_t, ClientInfo> &clients();

  private:
    QmiService id_;
    ServiceVersion version_;
    ServiceHost &host_;
    std::map<std::uint16_t, Handler> handlers_;
};

} // namespace qmisim
