// The modem's optional auxiliary AT port (AtPort= in qmi.conf), for what
// QMI lacks on common modems. At enable the modem driver calls start(): the
// port is opened and probed (ATE0); on a Quectel modem (DMS manufacturer)
// the call audio interface is read and, if QuectelDai= asks for another
// one, set (AT+QDAI, see quectel.hpp). Lines the plugin does not handle
// (vendor URCs) are logged at debug level. stop() at disable.
//
// Optional in every way: without AtPort= nothing happens; a port that cannot
// be opened, does not answer or hangs up costs one warning, and the modem
// carries on over QMI alone.
#pragma once

#include "at/channel.hpp"
#include "core/device.hpp"
#include "core/lifetime.hpp"

#include <ofono/modem.h>

#include <string>

namespace qmi
{

class AuxAtPort
{
  public:
    AuxAtPort() = default;
    ~AuxAtPort();
    AuxAtPort(const AuxAtPort &) = delete;
    AuxAtPort &operator=(const AuxAtPort &) = delete;

    // Reads AtPort= / QuectelDai= from the modem; `device` must outlive us
    // (the modem owns both). Restarts if already started.
    void start(ofono_modem *modem, Device &device);
    void stop();

  private:
    void probe(int attempt);
    void identify();
    void read_quectel_audio();
    void set_quectel_audio();
    void give_up(const std::string &why);

    std::string name_; // the modem's path, for logs
    std::string port_;
    std::string qdai_; // QuectelDai=; empty: leave the modem's setting alone
    Device *device_ = nullptr;
    AtChannel channel_;
    Lifetime life_; // last member: ends first
};

} // namespace qmi
