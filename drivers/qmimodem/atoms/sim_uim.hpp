// sim backend over UIM: card and application state from Get Card Status
// and its indication, file access for oFono's core (read/write transparent,
// linear fixed and cyclic, file info), IMSI from EF-IMSI, and PIN/PUK
// handling with the card's retry counters. The files oFono reads at every
// start-up are read ahead concurrently (sim_file_cache.hpp says why and
// when that is safe). Writes use the raw-message place (core/raw_messages),
// as libqmi 1.32 has no typed UIM write.
#pragma once

#include "core/gobject_ptr.hpp"
#include "core/signal_connection.hpp"
#include "sim.hpp"
#include "sim_file_cache.hpp"

#include <optional>
#include <vector>

namespace qmi
{

struct AheadFile; // one entry of sim_uim.cpp's read-ahead tables

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
    // Reads ahead what this card state allows, then applies it.
    void update(const CardStatus &now);
    void read_ahead_for(const CardStatus &now);
    void read_ahead(const AheadFile *files, std::size_t count, bool usim_app);
    // oFono asks for a file it reads once the SIM is ready: all of it at once.
    void read_ahead_on_demand(int fileid);

    // The card's answers as bytes / file info, or nullopt with the error:
    // on_reply(const GError *, std::optional<...>).
    template <typename F> void get_file_attributes(const SimFileCache::Key &key, F &&on_reply);
    template <typename F>
    void read_binary(const SimFileCache::Key &key, int start, int length, F &&on_reply);
    template <typename F>
    void read_record(const SimFileCache::Key &key, int record, int length, F &&on_reply);
    void read_file_record(int fileid, int record, int length, const unsigned char *path,
                          unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb);
    void answer_later(OfonoCallback<ofono_sim_read_cb_t> cb, SimFileCache::Bytes data);
    // The file about to be written: forgotten by the cache.
    SimFileCache::Key written(int fileid, const unsigned char *path, unsigned int path_len);
    bool usim() const;
    Done pin_request(Done done);

    Device &device_;
    GRef<QmiClientUim> uim_;
    SignalConnection card_status_signal_;
    SimFileCache cache_;
    bool read_before_pin_ = false, read_after_pin_ = false;
    unsigned read_after_ready_ = 0; // one bit per file of sim_uim.cpp's kAfterReady
    bool events_ = false;       // the modem reports card changes
    bool status_known_ = false; // status() is what the card says now
    int pin_requests_ = 0;      // PIN requests in flight
    unsigned pin_epoch_ = 0;    // bumped as each starts and ends
};

} // namespace qmi
