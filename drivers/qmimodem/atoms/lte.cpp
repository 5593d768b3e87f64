#include "lte.hpp"

#include "core/errors.hpp"
#include "core/qmi_call.hpp"
#include "translate/wds.hpp"

#include <ofono/log.h>

#include <memory>
#include <string>

namespace qmi
{

LteAtom::LteAtom(ofono_lte *atom, Device &device) : atom_(atom), device_(device)
{
    device_.allocate(life_, QMI_SERVICE_WDS, [this](QmiClient *client, const GError *) {
        if (!client) {
            ofono_error("lte: no WDS client; default attach APN unavailable");
            return ofono_lte_remove(atom_); // deletes this
        }
        wds_ = GRef<QmiClientWds>::ref(QMI_CLIENT_WDS(client));
        ofono_lte_register(atom_);
    });
}

LteAtom::~LteAtom()
{
    life_.end();
}

void LteAtom::set_default_attach_info(const ofono_lte_default_attach_info *info,
                                      OfonoCallback<ofono_lte_cb_t> cb)
{
    std::string why;
    const auto params = to_start_network(info->apn, info->username, info->password, info->proto,
                                         info->auth_method, &why);
    if (!params) {
        ofono_error("lte: default attach APN refused: %s", why.c_str());
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    }
    // oFono pushes its stored default (empty unless the user set one) at
    // every start: an empty APN leaves the operator's profile as it is.
    if (params->apn.empty() && params->username.empty() && params->password.empty()) {
        DBG("lte: no default attach APN set; the modem's default profile is kept");
        return life_.defer([cb = std::move(cb)]() mutable { cb.succeed(); });
    }
    auto shared = std::make_shared<StartNetwork>(*params);
    const int pdp = to_pdp_type(info->proto);
    auto which = QMI_INPUT(wds, get_default_profile_number);
    qmi_message_wds_get_default_profile_number_input_set_profile_type(
        which.get(), QMI_WDS_PROFILE_TYPE_3GPP, QMI_WDS_PROFILE_FAMILY_EMBEDDED, nullptr);
    call(life_, wds_.get(), QMI_REQUEST(wds, get_default_profile_number), which.get(),
         [this, shared, pdp,
          cb = std::move(cb)](Reply<QmiMessageWdsGetDefaultProfileNumberOutput> r) mutable {
             guint8 index = 0;
             if (!r.ok() || !qmi_message_wds_get_default_profile_number_output_get_index(
                                r.get(), &index, nullptr)) {
                 ofono_warn("lte: no default profile: %s", describe(r.error()).c_str());
                 return cb.fail(to_ofono_error(r.error()));
             }
             auto modify = QMI_INPUT(wds, modify_profile);
             qmi_message_wds_modify_profile_input_set_profile_identifier(
                 modify.get(), QMI_WDS_PROFILE_TYPE_3GPP, index, nullptr);
             qmi_message_wds_modify_profile_input_set_apn_name(modify.get(), shared->apn.c_str(),
                                                               nullptr);
             qmi_message_wds_modify_profile_input_set_pdp_type(
                 modify.get(), static_cast<QmiWdsPdpType>(pdp), nullptr);
             qmi_message_wds_modify_profile_input_set_authentication(
                 modify.get(), static_cast<QmiWdsAuthentication>(shared->authentication), nullptr);
             qmi_message_wds_modify_profile_input_set_username(modify.get(),
                                                               shared->username.c_str(), nullptr);
             qmi_message_wds_modify_profile_input_set_password(modify.get(),
                                                               shared->password.c_str(), nullptr);
             call(life_, wds_.get(), QMI_REQUEST(wds, modify_profile), modify.get(),
                  [index, cb = std::move(cb)](Reply<QmiMessageWdsModifyProfileOutput> m) mutable {
                      if (!m.ok()) {
                          ofono_warn("lte: Modify Profile %u: %s", index,
                                     describe(m.error()).c_str());
                          return cb.fail(to_ofono_error(m.error()));
                      }
                      DBG("lte: default attach APN written to profile %u", index);
                      cb.succeed();
                  });
         });
}

} // namespace qmi
