#include "radio_settings.hpp"

#include "core/errors.hpp"
#include "core/join.hpp"
#include "core/qmi_call.hpp"
#include "core/wire_enum.hpp"
#include "translate/nas.hpp"

#include <ofono/log.h>

#include <memory>

namespace qmi
{

RadioSettingsAtom::RadioSettingsAtom(ofono_radio_settings *atom, Device &device) : atom_(atom)
{
    // The NAS client and the capabilities are independent: fetch both, then
    // show the atom.
    Join both(2, [this] {
        if (!nas_) {
            ofono_error("radio-settings: no NAS client");
            return ofono_radio_settings_remove(atom_); // deletes this
        }
        ofono_radio_settings_register(atom_);
    });
    device.allocate(life_, QMI_SERVICE_NAS, [this, both](QmiClient *client, const GError *) {
        if (client)
            nas_ = GRef<QmiClientNas>::ref(QMI_CLIENT_NAS(client));
        both();
    });
    auto *dms = QMI_CLIENT_DMS(device.client(QMI_SERVICE_DMS));
    if (!dms) {
        both();
        return;
    }
    call(life_, dms, QMI_REQUEST(dms, get_capabilities), nullptr,
         [this, both](Reply<QmiMessageDmsGetCapabilitiesOutput> r) {
             GArray *radio = nullptr;
             if (r.ok() && qmi_message_dms_get_capabilities_output_get_info(
                               r.get(), nullptr, nullptr, nullptr, nullptr, &radio, nullptr)) {
                 std::vector<int> ifaces;
                 for (guint i = 0; radio && i < radio->len; i++)
                     ifaces.push_back(g_array_index(radio, QmiDmsRadioInterface, i));
                 supported_modes_ = radio_interfaces_to_mode_preference(ifaces);
             }
             both();
         });
}

RadioSettingsAtom::~RadioSettingsAtom()
{
    life_.end();
}

void RadioSettingsAtom::query_rat_mode(OfonoCallback<ofono_radio_settings_rat_mode_query_cb_t> cb)
{
    call(life_, nas_.get(), QMI_REQUEST(nas, get_system_selection_preference), nullptr,
         [cb = std::move(cb)](Reply<QmiMessageNasGetSystemSelectionPreferenceOutput> r) mutable {
             QmiNasRatModePreference pref;
             if (!r.ok() ||
                 !qmi_message_nas_get_system_selection_preference_output_get_mode_preference(
                     r.get(), &pref, nullptr))
                 return cb.fail(to_ofono_error(r.error()));
             cb.succeed(static_cast<ofono_radio_access_mode>(
                 mode_preference_to_access_mode(static_cast<unsigned>(wire(pref)))));
         });
}

void RadioSettingsAtom::set_rat_mode(ofono_radio_access_mode mode,
                                     OfonoCallback<ofono_radio_settings_rat_mode_set_cb_t> cb)
{
    const auto pref = static_cast<QmiNasRatModePreference>(
        access_mode_to_mode_preference(mode, supported_modes_));
    DBG("radio-settings: mode %d -> preference 0x%x", static_cast<int>(mode), pref);
    auto input = QMI_INPUT(nas, set_system_selection_preference);
    qmi_message_nas_set_system_selection_preference_input_set_mode_preference(input.get(), pref,
                                                                              nullptr);
    qmi_message_nas_set_system_selection_preference_input_set_change_duration(
        input.get(), QMI_NAS_CHANGE_DURATION_PERMANENT, nullptr);
    call(life_, nas_.get(), QMI_REQUEST(nas, set_system_selection_preference), input.get(),
         [cb = std::move(cb)](Reply<QmiMessageNasSetSystemSelectionPreferenceOutput> r) mutable {
             if (r.ok() || is_protocol_error(r.error(), QMI_PROTOCOL_ERROR_NO_EFFECT))
                 return cb.succeed();
             ofono_warn("radio-settings: setting the preference failed: %s",
                        describe(r.error()).c_str());
             cb.fail(to_ofono_error(r.error()));
         });
}

void RadioSettingsAtom::query_band(OfonoCallback<ofono_radio_settings_band_query_cb_t> cb)
{
    call(life_, nas_.get(), QMI_REQUEST(nas, get_system_selection_preference), nullptr,
         [cb = std::move(cb)](Reply<QmiMessageNasGetSystemSelectionPreferenceOutput> r) mutable {
             QmiNasBandPreference pref{};
             if (!r.ok() ||
                 !qmi_message_nas_get_system_selection_preference_output_get_band_preference(
                     r.get(), &pref, nullptr))
                 return cb.fail(to_ofono_error(r.error()));
             const auto bands = band_preference_to_bands(pref);
             cb.succeed(static_cast<ofono_radio_band_gsm>(bands.gsm),
                        static_cast<ofono_radio_band_umts>(bands.umts));
         });
}

void RadioSettingsAtom::set_band(ofono_radio_band_gsm gsm, ofono_radio_band_umts umts,
                                 OfonoCallback<ofono_radio_settings_band_set_cb_t> cb)
{
    // Other bands (LTE, ...) must survive: read the preference, then write it.
    call(life_, nas_.get(), QMI_REQUEST(nas, get_system_selection_preference), nullptr,
         [this, gsm, umts,
          cb = std::move(cb)](Reply<QmiMessageNasGetSystemSelectionPreferenceOutput> r) mutable {
             QmiNasBandPreference current{};
             if (!r.ok() ||
                 !qmi_message_nas_get_system_selection_preference_output_get_band_preference(
                     r.get(), &current, nullptr))
                 return cb.fail(to_ofono_error(r.error()));
             const auto pref = static_cast<QmiNasBandPreference>(bands_to_band_preference(
                 {static_cast<int>(gsm), static_cast<int>(umts)}, current));
             auto input = QMI_INPUT(nas, set_system_selection_preference);
             qmi_message_nas_set_system_selection_preference_input_set_band_preference(
                 input.get(), pref, nullptr);
             qmi_message_nas_set_system_selection_preference_input_set_change_duration(
                 input.get(), QMI_NAS_CHANGE_DURATION_PERMANENT, nullptr);
             call(life_, nas_.get(), QMI_REQUEST(nas, set_system_selection_preference), input.get(),
                  [cb = std::move(cb)](
                      Reply<QmiMessageNasSetSystemSelectionPreferenceOutput> s) mutable {
                      if (s.ok() || is_protocol_error(s.error(), QMI_PROTOCOL_ERROR_NO_EFFECT))
                          return cb.succeed();
                      cb.fail(to_ofono_error(s.error()));
                  });
         });
}

void RadioSettingsAtom::query_available_rats(
    OfonoCallback<ofono_radio_settings_available_rats_query_cb_t> cb)
{
    life_.defer([this, cb = std::move(cb)]() mutable {
        const unsigned rats = mode_preference_to_available_rats(supported_modes_);
        if (rats == 0)
            return cb.fail();
        cb.succeed(rats);
    });
}

} // namespace qmi
