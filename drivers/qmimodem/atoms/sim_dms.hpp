// sim backend for modems without the UIM service (old Gobi parts): DMS's
// UIM messages give the card state (Get State, with the Event Report's UIM
// state for insertion, removal and unlock), the PIN state and counters, PIN
// entry, PUK, change and lock, the IMSI and the ICCID. DMS has no other SIM
// file access. EF-ICCID is rebuilt from Get ICCID, and EF-AD's MNC length
// from NAS Get Home Network (the modem reads it off the card), so oFono can
// split the IMSI into MCC and MNC. Every other file read or write gets
// oFono's error and the core goes on without it (no SPN, MSISDN or SMS
// parameters from the card).
#pragma once

#include "core/gobject_ptr.hpp"
#include "core/signal_connection.hpp"
#include "sim.hpp"

namespace qmi
{

class DmsSim final : public SimAtom
{
  public:
    DmsSim(ofono_sim *atom, Device &device);
    ~DmsSim() override;

    // EF-ICCID and EF-AD only, rebuilt from what DMS and NAS report.
    void read_file_info(int fileid, const unsigned char *path, unsigned int path_len,
                        OfonoCallback<ofono_sim_file_info_cb_t> cb) override;
    void read_file_transparent(int fileid, int start, int length, const unsigned char *path,
                               unsigned int path_len,
                               OfonoCallback<ofono_sim_read_cb_t> cb) override;
    void read_imsi(OfonoCallback<ofono_sim_imsi_cb_t> cb) override;

  private:
    void refresh_status(Done then) override;
    void verify_pin(const std::string &pin, Done done) override;
    void unblock_pin(const std::string &puk, const std::string &pin, Done done) override;
    void change_pin(Pin which, const std::string &old_pin, const std::string &new_pin,
                    Done done) override;
    void set_pin_protection(Pin which, bool enable, const std::string &pin, Done done) override;

    void on_client(QmiClient *client);
    void on_event_report(QmiIndicationDmsEventReportOutput *out);
    void read_iccid(int start, int length, OfonoCallback<ofono_sim_read_cb_t> cb);
    void read_ad(int start, int length, OfonoCallback<ofono_sim_read_cb_t> cb);

    Device &device_;
    GRef<QmiClientDms> dms_;
    SignalConnection event_report_signal_;
};

} // namespace qmi
