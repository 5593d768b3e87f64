// The `qmi` modem driver: one QmiModem per oFono modem. Owns the QMI device
// and its clients; brings the modem up (enable), takes it down (disable),
// switches the radio (set_online) and creates the atoms.
#pragma once

#include "at/aux_port.hpp"
#include "core/device.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"
#include "core/signal_connection.hpp"
#include "core/sleep_watch.hpp"

#include <memory>
#include <vector>

#include <ofono/modem.h>

struct ofono_gprs;
struct ofono_gprs_context;

namespace qmi
{

class QmiModem
{
  public:
    using OnlineCallback = OfonoCallback<ofono_modem_online_cb_t>;

    explicit QmiModem(ofono_modem *modem);
    ~QmiModem();

    int enable();
    int disable();
    void set_online(bool online, OnlineCallback cb);
    void pre_sim();
    void post_sim();
    void post_online();

    Device &device() { return device_; }
    Token token() const { return life_.token(); }

  private:
    enum class State { Off, Enabling, On, Disabling };

    // enable: open -> (service list || DMS client) -> radio off -> powered
    void on_device_open(const GError *error);
    void on_dms_ready();
    void finish_enable(bool ok);
    // disable: radio off -> release clients -> close -> unpowered
    void close_device();
    void on_device_removed();
    // DMS operating-mode reports: a modem that resets or shuts down on its
    // own is gone for oFono until it is powered again.
    void watch_operating_mode(QmiClientDms *dms);
    void on_dms_event_report(QmiIndicationDmsEventReportOutput *out);
    void set_operating_mode(QmiDmsOperatingMode mode, MoveFunction<void(const GError *)> done);
    bool has_service(QmiService service) const;
    // Follows logind while the modem is on (see core/sleep_watch.hpp).
    void watch_sleep();
    // Packet data contexts: one, or one per QMAP link when the data path
    // multiplexes; back to one when the kernel cannot make links.
    void add_contexts(ofono_gprs *gprs);
    void keep_one_context();
    void forget_contexts();

    ofono_modem *modem_;
    Device device_;
    State state_ = State::Off;
    OnlineCallback pending_online_;
    SignalConnection event_report_signal_;
    AuxAtPort aux_at_; // the optional AtPort=
    std::unique_ptr<SleepWatch> sleep_watch_;
    Multiplex multiplex_ = Multiplex::Auto;      // Multiplex=
    unsigned contexts_generation_ = 0;           // bumped when the atoms may go
    std::vector<ofono_gprs_context *> contexts_; // this online period's
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
