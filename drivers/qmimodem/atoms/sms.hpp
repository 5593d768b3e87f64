// sms atom over WMS. oFono's core encodes, splits, reassembles and keeps
// history; this moves PDUs and never loses one:
//  - submit: WMS Raw Send of oFono's SMSC + TPDU; the message id is the TP-MR.
//  - receive, store-and-notify: the Event Report names a storage slot ->
//    Raw Read -> oFono -> Delete, for many slots at once. A message leaves the modem only after
//    ofono_sms_deliver_notify / _status_notify has returned, i.e. after the
//    core has it. Messages already stored at start-up go the same way.
//  - receive, transfer-only: the Event Report carries the PDU -> oFono ->
//    Send Ack when the modem asks for one. Unacknowledged, the network
//    sends it again.
//  - SMSC and bearer through WMS Get/Set SMSC Address and Domain
//    Preference (core/raw_messages: libqmi 1.32 lacks them).
#pragma once

#include "core/device.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"
#include "core/signal_connection.hpp"

#include <ofono/sms.h>

#include <cstdint>
#include <deque>
#include <set>
#include <utility>

namespace qmi
{

struct MtMessage;

class SmsAtom
{
  public:
    SmsAtom(ofono_sms *atom, Device &device);
    ~SmsAtom();
    SmsAtom(const SmsAtom &) = delete;
    SmsAtom &operator=(const SmsAtom &) = delete;

    void sca_query(OfonoCallback<ofono_sms_sca_query_cb_t> cb);
    void sca_set(const ofono_phone_number *sca, OfonoCallback<ofono_sms_sca_set_cb_t> cb);
    void submit(const unsigned char *pdu, int pdu_len, int tpdu_len, int mms,
                OfonoCallback<ofono_sms_submit_cb_t> cb);
    void bearer_query(OfonoCallback<ofono_sms_bearer_query_cb_t> cb);
    void bearer_set(int bearer, OfonoCallback<ofono_sms_bearer_set_cb_t> cb);

    const Lifetime &lifetime() const { return life_; }

  private:
    // A message stored on the modem: (QmiWmsStorageType, memory index).
    using Slot = std::pair<int, std::uint32_t>;

    void on_client(QmiClient *client);
    void set_routes();
    void on_ready();
    void on_event_report(QmiIndicationWmsEventReportOutput *out);
    // Hands one MT message to oFono's core, which has it when this returns.
    void hand_to_ofono(const MtMessage &message);
    void on_transferred(int ack_indicator, std::uint32_t transaction, const std::uint8_t *data,
                        std::size_t len);
    void acknowledge(std::uint32_t transaction, bool success);

    // Stored messages: read (several at once), deliver, delete.
    void list_stored(int storage);
    void queue_slot(Slot slot);
    void read_slots();
    void read_slot(Slot slot);
    // Deletes it, then forgets `record` (the message oFono has).
    void delete_slot(Slot slot, Device::HandedOverSms record);

    ofono_sms *atom_;
    Device &device_;
    GRef<QmiClientWms> wms_;
    SignalConnection event_report_signal_;
    bool registered_ = false;
    std::deque<Slot> queue_;
    std::set<Slot> queued_; // waiting in queue_: a repeated announcement adds nothing
    int reads_ = 0;         // Raw Reads in flight
    Lifetime life_;         // last member: ends first, before callbacks die
};

} // namespace qmi
