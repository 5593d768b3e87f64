#include "devinfo.hpp"

#include "core/errors.hpp"
#include "core/qmi_call.hpp"

#include <ofono/log.h>

namespace qmi {

void DevinfoAtom::Attribute::answer(QueryCallback cb, const Lifetime &life)
{
    if (!resolved_) {
        waiting_.push_back(std::move(cb));
        return;
    }
    // Answered from inside the driver op: defer, so oFono's core is not
    // re-entered before the op returns.
    life.defer([value = value_, error = error_, cb = std::move(cb)]() mutable {
        if (value)
            cb.succeed(value->c_str());
        else
            cb.fail(error);
    });
}

void DevinfoAtom::Attribute::resolve(std::optional<std::string> value, OfonoError error)
{
    resolved_ = true;
    value_ = std::move(value);
    error_ = error;
    for (auto &cb : std::exchange(waiting_, {})) {
        if (value_)
            cb.succeed(value_->c_str());
        else
            cb.fail(error_);
    }
}

DevinfoAtom::DevinfoAtom(ofono_devinfo *atom, Device &device) : atom_(atom)
{
    auto *dms = QMI_CLIENT_DMS(device.client(QMI_SERVICE_DMS));
    if (dms)
        prefetch(dms);
    else
        for (auto *a : {&manufacturer_, &model_, &revision_, &serial_})
            a->resolve(std::nullopt, kFailure);
    life_.defer([this] { ofono_devinfo_register(atom_); });
}

DevinfoAtom::~DevinfoAtom() { life_.end(); }

namespace {
// A DMS string answer as an attribute value: the string, or the error.
template <typename Output>
void resolve_string(const Reply<Output> &reply, gboolean (*getter)(Output *, const gchar **, GError **),
                    auto &attribute)
{
    const gchar *value = nullptr;
    if (reply.ok() && getter(reply.get(), &value, nullptr) && value)
        return attribute.resolve(std::string(value), kNoError);
    DBG("devinfo query failed: %s", describe(reply.error()).c_str());
    attribute.resolve(std::nullopt, reply.ok() ? kFailure : to_ofono_error(reply.error()));
}
} // namespace

void DevinfoAtom::prefetch(QmiClientDms *dms)
{
    call(life_, dms, QMI_REQUEST(dms, get_manufacturer), nullptr,
         [this](Reply<QmiMessageDmsGetManufacturerOutput> r) {
             resolve_string(r, qmi_message_dms_get_manufacturer_output_get_manufacturer,
                            manufacturer_);
         });
    call(life_, dms, QMI_REQUEST(dms, get_model), nullptr,
         [this](Reply<QmiMessageDmsGetModelOutput> r) {
             resolve_string(r, qmi_message_dms_get_model_output_get_model, model_);
         });
    call(life_, dms, QMI_REQUEST(dms, get_revision), nullptr,
         [this](Reply<QmiMessageDmsGetRevisionOutput> r) {
             resolve_string(r, qmi_message_dms_get_revision_output_get_revision, revision_);
         });
    call(life_, dms, QMI_REQUEST(dms, get_ids), nullptr,
         [this](Reply<QmiMessageDmsGetIdsOutput> r) {
             // GSM/UMTS/LTE modems report an IMEI; CDMA-only ones MEID or ESN.
             for (auto getter : {qmi_message_dms_get_ids_output_get_imei,
                                 qmi_message_dms_get_ids_output_get_meid,
                                 qmi_message_dms_get_ids_output_get_esn}) {
                 const gchar *id = nullptr;
                 if (r.ok() && getter(r.get(), &id, nullptr) && id && *id)
                     return serial_.resolve(std::string(id), kNoError);
             }
             serial_.resolve(std::nullopt, r.ok() ? kFailure : to_ofono_error(r.error()));
         });
}

} // namespace qmi
