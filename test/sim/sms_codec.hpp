// The network's side of 3GPP TS 23.040 / 23.038 for the WMS simulation:
// GSM 7-bit packing, UCS2, TP addresses, time stamps, TP-DCS, parsing of
// SMS-SUBMIT / SMS-DELIVER / SMS-STATUS-REPORT TPDUs and building of the
// MT ones. Raw messages on QMI are the SMSC address (first octet = its
// length in octets, 0 = none) followed by the TPDU.
#pragma once

#include "sim_codec.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qmisim::sms
{

using ByteView = std::span<const std::uint8_t>;

// Limits and first-octet bits of TS 23.040 shared by the parser and the builder.
namespace tp
{
inline constexpr std::size_t kMaxSmscOctets = 11; // TON/NPI + 10 octets of digits
inline constexpr std::size_t kMaxAddressDigits = 20;
inline constexpr std::size_t kTimestampOctets = 7;
inline constexpr std::size_t kSingleSeptets = 160;
inline constexpr std::size_t kPartSeptets = 153;
inline constexpr std::size_t kSingleUcs2 = 70;
inline constexpr std::size_t kPartUcs2 = 67;
inline constexpr std::size_t kMaxUserDataOctets = 140;
inline constexpr std::size_t kMaxParts = 255;
inline constexpr std::uint8_t kEscape = 0x1B; // to the GSM extension table
// First octet: message type (TP-MTI) in bits 0-1.
inline constexpr std::uint8_t kMtiMask = 0x03;
inline constexpr std::uint8_t kMtiDeliver = 0x00;
inline constexpr std::uint8_t kMtiSubmit = 0x01;
inline constexpr std::uint8_t kMtiStatusReport = 0x02;
inline constexpr std::uint8_t kNoMoreMessages = 0x04;      // TP-MMS
inline constexpr std::uint8_t kStatusReportRequest = 0x20; // TP-SRR
inline constexpr std::uint8_t kHeaderIndicator = 0x40;     // TP-UDHI
} // namespace tp

// --- alphabets (TS 23.038)

// Septets packed LSB first, starting `fill_bits` bits into the first octet
// (the fill after a user data header).
Bytes pack7(const Bytes &septets, unsigned fill_bits = 0);
// `count` septets from packed octets; nullopt if the octets are too few.
std::optional<Bytes> unpack7(ByteView packed, std::size_t count, unsigned fill_bits = 0);
// UTF-8 -> septets of the default alphabet, extension characters as
// 0x1B + code. nullopt if a character is in neither table.
std::optional<Bytes> utf8_to_gsm7(std::string_view utf8);
// Septets -> UTF-8. An unknown extension code shows as its basic character
// (TS 23.038 6.2.1.1).
std::string gsm7_to_utf8(const Bytes &septets);
// UTF-8 -> UCS2 big endian; nullopt for malformed UTF-8 or characters
// outside the Basic Multilingual Plane.
std::optional<Bytes> utf8_to_ucs2(std::string_view utf8);
// UCS2 (UTF-16) big endian -> UTF-8; unpaired surrogates become U+FFFD.
std::string ucs2_to_utf8(ByteView ucs2);

// --- fields (TS 23.040 9.1.2, 9.2.3)

// TP-OA/DA/RA: {number of digits, TON/NPI, swapped BCD}. '+' gives 0x91
// (international, ISDN), otherwise 0x81. nullopt for anything but 1-20
// digits (and '*', '#').
std::optional<Bytes> encode_tp_address(std::string_view number);

struct Timestamp {
    int year = 2000; // 2000-2099
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int tz_quarters = 0; // offset from UTC in quarters of an hour
};
// The 7-octet TP-SCTS / TP-DT: swapped BCD, the time zone's sign in bit 3.
Bytes encode_timestamp(const Timestamp &time);
Timestamp now_utc();

enum class Alphabet { Gsm7, Data8, Ucs2 };
inline constexpr unsigned kNoClass = 4; // as QMI_WMS_MESSAGE_CLASS_NONE

// TP-DCS of the general data coding group, with the class bits when
// `message_class` is 0-3.
std::uint8_t data_coding(Alphabet alphabet, unsigned message_class);
struct DataCoding {
    Alphabet alphabet = Alphabet::Gsm7;
    unsigned message_class = kNoClass; // 0-3, or kNoClass
};
DataCoding parse_data_coding(std::uint8_t dcs);

// --- TPDUs

enum class TpduType { Deliver, Submit, StatusReport };

// The fields of one TPDU that the simulation looks at.
struct Tpdu {
    TpduType type = TpduType::Deliver;
    std::uint8_t first_octet = 0;
    std::uint8_t reference = 0; // TP-MR (SUBMIT, STATUS-REPORT)
    Bytes address;              // TP-DA / TP-OA / TP-RA as encoded
    std::uint8_t dcs = 0;
    std::uint8_t udl = 0;
    Bytes user_data; // TP-UD, header included
    bool status_report_request() const { return first_octet & tp::kStatusReportRequest; }
    bool has_header() const { return first_octet & tp::kHeaderIndicator; }
};

enum class PduError {
    SmscAddress, // SMSC address length impossible
    Malformed,   // too short for its fields, or an impossible address
    Length,      // TP-UDL does not match the user data that follows
    WrongType,   // not the message type expected (TP-MTI)
};

struct ParsedPdu {
    std::optional<Tpdu> tpdu;
    PduError error = PduError::Malformed;
    std::size_t smsc_length = 0; // octets after the length octet
};

// A raw MO message (SMSC address + SMS-SUBMIT).
ParsedPdu parse_submit(ByteView raw);
// A raw MT message (SMSC address + SMS-DELIVER or SMS-STATUS-REPORT).
ParsedPdu parse_mt(ByteView raw);

// "+15551234567" from an encoded TP address (alphanumeric ones decoded).
std::string address_text(const Bytes &address);

struct Concat {
    unsigned reference = 0;
    unsigned part = 0;
    unsigned total = 0;
};
struct UserText {
    std::string text;             // UTF-8; 8-bit data as "data:<HEX>"
    std::optional<Concat> concat; // from an 8- or 16-bit reference IE
};
// The text of a SUBMIT or DELIVER: the header skipped, the alphabet from TP-DCS.
std::optional<UserText> user_text(const Tpdu &tpdu);

// --- building (the network side)

// One or more SMS-DELIVER TPDUs for `text`: a single one when it fits (160
// septets / 70 UCS2 characters), otherwise parts of 153 septets / 67
// characters with an 8-bit concatenation header using `concat_ref`.
// nullopt if the address is bad, a character cannot be coded in the
// alphabet, or it would take more than 255 parts.
std::optional<std::vector<Bytes>> build_deliver(std::string_view from, std::string_view text,
                                                Alphabet alphabet, unsigned message_class,
                                                std::uint8_t concat_ref, const Timestamp &scts);
// One SMS-SUBMIT (as a host would store it): GSM 7-bit when the text allows,
// else UCS2. nullopt if it does not fit one message or the address is bad.
std::optional<Bytes> build_submit(std::string_view to, std::string_view text);
// One SMS-DELIVER as above, no class; nullopt if it does not fit one message.
std::optional<Bytes> build_single_deliver(std::string_view from, std::string_view text,
                                          const Timestamp &scts);
// SMS-STATUS-REPORT for the SUBMIT with `reference` to `recipient` (an
// encoded TP address), TP-ST `status` (0x00: delivered).
Bytes build_status_report(std::uint8_t reference, const Bytes &recipient, const Timestamp &scts,
                          const Timestamp &discharge, std::uint8_t status);
// The SMSC address octets ({0} when `smsc` is empty) followed by `tpdu`.
std::optional<Bytes> with_smsc(std::string_view smsc, const Bytes &tpdu);

} // namespace qmisim::sms
