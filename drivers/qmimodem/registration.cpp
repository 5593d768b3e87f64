#include "registration.hpp"

#include "atoms/devinfo.hpp"
#include "atoms/gprs.hpp"
#include "atoms/gprs_context.hpp"
#include "atoms/lte.hpp"
#include "atoms/netreg.hpp"
#include "atoms/radio_settings.hpp"
#include "atoms/sim.hpp"
#include "atoms/sms.hpp"
#include "atoms/ussd.hpp"
#include "atoms/voicecall.hpp"
#include "modem.hpp"

#include <ofono/devinfo.h>
#include <ofono/gprs-context.h>
#include <ofono/gprs.h>
#include <ofono/lte.h>
#include <ofono/log.h>
#include <ofono/modem.h>
#include <ofono/netreg.h>
#include <ofono/radio-settings.h>
#include <ofono/sim.h>
#include <ofono/sms.h>
#include <ofono/ussd.h>
#include <ofono/voicecall.h>

#include <new>

namespace qmi
{
namespace
{

// ---- modem driver ---------------------------------------------------------

QmiModem *modem_of(ofono_modem *m)
{
    return static_cast<QmiModem *>(ofono_modem_get_data(m));
}

int modem_probe(ofono_modem *m) noexcept
{
    auto *modem = new (std::nothrow) QmiModem(m);
    if (!modem)
        return -ENOMEM;
    ofono_modem_set_data(m, modem);
    return 0;
}

void modem_remove(ofono_modem *m) noexcept
{
    delete modem_of(m);
    ofono_modem_set_data(m, nullptr);
}

int modem_enable(ofono_modem *m) noexcept
{
    return modem_of(m)->enable();
}
int modem_disable(ofono_modem *m) noexcept
{
    return modem_of(m)->disable();
}

void modem_set_online(ofono_modem *m, ofono_bool_t online, ofono_modem_online_cb_t cb,
                      void *data) noexcept
{
    auto *modem = modem_of(m);
    modem->set_online(online, OfonoCallback<ofono_modem_online_cb_t>(cb, data, modem->token()));
}

void modem_pre_sim(ofono_modem *m) noexcept
{
    modem_of(m)->pre_sim();
}
void modem_post_sim(ofono_modem *m) noexcept
{
    modem_of(m)->post_sim();
}
void modem_post_online(ofono_modem *m) noexcept
{
    modem_of(m)->post_online();
}

const ofono_modem_driver modem_driver = {
    .name = kDriverName,
    .modem_type = OFONO_MODEM_TYPE_HARDWARE,
    .probe = modem_probe,
    .remove = modem_remove,
    .enable = modem_enable,
    .disable = modem_disable,
    .set_online = modem_set_online,
    .pre_sim = modem_pre_sim,
    .post_sim = modem_post_sim,
    .post_online = modem_post_online,
};

// ---- atoms ----------------------------------------------------------------

template <typename Atom, typename Ofono> Atom *construct(Ofono *o, Device &device)
{
    return new (std::nothrow) Atom(o, device);
}

// SimAtom has one backend per way the modem reaches the card.
SimAtom *create_sim(ofono_sim *o, Device &device)
{
    try {
        return make_sim_atom(o, device);
    } catch (const std::bad_alloc &) {
        return nullptr;
    }
}

// Creates the atom object in probe (oFono hands us the modem's Device as
// data), deletes it in remove, and forwards every op with its callback
// wrapped for exactly-once delivery.
template <typename Atom, typename Ofono, void *(*GetData)(Ofono *),
          void (*SetData)(Ofono *, void *),
          Atom *(*Create)(Ofono *, Device &) = construct<Atom, Ofono>>
struct AtomThunks {
    static Atom *of(Ofono *o) { return static_cast<Atom *>(GetData(o)); }

    static int probe(Ofono *o, unsigned int, void *data) noexcept
    {
        Atom *atom = Create(o, *static_cast<Device *>(data));
        if (!atom)
            return -ENOMEM;
        SetData(o, atom);
        return 0;
    }

    static void remove(Ofono *o) noexcept
    {
        delete of(o);
        SetData(o, nullptr);
    }

    // An op with oFono's (cb, data) last and any arguments before it:
    //   Thunks::op<&Atom::method, ofono_x_cb_t, const char *>
    template <auto Method, typename Cb, typename... Args>
    static void op(Ofono *o, Args... args, Cb cb, void *data) noexcept
    {
        Atom *atom = of(o);
        (atom->*Method)(args..., callback(atom->lifetime(), cb, data));
    }
};

using Devinfo =
    AtomThunks<DevinfoAtom, ofono_devinfo, ofono_devinfo_get_data, ofono_devinfo_set_data>;

const ofono_devinfo_driver devinfo_driver = {
    .name = kDriverName,
    .probe = Devinfo::probe,
    .remove = Devinfo::remove,
    .query_manufacturer = Devinfo::op<&DevinfoAtom::query_manufacturer, ofono_devinfo_query_cb_t>,
    .query_serial = Devinfo::op<&DevinfoAtom::query_serial, ofono_devinfo_query_cb_t>,
    .query_model = Devinfo::op<&DevinfoAtom::query_model, ofono_devinfo_query_cb_t>,
    .query_revision = Devinfo::op<&DevinfoAtom::query_revision, ofono_devinfo_query_cb_t>,
    .query_svn = nullptr,
};

using Netreg = AtomThunks<NetregAtom, ofono_netreg, ofono_netreg_get_data, ofono_netreg_set_data>;

const ofono_netreg_driver netreg_driver = {
    .name = kDriverName,
    .probe = Netreg::probe,
    .remove = Netreg::remove,
    .registration_status = Netreg::op<&NetregAtom::registration_status, ofono_netreg_status_cb_t>,
    .current_operator = Netreg::op<&NetregAtom::current_operator, ofono_netreg_operator_cb_t>,
    .list_operators = Netreg::op<&NetregAtom::list_operators, ofono_netreg_operator_list_cb_t>,
    .register_auto = Netreg::op<&NetregAtom::register_auto, ofono_netreg_register_cb_t>,
    .register_manual = Netreg::op<&NetregAtom::register_manual, ofono_netreg_register_cb_t,
                                  const char *, const char *>,
    .strength = Netreg::op<&NetregAtom::strength, ofono_netreg_strength_cb_t>,
};

using RadioSettings = AtomThunks<RadioSettingsAtom, ofono_radio_settings,
                                 ofono_radio_settings_get_data, ofono_radio_settings_set_data>;

const ofono_radio_settings_driver radio_settings_driver = {
    .name = kDriverName,
    .probe = RadioSettings::probe,
    .remove = RadioSettings::remove,
    .query_rat_mode = RadioSettings::op<&RadioSettingsAtom::query_rat_mode,
                                        ofono_radio_settings_rat_mode_query_cb_t>,
    .set_rat_mode =
        RadioSettings::op<&RadioSettingsAtom::set_rat_mode, ofono_radio_settings_rat_mode_set_cb_t,
                          ofono_radio_access_mode>,
    .query_band =
        RadioSettings::op<&RadioSettingsAtom::query_band, ofono_radio_settings_band_query_cb_t>,
    .set_band = RadioSettings::op<&RadioSettingsAtom::set_band, ofono_radio_settings_band_set_cb_t,
                                  ofono_radio_band_gsm, ofono_radio_band_umts>,
    .query_fast_dormancy = nullptr,
    .set_fast_dormancy = nullptr,
    .query_available_rats = RadioSettings::op<&RadioSettingsAtom::query_available_rats,
                                              ofono_radio_settings_available_rats_query_cb_t>,
};

using Sim = AtomThunks<SimAtom, ofono_sim, ofono_sim_get_data, ofono_sim_set_data, create_sim>;
using Path = const unsigned char *;

const ofono_sim_driver sim_driver = {
    .name = kDriverName,
    .probe = Sim::probe,
    .remove = Sim::remove,
    .read_file_info =
        Sim::op<&SimAtom::read_file_info, ofono_sim_file_info_cb_t, int, Path, unsigned int>,
    .read_file_transparent = Sim::op<&SimAtom::read_file_transparent, ofono_sim_read_cb_t, int, int,
                                     int, Path, unsigned int>,
    .read_file_linear =
        Sim::op<&SimAtom::read_file_linear, ofono_sim_read_cb_t, int, int, int, Path, unsigned int>,
    .read_file_cyclic =
        Sim::op<&SimAtom::read_file_cyclic, ofono_sim_read_cb_t, int, int, int, Path, unsigned int>,
    .write_file_transparent = Sim::op<&SimAtom::write_file_transparent, ofono_sim_write_cb_t, int,
                                      int, int, Path, Path, unsigned int>,
    .write_file_linear = Sim::op<&SimAtom::write_file_linear, ofono_sim_write_cb_t, int, int, int,
                                 Path, Path, unsigned int>,
    .write_file_cyclic = Sim::op<&SimAtom::write_file_cyclic, ofono_sim_write_cb_t, int, int, Path,
                                 Path, unsigned int>,
    .read_imsi = Sim::op<&SimAtom::read_imsi, ofono_sim_imsi_cb_t>,
    .query_passwd_state = Sim::op<&SimAtom::query_passwd_state, ofono_sim_passwd_cb_t>,
    .send_passwd = Sim::op<&SimAtom::send_passwd, ofono_sim_lock_unlock_cb_t, const char *>,
    .query_pin_retries = Sim::op<&SimAtom::query_pin_retries, ofono_sim_pin_retries_cb_t>,
    .reset_passwd =
        Sim::op<&SimAtom::reset_passwd, ofono_sim_lock_unlock_cb_t, const char *, const char *>,
    .change_passwd = Sim::op<&SimAtom::change_passwd, ofono_sim_lock_unlock_cb_t,
                             ofono_sim_password_type, const char *, const char *>,
    .lock = Sim::op<&SimAtom::lock, ofono_sim_lock_unlock_cb_t, ofono_sim_password_type, int,
                    const char *>,
    .query_facility_lock = Sim::op<&SimAtom::query_facility_lock, ofono_query_facility_lock_cb_t,
                                   ofono_sim_password_type>,
    .list_apps = nullptr,
    .open_channel = nullptr,
    .close_channel = nullptr,
    .session_read_binary = nullptr,
    .session_read_record = nullptr,
    .session_read_info = nullptr,
    .logical_access = nullptr,
    .set_active_card_slot = nullptr,
};

using Sms = AtomThunks<SmsAtom, ofono_sms, ofono_sms_get_data, ofono_sms_set_data>;

const ofono_sms_driver sms_driver = {
    .name = kDriverName,
    .probe = Sms::probe,
    .remove = Sms::remove,
    .sca_query = Sms::op<&SmsAtom::sca_query, ofono_sms_sca_query_cb_t>,
    .sca_set = Sms::op<&SmsAtom::sca_set, ofono_sms_sca_set_cb_t, const ofono_phone_number *>,
    .submit =
        Sms::op<&SmsAtom::submit, ofono_sms_submit_cb_t, const unsigned char *, int, int, int>,
    .bearer_query = Sms::op<&SmsAtom::bearer_query, ofono_sms_bearer_query_cb_t>,
    .bearer_set = Sms::op<&SmsAtom::bearer_set, ofono_sms_bearer_set_cb_t, int>,
};

using Voicecall =
    AtomThunks<VoicecallAtom, ofono_voicecall, ofono_voicecall_get_data, ofono_voicecall_set_data>;
using VcCb = ofono_voicecall_cb_t;

const ofono_voicecall_driver voicecall_driver = {
    .name = kDriverName,
    .probe = Voicecall::probe,
    .remove = Voicecall::remove,
    .dial =
        Voicecall::op<&VoicecallAtom::dial, VcCb, const ofono_phone_number *, ofono_clir_option>,
    .dial_memory = nullptr,
    .dial_last = nullptr,
    .answer = Voicecall::op<&VoicecallAtom::answer, VcCb>,
    .hangup_active = Voicecall::op<&VoicecallAtom::hangup_active, VcCb>,
    .hangup_all = Voicecall::op<&VoicecallAtom::hangup_all, VcCb>,
    .hold_all_active = Voicecall::op<&VoicecallAtom::hold_all_active, VcCb>,
    .release_all_held = Voicecall::op<&VoicecallAtom::release_all_held, VcCb>,
    .set_udub = Voicecall::op<&VoicecallAtom::set_udub, VcCb>,
    .release_all_active = Voicecall::op<&VoicecallAtom::release_all_active, VcCb>,
    .release_specific = Voicecall::op<&VoicecallAtom::release_specific, VcCb, int>,
    .private_chat = Voicecall::op<&VoicecallAtom::private_chat, VcCb, int>,
    .create_multiparty = Voicecall::op<&VoicecallAtom::create_multiparty, VcCb>,
    .transfer = Voicecall::op<&VoicecallAtom::transfer, VcCb>,
    .deflect = nullptr, // libqmi 1.32's Manage Calls has no call deflection
    .swap_without_accept = Voicecall::op<&VoicecallAtom::swap_without_accept, VcCb>,
    .send_tones = Voicecall::op<&VoicecallAtom::send_tones, VcCb, const char *>,
};

using Ussd = AtomThunks<UssdAtom, ofono_ussd, ofono_ussd_get_data, ofono_ussd_set_data>;

const ofono_ussd_driver ussd_driver = {
    .name = kDriverName,
    .probe = Ussd::probe,
    .remove = Ussd::remove,
    .request = Ussd::op<&UssdAtom::request, ofono_ussd_cb_t, int, const unsigned char *, int>,
    .cancel = Ussd::op<&UssdAtom::cancel, ofono_ussd_cb_t>,
};

using Gprs = AtomThunks<GprsAtom, ofono_gprs, ofono_gprs_get_data, ofono_gprs_set_data>;

const ofono_gprs_driver gprs_driver = {
    .name = kDriverName,
    .probe = Gprs::probe,
    .remove = Gprs::remove,
    .set_attached = Gprs::op<&GprsAtom::set_attached, ofono_gprs_cb_t, int>,
    .attached_status = Gprs::op<&GprsAtom::attached_status, ofono_gprs_status_cb_t>,
    .list_active_contexts = nullptr,
};

using GprsContext = AtomThunks<GprsContextAtom, ofono_gprs_context, ofono_gprs_context_get_data,
                               ofono_gprs_context_set_data>;
using GcCb = ofono_gprs_context_cb_t;

// detach_shutdown has no callback: it does not fit op<>.
void gc_detach_shutdown(ofono_gprs_context *gc, unsigned int id) noexcept
{
    GprsContext::of(gc)->detach_shutdown(id);
}

const ofono_gprs_context_driver gprs_context_driver = {
    .name = kDriverName,
    .probe = GprsContext::probe,
    .remove = GprsContext::remove,
    .activate_primary = GprsContext::op<&GprsContextAtom::activate_primary, GcCb,
                                        const ofono_gprs_primary_context *>,
    .deactivate_primary = GprsContext::op<&GprsContextAtom::deactivate_primary, GcCb, unsigned int>,
    .detach_shutdown = gc_detach_shutdown,
    .read_settings = nullptr,
};

// oFono's lte getter and op take the atom const, unlike the others.
void *lte_get_data(ofono_lte *lte)
{
    return ofono_lte_get_data(lte);
}
using Lte = AtomThunks<LteAtom, ofono_lte, lte_get_data, ofono_lte_set_data>;

void lte_set_default_attach_info(const ofono_lte *lte, const ofono_lte_default_attach_info *info,
                                 ofono_lte_cb_t cb, void *data) noexcept
{
    auto *atom = static_cast<LteAtom *>(ofono_lte_get_data(lte));
    atom->set_default_attach_info(info, callback(atom->lifetime(), cb, data));
}

const ofono_lte_driver lte_driver = {
    .name = kDriverName,
    .probe = Lte::probe,
    .remove = Lte::remove,
    .set_default_attach_info = lte_set_default_attach_info,
};

} // namespace

int register_drivers()
{
    int err = ofono_modem_driver_register(&modem_driver);
    if (err == 0)
        err = ofono_devinfo_driver_register(&devinfo_driver);
    if (err == 0)
        err = ofono_netreg_driver_register(&netreg_driver);
    if (err == 0)
        err = ofono_radio_settings_driver_register(&radio_settings_driver);
    if (err == 0)
        err = ofono_sim_driver_register(&sim_driver);
    if (err == 0)
        err = ofono_sms_driver_register(&sms_driver);
    if (err == 0)
        err = ofono_voicecall_driver_register(&voicecall_driver);
    if (err == 0)
        err = ofono_ussd_driver_register(&ussd_driver);
    if (err == 0)
        err = ofono_gprs_driver_register(&gprs_driver);
    if (err == 0)
        err = ofono_gprs_context_driver_register(&gprs_context_driver);
    if (err == 0)
        err = ofono_lte_driver_register(&lte_driver);
    if (err < 0)
        unregister_drivers(); // unregistering what was not registered is harmless
    return err;
}

void unregister_drivers()
{
    ofono_lte_driver_unregister(&lte_driver);
    ofono_gprs_context_driver_unregister(&gprs_context_driver);
    ofono_gprs_driver_unregister(&gprs_driver);
    ofono_ussd_driver_unregister(&ussd_driver);
    ofono_voicecall_driver_unregister(&voicecall_driver);
    ofono_sms_driver_unregister(&sms_driver);
    ofono_sim_driver_unregister(&sim_driver);
    ofono_radio_settings_driver_unregister(&radio_settings_driver);
    ofono_netreg_driver_unregister(&netreg_driver);
    ofono_devinfo_driver_unregister(&devinfo_driver);
    ofono_modem_driver_unregister(&modem_driver);
}

} // namespace qmi
