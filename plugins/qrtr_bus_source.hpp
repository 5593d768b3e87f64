// The QRTR bus through libqrtr-glib, as a QrtrNodeSource: QrtrBus's
// "node-added" / "node-removed" and each QrtrNode's "service-added" /
// "service-removed" become QrtrNodeEvents calls. No oFono calls here (log
// lines go to the given function), so the unit tests run it as it is.
//
// A kernel without AF_QIPCRTR (USB-only machines, containers, CI) makes
// qrtr_bus_new fail with "not supported": one debug line, nothing else.
#pragma once

#include "qrtr_nodes.hpp"

#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/signal_connection.hpp"

#include <map>
#include <memory>

typedef struct _QrtrBus QrtrBus;
typedef struct _QrtrNode QrtrNode;

namespace qmi
{

class QrtrBusSource final : public QrtrNodeSource
{
  public:
    // How long qrtr_bus_new waits for the name service to list what is on
    // the bus already (the kernel's answers at once).
    static constexpr unsigned kLookupTimeoutMs = 5000;

    enum class State {
        Idle,        // not started
        Starting,    // waiting for qrtr_bus_new
        Running,     // watching the bus
        Unavailable, // no QRTR here (address family not supported, or libqmi without QRTR)
        Failed,      // another error (logged as a warning)
    };

    explicit QrtrBusSource(QrtrLog log, unsigned lookup_timeout_ms = kLookupTimeoutMs);
    ~QrtrBusSource() override;
    QrtrBusSource(const QrtrBusSource &) = delete;
    QrtrBusSource &operator=(const QrtrBusSource &) = delete;

    void start(QrtrNodeEvents &events) override;
    State state() const { return state_; }

  private:
    struct Node {
        GRef<QrtrNode> node;
        SignalConnection service_added;
        SignalConnection service_removed;
    };

    void on_bus(QrtrBus *bus);
    void track(QrtrNode *node);
    void log(QrtrLogLevel level, const std::string &text) const;
    static void on_node_added(QrtrBus *bus, guint node, gpointer self);
    static void on_node_removed(QrtrBus *bus, guint node, gpointer self);
    static void on_service_added(QrtrNode *node, guint service, gpointer self);
    static void on_service_removed(QrtrNode *node, guint service, gpointer self);

    QrtrLog log_;
    unsigned lookup_timeout_ms_;
    QrtrNodeEvents *events_ = nullptr;
    State state_ = State::Idle;
    GRef<QrtrBus> bus_;
    SignalConnection node_added_;
    SignalConnection node_removed_;
    std::map<guint32, std::unique_ptr<Node>> nodes_;
    Lifetime life_; // last: ends first
};

} // namespace qmi
