// The modem's data path, shared by its gprs-context atoms: the link layer
// WDA negotiates once per power-up (raw IP; with QMAP aggregation when the
// modem multiplexes, see translate/multiplex.hpp for the decision), the
// kernel's side of it (qmi_wwan's raw_ip), and when multiplexing one network
// link per active context through libqmi's link management (rmnet netlink
// or qmi_wwan's add_mux, libqmi picks). When the kernel cannot make links,
// the path falls back to one context without aggregation.
#pragma once

#include "lifetime.hpp"
#include "move_function.hpp"
#include "translate/multiplex.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace qmi
{

class Device;

class DataPath
{
  public:
    struct Link {
        std::string name; // "rmnet_data0", "qmimux0"
        unsigned mux_id = 0;
    };
    // link is null on failure, with why saying what the kernel lacks.
    using LinkDone = MoveFunction<void(const Link *link, const std::string &why)>;

    explicit DataPath(Device &device);
    ~DataPath();
    DataPath(const DataPath &) = delete;
    DataPath &operator=(const DataPath &) = delete;

    // Once the device is open and its services known: decides and
    // negotiates. Contexts wait for it (when_ready).
    void start(Multiplex setting);
    // The device closed or was lost: forget everything.
    void reset();

    // Runs fn from the main loop once the negotiation is over (at once when
    // it is), unless `owner` ended first.
    void when_ready(const Lifetime &owner, MoveFunction<void()> fn);
    bool started() const { return started_; }
    bool multiplexing() const { return multiplexing_; }
    const std::optional<Endpoint> &endpoint() const { return endpoint_; }

    // Multiplexing: a new link on the base interface, its mux id automatic.
    void add_link(const Lifetime &owner, LinkDone done);
    void delete_link(const Link &link);
    // The kernel cannot make links (why): unless a link is up, negotiate
    // again without aggregation, then on_single_context.
    void fall_back(const std::string &why);
    // Set by the modem: leave oFono one context (called from the main loop).
    MoveFunction<void()> on_single_context;

  private:
    void negotiate(bool qmap, bool explicit_off);
    void on_negotiated(bool qmap_requested, bool ok, std::uint32_t link_layer, std::uint32_t ul,
                       std::uint32_t dl);
    void write_raw_ip_sysfs(bool raw_ip);
    void settle();
    LinkBackend backend() const;

    Device &device_;
    bool ready_ = false;
    bool started_ = false;
    bool multiplexing_ = false;
    bool qrtr_ = false;
    std::optional<Endpoint> endpoint_;
    std::vector<Link> links_;
    std::vector<std::pair<Token, MoveFunction<void()>>> waiting_;
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
