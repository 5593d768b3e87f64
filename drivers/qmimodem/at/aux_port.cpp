#include "aux_port.hpp"

#include "at/quectel.hpp"
#include "core/errors.hpp"
#include "core/qmi_call.hpp"

#include <ofono/log.h>

namespace qmi
{
namespace
{
constexpr unsigned kProbeTimeoutMs = 3000;
constexpr int kProbeAttempts = 2; // the first command on a fresh port may be eaten
} // namespace

AuxAtPort::~AuxAtPort()
{
    life_.end();
}

void AuxAtPort::start(ofono_modem *modem, Device &device)
{
    stop();
    const char *port = ofono_modem_get_string(modem, "AtPort");
    if (!port || !*port)
        return;
    const char *qdai = ofono_modem_get_string(modem, "QuectelDai");
    name_ = ofono_modem_get_path(modem);
    port_ = port;
    qdai_ = qdai ? qdai : "";
    device_ = &device;

    std::string error;
    if (!channel_.open(port_, error)) {
        ofono_warn("%s: AT port %s: %s; continuing with QMI only", name_.c_str(), port_.c_str(),
                   error.c_str());
        return;
    }
    channel_.on_unknown = [this](const std::string &line) {
        DBG("%s: AT %s: not handled: %s", name_.c_str(), port_.c_str(), printable(line).c_str());
    };
    channel_.on_closed = [this](const std::string &why) {
        ofono_warn("%s: AT port %s closed (%s); continuing with QMI only", name_.c_str(),
                   port_.c_str(), why.c_str());
    };
    DBG("%s: AT port %s open", name_.c_str(), port_.c_str());
    probe(1);
}

void AuxAtPort::stop()
{
    life_.renew(); // drops every reply still on its way
    channel_.close();
    channel_.on_unknown = {};
    channel_.on_closed = {};
    device_ = nullptr;
}

void AuxAtPort::give_up(const std::string &why)
{
    ofono_warn("%s: AT port %s %s; continuing with QMI only", name_.c_str(), port_.c_str(),
               why.c_str());
    life_.renew();
    channel_.close();
}

void AuxAtPort::probe(int attempt)
{
    // Echo off: answers are then only answers. Harmless on every modem.
    channel_.send(
        life_, "ATE0", "",
        [this, attempt](AtResult r) {
            if (r.ok())
                return identify();
            if (r.status == AtResult::Status::Closed)
                return; // on_closed said so
            if (r.status == AtResult::Status::TimedOut && attempt < kProbeAttempts)
                return probe(attempt + 1);
            give_up("does not answer ATE0 (" + r.describe() + ")");
        },
        kProbeTimeoutMs);
}

void AuxAtPort::identify()
{
    QmiClient *dms = device_ ? device_->client(QMI_SERVICE_DMS) : nullptr;
    if (!dms) {
        DBG("%s: AT port %s answers; no DMS client, no vendor set-up", name_.c_str(),
            port_.c_str());
        return;
    }
    call(life_, QMI_CLIENT_DMS(dms), QMI_REQUEST(dms, get_manufacturer), nullptr,
         [this](Reply<QmiMessageDmsGetManufacturerOutput> r) {
             const char *manufacturer = nullptr;
             if (!r.ok() || !qmi_message_dms_get_manufacturer_output_get_manufacturer(
                                r.get(), &manufacturer, nullptr)) {
                 DBG("%s: AT port %s answers; manufacturer unknown (%s), no vendor set-up",
                     name_.c_str(), port_.c_str(), r.ok() ? "empty" : describe(r.error()).c_str());
                 return;
             }
             DBG("%s: AT port %s answers; manufacturer %s", name_.c_str(), port_.c_str(),
                 manufacturer);
             if (is_quectel(manufacturer))
                 read_quectel_audio();
         });
}

void AuxAtPort::read_quectel_audio()
{
    channel_.send(life_, "AT+QDAI?", "+QDAI:", [this](AtResult r) {
        const auto current =
            r.ok() && !r.lines.empty() ? qdai_setting(r.lines.back()) : std::nullopt;
        if (!current) {
            DBG("%s: AT+QDAI? gave no setting (%s)", name_.c_str(), r.describe().c_str());
            return;
        }
        DBG("%s: call audio interface (AT+QDAI) %s%s", name_.c_str(), current->c_str(),
            qdai_.empty() ? "; QuectelDai= not set, left as it is" : "");
        if (!qdai_.empty() && *current != qdai_)
            set_quectel_audio();
    });
}

void AuxAtPort::set_quectel_audio()
{
    channel_.send(life_, "AT+QDAI=" + qdai_, "", [this](AtResult r) {
        if (r.ok())
            ofono_info("%s: call audio interface set to %s (AT+QDAI); the modem uses it "
                       "after its next restart",
                       name_.c_str(), qdai_.c_str());
        else
            ofono_warn("%s: AT+QDAI=%s failed: %s", name_.c_str(), qdai_.c_str(),
                       r.describe().c_str());
    });
}

} // namespace qmi
