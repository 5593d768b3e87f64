// sim backend over UIM: card and application state from Get Card Status
// and its indication, file access for oFono's core (read/write transparent,
// linear fixed and cyclic, file info), IMSI from EF-IMSI, and PIN/PUK
// handling with the card's retry counters. Writes use the raw-message
// place (core/raw_messages), as libqmi 1.32 has no typed UIM write.
#pragma once

#include "core/gobject_ptr.hpp"
#include "core/signal_connection.hpp"
#include "sim.hpp"

#include <vector>

namespace qmi
{

class UimSim final : public SimAtom
{
  public:
    UimSim(ofono_sim *atom, Device &device);
    ~UimSim() override;

    void read_file_info(int fileid, const unsigned char *path, unsigned int path_len,
                        OfonoCallback<ofono_sim_file_info_cb_t> cb) override;
    void read_file_transparent(int fileid, int start, int length, const unsigned char *path,
                               unsigned int path_len,
                               OfonoCallback<ofono_sim_read_cb_t> cb) override;
    void read_file_linear(int fileid, int record, int length, const unsigned char *path,
                          unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb) override;
    void read_file_cyclic(int fileid, int record, int length, const unsigned char *path,
                          unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb) override;
    void write_file_transparent(int fileid, int start, int length, const unsigned char *value,
                                const unsigned char *path, unsigned int path_len,
                                OfonoCallback<ofono_sim_write_cb_t> cb) override;
    void write_file_linear(int fileid, int record, int length, const unsigned char *value,
                           const unsigned char *path, unsigned int path_len,
                           OfonoCallback<ofono_sim_write_cb_t> cb) override;
    void write_file_cyclic(int fileid, int length, const unsigned char *value,
                           const unsigned char *path, unsigned int path_len,
                           OfonoCallback<ofono_sim_write_cb_t> cb) override;
    void read_imsi(OfonoCallback<ofono_sim_imsi_cb_t> cb) override;

  private:
    void refresh_status(Done then) override;
    void verify_pin(const std::string &pin, Done done) override;
    void unblock_pin(const std::string &puk, const std::string &pin, Done done) override;
    void change_pin(Pin which, const std::string &old_pin, const std::string &new_pin,
                    Done done) override;
    void set_pin_protection(Pin which, bool enable, const std::string &pin, Done done) override;

    void on_client(QmiClient *client);
    void on_card_status_indication(QmiIndicationUimCardStatusOutput *out);
    // Read Transparent with the reply handed to on_reply (oFono's file read
    // and read_imsi answer it differently).
    template <typename F>
    void read_transparent(int fileid, int start, int length, const unsigned char *path,
                          unsigned int path_len, F &&on_reply);
    void read_record(int fileid, int record, int length, const unsigned char *path,
                     unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb);
    bool usim() const;

    Device &device_;
    GRef<QmiClientUim> uim_;
    SignalConnection card_status_signal_;
};

} // namespace qmi
