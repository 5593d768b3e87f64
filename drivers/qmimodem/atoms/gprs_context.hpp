// gprs-context atom over WDS. One context: one own WDS client per IP family
// (firmware wants a client per family for dual stack; the IPv4 one is
// allocated up front so that activation is two round trips), Start Network
// on each, then Get Current Settings -> the context's Settings /
// IPv6.Settings. A Packet Service Status "disconnected" on every family
// means the network or the modem dropped the context: oFono is told.
// The link layer is the modem's (core/data_path.hpp). When it multiplexes,
// activation is a chain of named steps: wait for the data path -> open a
// link (its own network interface) -> bind each family's client to the
// link's mux id -> Start Network -> settings; without multiplexing the link
// is the modem's NetworkInterface= and the middle steps are skipped.
#pragma once

#include "core/device.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"
#include "core/signal_connection.hpp"

#include <ofono/gprs-context.h>

#include <memory>
#include <optional>
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

    // Active or activating: the modem keeps it when it drops to one context.
    bool busy() const { return active_ || activation_ != nullptr; }
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
        std::optional<unsigned> bound_mux; // WDS Bind Mux Data Port done for it
        SignalConnection status_signal;
        GprsContextAtom *owner = nullptr;
        void on_status(QmiIndicationWdsPacketServiceStatusOutput *out);
    };

    // activation steps, in order
    void open_link();
    void bind_sessions();
    void bind(Session &session, MoveFunction<void(bool)> done);
    void start_sessions();
    void finish_activation();
    void fail_activation();
    void release_link();
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
    // The activation on its way (oFono sends one at a time per context).
    struct Activation {
        Cb cb;
        std::unique_ptr<StartNetwork> params;
    };
    std::unique_ptr<Activation> activation_;
    std::optional<DataPath::Link> link_; // multiplexing: this context's link
    std::string interface_;              // what oFono's Settings get
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
