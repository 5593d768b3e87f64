#include "wms_tlv.hpp"

#include "../glib_ptr.hpp"

#include <algorithm>
#include <array>

namespace qmisim::wms
{

namespace
{

constexpr std::uint8_t kTlvSendFailureCause = 0x12;
constexpr std::uint8_t kTlvSendFailureType = 0x13;

// RP causes (TS 24.011 8.2.5.4) after which a retry may work, in the
// spelling of 24.011 and of libqmi's QmiWmsGsmUmtsRpCause.
constexpr std::array<std::uint8_t, 7> kTemporaryRpCauses{27, 32, 33, 38, 41, 42, 47};

std::optional<Bytes> read_bytes16(TlvReader &reader)
{
    const auto length = reader.u16();
    if (!length)
        return std::nullopt;
    return reader.bytes(*length);
}

} // namespace

std::optional<RawMessage> read_raw_send(QmiMessage *request)
{
    TlvReader reader{request, 0x01};
    const auto format = reader.u8();
    if (!format)
        return std::nullopt;
    auto raw = read_bytes16(reader);
    if (!raw)
        return std::nullopt;
    return RawMessage{*format, std::move(*raw)};
}

std::optional<RawWrite> read_raw_write(QmiMessage *request)
{
    TlvReader reader{request, 0x01};
    const auto storage = reader.u8();
    const auto format = reader.u8();
    if (!storage || !format)
        return std::nullopt;
    auto raw = read_bytes16(reader);
    if (!raw)
        return std::nullopt;
    return RawWrite{*storage, *format, std::move(*raw)};
}

std::optional<MessageId> read_message_id(QmiMessage *request, bool with_tag)
{
    TlvReader reader{request, 0x01};
    const auto storage = reader.u8();
    const auto index = reader.u32();
    if (!storage || !index)
        return std::nullopt;
    MessageId id{*storage, *index, 0};
    if (with_tag) {
        const auto tag = reader.u8();
        if (!tag)
            return std::nullopt;
        id.tag = *tag;
    }
    return id;
}

std::optional<std::vector<RawRoute>> read_routes(QmiMessage *request)
{
    TlvReader reader{request, 0x01};
    const auto count = reader.u16();
    if (!count)
        return std::nullopt;
    std::vector<RawRoute> routes;
    for (unsigned i = 0; i < *count; i++) {
        const auto fields = reader.bytes(4);
        if (!fields)
            return std::nullopt;
        routes.push_back({(*fields)[0], (*fields)[1], (*fields)[2], (*fields)[3]});
    }
    return routes;
}

void write_routes(QmiMessage *response, const std::vector<WmsRoute> &routes)
{
    TlvWriter tlv{response, 0x01};
    tlv.u16(static_cast<std::uint16_t>(routes.size()));
    for (const WmsRoute &route : routes)
        tlv.u8(static_cast<std::uint8_t>(route.type))
            .u8(static_cast<std::uint8_t>(route.message_class))
            .u8(static_cast<std::uint8_t>(route.storage))
            .u8(static_cast<std::uint8_t>(route.action));
    tlv.done();
}

std::optional<Ack> read_ack(QmiMessage *request)
{
    TlvReader reader{request, 0x01};
    const auto transaction = reader.u32();
    const auto protocol = reader.u8();
    const auto success = reader.u8();
    if (!transaction || !protocol || !success)
        return std::nullopt;
    return Ack{*transaction, *protocol, *success != 0};
}

std::optional<std::string> read_string_tlv(QmiMessage *request, std::uint8_t type)
{
    ErrorSlot error;
    const gsize init = qmi_message_tlv_read_init(request, type, nullptr, error.out());
    if (!init)
        return std::nullopt;
    gsize offset = 0;
    gchar *raw = nullptr;
    if (!qmi_message_tlv_read_string(request, init, &offset, 0, 0, &raw, error.out()))
        return std::nullopt;
    const GCharPtr value{raw};
    return std::string{value.get()};
}

void write_smsc(QmiMessage *response, const std::string &type, const std::string &digits)
{
    TlvWriter{response, 0x01}.fixed_string(type, 3, '\0').string8(digits).done();
}

void write_raw_read(QmiMessage *response, const StoredMessage &message)
{
    TlvWriter{response, 0x01}
        .u8(static_cast<std::uint8_t>(message.tag))
        .u8(QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT)
        .u16(static_cast<std::uint16_t>(message.raw.size()))
        .bytes(message.raw)
        .done();
}

void write_message_list(QmiMessage *response,
                        const std::vector<std::pair<std::uint32_t, QmiWmsMessageTagType>> &list)
{
    TlvWriter tlv{response, 0x01};
    tlv.u32(static_cast<std::uint32_t>(list.size()));
    for (const auto &[index, tag] : list)
        tlv.u32(index).u8(static_cast<std::uint8_t>(tag));
    tlv.done();
}

void write_send_failure(QmiMessage *response, const SendFailure &failure)
{
    TlvWriter{response, kTlvSendFailureCause}.u16(failure.rp_cause).u8(failure.tp_cause).done();
    const bool temporary = std::find(kTemporaryRpCauses.begin(), kTemporaryRpCauses.end(),
                                     failure.rp_cause) != kTemporaryRpCauses.end();
    write_u8_tlv(response, kTlvSendFailureType,
                 temporary ? QMI_WMS_MESSAGE_DELIVERY_FAILURE_TYPE_TEMPORARY
                           : QMI_WMS_MESSAGE_DELIVERY_FAILURE_TYPE_PERMANENT);
}

void write_mt_message(QmiMessage *indication, QmiWmsStorageType storage, std::uint32_t index)
{
    TlvWriter{indication, kTlvMtMessage}.u8(static_cast<std::uint8_t>(storage)).u32(index).done();
    write_u8_tlv(indication, kTlvMessageMode, QMI_WMS_MESSAGE_MODE_GSM_WCDMA);
}

void write_transfer_route(QmiMessage *indication, bool needs_ack, std::uint32_t transaction,
                          const Bytes &raw)
{
    TlvWriter{indication, kTlvTransferRoute}
        .u8(needs_ack ? QMI_WMS_ACK_INDICATOR_SEND : QMI_WMS_ACK_INDICATOR_DO_NOT_SEND)
        .u32(transaction)
        .u8(QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT)
        .u16(static_cast<std::uint16_t>(raw.size()))
        .bytes(raw)
        .done();
    write_u8_tlv(indication, kTlvMessageMode, QMI_WMS_MESSAGE_MODE_GSM_WCDMA);
}

} // namespace qmisim::wms
