// USSD text between oFono and QMI VOICE. oFono hands the driver 3GPP
// (23.038) coded USSD strings and takes them back the same way; QMI VOICE
// carries USS data as ASCII or UCS-2 with its own coding enum. Both sides
// meet in UTF-8 here. No I/O: covered by test/unit/test_ussd.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qmi
{

using Bytes = std::vector<std::uint8_t>;

// GSM 7-bit default alphabet (and its extension table), packed as USSD
// packs it (23.038 6.1.2.3: seven spare bits at the end become CR).
std::optional<std::string> gsm7_unpack(const Bytes &packed);
std::optional<Bytes> gsm7_pack(const std::string &utf8);

// A 3GPP CBS data coding scheme + string (what oFono's ussd driver API
// carries) <-> UTF-8. Encoding picks GSM 7-bit (dcs 0x0F) when the text
// fits the default alphabet, else UCS-2 (dcs 0x48).
std::optional<std::string> ussd_decode(int dcs, const Bytes &data);
struct UssdString {
    int dcs = 0;
    Bytes data;
};
UssdString ussd_encode(const std::string &utf8);

// QMI USS data (QmiVoiceUssDataCodingScheme: ASCII, 8-bit, UCS-2 with
// big-endian code units) <-> UTF-8. Encoding picks ASCII when it can.
std::optional<std::string> qmi_uss_decode(int qmi_dcs, const Bytes &data);
struct QmiUss {
    int qmi_dcs = 0;
    Bytes data;
};
QmiUss qmi_uss_encode(const std::string &utf8);

} // namespace qmi
