// Ties the pieces together: bytes from the pty become requests, requests are
// dispatched to services (or to an armed fault), responses go back with the
// configured latency, indications go out immediately.
#pragma once

#include "command_spec.hpp"
#include "faults.hpp"
#include "hostile.hpp"
#include "log.hpp"
#include "modem_state.hpp"
#include "outcome.hpp"
#include "pty_transport.hpp"
#include "qmux.hpp"
#include "services/service.hpp"

#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace qmisim
{

struct SimulatorOptions {
    std::string link;
    Framing framing = Framing::Paced;
    std::uint32_t seed = 1;
    unsigned latency_ms = 0;
    std::set<QmiService> services{QMI_SERVICE_DMS, QMI_SERVICE_NAS, QMI_SERVICE_UIM};
};

class Simulator final : public ServiceHost
{
  public:
    Simulator(const SimulatorOptions &options, Log &log);
    Simulator(const Simulator &) = delete;
    Simulator &operator=(const Simulator &) = delete;
    ~Simulator();

    bool start(std::string &error);
    const std::string &slave_path() const { return transport_.slave_path(); }

    // Control operations.
    Outcome get_key(const std::string &key, const std::string &arguments = {});
    Outcome set_key(const std::string &key, const std::string &value);
    void set_latency(unsigned ms) { latency_ms_ = ms; }
    std::size_t requests(QmiService service, std::optional<std::uint16_t> message_id) const;
    // Indications handed to the host so far (all services when service is nullopt).
    std::size_t indications(std::optional<QmiService> service,
                            std::optional<std::uint16_t> message_id) const;
    // Control commands added by the services.
    std::vector<CommandSpec> service_commands();
    std::size_t clients(std::optional<QmiService> service) const;
    void arm_fault(const Fault &fault) { faults_.add(fault); }
    void disappear();
    // Indications are lost on the way (a host that is suspending or resuming):
    // responses still go out.
    void drop_indications(bool drop) { drop_indications_ = drop; }
    Outcome reappear();
    void reset();
    // A hung firmware: requests are counted but never answered, and nothing
    // (responses, indications) reaches the host until it is switched off.
    void set_silent(bool silent);
    bool silent() const { return silent_; }
    // Sends `count` hostile frames (hostile.hpp); the payload is the summary.
    Outcome hostile(std::size_t count, std::uint32_t seed, const std::set<HostileKind> &kinds,
                    const std::optional<std::set<QmiService>> &services = std::nullopt);
    Outcome set_services(const std::set<QmiService> &services);
    bool implements(QmiService service) const;
    Log &log() { return log_; }

    // ServiceHost
    ModemState &state() override { return state_; }
    void send_indication(MessagePtr indication) override;
    void send_deferred_response(MessagePtr response) override;
    void operating_mode_changed() override;
    void card_changed() override;
    void client_allocated(QmiService service, std::uint8_t cid) override;
    std::vector<const Service *> enabled_services() const override;
    void schedule_modem_reset(unsigned delay_ms) override;

  private:
    struct DelayedResponse {
        MessagePtr message;
        SourceId timer;
    };

    void on_data(const std::uint8_t *data, std::size_t len);
    void parse_frames();
    void handle_request(MessagePtr request);
    Service *find_service(QmiService service) const;
    void send_response(MessagePtr response);
    void send_now(QmiMessage *message);
    void send_garbage();
    // Runs a Reset/Disappear/Silence fault armed for the request just taken.
    void run_point_fault(FaultKind kind);
    void forget_in_flight();
    void boot_services();

    Log &log_;
    ModemState state_;
    std::vector<std::unique_ptr<Service>> services_;
    std::map<std::string, StateKey> keys_;
    PtyTransport transport_;
    FrameParser parser_;
    FaultQueue faults_;
    unsigned latency_ms_;
    std::map<std::pair<QmiService, std::uint16_t>, std::size_t> request_counts_;
    std::map<std::pair<QmiService, std::uint16_t>, std::size_t> indication_counts_;
    // Drop/garbage faults armed for responses that a handler deferred,
    // keyed by (service, client id, transaction id).
    std::map<std::tuple<QmiService, std::uint8_t, std::uint16_t>, FaultKind> deferred_faults_;

    HostileSource hostile_;
    bool silent_ = false;

    bool in_request_ = false;
    bool drop_indications_ = false;
    std::vector<MessagePtr> deferred_indications_;
    std::list<DelayedResponse> delayed_;
    SourceId stale_timer_;
    SourceId reset_timer_;
    std::mt19937 random_;
};

} // namespace qmisim
