// gprs-context atom over WDS (+ WDA for the link layer). One context:
// one own WDS client per IP family (firmware wants a client per family for
// dual stack; the IPv4 one is allocated up front so that activation is two
// round trips), Start Network on each, then Get Current Settings -> the
// context's Settings / IPv6.Settings for the modem's NetworkInterface.
// A Packet Service Status "disconnected" on every family means the
// network or the modem dropped the context: oFono is told.
// The link layer is switched to raw IP through WDA Set Data Format once,
// and the kernel's /sys/class/net/<if>/qmi/raw_ip follows it.
#pragma once

#include "core/device.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"
#include "core/signal_connection.hpp"

#include <ofono/gprs-context.h>

#include <memory>
#include <string>
#include <vector>

namespace qmi
{

struct StartNetwork;

class GprsContextAtom
{
  public:
    using Cb = OfonoCallback<ofono_gprs_context_cb_t>;

    GprsContextAtom(ofono_gprs_context *atom, Device &device);
    ~GprsContextAtom();
    GprsContextAtom(const GprsContextAtom &) = delete;
    GprsContextAtom &operator=(const GprsContextAtom &) = delete;

    void activate_primary(const ofono_gprs_primary_context *ctx, Cb cb);
    void deactivate_primary(unsigned int id, Cb cb);
    void detach_shutdown(unsigned int id);

    const Lifetime &lifetime() const { return life_; }

  private:
    // One IP family's WDS session.
    struct Session {
        int family = 0; // QmiWdsIpFamily
        GRef<QmiClientWds> client;
        bool allocating = false;
        std::vector<MoveFunction<void(bool)>> waiting; // for the client
        guint32 handle = 0;
        bool connected = false;
        SignalConnection status_signal;
        GprsContextAtom *owner = nullptr;
        void on_status(QmiIndicationWdsPacketServiceStatusOutput *out);
    };

    void set_raw_ip();
    void write_raw_ip_sysfs(bool raw_ip);
    // Gets the family's own WDS client ready (allocated, family set), then
    // ready(ok); clients are kept for the next activation.
    void prepare(Session &session, MoveFunction<void(bool)> ready);
    void on_prepared(Session &session, bool ok);
    void start_family(Session &session, const StartNetwork &params, MoveFunction<void(bool)> done);
    void read_settings(Session &session, MoveFunction<void()> done);
    void stop_all(MoveFunction<void()> done);
    void on_session_lost(Session &session);
    Session &session_for(int family);

    ofono_gprs_context *atom_;
    Device &device_;
    std::vector<std::unique_ptr<Session>> sessions_;
    unsigned cid_ = 0;
    bool active_ = false;
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
