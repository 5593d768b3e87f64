#include "gprs.hpp"

#include "core/errors.hpp"
#include "core/qmi_call.hpp"
#include "translate/nas_extract.hpp"
#include "translate/wds.hpp"

#include <ofono/log.h>

namespace qmi
{
namespace
{
// Contexts the modem can hold at once (QMI profile numbers 1..16).
constexpr unsigned kMinCid = 1, kMaxCid = 16;
} // namespace

GprsAtom::GprsAtom(ofono_gprs *atom, Device &device) : atom_(atom), device_(device)
{
    device_.allocate(life_, QMI_SERVICE_NAS,
                     [this](QmiClient *client, const GError *) { on_client(client); });
}

GprsAtom::~GprsAtom()
{
    life_.end();
}

void GprsAtom::on_client(QmiClient *client)
{
    if (!client) {
        ofono_error("gprs: no NAS client; packet data unavailable");
        return ofono_gprs_remove(atom_); // deletes this
    }
    nas_ = GRef<QmiClientNas>::ref(QMI_CLIENT_NAS(client));
    serving_system_signal_ =
        connect_signal<&GprsAtom::on_serving_system, QmiIndicationNasServingSystemOutput *>(
            nas_.get(), "serving-system", this);
    ofono_gprs_set_cid_range(atom_, kMinCid, kMaxCid);
    ofono_gprs_register(atom_);
}

void GprsAtom::on_serving_system(QmiIndicationNasServingSystemOutput *out)
{
    // Without the Serving System TLV (optional to libqmi) it says nothing
    // about attachment: keep what we know.
    QmiNasRegistrationState state;
    QmiNasAttachState cs, ps;
    QmiNasNetworkType network;
    GArray *rats = nullptr;
    if (!qmi_indication_nas_serving_system_output_get_serving_system(out, &state, &cs, &ps,
                                                                     &network, &rats, nullptr))
        return;
    update(extract_serving_system(out));
}

void GprsAtom::update(const ServingSystem &ss)
{
    const int status = static_cast<int>(to_gprs_status(ss));
    if (status != status_) {
        status_ = status;
        DBG("gprs: status %d (PS %s)", status,
            qmi_nas_attach_state_get_string(static_cast<QmiNasAttachState>(ss.ps_attach_state)));
        ofono_gprs_status_notify(atom_, status);
    }
    const int bearer = to_packet_bearer(ss.data_capabilities);
    if (status == static_cast<int>(RegStatus::Registered) ||
        status == static_cast<int>(RegStatus::Roaming)) {
        if (bearer != bearer_) {
            bearer_ = bearer;
            ofono_gprs_bearer_notify(atom_, bearer);
        }
    }
}

void GprsAtom::attached_status(OfonoCallback<ofono_gprs_status_cb_t> cb)
{
    call(life_, nas_.get(), QMI_REQUEST(nas, get_serving_system), nullptr,
         [this, cb = std::move(cb)](Reply<QmiMessageNasGetServingSystemOutput> r) mutable {
             if (!r.ok())
                 return cb.fail(to_ofono_error(r.error()));
             const ServingSystem ss = extract_serving_system(r.get());
             status_ = static_cast<int>(to_gprs_status(ss));
             bearer_ = to_packet_bearer(ss.data_capabilities);
             cb.succeed(status_);
         });
}

void GprsAtom::set_attached(int attached, OfonoCallback<ofono_gprs_cb_t> cb)
{
    auto input = QMI_INPUT(nas, attach_detach);
    qmi_message_nas_attach_detach_input_set_action(
        input.get(), attached ? QMI_NAS_PS_ATTACH_ACTION_ATTACH : QMI_NAS_PS_ATTACH_ACTION_DETACH,
        nullptr);
    call(life_, nas_.get(), QMI_REQUEST(nas, attach_detach), input.get(),
         [attached, cb = std::move(cb)](Reply<QmiMessageNasAttachDetachOutput> r) mutable {
             // Already there, or firmware that attaches by itself: the
             // serving system tells oFono the outcome either way.
             if (r.ok() ||
                 g_error_matches(r.error(), QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_NO_EFFECT) ||
                 g_error_matches(r.error(), QMI_PROTOCOL_ERROR,
                                 QMI_PROTOCOL_ERROR_INVALID_QMI_COMMAND))
                 return cb.succeed();
             ofono_warn("gprs: %s failed: %s", attached ? "attach" : "detach",
                        describe(r.error()).c_str());
             cb.fail(to_ofono_error(r.error()));
         });
}

} // namespace qmi
