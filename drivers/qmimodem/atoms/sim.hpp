// sim atom over UIM: card and application state from Get Card Status and
// its indication, file access for oFono's core (read/write transparent,
// linear fixed and cyclic, file info), IMSI from EF-IMSI, and PIN/PUK
// handling with the card's retry counters. Writes use the raw-message
// place (core/raw_messages), as libqmi 1.32 has no typed UIM write.
#pragma once

#include "core/device.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"
#include "core/signal_connection.hpp"
#include "translate/uim.hpp"

#include <ofono/sim.h>

#include <vector>

namespace qmi {

class SimAtom {
public:
    SimAtom(ofono_sim *atom, Device &device);
    ~SimAtom();

    void read_file_info(int fileid, const unsigned char *path, unsigned int path_len,
                        OfonoCallback<ofono_sim_file_info_cb_t> cb);
    void read_file_transparent(int fileid, int start, int length, const unsigned char *path,
                               unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb);
    void read_file_linear(int fileid, int record, int length, const unsigned char *path,
                          unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb);
    void read_file_cyclic(int fileid, int record, int length, const unsigned char *path,
                          unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb);
    void write_file_transparent(int fileid, int start, int length, const unsigned char *value,
                                const unsigned char *path, unsigned int path_len,
                                OfonoCallback<ofono_sim_write_cb_t> cb);
    void write_file_linear(int fileid, int record, int length, const unsigned char *value,
                           const unsigned char *path, unsigned int path_len,
                           OfonoCallback<ofono_sim_write_cb_t> cb);
    void write_file_cyclic(int fileid, int length, const unsigned char *value,
                           const unsigned char *path, unsigned int path_len,
                           OfonoCallback<ofono_sim_write_cb_t> cb);
    void read_imsi(OfonoCallback<ofono_sim_imsi_cb_t> cb);
    void query_passwd_state(OfonoCallback<ofono_sim_passwd_cb_t> cb);
    void send_passwd(const char *passwd, OfonoCallback<ofono_sim_lock_unlock_cb_t> cb);
    void query_pin_retries(OfonoCallback<ofono_sim_pin_retries_cb_t> cb);
    void reset_passwd(const char *puk, const char *passwd,
                      OfonoCallback<ofono_sim_lock_unlock_cb_t> cb);
    void change_passwd(ofono_sim_password_type type, const char *old_passwd,
                       const char *new_passwd, OfonoCallback<ofono_sim_lock_unlock_cb_t> cb);
    void lock(ofono_sim_password_type type, int enable, const char *passwd,
              OfonoCallback<ofono_sim_lock_unlock_cb_t> cb);
    void query_facility_lock(ofono_sim_password_type type,
                             OfonoCallback<ofono_query_facility_lock_cb_t> cb);

    const Lifetime &lifetime() const { return life_; }

private:
    void on_client(QmiClient *client);
    void on_card_status_indication(QmiIndicationUimCardStatusOutput *out);
    // Remembers the card status; tells oFono about insertion, removal and
    // the application becoming ready.
    void apply(const CardStatus &status);
    template <typename F> void refresh_card_status(F &&then);
    // Read Transparent with the reply handed to on_reply (oFono's file read
    // and read_imsi answer it differently).
    template <typename F>
    void read_transparent(int fileid, int start, int length, const unsigned char *path,
                          unsigned int path_len, F &&on_reply);
    void read_record(int fileid, int record, int length, const unsigned char *path,
                     unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb);
    bool usim() const;

    ofono_sim *atom_;
    Device &device_;
    GRef<QmiClientUim> uim_;
    CardStatus status_;
    bool registered_ = false;
    bool inserted_ = false;
    bool ready_ = false;
    SignalConnection card_status_signal_;
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
