#include "simulator.hpp"

#include "names.hpp"
#include "services/registry.hpp"

#include <algorithm>

namespace qmisim
{

namespace
{
// A partial frame that sees no new bytes for this long has a bogus length.
constexpr guint kStaleFrameMs = 500;
// CTL Sync: as an indication, "every client id was released".
constexpr std::uint16_t kCtlSync = 0x0027;
} // namespace

Simulator::Simulator(const SimulatorOptions &options, Log &log)
    : log_(log),
      transport_(options.link, options.framing, options.seed, log,
                 [this](const std::uint8_t *data, std::size_t len) { on_data(data, len); }),
      latency_ms_(options.latency_ms), random_(options.seed)
{
    state_.enabled_services = options.services;
    services_ = make_services(*this);
    for (auto &service : services_)
        for (auto &key : service->state_keys())
            keys_.emplace(key.name, std::move(key));
}

Simulator::~Simulator() = default;

bool Simulator::start(std::string &error)
{
    return transport_.open(error);
}

Service *Simulator::find_service(QmiService service) const
{
    for (const auto &s : services_)
        if (s->id() == service)
            return s.get();
    return nullptr;
}

bool Simulator::implements(QmiService service) const
{
    return find_service(service) != nullptr;
}

std::vector<const Service *> Simulator::enabled_services() const
{
    std::vector<const Service *> out;
    for (const auto &s : services_)
        if (s->id() == QMI_SERVICE_CTL || state_.enabled_services.contains(s->id()))
            out.push_back(s.get());
    return out;
}

void Simulator::on_data(const std::uint8_t *data, std::size_t len)
{
    parser_.feed(data, len);
    parse_frames();
}

void Simulator::parse_frames()
{
    const std::size_t discarded_before = parser_.discarded();
    while (MessagePtr message = parser_.next())
        handle_request(std::move(message));
    if (parser_.discarded() != discarded_before)
        log_.event("discarded " + std::to_string(parser_.discarded() - discarded_before) +
                   " bytes of malformed input");

    stale_timer_.reset();
    if (parser_.pending() > 0) {
        stale_timer_.reset(g_timeout_add(
            kStaleFrameMs,
            [](gpointer data) -> gboolean {
                auto *self = static_cast<Simulator *>(data);
                self->stale_timer_.forget();
                self->log_.event("incomplete frame timed out; resyncing");
                self->parser_.drop_head_byte();
                self->parse_frames();
                return G_SOURCE_REMOVE;
            },
            this));
    }
}

void Simulator::handle_request(MessagePtr request)
{
    QmiMessage *msg = request.get();
    log_.message(Direction::FromHost, msg);
    if (!qmi_message_is_request(msg)) {
        log_.event("ignored: not a request");
        return;
    }
    const QmiService service_id = qmi_message_get_service(msg);
    const std::uint16_t message_id = qmi_message_get_message_id(msg);
    const std::uint8_t cid = qmi_message_get_client_id(msg);
    request_counts_[{service_id, message_id}]++;
    if (silent_) {
        log_.event("ignored: modem silent");
        return;
    }

    Service *service = find_service(service_id);
    if (!service ||
        (service_id != QMI_SERVICE_CTL && !state_.enabled_services.contains(service_id))) {
        log_.event("ignored: service " + service_name(service_id) + " not available");
        return;
    }
    if (service_id != QMI_SERVICE_CTL && !state_.client(service_id, cid)) {
        log_.event("ignored: client id " + std::to_string(cid) + " not allocated");
        return;
    }

    const auto fault = faults_.take(service_id, message_id);
    if (fault && (fault->kind == FaultKind::Reset || fault->kind == FaultKind::Disappear ||
                  fault->kind == FaultKind::Silence)) {
        run_point_fault(fault->kind);
        return;
    }
    in_request_ = true;
    MessagePtr response;
    if (fault && fault->kind == FaultKind::Fail) {
        log_.event("fault: failing with " + protocol_error_name(fault->error));
        response.reset(qmi_message_response_new(msg, fault->error));
    } else {
        response = service->handle(msg);
    }
    in_request_ = false;

    if (!response) {
        // The service answers later (send_deferred_response); so does the fault.
        log_.event("response deferred");
        if (fault)
            deferred_faults_[{service_id, cid, qmi_message_get_transaction_id(msg)}] = fault->kind;
    } else if (fault && fault->kind == FaultKind::Drop) {
        log_.event("fault: response dropped");
    } else if (fault && fault->kind == FaultKind::Garbage) {
        log_.event("fault: sending garbage instead of the response");
        send_garbage();
    } else {
        send_response(std::move(response));
    }

    auto indications = std::move(deferred_indications_);
    deferred_indications_.clear();
    for (auto &indication : indications)
        send_indication(std::move(indication));
}

void Simulator::send_now(QmiMessage *message)
{
    if (silent_) {
        log_.event("silent: " + message_name(message) + " not sent");
        return;
    }
    log_.message(Direction::ToHost, message);
    auto bytes = raw_bytes(message);
    hostile_.record(bytes);
    transport_.send(std::move(bytes));
}

void Simulator::run_point_fault(FaultKind kind)
{
    switch (kind) {
    case FaultKind::Reset:
        log_.event("fault: the modem resets on this request");
        reset();
        break;
    case FaultKind::Disappear:
        log_.event("fault: the device vanishes on this request");
        disappear();
        break;
    case FaultKind::Silence:
        log_.event("fault: the modem stops answering from this request on");
        set_silent(true);
        break;
    default:
        break;
    }
}

void Simulator::set_silent(bool silent)
{
    if (silent == silent_)
        return;
    log_.event(silent ? "modem silent: no more answers" : "modem answers again");
    silent_ = silent;
}

Outcome Simulator::hostile(std::size_t count, std::uint32_t seed,
                           const std::set<HostileKind> &kinds,
                           const std::optional<std::set<QmiService>> &services)
{
    if (!transport_.is_open())
        return Outcome::failure("device is absent");
    std::vector<HostileTarget> targets;
    for (const auto &[service, clients] : state_.clients)
        for (const auto &[cid, info] : clients)
            targets.push_back({service, cid});
    const HostileBatch batch = hostile_.generate(count, seed, kinds, targets, services);
    log_.event("hostile: " + batch.summary() + " (seed " + std::to_string(seed) + ")");
    for (std::size_t i = 0; i < batch.frames.size(); ++i) {
        if (silent_)
            break;
        log_.event("hostile " + batch.notes[i]);
        transport_.send(batch.frames[i]);
    }
    return Outcome::success(batch.summary());
}

void Simulator::send_response(MessagePtr response)
{
    if (latency_ms_ == 0) {
        send_now(response.get());
        return;
    }
    auto &entry = delayed_.emplace_back();
    entry.message = std::move(response);
    auto *context = new std::pair<Simulator *, std::list<DelayedResponse>::iterator>(
        this, std::prev(delayed_.end()));
    entry.timer.reset(g_timeout_add_full(
        G_PRIORITY_DEFAULT, latency_ms_,
        [](gpointer data) -> gboolean {
            auto [self, it] =
                *static_cast<std::pair<Simulator *, std::list<DelayedResponse>::iterator> *>(data);
            it->timer.forget();
            self->send_now(it->message.get());
            self->delayed_.erase(it);
            return G_SOURCE_REMOVE;
        },
        context,
        [](gpointer data) {
            delete static_cast<std::pair<Simulator *, std::list<DelayedResponse>::iterator> *>(
                data);
        }));
}

void Simulator::send_indication(MessagePtr indication)
{
    if (in_request_) {
        deferred_indications_.push_back(std::move(indication));
        return;
    }
    if (!transport_.is_open())
        return;
    if (silent_) {
        log_.event("silent: " + message_name(indication.get()) + " indication not sent");
        return;
    }
    if (drop_indications_) {
        log_.event("dropped (drop-indications on): " + message_name(indication.get()) +
                   " indication");
        return;
    }
    indication_counts_[{qmi_message_get_service(indication.get()),
                        qmi_message_get_message_id(indication.get())}]++;
    send_now(indication.get());
}

void Simulator::send_deferred_response(MessagePtr response)
{
    QmiMessage *msg = response.get();
    const auto key = std::tuple{qmi_message_get_service(msg), qmi_message_get_client_id(msg),
                                qmi_message_get_transaction_id(msg)};
    std::optional<FaultKind> fault;
    if (const auto it = deferred_faults_.find(key); it != deferred_faults_.end()) {
        fault = it->second;
        deferred_faults_.erase(it);
    }
    if (!transport_.is_open())
        return;
    if (fault == FaultKind::Drop) {
        log_.event("fault: deferred response dropped");
    } else if (fault == FaultKind::Garbage) {
        log_.event("fault: sending garbage instead of the deferred response");
        send_garbage();
    } else {
        send_response(std::move(response));
    }
}

void Simulator::operating_mode_changed()
{
    for (const auto &service : services_)
        service->on_operating_mode_changed();
}

void Simulator::card_changed()
{
    for (const auto &service : services_)
        service->on_card_changed();
}

void Simulator::client_allocated(QmiService service, std::uint8_t cid)
{
    if (Service *s = find_service(service))
        s->on_client_allocated(cid);
}

void Simulator::boot_services()
{
    deferred_faults_.clear();
    for (const auto &service : services_)
        service->on_boot();
}

void Simulator::send_garbage()
{
    if (silent_)
        return;
    std::vector<std::uint8_t> junk;
    const auto junk_len = std::uniform_int_distribution<int>{4, 16}(random_);
    std::uniform_int_distribution<int> byte{0x02, 0xFF}; // never the QMUX marker
    for (int i = 0; i < junk_len; i++)
        junk.push_back(static_cast<std::uint8_t>(byte(random_)));
    // A frame start whose length claims more bytes than ever follow.
    const std::uint8_t truncated[] = {0x01, 0x40, 0x00, 0x80, 0x02, 0x01, 0x02, 0x00};
    junk.insert(junk.end(), std::begin(truncated), std::end(truncated));
    transport_.send(std::move(junk));
}

void Simulator::forget_in_flight()
{
    delayed_.clear();
    deferred_indications_.clear();
    parser_ = FrameParser{};
    stale_timer_.reset();
    reset_timer_.reset();
}

void Simulator::disappear()
{
    log_.event("device disappears");
    forget_in_flight();
    transport_.close();
    state_.clients.clear();
    boot_services();
}

Outcome Simulator::reappear()
{
    if (transport_.is_open())
        return Outcome::failure("device is present");
    forget_in_flight();
    silent_ = false;
    state_.boot();
    boot_services();
    std::string error;
    if (!transport_.open(error))
        return Outcome::failure(error);
    log_.event("device reappears at " + transport_.slave_path());
    return Outcome::success(transport_.slave_path());
}

void Simulator::reset()
{
    log_.event("modem reset");
    silent_ = false; // a hung firmware comes back with the reboot
    delayed_.clear();
    reset_timer_.reset();
    state_.boot();
    boot_services();
    // The restarted firmware tells every host that its client ids are gone.
    send_indication(make_indication(QMI_SERVICE_CTL, 0xFF, kCtlSync));
}

void Simulator::schedule_modem_reset(unsigned delay_ms)
{
    reset_timer_.reset(g_timeout_add(
        delay_ms,
        [](gpointer data) -> gboolean {
            auto *self = static_cast<Simulator *>(data);
            self->reset_timer_.forget();
            self->reset();
            return G_SOURCE_REMOVE;
        },
        this));
}

Outcome Simulator::set_services(const std::set<QmiService> &services)
{
    for (const QmiService s : services)
        if (!implements(s) || s == QMI_SERVICE_CTL)
            return Outcome::failure("no simulation for service " + service_name(s));
    state_.enabled_services = services;
    std::erase_if(state_.clients,
                  [&](const auto &entry) { return !services.contains(entry.first); });
    return Outcome::success();
}

std::size_t Simulator::requests(QmiService service, std::optional<std::uint16_t> message_id) const
{
    std::size_t n = 0;
    for (const auto &[key, count] : request_counts_)
        if (key.first == service && (!message_id || key.second == *message_id))
            n += count;
    return n;
}

std::size_t Simulator::indications(std::optional<QmiService> service,
                                   std::optional<std::uint16_t> message_id) const
{
    std::size_t n = 0;
    for (const auto &[key, count] : indication_counts_)
        if ((!service || key.first == *service) && (!message_id || key.second == *message_id))
            n += count;
    return n;
}

std::vector<CommandSpec> Simulator::service_commands()
{
    std::vector<CommandSpec> out;
    for (const auto &service : services_)
        for (auto &command : service->commands())
            out.push_back(std::move(command));
    return out;
}

std::size_t Simulator::clients(std::optional<QmiService> service) const
{
    return state_.client_count(service);
}

Outcome Simulator::get_key(const std::string &key, const std::string &arguments)
{
    const auto it = keys_.find(key);
    if (it == keys_.end())
        return Outcome::failure("unknown key '" + key + "'");
    if (it->second.query)
        return it->second.query(arguments);
    if (!arguments.empty())
        return Outcome::failure("key '" + key + "' takes no arguments");
    return Outcome::success(it->second.get());
}

Outcome Simulator::set_key(const std::string &key, const std::string &value)
{
    const auto it = keys_.find(key);
    if (it == keys_.end())
        return Outcome::failure("unknown key '" + key + "'");
    return it->second.set(value);
}

} // namespace qmisim
