// VOICE message ids, subscription names and TLV layouts (libqmi 1.32,
// data/qmi-service-voice.json; the call end reason TLVs, which libqmi 1.32
// does not decode, follow Qualcomm's numbering), and the USSD text codings
// of QmiVoiceUssDataCodingScheme.
#pragma once

#include "../sim_codec.hpp"
#include "voice_calls.hpp"

#include <libqmi-glib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qmisim::voice
{

// Messages (requests, and indications where noted).
inline constexpr std::uint16_t kIndicationRegister = 0x0003;
inline constexpr std::uint16_t kGetSupportedMessages = 0x001E;
inline constexpr std::uint16_t kDialCall = 0x0020;
inline constexpr std::uint16_t kEndCall = 0x0021;
inline constexpr std::uint16_t kAnswerCall = 0x0022;
inline constexpr std::uint16_t kBurstDtmf = 0x0028;
inline constexpr std::uint16_t kStartContinuousDtmf = 0x0029;
inline constexpr std::uint16_t kStopContinuousDtmf = 0x002A;
inline constexpr std::uint16_t kAllCallStatus = 0x002E; // indication
inline constexpr std::uint16_t kGetAllCallInfo = 0x002F;
inline constexpr std::uint16_t kManageCalls = 0x0031;
inline constexpr std::uint16_t kSupplementaryService = 0x0032; // indication
inline constexpr std::uint16_t kOriginateUssd = 0x003A;
inline constexpr std::uint16_t kAnswerUssd = 0x003B;
inline constexpr std::uint16_t kCancelUssd = 0x003C;
inline constexpr std::uint16_t kReleaseUssd = 0x003D; // indication
inline constexpr std::uint16_t kUssd = 0x003E;        // indication
inline constexpr std::uint16_t kGetConfig = 0x0041;
inline constexpr std::uint16_t kOriginateUssdNoWait = 0x0043; // request + indication

// ClientInfo::subscriptions entries, one per Indication Register TLV.
struct Subscription {
    std::uint8_t tlv;
    const char *name;
    bool on_by_default;
};
inline constexpr Subscription kSubscriptions[] = {
    {0x10, "dtmf", true},
    {0x11, "voice-privacy", true},
    {0x12, "supplementary-service", true},
    {0x13, "call-status", true},
    {0x14, "handover", false},
    {0x15, "speech-codec", false},
    {0x16, "ussd", true},
    {0x18, "modification", false},
    {0x19, "uus", false},
    {0x1A, "aoc", false},
    {0x1B, "conference", false},
    {0x1C, "extended-burst", false},
    {0x1D, "page-miss", false},
};
inline const std::string kSubCallStatus = "call-status";
inline const std::string kSubSupplementary = "supplementary-service";
inline const std::string kSubUssd = "ussd";

// The call list of the All Call Status indication and of the Get All Call
// Info response: the same records under different TLV ids.
enum class CallListKind { Indication, Response };
void write_call_list(QmiMessage *message, CallListKind kind, const std::vector<Call> &calls);

// A string that fills its TLV (Dial Call 0x01).
std::optional<std::string> read_string_tlv(QmiMessage *message, std::uint8_t type);

// USS Data {u8 coding scheme, u8 length, bytes}.
struct UssData {
    std::uint8_t coding = QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII;
    Bytes data;
};
std::optional<UssData> read_uss_data(QmiMessage *message, std::uint8_t type);
void write_uss_data(QmiMessage *message, std::uint8_t type, const UssData &uss);
// USS Data UTF16: {u8 count, u16 LE code units}.
void write_uss_utf16(QmiMessage *message, std::uint8_t type, std::string_view utf8);

// ASCII (7-bit bytes), 8-bit (Latin-1) and UCS-2 (big-endian) to UTF-8;
// nullopt for another scheme or bytes that do not fit it.
std::optional<std::string> decode_uss(const UssData &uss);
// ASCII when the text is plain 7-bit, otherwise UCS-2 big-endian.
UssData encode_uss(std::string_view utf8);

// Get Supported Messages TLV 0x10: {u16 length, bitmask of message ids}.
void write_supported_messages(QmiMessage *message, const std::vector<std::uint16_t> &ids);

} // namespace qmisim::voice
