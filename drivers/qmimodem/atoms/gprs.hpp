// gprs atom over NAS: the packet-domain attach state and bearer come from
// the same Serving System indications netreg uses (its own signal
// connection on the shared NAS client); attach/detach goes through NAS
// Attach Detach, and firmware that attaches by itself (no such message)
// is simply followed.
#pragma once

#include "core/device.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"
#include "core/signal_connection.hpp"
#include "translate/nas.hpp"

#include <ofono/gprs.h>

namespace qmi
{

class GprsAtom
{
  public:
    GprsAtom(ofono_gprs *atom, Device &device);
    ~GprsAtom();
    GprsAtom(const GprsAtom &) = delete;
    GprsAtom &operator=(const GprsAtom &) = delete;

    void set_attached(int attached, OfonoCallback<ofono_gprs_cb_t> cb);
    void attached_status(OfonoCallback<ofono_gprs_status_cb_t> cb);

    const Lifetime &lifetime() const { return life_; }

  private:
    void on_client(QmiClient *client);
    void on_serving_system(QmiIndicationNasServingSystemOutput *out);
    void update(const ServingSystem &ss);

    ofono_gprs *atom_;
    Device &device_;
    GRef<QmiClientNas> nas_;
    SignalConnection serving_system_signal_;
    int status_ = -1;
    int bearer_ = -1;
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
