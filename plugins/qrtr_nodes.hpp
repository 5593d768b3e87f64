// What QRTR discovery needs to know about the QRTR bus, as an interface: the
// nodes (remote processors, or the AP itself) and the QMI services each one
// serves. plugins/qrtr_bus_source.* implements it over libqrtr-glib; the
// unit tests drive the same interface with a simulated bus.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace qmi
{

// QMI service numbers as the QRTR name service reports them.
inline constexpr std::uint32_t kQrtrServiceDms = 2;

enum class QrtrLogLevel { Debug, Info, Warning };
using QrtrLog = std::function<void(QrtrLogLevel, const std::string &)>;

// Receives the bus's events. A node is added before its first service and
// removed after (or without) its last service being reported removed.
class QrtrNodeEvents
{
  public:
    virtual void node_added(std::uint32_t node) = 0;
    virtual void node_removed(std::uint32_t node) = 0;
    virtual void service_added(std::uint32_t node, std::uint32_t service) = 0;
    virtual void service_removed(std::uint32_t node, std::uint32_t service) = 0;

  protected:
    ~QrtrNodeEvents() = default;
};

class QrtrNodeSource
{
  public:
    virtual ~QrtrNodeSource() = default;
    // Starts reporting to events: what is on the bus already (node_added,
    // then service_added for each of its services), then the changes. Called
    // once. events must outlive the source; destroying the source stops it,
    // and nothing is reported after that.
    virtual void start(QrtrNodeEvents &events) = 0;
};

} // namespace qmi
