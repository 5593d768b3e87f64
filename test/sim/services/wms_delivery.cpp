// MT delivery: the route decides between storing the message (and telling
// subscribed clients where) and handing it over in the Event Report. A
// transfer-only message stays with the network until the host acks it;
// without an ack in time it is offered again with a new transaction id.
#include "wms_service.hpp"

#include "../sms_codec.hpp"

#include <algorithm>
#include <iterator>

namespace qmisim
{

using namespace wms;

WmsService::Delivery WmsService::deliver(const Bytes &raw, const WmsRoute &route)
{
    switch (route.action) {
    case QMI_WMS_RECEIPT_ACTION_DISCARD:
        return Delivery::Discarded;
    case QMI_WMS_RECEIPT_ACTION_TRANSFER_ONLY:
    case QMI_WMS_RECEIPT_ACTION_TRANSFER_AND_ACK: {
        // Transfer-and-ack: the modem acks the network itself once it has
        // handed the message to a client.
        PendingMt pending;
        pending.id = wms().next_pending_id++;
        pending.raw = raw;
        pending.needs_ack = route.action == QMI_WMS_RECEIPT_ACTION_TRANSFER_ONLY;
        wms().unacked.push_back(std::move(pending));
        offer_waiting();
        return Delivery::Offered;
    }
    default:
        break;
    }
    const bool uim = route.storage == QMI_WMS_STORAGE_TYPE_UIM;
    MessageStore &store = uim ? wms().uim : wms().nv;
    const auto index = uim && !state().card.available()
                           ? std::nullopt
                           : store.add({QMI_WMS_MESSAGE_TAG_TYPE_MT_NOT_READ, raw});
    if (!index) {
        wms().rejected++;
        return Delivery::StorageFull;
    }
    if (has_subscribers()) {
        wms().deliveries++;
        notify(kMtSubscription, kEventReport, [&](QmiMessage *indication) {
            write_mt_message(indication, uim ? QMI_WMS_STORAGE_TYPE_UIM : QMI_WMS_STORAGE_TYPE_NV,
                             *index);
        });
    }
    return Delivery::Stored;
}

WmsRoute WmsService::route_of(const Bytes &raw)
{
    const sms::ParsedPdu parsed = sms::parse_mt(raw);
    if (parsed.tpdu && parsed.tpdu->type == sms::TpduType::StatusReport)
        return wms().status_report_route();
    const unsigned message_class =
        parsed.tpdu ? sms::parse_data_coding(parsed.tpdu->dcs).message_class : sms::kNoClass;
    return wms().route_for(static_cast<QmiWmsMessageClass>(message_class));
}

bool WmsService::has_subscribers()
{
    return std::any_of(clients().begin(), clients().end(), [](const auto &entry) {
        return entry.second.subscriptions.contains(kMtSubscription);
    });
}

bool WmsService::held(const PendingMt &pending)
{
    if (pending.nacked)
        return true;
    // An offer still counts while one of the clients that got it is subscribed.
    return pending.transaction &&
           std::any_of(pending.offered_to.begin(), pending.offered_to.end(),
                       [this](std::uint8_t cid) {
                           const ClientInfo *client = state().client(id(), cid);
                           return client && client->subscriptions.contains(kMtSubscription);
                       });
}

void WmsService::offer_waiting()
{
    if (!has_subscribers())
        return;
    auto &unacked = wms().unacked;
    for (auto it = unacked.begin(); it != unacked.end();) {
        if (!held(*it))
            offer(*it);
        // Transfer-and-ack: handed over once is enough.
        if (!it->needs_ack && !it->offered_to.empty())
            it = unacked.erase(it);
        else
            ++it;
    }
}

void WmsService::offer(PendingMt &pending)
{
    const std::uint32_t transaction = ++wms().last_transaction;
    pending.transaction = transaction;
    pending.offered_to.clear();
    for (const auto &[cid, info] : clients())
        if (info.subscriptions.contains(kMtSubscription))
            pending.offered_to.insert(cid);
    pending.deliveries++;
    wms().deliveries++;
    notify(kMtSubscription, kEventReport, [&pending, transaction](QmiMessage *indication) {
        write_transfer_route(indication, pending.needs_ack, transaction, pending.raw);
    });
    if (pending.needs_ack)
        restart_ack_timer(pending.id);
}

void WmsService::restart_ack_timer(std::uint64_t pending_id)
{
    ack_timers_[pending_id].reset(add_timeout(wms().ack_timeout_ms, [this, pending_id] {
        ack_timers_[pending_id].forget();
        on_ack_timeout(pending_id);
    }));
}

void WmsService::on_ack_timeout(std::uint64_t pending_id)
{
    ack_timers_.erase(pending_id);
    auto &unacked = wms().unacked;
    const auto it = std::find_if(unacked.begin(), unacked.end(),
                                 [pending_id](const PendingMt &p) { return p.id == pending_id; });
    if (it == unacked.end())
        return;
    // The network gives up on this attempt and tries again.
    it->transaction.reset();
    it->offered_to.clear();
    it->nacked = false;
    offer_waiting();
}

std::optional<QmiProtocolError> WmsService::take_ack(const Ack &ack)
{
    auto &unacked = wms().unacked;
    const auto it = std::find_if(unacked.begin(), unacked.end(), [&ack](const PendingMt &p) {
        return !p.nacked && p.transaction == ack.transaction;
    });
    if (it == unacked.end())
        return ack.transaction != 0 && ack.transaction <= wms().last_transaction
                   ? QMI_PROTOCOL_ERROR_ACK_NOT_SENT
                   : QMI_PROTOCOL_ERROR_INVALID_TRANSACTION_ID;
    if (ack.success) {
        ack_timers_.erase(it->id);
        unacked.erase(it);
        return std::nullopt;
    }
    // A negative ack: the network tries again after the ack timeout.
    it->nacked = true;
    restart_ack_timer(it->id);
    return std::nullopt;
}

void WmsService::schedule_status_report(std::uint8_t reference, const Bytes &recipient)
{
    const sms::Timestamp now = sms::now_utc();
    const Bytes tpdu = sms::build_status_report(reference, recipient, now, now, 0x00);
    auto raw = sms::with_smsc(wms().smsc, tpdu);
    auto &due = reports_.emplace_back();
    due.raw = raw ? *raw : *sms::with_smsc("", tpdu);
    const auto it = std::prev(reports_.end());
    due.timer.reset(add_timeout(wms().status_report_delay_ms, [this, it] {
        it->timer.forget();
        const Bytes report = std::move(it->raw);
        reports_.erase(it);
        deliver(report, wms().status_report_route());
    }));
}

} // namespace qmisim
