// The `qmi` sim atom: what oFono's SIM core asks of a driver, over one of two
// backends chosen at probe time. UimSim (sim_uim.cpp) uses the UIM service:
// card status indications, file access, PINs. DmsSim (sim_dms.cpp) serves
// old modems without UIM through DMS's UIM messages: PIN state and entry,
// IMSI and ICCID, but no other files. This base holds what both share: the
// card state oFono has been told, the password queries built on it, and
// PIN/PUK validation before anything reaches the card.
#pragma once

#include "core/device.hpp"
#include "core/lifetime.hpp"
#include "core/move_function.hpp"
#include "core/ofono_callback.hpp"
#include "translate/uim.hpp"

#include <ofono/sim.h>

#include <string>

namespace qmi
{

class SimAtom
{
  public:
    virtual ~SimAtom() = default;
    SimAtom(const SimAtom &) = delete;
    SimAtom &operator=(const SimAtom &) = delete;

    // File access: a backend without it (DMS) answers with oFono's error.
    virtual void read_file_info(int fileid, const unsigned char *path, unsigned int path_len,
                                OfonoCallback<ofono_sim_file_info_cb_t> cb);
    virtual void read_file_transparent(int fileid, int start, int length, const unsigned char *path,
                                       unsigned int path_len,
                                       OfonoCallback<ofono_sim_read_cb_t> cb);
    virtual void read_file_linear(int fileid, int record, int length, const unsigned char *path,
                                  unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb);
    virtual void read_file_cyclic(int fileid, int record, int length, const unsigned char *path,
                                  unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb);
    virtual void write_file_transparent(int fileid, int start, int length,
                                        const unsigned char *value, const unsigned char *path,
                                        unsigned int path_len,
                                        OfonoCallback<ofono_sim_write_cb_t> cb);
    virtual void write_file_linear(int fileid, int record, int length, const unsigned char *value,
                                   const unsigned char *path, unsigned int path_len,
                                   OfonoCallback<ofono_sim_write_cb_t> cb);
    virtual void write_file_cyclic(int fileid, int length, const unsigned char *value,
                                   const unsigned char *path, unsigned int path_len,
                                   OfonoCallback<ofono_sim_write_cb_t> cb);
    virtual void read_imsi(OfonoCallback<ofono_sim_imsi_cb_t> cb) = 0;

    void query_passwd_state(OfonoCallback<ofono_sim_passwd_cb_t> cb);
    void query_pin_retries(OfonoCallback<ofono_sim_pin_retries_cb_t> cb);
    void query_facility_lock(ofono_sim_password_type type,
                             OfonoCallback<ofono_query_facility_lock_cb_t> cb);
    void send_passwd(const char *passwd, OfonoCallback<ofono_sim_lock_unlock_cb_t> cb);
    void reset_passwd(const char *puk, const char *passwd,
                      OfonoCallback<ofono_sim_lock_unlock_cb_t> cb);
    void change_passwd(ofono_sim_password_type type, const char *old_passwd, const char *new_passwd,
                       OfonoCallback<ofono_sim_lock_unlock_cb_t> cb);
    void lock(ofono_sim_password_type type, int enable, const char *passwd,
              OfonoCallback<ofono_sim_lock_unlock_cb_t> cb);

    const Lifetime &lifetime() const { return life_; }

    enum class Pin { Pin1, Pin2 };

  protected:
    explicit SimAtom(ofono_sim *atom) : atom_(atom) {}

    using Done = MoveFunction<void(const GError *)>;

    // Re-reads the card state and passes it to apply() before `then`.
    virtual void refresh_status(Done then) = 0;
    virtual void verify_pin(const std::string &pin, Done done) = 0;
    virtual void unblock_pin(const std::string &puk, const std::string &pin, Done done) = 0;
    virtual void change_pin(Pin which, const std::string &old_pin, const std::string &new_pin,
                            Done done) = 0;
    virtual void set_pin_protection(Pin which, bool enable, const std::string &pin, Done done) = 0;

    // Fails cb from the main loop (never inside oFono's call into the driver).
    template <typename Fn> void fail_later(OfonoCallback<Fn> cb, OfonoError error) const
    {
        life_.defer([cb = std::move(cb), error]() mutable { cb.fail(error); });
    }

    // Registers the atom with oFono, then reports the state known so far.
    void register_atom();
    // Remembers the card state; tells oFono about insertion, removal and the
    // application becoming ready (once registered).
    void apply(const CardStatus &status);
    const CardStatus &status() const { return status_; }

    ofono_sim *const atom_;
    // Backends end it first thing in their destructor, before their members go.
    Lifetime life_;

  private:
    CardStatus status_;
    bool registered_ = false;
    bool inserted_ = false;
    bool ready_ = false;
};

// The backend this modem supports (UIM when the modem lists it, else DMS).
SimAtom *make_sim_atom(ofono_sim *atom, Device &device);

} // namespace qmi
