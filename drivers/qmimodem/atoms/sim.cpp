#include "sim.hpp"

#include "core/errors.hpp"
#include "sim_dms.hpp"
#include "sim_uim.hpp"

#include <ofono/log.h>

namespace qmi
{
namespace
{

constexpr OfonoError kIncorrectPassword{OFONO_ERROR_TYPE_CME, 16};
constexpr OfonoError kNotSupported{OFONO_ERROR_TYPE_CME, 4};

// Every PIN request answers the same way. Never log the code itself.
MoveFunction<void(const GError *)> pin_done(OfonoCallback<ofono_sim_lock_unlock_cb_t> cb)
{
    return [cb = std::move(cb)](const GError *error) mutable {
        if (!error)
            return cb.succeed();
        ofono_warn("sim: PIN operation refused: %s", describe(error).c_str());
        cb.fail(to_ofono_error(error));
    };
}

std::string text(const char *s)
{
    return s ? s : "";
}

} // namespace

SimAtom *make_sim_atom(ofono_sim *atom, Device &device)
{
    // Before the service list is known (it always is after enable), assume UIM.
    if (device.has_service(QMI_SERVICE_UIM) || device.services().empty())
        return new UimSim(atom, device);
    ofono_info("sim: modem has no UIM service; using DMS UIM messages (no SIM file access)");
    return new DmsSim(atom, device);
}

// ---- file access that a backend lacks --------------------------------------

void SimAtom::read_file_info(int, const unsigned char *, unsigned int,
                             OfonoCallback<ofono_sim_file_info_cb_t> cb)
{
    fail_later(std::move(cb), kFailure);
}

void SimAtom::read_file_transparent(int, int, int, const unsigned char *, unsigned int,
                                    OfonoCallback<ofono_sim_read_cb_t> cb)
{
    fail_later(std::move(cb), kFailure);
}

void SimAtom::read_file_linear(int, int, int, const unsigned char *, unsigned int,
                               OfonoCallback<ofono_sim_read_cb_t> cb)
{
    fail_later(std::move(cb), kFailure);
}

void SimAtom::read_file_cyclic(int, int, int, const unsigned char *, unsigned int,
                               OfonoCallback<ofono_sim_read_cb_t> cb)
{
    fail_later(std::move(cb), kFailure);
}

void SimAtom::write_file_transparent(int, int, int, const unsigned char *, const unsigned char *,
                                     unsigned int, OfonoCallback<ofono_sim_write_cb_t> cb)
{
    fail_later(std::move(cb), kFailure);
}

void SimAtom::write_file_linear(int, int, int, const unsigned char *, const unsigned char *,
                                unsigned int, OfonoCallback<ofono_sim_write_cb_t> cb)
{
    fail_later(std::move(cb), kFailure);
}

void SimAtom::write_file_cyclic(int, int, const unsigned char *, const unsigned char *,
                                unsigned int, OfonoCallback<ofono_sim_write_cb_t> cb)
{
    fail_later(std::move(cb), kFailure);
}

// ---- card state ---------------------------------------------------------------

void SimAtom::register_atom()
{
    registered_ = true;
    ofono_sim_register(atom_);
    apply(status_);
}

void SimAtom::apply(const CardStatus &status)
{
    status_ = status;
    if (!registered_)
        return;
    const bool present = status.card == CardStatus::Card::Present;
    if (present != inserted_) {
        inserted_ = present;
        ready_ = false;
        DBG("sim: card %s", present ? "inserted" : "removed");
        ofono_sim_inserted_notify(atom_, present);
    }
    const bool ready =
        present && status.app && status.app->state == QMI_UIM_CARD_APPLICATION_STATE_READY;
    if (ready && !ready_) {
        DBG("sim: application ready");
        ofono_sim_initialized_notify(atom_);
    }
    ready_ = ready;
}

void SimAtom::query_passwd_state(OfonoCallback<ofono_sim_passwd_cb_t> cb)
{
    refresh_status([this, cb = std::move(cb)](const GError *error) mutable {
        if (error)
            return cb.fail(to_ofono_error(error));
        const int type = to_password_type(status_);
        if (type == OFONO_SIM_PASSWORD_INVALID)
            return cb.fail();
        cb.succeed(static_cast<ofono_sim_password_type>(type));
    });
}

void SimAtom::query_pin_retries(OfonoCallback<ofono_sim_pin_retries_cb_t> cb)
{
    refresh_status([this, cb = std::move(cb)](const GError *error) mutable {
        if (error)
            return cb.fail(to_ofono_error(error));
        int retries[OFONO_SIM_PASSWORD_INVALID];
        fill_retries(status_, retries, OFONO_SIM_PASSWORD_INVALID);
        cb.succeed(retries);
    });
}

void SimAtom::query_facility_lock(ofono_sim_password_type type,
                                  OfonoCallback<ofono_query_facility_lock_cb_t> cb)
{
    if (type != OFONO_SIM_PASSWORD_SIM_PIN)
        return fail_later(std::move(cb), kNotSupported);
    refresh_status([this, cb = std::move(cb)](const GError *error) mutable {
        if (error)
            return cb.fail(to_ofono_error(error));
        cb.succeed(static_cast<ofono_bool_t>(pin1_enabled(status_)));
    });
}

// ---- PIN requests: checked here, carried out by the backend ----------------

void SimAtom::send_passwd(const char *passwd, OfonoCallback<ofono_sim_lock_unlock_cb_t> cb)
{
    const std::string pin = text(passwd);
    if (!valid_pin(pin))
        return fail_later(std::move(cb), kIncorrectPassword);
    verify_pin(pin, pin_done(std::move(cb)));
}

void SimAtom::reset_passwd(const char *puk, const char *passwd,
                           OfonoCallback<ofono_sim_lock_unlock_cb_t> cb)
{
    const std::string p = text(puk), n = text(passwd);
    if (!valid_puk(p) || !valid_pin(n))
        return fail_later(std::move(cb), kIncorrectPassword);
    unblock_pin(p, n, pin_done(std::move(cb)));
}

void SimAtom::change_passwd(ofono_sim_password_type type, const char *old_passwd,
                            const char *new_passwd, OfonoCallback<ofono_sim_lock_unlock_cb_t> cb)
{
    const std::string o = text(old_passwd), n = text(new_passwd);
    if (!valid_pin(o) || !valid_pin(n))
        return fail_later(std::move(cb), kIncorrectPassword);
    const Pin which = type == OFONO_SIM_PASSWORD_SIM_PIN2 ? Pin::Pin2 : Pin::Pin1;
    change_pin(which, o, n, pin_done(std::move(cb)));
}

void SimAtom::lock(ofono_sim_password_type type, int enable, const char *passwd,
                   OfonoCallback<ofono_sim_lock_unlock_cb_t> cb)
{
    const std::string pin = text(passwd);
    if ((type != OFONO_SIM_PASSWORD_SIM_PIN && type != OFONO_SIM_PASSWORD_SIM_PIN2) ||
        !valid_pin(pin))
        return fail_later(std::move(cb), kNotSupported);
    const Pin which = type == OFONO_SIM_PASSWORD_SIM_PIN2 ? Pin::Pin2 : Pin::Pin1;
    set_pin_protection(which, enable != 0, pin, pin_done(std::move(cb)));
}

} // namespace qmi
