#include "sms.hpp"

#include "core/errors.hpp"
#include "core/join.hpp"
#include "core/qmi_call.hpp"
#include "core/raw_messages.hpp"
#include "core/wire_enum.hpp"
#include "translate/wms.hpp"

#include <ofono/log.h>

#include <cstring>
#include <string>

namespace qmi
{
namespace
{

constexpr guint8 kLinkTimerSeconds = 5; // keeps the link up between parts (AT+CMMS)
// Stored messages read at once: a burst costs a round trip or two, not two
// per message (oFono's built-in driver reads all at once), with a cap so a
// full message store does not become hundreds of requests in one go.
constexpr int kReadsInFlight = 128;

std::string hex(const std::uint8_t *data, std::size_t len)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < len; ++i) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 0x0F];
    }
    return out;
}

const char *storage_name(int storage)
{
    return storage == QMI_WMS_STORAGE_TYPE_UIM ? "SIM" : "modem";
}

// Every class is stored and announced (a stored message survives ofonod
// going away before it took the message); class 2 belongs on the SIM.
// Status reports follow the class-none route.
GArray *route_list()
{
    GArray *routes = g_array_new(FALSE, FALSE, sizeof(QmiMessageWmsSetRoutesInputRouteListElement));
    const QmiWmsMessageClass classes[] = {QMI_WMS_MESSAGE_CLASS_0, QMI_WMS_MESSAGE_CLASS_1,
                                          QMI_WMS_MESSAGE_CLASS_2, QMI_WMS_MESSAGE_CLASS_3,
                                          QMI_WMS_MESSAGE_CLASS_NONE};
    for (const auto cls : classes) {
        QmiMessageWmsSetRoutesInputRouteListElement route{};
        route.message_type = QMI_WMS_MESSAGE_TYPE_POINT_TO_POINT;
        route.message_class = cls;
        route.storage =
            cls == QMI_WMS_MESSAGE_CLASS_2 ? QMI_WMS_STORAGE_TYPE_UIM : QMI_WMS_STORAGE_TYPE_NV;
        route.receipt_action = QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY;
        g_array_append_val(routes, route);
    }
    return routes;
}

} // namespace

SmsAtom::SmsAtom(ofono_sms *atom, Device &device) : atom_(atom), device_(device)
{
    device_.allocate(life_, QMI_SERVICE_WMS,
                     [this](QmiClient *client, const GError *) { on_client(client); });
}

SmsAtom::~SmsAtom()
{
    life_.end();
}

void SmsAtom::on_client(QmiClient *client)
{
    if (!client) {
        ofono_error("sms: no WMS client; SMS unavailable");
        return ofono_sms_remove(atom_); // deletes this
    }
    wms_ = GRef<QmiClientWms>::ref(QMI_CLIENT_WMS(client));
    event_report_signal_ =
        connect_signal<&SmsAtom::on_event_report, QmiIndicationWmsEventReportOutput *>(
            wms_.get(), "event-report", this);
    set_routes();
}

void SmsAtom::set_routes()
{
    auto input = QMI_INPUT(wms, set_routes);
    GArray *routes = route_list();
    qmi_message_wms_set_routes_input_set_route_list(input.get(), routes, nullptr);
    g_array_unref(routes);
    call(life_, wms_.get(), QMI_REQUEST(wms, set_routes), input.get(),
         [this](Reply<QmiMessageWmsSetRoutesOutput> r) {
             // Firmware that keeps its own routes still announces or
             // transfers messages: both ways are handled.
             if (!r.ok())
                 ofono_warn("sms: keeping the modem's message routes: %s",
                            describe(r.error()).c_str());
             on_ready();
         });
}

void SmsAtom::on_ready()
{
    registered_ = true;
    ofono_sms_register(atom_);
    // Indications only once oFono can take messages; then whatever the
    // modem and the SIM stored while nobody listened.
    auto input = QMI_INPUT(wms, set_event_report);
    qmi_message_wms_set_event_report_input_set_new_mt_message_indicator(input.get(), TRUE, nullptr);
    call(life_, wms_.get(), QMI_REQUEST(wms, set_event_report), input.get(),
         [](Reply<QmiMessageWmsSetEventReportOutput> r) {
             if (!r.ok())
                 ofono_error("sms: no new-message indications: %s", describe(r.error()).c_str());
         });
    list_stored(QMI_WMS_STORAGE_TYPE_NV);
    list_stored(QMI_WMS_STORAGE_TYPE_UIM);
    // New-message indications stay on while the host sleeps (they wake it),
    // but one sent while it was going down or waking up may be lost: after
    // resume, whatever waits unread is read (a slot already queued is not
    // read twice).
    device_.power().watch(life_, {{}, [this] {
                                      list_stored(QMI_WMS_STORAGE_TYPE_NV);
                                      list_stored(QMI_WMS_STORAGE_TYPE_UIM);
                                  }});
}

void SmsAtom::hand_to_ofono(const MtMessage &message)
{
    auto *pdu = const_cast<unsigned char *>(message.pdu.data());
    const int len = static_cast<int>(message.pdu.size());
    if (message.kind == MtMessage::Kind::StatusReport) {
        DBG("sms: status report, %d octets", message.tpdu_len);
        ofono_sms_status_notify(atom_, pdu, len, message.tpdu_len);
    } else {
        DBG("sms: message, %d octets", message.tpdu_len);
        ofono_sms_deliver_notify(atom_, pdu, len, message.tpdu_len);
    }
}

void SmsAtom::on_event_report(QmiIndicationWmsEventReportOutput *out)
{
    QmiWmsStorageType wire_storage;
    guint32 index = 0;
    if (qmi_indication_wms_event_report_output_get_mt_message(out, &wire_storage, &index,
                                                              nullptr)) {
        const int storage = wire(wire_storage);
        DBG("sms: new message in %s storage, index %u", storage_name(storage), index);
        queue_slot({storage, index});
        return;
    }
    QmiWmsAckIndicator ack;
    guint32 transaction = 0;
    QmiWmsMessageFormat format;
    GArray *raw = nullptr;
    if (qmi_indication_wms_event_report_output_get_transfer_route_mt_message(
            out, &ack, &transaction, &format, &raw, nullptr) &&
        raw) {
        if (wire(format) != QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT) {
            ofono_warn("sms: transferred message in format %d ignored", wire(format));
            return;
        }
        on_transferred(wire(ack), transaction, reinterpret_cast<const std::uint8_t *>(raw->data),
                       raw->len);
    }
}

void SmsAtom::on_transferred(int ack_indicator, std::uint32_t transaction, const std::uint8_t *data,
                             std::size_t len)
{
    const auto message = parse_mt_message(data, len);
    if (!message)
        ofono_error("sms: malformed transferred message refused: %s", hex(data, len).c_str());
    else
        hand_to_ofono(*message);
    // oFono has it now (or it can never take it): acknowledge.
    if (ack_indicator == QMI_WMS_ACK_INDICATOR_SEND)
        acknowledge(transaction, message.has_value());
}

void SmsAtom::acknowledge(std::uint32_t transaction, bool success)
{
    auto input = QMI_INPUT(wms, send_ack);
    qmi_message_wms_send_ack_input_set_information(
        input.get(), transaction, QMI_WMS_MESSAGE_PROTOCOL_WCDMA, success, nullptr);
    if (!success)
        qmi_message_wms_send_ack_input_set_3gpp_failure_information(
            input.get(), QMI_WMS_GSM_UMTS_RP_CAUSE_PROTOCOL_ERROR,
            QMI_WMS_GSM_UMTS_TP_CAUSE_UNSPECIFIED_ERROR, nullptr);
    call(life_, wms_.get(), QMI_REQUEST(wms, send_ack), input.get(),
         [transaction](Reply<QmiMessageWmsSendAckOutput> r) {
             if (!r.ok())
                 ofono_warn("sms: acknowledging transaction %u: %s", transaction,
                            describe(r.error()).c_str());
         });
}

// ---- stored messages ---------------------------------------------------------

void SmsAtom::list_stored(int storage)
{
    auto input = QMI_INPUT(wms, list_messages);
    qmi_message_wms_list_messages_input_set_storage_type(
        input.get(), static_cast<QmiWmsStorageType>(storage), nullptr);
    qmi_message_wms_list_messages_input_set_message_tag(
        input.get(), QMI_WMS_MESSAGE_TAG_TYPE_MT_NOT_READ, nullptr);
    qmi_message_wms_list_messages_input_set_message_mode(input.get(),
                                                         QMI_WMS_MESSAGE_MODE_GSM_WCDMA, nullptr);
    call(life_, wms_.get(), QMI_REQUEST(wms, list_messages), input.get(),
         [this, storage](Reply<QmiMessageWmsListMessagesOutput> r) {
             GArray *list = nullptr;
             if (!r.ok() ||
                 !qmi_message_wms_list_messages_output_get_message_list(r.get(), &list, nullptr)) {
                 // A SIM without SMS storage, or no SIM: nothing waits there.
                 DBG("sms: no list of %s storage: %s", storage_name(storage),
                     describe(r.error()).c_str());
                 return;
             }
             if (list->len > 0)
                 ofono_info("sms: %u unread message(s) waiting in %s storage", list->len,
                            storage_name(storage));
             for (guint i = 0; i < list->len; ++i)
                 queue_slot(
                     {storage,
                      g_array_index(list, QmiMessageWmsListMessagesOutputMessageListElement, i)
                          .memory_index});
         });
}

void SmsAtom::queue_slot(Slot slot)
{
    if (!queued_.insert(slot).second)
        return; // announced and listed: once is enough
    queue_.push_back(slot);
    read_slots();
}

void SmsAtom::read_slots()
{
    while (registered_ && reads_ < kReadsInFlight && !queue_.empty()) {
        const Slot slot = queue_.front();
        queue_.pop_front();
        read_slot(slot);
    }
}

void SmsAtom::read_slot(Slot slot)
{
    reads_++;
    auto input = QMI_INPUT(wms, raw_read);
    qmi_message_wms_raw_read_input_set_message_memory_storage_id(
        input.get(), static_cast<QmiWmsStorageType>(slot.first), slot.second, nullptr);
    qmi_message_wms_raw_read_input_set_message_mode(input.get(), QMI_WMS_MESSAGE_MODE_GSM_WCDMA,
                                                    nullptr);
    call(life_, wms_.get(), QMI_REQUEST(wms, raw_read), input.get(),
         [this, slot](Reply<QmiMessageWmsRawReadOutput> r) {
             // From here on an announcement of this slot is a new message:
             // the modem may reuse the index as soon as it has our Delete.
             queued_.erase(slot);
             reads_--;
             read_slots();
             QmiWmsMessageTagType tag;
             QmiWmsMessageFormat format;
             GArray *raw = nullptr;
             if (!r.ok() || !qmi_message_wms_raw_read_output_get_raw_message_data(
                                r.get(), &tag, &format, &raw, nullptr)) {
                 // Left on the modem: read again at the next start.
                 ofono_warn("sms: reading %s message %u: %s", storage_name(slot.first), slot.second,
                            describe(r.error()).c_str());
                 return;
             }
             const auto *data = reinterpret_cast<const std::uint8_t *>(raw->data);
             const auto message = wire(format) == QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT
                                      ? parse_mt_message(data, raw->len)
                                      : std::nullopt;
             if (!message) {
                 // Not something oFono can take: left on the modem, marked read
                 // so it is not offered again, and shown in full here.
                 ofono_error("sms: %s message %u is not a GSM SMS (format %d): %s",
                             storage_name(slot.first), slot.second, wire(format),
                             hex(data, raw->len).c_str());
                 auto tag_input = QMI_INPUT(wms, modify_tag);
                 qmi_message_wms_modify_tag_input_set_message_tag(
                     tag_input.get(), static_cast<QmiWmsStorageType>(slot.first), slot.second,
                     QMI_WMS_MESSAGE_TAG_TYPE_MT_READ, nullptr);
                 call(life_, wms_.get(), QMI_REQUEST(wms, modify_tag), tag_input.get(),
                      [](Reply<QmiMessageWmsModifyTagOutput>) {});
                 return;
             }
             // Taken by oFono once before, but the Delete never happened (the
             // modem was lost): delete it, do not deliver it again.
             Device::HandedOverSms record{slot.first, slot.second,
                                          std::vector<std::uint8_t>(data, data + raw->len)};
             auto &handed_over = device_.handed_over_sms();
             if (handed_over.count(record)) {
                 ofono_info("sms: %s message %u was delivered before; deleting it",
                            storage_name(slot.first), slot.second);
                 return delete_slot(slot, std::move(record));
             }
             handed_over.insert(record);
             hand_to_ofono(*message);
             delete_slot(slot, std::move(record));
         });
}

void SmsAtom::delete_slot(Slot slot, Device::HandedOverSms record)
{
    auto input = QMI_INPUT(wms, delete);
    qmi_message_wms_delete_input_set_memory_storage(
        input.get(), static_cast<QmiWmsStorageType>(slot.first), nullptr);
    qmi_message_wms_delete_input_set_memory_index(input.get(), slot.second, nullptr);
    qmi_message_wms_delete_input_set_message_mode(input.get(), QMI_WMS_MESSAGE_MODE_GSM_WCDMA,
                                                  nullptr);
    call(life_, wms_.get(), QMI_REQUEST(wms, delete), input.get(),
         [this, slot, record = std::move(record)](Reply<QmiMessageWmsDeleteOutput> r) {
             if (r.ok())
                 device_.handed_over_sms().erase(record);
             else
                 ofono_warn("sms: deleting %s message %u: %s", storage_name(slot.first),
                            slot.second, describe(r.error()).c_str());
         });
}

// ---- submit, SMSC, bearer ------------------------------------------------------

void SmsAtom::submit(const unsigned char *pdu, int pdu_len, int tpdu_len, int mms,
                     OfonoCallback<ofono_sms_submit_cb_t> cb)
{
    if (!valid_submit(pdu, pdu_len, tpdu_len)) {
        ofono_error("sms: refusing a malformed PDU (%d octets, TPDU %d)", pdu_len, tpdu_len);
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    }
    auto input = QMI_INPUT(wms, raw_send);
    qmi_message_wms_raw_send_input_set_raw_message_data(
        input.get(), QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT,
        byte_array(pdu, static_cast<std::size_t>(pdu_len)).get(), nullptr);
    if (mms)
        qmi_message_wms_raw_send_input_set_gsm_wcdma_link_timer(input.get(), kLinkTimerSeconds,
                                                                nullptr);
    call(life_, wms_.get(), QMI_REQUEST(wms, raw_send), input.get(),
         [cb = std::move(cb)](Reply<QmiMessageWmsRawSendOutput> r) mutable {
             guint16 mr = 0;
             if (r.ok() && qmi_message_wms_raw_send_output_get_message_id(r.get(), &mr, nullptr))
                 return cb.succeed(static_cast<int>(mr));
             QmiWmsGsmUmtsRpCause wire_rp;
             QmiWmsGsmUmtsTpCause wire_tp;
             if (r.get() && qmi_message_wms_raw_send_output_get_gsm_wcdma_cause_info(
                                r.get(), &wire_rp, &wire_tp, nullptr)) {
                 const int rp = wire(wire_rp), tp = wire(wire_tp);
                 ofono_warn("sms: the network refused the message: RP cause %d, TP cause %d", rp,
                            tp);
                 return cb.fail({OFONO_ERROR_TYPE_CMS, rp});
             }
             ofono_warn("sms: sending failed: %s", describe(r.error()).c_str());
             cb.fail(to_ofono_error(r.error()));
         });
}

void SmsAtom::sca_query(OfonoCallback<ofono_sms_sca_query_cb_t> cb)
{
    wms_get_smsc_address(
        life_, device_.raw(), QMI_CLIENT(wms_.get()),
        [cb = std::move(cb)](const GError *error, const std::string &type,
                             const std::string &address) mutable {
            if (error)
                return cb.fail(to_ofono_error(error));
            const auto sca = sca_from_wms(type, address);
            if (!sca || sca->number.size() > OFONO_MAX_PHONE_NUMBER_LENGTH) {
                ofono_warn("sms: the modem's SMSC address \"%s\" is not a number", address.c_str());
                return cb.fail();
            }
            ofono_phone_number ph{};
            std::strncpy(ph.number, sca->number.c_str(), OFONO_MAX_PHONE_NUMBER_LENGTH);
            ph.type = sca->type;
            cb.succeed(&ph);
        });
}

void SmsAtom::sca_set(const ofono_phone_number *sca, OfonoCallback<ofono_sms_sca_set_cb_t> cb)
{
    const auto address = sca ? sca_to_wms({sca->number, sca->type}) : std::nullopt;
    if (!address)
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    wms_set_smsc_address(life_, device_.raw(), QMI_CLIENT(wms_.get()), *address,
                         std::to_string(sca->type),
                         [cb = std::move(cb)](const GError *error) mutable {
                             if (error)
                                 return cb.fail(to_ofono_error(error));
                             cb.succeed();
                         });
}

void SmsAtom::bearer_query(OfonoCallback<ofono_sms_bearer_query_cb_t> cb)
{
    wms_get_domain_preference(life_, device_.raw(), QMI_CLIENT(wms_.get()),
                              [cb = std::move(cb)](const GError *error, int domain) mutable {
                                  const auto bearer = wms_domain_to_bearer(domain);
                                  if (error || !bearer)
                                      return cb.fail(to_ofono_error(error));
                                  cb.succeed(*bearer);
                              });
}

void SmsAtom::bearer_set(int bearer, OfonoCallback<ofono_sms_bearer_set_cb_t> cb)
{
    const auto domain = bearer_to_wms_domain(bearer);
    if (!domain)
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    wms_set_domain_preference(life_, device_.raw(), QMI_CLIENT(wms_.get()), *domain,
                              [cb = std::move(cb)](const GError *error) mutable {
                                  if (error)
                                      return cb.fail(to_ofono_error(error));
                                  cb.succeed();
                              });
}

} // namespace qmi
