// WMS (service 0x05): SMS send, storage, routes and MT delivery.
//
// The class is split over three files:
//   wms_service.cpp   - QMI request handlers
//   wms_delivery.cpp  - MT delivery: routes, Event Reports, acks and the
//                       network's retransmissions, status reports
//   wms_control.cpp   - "wms.*" state keys and the sms-* commands
// The data is ../wms_state.hpp, TPDUs are ../sms_codec.hpp, the TLV
// layouts wms_tlv.cpp.
#pragma once

#include "service.hpp"
#include "wms_tlv.hpp"

#include <list>
#include <map>
#include <variant>

namespace qmisim
{

class WmsService final : public Service
{
  public:
    explicit WmsService(ServiceHost &host);

    std::vector<StateKey> state_keys() override;
    std::vector<CommandSpec> commands() override;
    void on_boot() override;

  private:
    // --- handlers (wms_service.cpp)
    MessagePtr reset(QmiMessage *request);
    MessagePtr set_event_report(QmiMessage *request);
    MessagePtr raw_send(QmiMessage *request);
    MessagePtr raw_write(QmiMessage *request);
    MessagePtr raw_read(QmiMessage *request);
    MessagePtr modify_tag(QmiMessage *request);
    MessagePtr delete_messages(QmiMessage *request);
    MessagePtr get_message_protocol(QmiMessage *request);
    MessagePtr list_messages(QmiMessage *request);
    MessagePtr set_routes(QmiMessage *request);
    MessagePtr get_routes(QmiMessage *request);
    MessagePtr get_smsc_address(QmiMessage *request);
    MessagePtr get_domain_preference(QmiMessage *request);
    MessagePtr set_domain_preference(QmiMessage *request);
    MessagePtr set_smsc_address(QmiMessage *request);
    MessagePtr get_storage_max_size(QmiMessage *request);
    MessagePtr send_ack(QmiMessage *request);

    WmsState &wms() { return state().wms; }
    // The storage a request names, or the error: not UIM/NV
    // (`invalid-argument`), or UIM without a usable SIM (`device-not-ready`).
    std::variant<MessageStore *, QmiProtocolError> storage(std::uint8_t type);
    // The stored message a request names, or the error.
    std::variant<StoredMessage *, QmiProtocolError> stored(const wms::MessageId &id, bool gsm_mode);

    // --- MT delivery (wms_delivery.cpp)
    static constexpr const char *kMtSubscription = "mt-message";
    enum class Delivery { Stored, Offered, Discarded, StorageFull };

    // Delivers one MT raw message (SMSC address + TPDU) by `route`.
    Delivery deliver(const Bytes &raw, const WmsRoute &route);
    // The route for an MT raw message: its TP-DCS class, or status reports'.
    WmsRoute route_of(const Bytes &raw);
    bool has_subscribers();
    // Offers every pending transfer-route message that nobody holds an
    // offer for to the subscribed clients (no subscriber: it waits).
    void offer_waiting();
    // Offered to a client that is still subscribed, or refused and due again later.
    bool held(const PendingMt &pending);
    void offer(PendingMt &pending);
    void restart_ack_timer(std::uint64_t id);
    void on_ack_timeout(std::uint64_t id);
    // Send Ack from the host: the error, or nullopt when it was taken.
    std::optional<QmiProtocolError> take_ack(const wms::Ack &ack);
    // After a Raw Send with TP-SRR: an SMS-STATUS-REPORT after the delay.
    void schedule_status_report(std::uint8_t reference, const Bytes &recipient);

    struct DueReport {
        Bytes raw;
        SourceId timer;
    };
    std::map<std::uint64_t, SourceId> ack_timers_;
    std::list<DueReport> reports_;

    // --- control socket (wms_control.cpp)
    Outcome sms_deliver(const CommandArgs &args);
    Outcome sms_text(const CommandArgs &args);
    Outcome sms_store(const CommandArgs &args);
    Outcome sms_send_fail(const CommandArgs &args);
    StateKey delay_key(std::string name, unsigned WmsState::*field);
    StateKey capacity_key(std::string name, MessageStore WmsState::*field);
};

} // namespace qmisim
