// UIM TLV layouts (libqmi 1.32, data/qmi-service-uim.json): the session and
// file TLVs of requests, and the card status, card result, retries and file
// attributes TLVs of responses and indications.
#pragma once

#include "../card.hpp"

#include <libqmi-glib.h>

#include <cstdint>
#include <optional>

namespace qmisim::uim
{

// Message ids.
inline constexpr std::uint16_t kReset = 0x0000;
inline constexpr std::uint16_t kReadTransparent = 0x0020;
inline constexpr std::uint16_t kReadRecord = 0x0021;
inline constexpr std::uint16_t kWriteTransparent = 0x0022;
inline constexpr std::uint16_t kWriteRecord = 0x0023;
inline constexpr std::uint16_t kGetFileAttributes = 0x0024;
inline constexpr std::uint16_t kSetPinProtection = 0x0025;
inline constexpr std::uint16_t kVerifyPin = 0x0026;
inline constexpr std::uint16_t kUnblockPin = 0x0027;
inline constexpr std::uint16_t kChangePin = 0x0028;
inline constexpr std::uint16_t kRegisterEvents = 0x002E;
inline constexpr std::uint16_t kGetCardStatus = 0x002F;
inline constexpr std::uint16_t kCardStatusIndication = 0x0032;

// Request TLVs shared by the file and PIN messages.
inline constexpr std::uint8_t kTlvSession = 0x01;
inline constexpr std::uint8_t kTlvFile = 0x02;
inline constexpr std::uint8_t kTlvPinInfo = 0x02;
inline constexpr std::uint8_t kTlvReadInfo = 0x03; // also Record, Write info
// Response TLVs.
inline constexpr std::uint8_t kTlvCardResult = 0x10;     // file messages
inline constexpr std::uint8_t kTlvReadResult = 0x11;     // read, and attributes
inline constexpr std::uint8_t kTlvAdditionalRead = 0x12; // Read Record
inline constexpr std::uint8_t kTlvRetries = 0x10;        // PIN messages
inline constexpr std::uint8_t kTlvPinCardResult = 0x13;  // PIN messages
inline constexpr std::uint8_t kTlvCardStatus = 0x10;     // response and indication

// Session TLV: {u8 session type, u8 AID length, AID}. nullopt if malformed.
struct Session {
    QmiUimSessionType type = QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING;
    Bytes aid;
};
std::optional<Session> read_session(QmiMessage *request);

// File TLV: {u16 file id, u8 path length in bytes, path as u16 LE ids}.
std::optional<FilePath> read_file(QmiMessage *request);

// Two u16 fields (offset/length, record/length), then with `with_data` a u16
// length and that many bytes.
struct AccessInfo {
    std::uint16_t first = 0;
    std::uint16_t second = 0;
    Bytes data;
};
std::optional<AccessInfo> read_access_info(QmiMessage *request, bool with_data);

void write_card_result(QmiMessage *message, std::uint8_t type, StatusWord sw);
// An array with a u16 length prefix.
void write_bytes16(QmiMessage *message, std::uint8_t type, const Bytes &bytes);
void write_retries(QmiMessage *message, std::uint8_t verify_left, std::uint8_t unblock_left);
// TLV 0x10 of Get Card Status and the Card Status indication: one slot with
// the USIM application when the card is present.
void write_card_status(QmiMessage *message, const CardStatus &status);
// TLV 0x11 of Get File Attributes.
void write_file_attributes(QmiMessage *message, const CardFile &file, const Bytes &fcp);

} // namespace qmisim::uim
