// ussd atom over QMI VOICE. oFono hands 23.038-coded strings; QMI carries
// ASCII or UCS-2 (translate/ussd). A request starts a dialogue (Originate
// USSD, whose response is the network's answer) or, while the network
// waits for the user, answers it (Answer USSD). Network-initiated USSD
// arrives as the USSD indication, its end as Release USSD.
#pragma once

#include "core/device.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"
#include "core/signal_connection.hpp"

#include <ofono/ussd.h>

#include <string>

namespace qmi
{

class UssdAtom
{
  public:
    using Cb = OfonoCallback<ofono_ussd_cb_t>;

    UssdAtom(ofono_ussd *atom, Device &device);
    ~UssdAtom();
    UssdAtom(const UssdAtom &) = delete;
    UssdAtom &operator=(const UssdAtom &) = delete;

    void request(int dcs, const unsigned char *pdu, int len, Cb cb);
    void cancel(Cb cb);

    const Lifetime &lifetime() const { return life_; }

  private:
    void on_client(QmiClient *client);
    void on_ussd(QmiIndicationVoiceUssdOutput *out);
    void on_release();
    // Passes network text to oFono, 23.038-coded.
    void notify(int status, const std::string &text);
    void originate(const std::string &text, Cb cb);
    void answer(const std::string &text, Cb cb);

    ofono_ussd *atom_;
    Device &device_;
    GRef<QmiClientVoice> voice_;
    SignalConnection ussd_signal_;
    SignalConnection release_signal_;
    bool network_waits_ = false; // the network asked; the next request answers it
    Lifetime life_;              // last member: ends first, before callbacks die
};

} // namespace qmi
