#include "qrtr_bus_source.hpp"

#include "core/errors.hpp"

#include <libqmi-glib.h>
#if QMI_QRTR_SUPPORTED
#include <libqrtr-glib.h>
#endif

#include <utility>
#include <vector>

namespace qmi
{

QrtrBusSource::QrtrBusSource(QrtrLog log, unsigned lookup_timeout_ms)
    : log_(std::move(log)), lookup_timeout_ms_(lookup_timeout_ms)
{
}

QrtrBusSource::~QrtrBusSource()
{
    // Nothing is reported from here on: no pending callback runs, every
    // signal handler is disconnected before the bus and nodes are released.
    life_.end();
    nodes_.clear();
    node_added_.disconnect();
    node_removed_.disconnect();
    bus_.reset();
}

void QrtrBusSource::log(QrtrLogLevel level, const std::string &text) const
{
    if (log_)
        log_(level, text);
}

#if QMI_QRTR_SUPPORTED

void QrtrBusSource::start(QrtrNodeEvents &events)
{
    if (state_ != State::Idle)
        return;
    events_ = &events;
    state_ = State::Starting;
    auto slot = life_.async([this](GObject *, GAsyncResult *res) {
        ErrorPtr error;
        QrtrBus *bus = qrtr_bus_new_finish(res, ErrorOut(error));
        if (bus)
            return on_bus(bus);
        if (g_error_matches(error.get(), G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED)) {
            // No AF_QIPCRTR in this kernel: a USB-only machine, not a problem.
            state_ = State::Unavailable;
            log(QrtrLogLevel::Debug,
                "QRTR discovery: no QRTR bus here (" + describe(error.get()) + ")");
            return;
        }
        state_ = State::Failed;
        log(QrtrLogLevel::Warning, "QRTR discovery: cannot watch the QRTR bus: " +
                                       describe(error.get()) + "; SoC modems are not discovered");
    });
    qrtr_bus_new(lookup_timeout_ms_, life_.cancellable(), slot.callback, slot.data);
}

void QrtrBusSource::on_bus(QrtrBus *bus)
{
    bus_ = GRef<QrtrBus>::adopt(bus);
    state_ = State::Running;
    node_added_ = SignalConnection(bus, QRTR_BUS_SIGNAL_NODE_ADDED,
                                   G_CALLBACK(&QrtrBusSource::on_node_added), this);
    node_removed_ = SignalConnection(bus, QRTR_BUS_SIGNAL_NODE_REMOVED,
                                     G_CALLBACK(&QrtrBusSource::on_node_removed), this);
    log(QrtrLogLevel::Debug, "QRTR discovery: watching the QRTR bus");

    // What the initial lookup found. Copied first: a handler may change the
    // bus's list (it does not today, but the list is the bus's).
    std::vector<GRef<QrtrNode>> present;
    for (GList *l = qrtr_bus_peek_nodes(bus); l; l = l->next)
        present.push_back(GRef<QrtrNode>::ref(QRTR_NODE(l->data)));
    const Token alive = life_.token();
    for (const auto &node : present) {
        if (alive.expired())
            return;
        const guint32 id = qrtr_node_get_id(node.get());
        track(node.get());
        events_->node_added(id);
        std::vector<guint32> services;
        for (GList *l = qrtr_node_peek_service_info_list(node.get()); l; l = l->next)
            services.push_back(
                qrtr_node_service_info_get_service(static_cast<QrtrNodeServiceInfo *>(l->data)));
        for (guint32 service : services) {
            if (alive.expired())
                return;
            events_->service_added(id, service);
        }
    }
}

void QrtrBusSource::track(QrtrNode *qnode)
{
    auto node = std::make_unique<Node>();
    node->node = GRef<QrtrNode>::ref(qnode);
    node->service_added = SignalConnection(qnode, QRTR_NODE_SIGNAL_SERVICE_ADDED,
                                           G_CALLBACK(&QrtrBusSource::on_service_added), this);
    node->service_removed = SignalConnection(qnode, QRTR_NODE_SIGNAL_SERVICE_REMOVED,
                                             G_CALLBACK(&QrtrBusSource::on_service_removed), this);
    nodes_[qrtr_node_get_id(qnode)] = std::move(node);
}

void QrtrBusSource::on_node_added(QrtrBus *bus, guint id, gpointer data)
{
    auto *self = static_cast<QrtrBusSource *>(data);
    // libqrtr lists the node before it emits the signal, and adds the node's
    // first service right after it: that comes as "service-added".
    QrtrNode *node = qrtr_bus_peek_node(bus, id);
    if (!node)
        return;
    self->track(node);
    self->events_->node_added(id);
}

void QrtrBusSource::on_node_removed(QrtrBus *, guint id, gpointer data)
{
    auto *self = static_cast<QrtrBusSource *>(data);
    // Emitted while the bus still holds the node; our reference goes first.
    self->nodes_.erase(id);
    self->events_->node_removed(id);
}

void QrtrBusSource::on_service_added(QrtrNode *node, guint service, gpointer data)
{
    static_cast<QrtrBusSource *>(data)->events_->service_added(qrtr_node_get_id(node), service);
}

void QrtrBusSource::on_service_removed(QrtrNode *node, guint service, gpointer data)
{
    static_cast<QrtrBusSource *>(data)->events_->service_removed(qrtr_node_get_id(node), service);
}

#else // libqmi without QRTR: a qrtr://N modem could not be opened anyway

void QrtrBusSource::start(QrtrNodeEvents &events)
{
    events_ = &events;
    state_ = State::Unavailable;
    log(QrtrLogLevel::Debug, "QRTR discovery: libqmi was built without QRTR support");
}

void QrtrBusSource::on_bus(QrtrBus *) {}
void QrtrBusSource::track(QrtrNode *) {}
void QrtrBusSource::on_node_added(QrtrBus *, guint, gpointer) {}
void QrtrBusSource::on_node_removed(QrtrBus *, guint, gpointer) {}
void QrtrBusSource::on_service_added(QrtrNode *, guint, gpointer) {}
void QrtrBusSource::on_service_removed(QrtrNode *, guint, gpointer) {}

#endif

} // namespace qmi
