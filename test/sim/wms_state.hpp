// WMS (SMS) state of the simulated modem. Message storage (NV memory and
// the SIM's), the SMSC, the message reference counter and what the host
// sent belong to the device and survive resets; routes go back to their
// defaults at each boot. The network's side (messages offered until the
// host acks them) survives too: the network keeps retrying.
#pragma once

#include "sim_codec.hpp"

#include <libqmi-glib.h>

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace qmisim
{

struct StoredMessage {
    QmiWmsMessageTagType tag = QMI_WMS_MESSAGE_TAG_TYPE_MT_NOT_READ;
    Bytes raw; // SMSC address + TPDU, as Raw Read returns it
};

// One storage area; indices run from 0 to capacity - 1.
struct MessageStore {
    std::uint32_t capacity = 0;
    std::map<std::uint32_t, StoredMessage> messages;

    std::optional<std::uint32_t> lowest_free() const;
    std::size_t free_slots() const;
    // Stores at the lowest free index; nullopt when full.
    std::optional<std::uint32_t> add(StoredMessage message);
};

struct WmsRoute {
    QmiWmsMessageType type = QMI_WMS_MESSAGE_TYPE_POINT_TO_POINT;
    QmiWmsMessageClass message_class = QMI_WMS_MESSAGE_CLASS_NONE;
    QmiWmsStorageType storage = QMI_WMS_STORAGE_TYPE_NV;
    QmiWmsReceiptAction action = QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY;
};

// Firmware that ignores Set Routes.
enum class RouteOverride { None, Store, Transfer };

// An MT message the network offers over the transfer route until the host
// acks it (or, without `needs_ack`, until it is handed over once).
struct PendingMt {
    std::uint64_t id = 0;
    Bytes raw;
    bool needs_ack = true;
    std::optional<std::uint32_t> transaction; // offered, waiting for the ack
    std::set<std::uint8_t> offered_to;        // clients that got that offer
    bool nacked = false;                      // refused: offered again after the timeout
    unsigned deliveries = 0;
};

// One-shot network failure for the next Raw Send.
struct SendFailure {
    std::uint8_t rp_cause = 0;
    std::uint8_t tp_cause = 0;
};

struct WmsState {
    std::string smsc = "+15550000000"; // empty: none (Raw Send needs one in the PDU)
    std::map<QmiWmsMessageClass, WmsRoute> routes = default_routes();
    bool transfer_status_reports = false;
    RouteOverride route_override = RouteOverride::None;
    bool status_reports = true;
    // GSM/WCDMA SMS bearer (Get/Set Domain Preference): 0 CS preferred,
    // 1 PS preferred, 2 CS only, 3 PS only. Kept across resets (NV item).
    std::uint8_t domain = 1;
    unsigned status_report_delay_ms = 200;
    unsigned ack_timeout_ms = 5000;
    MessageStore nv{50, {}};
    MessageStore uim{10, {}};

    std::uint8_t next_reference = 0;  // TP-MR given to the next Raw Send
    std::uint8_t next_concat_ref = 1; // network side, for sms-text
    std::uint32_t last_transaction = 0;
    std::uint64_t next_pending_id = 1;
    std::list<PendingMt> unacked;

    std::vector<Bytes> sent; // raw data of each accepted Raw Send
    std::optional<SendFailure> send_failure;
    std::size_t deliveries = 0; // Event Reports about MT messages, retransmissions too
    std::size_t rejected = 0;   // MT messages refused: storage full

    // Every class (0-3, none): store in NV and notify.
    static std::map<QmiWmsMessageClass, WmsRoute> default_routes();
    // nullptr for anything but UIM and NV.
    MessageStore *store(std::uint8_t storage_type);
    // The route that applies to a class: the host's, bent by the override.
    WmsRoute route_for(QmiWmsMessageClass message_class) const;
    // Where status reports go: the transfer route if the host asked for it
    // (and no override), otherwise the class-none route.
    WmsRoute status_report_route() const;
    // Firmware restart: default routes; offers in flight are forgotten
    // (the network offers those messages again).
    void boot();
};

} // namespace qmisim
