// Pure encoders for SIM file contents (3GPP TS 31.102, TS 51.011, TS 23.038):
// swapped BCD, the GSM 7-bit default alphabet (unpacked, as EF SPN and alpha
// identifiers use it), dialling numbers, SMS parameters and service tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qmisim
{

using Bytes = std::vector<std::uint8_t>;

// Digits two per byte, low nibble first, padded with F nibbles and then 0xFF
// bytes up to `size`. nullopt if a character is not a digit or it does not fit.
std::optional<Bytes> bcd_swapped(std::string_view digits, std::size_t size);

// EF ICCID: 10 bytes of swapped BCD (an odd 19th digit is followed by F).
std::optional<Bytes> encode_iccid(std::string_view iccid);

// EF IMSI: length byte (8), then the parity nibble (9 odd / 1 even number of
// digits) and the digits in swapped BCD, padded with F.
std::optional<Bytes> encode_imsi(std::string_view imsi);

// UTF-8 text in the GSM 7-bit default alphabet, one septet per byte (bit 8
// zero); characters of the extension table take an escape (0x1B) first.
// nullopt if a character is in neither table.
std::optional<Bytes> gsm7_unpacked(std::string_view utf8);

// "+15551234567" -> {length of what follows, TON/NPI, swapped BCD digits}:
// 0x91 (international, ISDN) with '+', else 0x81. '*' and '#' are BCD A and B.
// nullopt for other characters or more than 20 digits.
std::optional<Bytes> encode_address(std::string_view number);

// One EF MSISDN / ADN record of `record_size` bytes: the alpha identifier in
// the first record_size - 14 bytes (padded with FF), then the number, the
// capability (FF) and extension (FF) bytes. An empty number leaves those FF.
std::optional<Bytes> encode_dialling_number(std::string_view alpha, std::string_view number,
                                            std::size_t record_size);

// One EF SMSP record of `record_size` bytes with no alpha identifier and only
// the service centre address present (parameter indicators 0xFD).
std::optional<Bytes> encode_smsp(std::string_view smsc, std::size_t record_size);

// A service table (EF UST, EF EST): service n is bit (n-1)%8 of byte (n-1)/8.
Bytes service_table(const std::vector<unsigned> &services, std::size_t size);

// "0A1B" <-> {0x0A, 0x1B}; hex() writes uppercase without separators.
std::string hex(const Bytes &bytes);
std::optional<Bytes> parse_hex(std::string_view text);

// True if `text` is 1..max digits 0-9 and at least min of them.
bool all_digits(std::string_view text, std::size_t min, std::size_t max);

} // namespace qmisim
