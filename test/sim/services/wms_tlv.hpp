// WMS message ids and TLV layouts. libqmi 1.32 (data/qmi-service-wms.json)
// for the messages it has; Get/Set SMSC Address and Get Storage Max Size,
// which it lacks, use Qualcomm's layout as oFono's qmimodem driver sends it
// (the SMSC address TLV is the one of libqmi's SMSC Address indication).
#pragma once

#include "../tlv.hpp"
#include "../wms_state.hpp"

#include <libqmi-glib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qmisim::wms
{

// Message ids.
inline constexpr std::uint16_t kReset = 0x0000;
inline constexpr std::uint16_t kSetEventReport = 0x0001;
inline constexpr std::uint16_t kEventReport = 0x0001; // indication
inline constexpr std::uint16_t kRawSend = 0x0020;
inline constexpr std::uint16_t kRawWrite = 0x0021;
inline constexpr std::uint16_t kRawRead = 0x0022;
inline constexpr std::uint16_t kModifyTag = 0x0023;
inline constexpr std::uint16_t kDelete = 0x0024;
inline constexpr std::uint16_t kGetMessageProtocol = 0x0030;
inline constexpr std::uint16_t kListMessages = 0x0031;
inline constexpr std::uint16_t kSetRoutes = 0x0032;
inline constexpr std::uint16_t kGetRoutes = 0x0033;
inline constexpr std::uint16_t kGetSmscAddress = 0x0034;
inline constexpr std::uint16_t kSetSmscAddress = 0x0035;
inline constexpr std::uint16_t kGetStorageMaxSize = 0x0036;
inline constexpr std::uint16_t kSendAck = 0x0037;
inline constexpr std::uint16_t kGetDomainPreference = 0x0040; // not in libqmi 1.32
inline constexpr std::uint16_t kSetDomainPreference = 0x0041; // not in libqmi 1.32

// Event Report indication TLVs.
inline constexpr std::uint8_t kTlvMtMessage = 0x10;
inline constexpr std::uint8_t kTlvTransferRoute = 0x11;
inline constexpr std::uint8_t kTlvMessageMode = 0x12;

// {u8 format, u16 length, raw data}: Raw Send 0x01.
struct RawMessage {
    std::uint8_t format = 0;
    Bytes raw;
};
std::optional<RawMessage> read_raw_send(QmiMessage *request);

// {u8 storage, u8 format, u16 length, raw data}: Raw Write 0x01.
struct RawWrite {
    std::uint8_t storage = 0;
    std::uint8_t format = 0;
    Bytes raw;
};
std::optional<RawWrite> read_raw_write(QmiMessage *request);

// {u8 storage, u32 index} (Raw Read 0x01), with a u8 tag (Modify Tag 0x01).
struct MessageId {
    std::uint8_t storage = 0;
    std::uint32_t index = 0;
    std::uint8_t tag = 0;
};
std::optional<MessageId> read_message_id(QmiMessage *request, bool with_tag);

// Set Routes 0x01: {u16 count, [u8 type, u8 class, u8 storage, u8 action]}.
struct RawRoute {
    std::uint8_t type = 0;
    std::uint8_t message_class = 0;
    std::uint8_t storage = 0;
    std::uint8_t action = 0;
};
std::optional<std::vector<RawRoute>> read_routes(QmiMessage *request);
void write_routes(QmiMessage *response, const std::vector<WmsRoute> &routes);

// Send Ack 0x01: {u32 transaction id, u8 message protocol, u8 success}.
struct Ack {
    std::uint32_t transaction = 0;
    std::uint8_t protocol = 0;
    bool success = false;
};
std::optional<Ack> read_ack(QmiMessage *request);

// A TLV that is one string without a length prefix (Set SMSC Address).
std::optional<std::string> read_string_tlv(QmiMessage *request, std::uint8_t type);

// Get SMSC Address 0x01: {3 characters type, u8 length, digits}.
void write_smsc(QmiMessage *response, const std::string &type, const std::string &digits);

// Raw Read 0x01: {u8 tag, u8 format, u16 length, raw data}.
void write_raw_read(QmiMessage *response, const StoredMessage &message);

// List Messages 0x01: {u32 count, [u32 index, u8 tag]}.
void write_message_list(QmiMessage *response,
                        const std::vector<std::pair<std::uint32_t, QmiWmsMessageTagType>> &list);

// Raw Send failure: 0x12 {u16 RP cause, u8 TP cause}, 0x13 delivery failure type.
void write_send_failure(QmiMessage *response, const SendFailure &failure);

// Event Report contents.
void write_mt_message(QmiMessage *indication, QmiWmsStorageType storage, std::uint32_t index);
void write_transfer_route(QmiMessage *indication, bool needs_ack, std::uint32_t transaction,
                          const Bytes &raw);

} // namespace qmisim::wms
