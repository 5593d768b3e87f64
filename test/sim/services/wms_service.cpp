#include "wms_service.hpp"

#include "../sms_codec.hpp"

#include <utility>

namespace qmisim
{

using namespace wms;

namespace
{

constexpr std::uint8_t kFormatGw = QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT;
constexpr std::uint8_t kLastTag = QMI_WMS_MESSAGE_TAG_TYPE_MO_NOT_SENT;
constexpr std::uint8_t kLastClass = QMI_WMS_MESSAGE_CLASS_CDMA;
constexpr std::uint8_t kLastAction = QMI_WMS_RECEIPT_ACTION_TRANSFER_AND_ACK;

// A Message Mode TLV: absent or GSM/WCDMA -> true, CDMA -> false (this
// modem has no CDMA messages), anything else -> nullopt.
std::optional<bool> gsm_mode(QmiMessage *request, std::uint8_t type)
{
    if (!TlvReader{request, type}.present())
        return true;
    const auto mode = read_u8_tlv(request, type);
    if (mode == QMI_WMS_MESSAGE_MODE_GSM_WCDMA)
        return true;
    if (mode == QMI_WMS_MESSAGE_MODE_CDMA)
        return false;
    return std::nullopt;
}

bool mobile_terminated(std::uint8_t tag)
{
    return tag == QMI_WMS_MESSAGE_TAG_TYPE_MT_READ || tag == QMI_WMS_MESSAGE_TAG_TYPE_MT_NOT_READ;
}

QmiProtocolError pdu_error(sms::PduError error)
{
    switch (error) {
    case sms::PduError::SmscAddress:
        return QMI_PROTOCOL_ERROR_WMS_SMSC_ADDRESS;
    case sms::PduError::WrongType:
        return QMI_PROTOCOL_ERROR_WMS_T_PDU_TYPE;
    case sms::PduError::Malformed:
    case sms::PduError::Length:
        break;
    }
    return QMI_PROTOCOL_ERROR_WMS_ENCODING;
}

// "+1555..." (type 145) or "1555..." (129); nullopt if not an address.
std::optional<std::string> smsc_address(std::string number, const std::optional<std::string> &type)
{
    const bool plus = !number.empty() && number.front() == '+';
    const std::string digits = plus ? number.substr(1) : number;
    if (!encode_address(digits))
        return std::nullopt;
    if (!type)
        return number;
    if (*type == "145")
        return "+" + digits;
    if (*type == "129")
        return digits;
    return std::nullopt;
}

} // namespace

WmsService::WmsService(ServiceHost &host) : Service(QMI_SERVICE_WMS, {1, 10}, host)
{
    on(kReset, &WmsService::reset);
    on(kSetEventReport, &WmsService::set_event_report);
    on(kRawSend, &WmsService::raw_send);
    on(kRawWrite, &WmsService::raw_write);
    on(kRawRead, &WmsService::raw_read);
    on(kModifyTag, &WmsService::modify_tag);
    on(kDelete, &WmsService::delete_messages);
    on(kGetMessageProtocol, &WmsService::get_message_protocol);
    on(kListMessages, &WmsService::list_messages);
    on(kSetRoutes, &WmsService::set_routes);
    on(kGetRoutes, &WmsService::get_routes);
    on(kGetSmscAddress, &WmsService::get_smsc_address);
    on(kSetSmscAddress, &WmsService::set_smsc_address);
    on(kGetStorageMaxSize, &WmsService::get_storage_max_size);
    on(kSendAck, &WmsService::send_ack);
    on(kGetDomainPreference, &WmsService::get_domain_preference);
    on(kSetDomainPreference, &WmsService::set_domain_preference);
}

void WmsService::on_boot()
{
    ack_timers_.clear();
    wms().boot();
}

std::variant<MessageStore *, QmiProtocolError> WmsService::storage(std::uint8_t type)
{
    MessageStore *store = wms().store(type);
    if (!store)
        return QMI_PROTOCOL_ERROR_INVALID_ARGUMENT;
    if (type == QMI_WMS_STORAGE_TYPE_UIM && !state().card.available())
        return QMI_PROTOCOL_ERROR_DEVICE_NOT_READY;
    return store;
}

std::variant<StoredMessage *, QmiProtocolError> WmsService::stored(const MessageId &id,
                                                                   bool gsm_mode)
{
    const auto where = storage(id.storage);
    if (const auto *error = std::get_if<QmiProtocolError>(&where))
        return *error;
    MessageStore &store = *std::get<MessageStore *>(where);
    if (id.index >= store.capacity)
        return QMI_PROTOCOL_ERROR_INVALID_INDEX;
    const auto it = store.messages.find(id.index);
    if (!gsm_mode || it == store.messages.end())
        return QMI_PROTOCOL_ERROR_NO_ENTRY;
    return &it->second;
}

MessagePtr WmsService::reset(QmiMessage *request)
{
    if (ClientInfo *client = state().client(id(), qmi_message_get_client_id(request)))
        client->subscriptions.clear();
    return success(request);
}

MessagePtr WmsService::set_event_report(QmiMessage *request)
{
    ClientInfo *client = state().client(id(), qmi_message_get_client_id(request));
    const auto report = read_u8_tlv(request, 0x10);
    if (!client)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_CLIENT_ID);
    if (TlvReader{request, 0x10}.present() && !report)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    if (report && *report) {
        client->subscriptions.insert(kMtSubscription);
        // Transfer-route messages that wait for a client go out after the response.
        offer_waiting();
    } else if (report) {
        client->subscriptions.erase(kMtSubscription);
    }
    return success(request);
}

MessagePtr WmsService::raw_send(QmiMessage *request)
{
    if (!TlvReader{request, 0x01}.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto message = read_raw_send(request);
    if (!message)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    if (message->format != kFormatGw)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const sms::ParsedPdu parsed = sms::parse_submit(message->raw);
    if (!parsed.tpdu)
        return failure(request, pdu_error(parsed.error));
    if (parsed.smsc_length == 0 && wms().smsc.empty())
        return failure(request, QMI_PROTOCOL_ERROR_WMS_SMSC_ADDRESS);

    const std::uint8_t reference = wms().next_reference++;
    wms().sent.push_back(message->raw);
    if (const auto failure_info = std::exchange(wms().send_failure, std::nullopt)) {
        MessagePtr response = failure(request, QMI_PROTOCOL_ERROR_WMS_CAUSE_CODE);
        write_send_failure(response.get(), *failure_info);
        return response;
    }
    MessagePtr response = success(request);
    TlvWriter{response.get(), 0x01}.u16(reference).done();
    if (parsed.tpdu->status_report_request() && wms().status_reports)
        schedule_status_report(reference, parsed.tpdu->address);
    return response;
}

MessagePtr WmsService::raw_write(QmiMessage *request)
{
    if (!TlvReader{request, 0x01}.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto message = read_raw_write(request);
    if (!message)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    const auto where = storage(message->storage);
    if (const auto *error = std::get_if<QmiProtocolError>(&where))
        return failure(request, *error);
    if (message->format != kFormatGw)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    // The tag follows the message: a SUBMIT is "not sent", an MT one "read".
    QmiWmsMessageTagType tag = QMI_WMS_MESSAGE_TAG_TYPE_MO_NOT_SENT;
    if (!sms::parse_submit(message->raw).tpdu) {
        const sms::ParsedPdu mt = sms::parse_mt(message->raw);
        if (!mt.tpdu)
            return failure(request, pdu_error(mt.error));
        tag = QMI_WMS_MESSAGE_TAG_TYPE_MT_READ;
    }
    const auto index = std::get<MessageStore *>(where)->add({tag, message->raw});
    if (!index)
        return failure(request, QMI_PROTOCOL_ERROR_DEVICE_STORAGE_FULL);
    MessagePtr response = success(request);
    TlvWriter{response.get(), 0x01}.u32(*index).done();
    return response;
}

MessagePtr WmsService::raw_read(QmiMessage *request)
{
    if (!TlvReader{request, 0x01}.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto id = read_message_id(request, false);
    const auto mode = gsm_mode(request, 0x10);
    if (!id)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    if (!mode)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const auto message = stored(*id, *mode);
    if (const auto *error = std::get_if<QmiProtocolError>(&message))
        return failure(request, *error);
    MessagePtr response = success(request);
    write_raw_read(response.get(), *std::get<StoredMessage *>(message));
    return response;
}

MessagePtr WmsService::modify_tag(QmiMessage *request)
{
    if (!TlvReader{request, 0x01}.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto id = read_message_id(request, true);
    const auto mode = gsm_mode(request, 0x10);
    if (!id)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    if (!mode || id->tag > kLastTag)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const auto message = stored(*id, *mode);
    if (const auto *error = std::get_if<QmiProtocolError>(&message))
        return failure(request, *error);
    StoredMessage &target = *std::get<StoredMessage *>(message);
    // An MT message stays MT (read / not read), an MO one MO.
    if (mobile_terminated(target.tag) != mobile_terminated(id->tag))
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    target.tag = static_cast<QmiWmsMessageTagType>(id->tag);
    return success(request);
}

MessagePtr WmsService::delete_messages(QmiMessage *request)
{
    const auto type = read_u8_tlv(request, 0x01);
    if (!type)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    TlvReader index_tlv{request, 0x10};
    const auto index = index_tlv.u32();
    const auto tag = read_u8_tlv(request, 0x11);
    const auto mode = gsm_mode(request, 0x12);
    if ((index_tlv.present() && !index) || (TlvReader{request, 0x11}.present() && !tag))
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    if (!mode || (tag && *tag > kLastTag))
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const auto where = storage(*type);
    if (const auto *error = std::get_if<QmiProtocolError>(&where))
        return failure(request, *error);
    MessageStore &store = *std::get<MessageStore *>(where);
    if (index) {
        const auto message = stored({*type, *index, 0}, *mode);
        if (const auto *error = std::get_if<QmiProtocolError>(&message))
            return failure(request, *error);
        store.messages.erase(*index);
    } else if (*mode) {
        std::erase_if(store.messages,
                      [&tag](const auto &entry) { return !tag || entry.second.tag == *tag; });
    }
    return success(request);
}

MessagePtr WmsService::get_message_protocol(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x01, QMI_WMS_MESSAGE_PROTOCOL_WCDMA);
    return response;
}

MessagePtr WmsService::list_messages(QmiMessage *request)
{
    const auto type = read_u8_tlv(request, 0x01);
    if (!type)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto tag = read_u8_tlv(request, 0x11);
    const auto mode = gsm_mode(request, 0x12);
    if (!mode || (tag && *tag > kLastTag))
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const auto where = storage(*type);
    if (const auto *error = std::get_if<QmiProtocolError>(&where))
        return failure(request, *error);
    std::vector<std::pair<std::uint32_t, QmiWmsMessageTagType>> list;
    if (*mode)
        for (const auto &[index, message] : std::get<MessageStore *>(where)->messages)
            if (!tag || message.tag == *tag)
                list.emplace_back(index, message.tag);
    MessagePtr response = success(request);
    write_message_list(response.get(), list);
    return response;
}

MessagePtr WmsService::set_routes(QmiMessage *request)
{
    if (!TlvReader{request, 0x01}.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto routes = read_routes(request);
    const auto transfer = read_u8_tlv(request, 0x10);
    if (!routes || (TlvReader{request, 0x10}.present() && !transfer))
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    for (const RawRoute &route : *routes) {
        const bool stores = route.action == QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY;
        if (route.type != QMI_WMS_MESSAGE_TYPE_POINT_TO_POINT || route.message_class > kLastClass ||
            route.action > kLastAction || (stores && !wms().store(route.storage)))
            return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    }
    if (transfer && *transfer > QMI_WMS_TRANSFER_INDICATION_CLIENT)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    // Each route replaces the one for its class; the others stay.
    for (const RawRoute &route : *routes) {
        const auto message_class = static_cast<QmiWmsMessageClass>(route.message_class);
        wms().routes[message_class] = {static_cast<QmiWmsMessageType>(route.type), message_class,
                                       static_cast<QmiWmsStorageType>(route.storage),
                                       static_cast<QmiWmsReceiptAction>(route.action)};
    }
    if (transfer)
        wms().transfer_status_reports = *transfer == QMI_WMS_TRANSFER_INDICATION_CLIENT;
    return success(request);
}

MessagePtr WmsService::get_routes(QmiMessage *request)
{
    std::vector<WmsRoute> routes;
    for (const auto &entry : wms().routes)
        routes.push_back(entry.second);
    MessagePtr response = success(request);
    write_routes(response.get(), routes);
    write_u8_tlv(response.get(), 0x10, wms().transfer_status_reports ? 1 : 0);
    return response;
}

// Not in libqmi 1.32: TLV 0x01 u8 domain in both directions (as oFono's
// qmimodem driver sends it).
MessagePtr WmsService::get_domain_preference(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x01, wms().domain);
    return response;
}

MessagePtr WmsService::set_domain_preference(QmiMessage *request)
{
    const auto domain = read_u8_tlv(request, 0x01);
    if (!domain)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (*domain > 3)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    wms().domain = *domain;
    return success(request);
}

MessagePtr WmsService::get_smsc_address(QmiMessage *request)
{
    const std::string &smsc = wms().smsc;
    const bool international = !smsc.empty() && smsc.front() == '+';
    MessagePtr response = success(request);
    write_smsc(response.get(), international ? "145" : "129", smsc);
    return response;
}

MessagePtr WmsService::set_smsc_address(QmiMessage *request)
{
    const auto address = read_string_tlv(request, 0x01);
    if (!address)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto type = read_string_tlv(request, 0x10);
    const auto smsc = smsc_address(*address, type);
    if (!smsc)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    wms().smsc = *smsc;
    return success(request);
}

MessagePtr WmsService::get_storage_max_size(QmiMessage *request)
{
    const auto type = read_u8_tlv(request, 0x01);
    if (!type)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (!gsm_mode(request, 0x10))
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const auto where = storage(*type);
    if (const auto *error = std::get_if<QmiProtocolError>(&where))
        return failure(request, *error);
    const MessageStore &store = *std::get<MessageStore *>(where);
    MessagePtr response = success(request);
    TlvWriter{response.get(), 0x01}.u32(store.capacity).done();
    TlvWriter{response.get(), 0x10}.u32(static_cast<std::uint32_t>(store.free_slots())).done();
    return response;
}

MessagePtr WmsService::send_ack(QmiMessage *request)
{
    if (!TlvReader{request, 0x01}.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto ack = read_ack(request);
    if (!ack)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    if (ack->protocol != QMI_WMS_MESSAGE_PROTOCOL_WCDMA)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const auto error = take_ack(*ack);
    if (!error)
        return success(request);
    MessagePtr response = failure(request, *error);
    // The network is no longer waiting for that acknowledgement.
    if (*error == QMI_PROTOCOL_ERROR_ACK_NOT_SENT)
        write_u8_tlv(response.get(), 0x10, QMI_WMS_ACK_FAILURE_CAUSE_NETWORK_RELEASED_LINK);
    return response;
}

} // namespace qmisim
