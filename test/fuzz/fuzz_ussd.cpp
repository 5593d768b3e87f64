// ussd.hpp: GSM 7-bit packing, oFono's 23.038 USSD strings and QMI's USS
// data, each decoded from arbitrary bytes and round-tripped from arbitrary
// text. Network text (QMI USS data, decoded) is re-encoded for oFono, and
// oFono's request decoded for QMI, as the ussd atom does.
//
// Input: a selector byte, then a coding scheme byte where one is needed,
// then the data or text.
#include "harness.hpp"

#include "translate/ussd.hpp"

using namespace fuzz;

namespace
{

constexpr int kDcsGsm7 = 0x0F, kDcsUcs2 = 0x48;

// A decoder's output: valid UTF-8 (it goes to D-Bus or into QMI's ASCII).
void check_text(const std::optional<std::string> &text)
{
    if (text)
        FUZZ_CHECK(valid_utf8(*text) || text->find('\0') != std::string::npos);
}

// decode(encode(text)) is text. The one exception is 23.038's: a CR that
// ends the text on an octet boundary reads as padding.
bool same_text(const std::optional<std::string> &back, const std::string &text)
{
    if (back == text)
        return true;
    return back && !text.empty() && text.back() == '\r' && *back == text.substr(0, text.size() - 1);
}

void gsm7(const Bytes &packed)
{
    const auto text = qmi::gsm7_unpack(packed);
    FUZZ_CHECK(text.has_value());
    check_text(text);
    FUZZ_CHECK(valid_utf8(*text)); // the default alphabet has no NUL
    if (const auto again = qmi::gsm7_pack(*text))
        FUZZ_CHECK(same_text(qmi::gsm7_unpack(*again), *text));
}

void text_round_trips(const std::string &text)
{
    const auto packed = qmi::gsm7_pack(text);
    if (!valid_utf8(text))
        FUZZ_CHECK(!packed);
    if (packed) {
        FUZZ_CHECK(same_text(qmi::gsm7_unpack(*packed), text));
    }
    const qmi::UssdString coded = qmi::ussd_encode(text);
    FUZZ_CHECK(coded.dcs == kDcsGsm7 || coded.dcs == kDcsUcs2);
    FUZZ_CHECK((coded.dcs == kDcsGsm7) == packed.has_value());
    const qmi::QmiUss uss = qmi::qmi_uss_encode(text);
    if (!valid_utf8(text))
        return;
    FUZZ_CHECK(same_text(qmi::ussd_decode(coded.dcs, coded.data), text));
    FUZZ_CHECK(qmi::qmi_uss_decode(uss.qmi_dcs, uss.data) == text);
}

// oFono's USSD request -> the text the ussd atom sends to the modem.
void from_ofono(int dcs, const Bytes &data)
{
    const auto text = qmi::ussd_decode(dcs, data);
    check_text(text);
    if (text && valid_utf8(*text)) {
        const qmi::QmiUss uss = qmi::qmi_uss_encode(*text);
        FUZZ_CHECK(qmi::qmi_uss_decode(uss.qmi_dcs, uss.data) == text);
    }
}

// The network's USS data -> what the ussd atom hands oFono.
void from_network(int qmi_dcs, const Bytes &data)
{
    const auto text = qmi::qmi_uss_decode(qmi_dcs, data);
    check_text(text);
    if (text && valid_utf8(*text)) {
        const qmi::UssdString coded = qmi::ussd_encode(*text);
        FUZZ_CHECK(same_text(qmi::ussd_decode(coded.dcs, coded.data), *text));
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2)
        return -1;
    const Bytes rest(data + 2, data + size);
    switch (data[0] % 4) {
    case 0:
        gsm7(Bytes(data + 1, data + size));
        break;
    case 1:
        text_round_trips(std::string(data + 1, data + size));
        break;
    case 2:
        from_ofono(data[1], rest);
        break;
    default:
        from_network(data[1] % 4, rest); // QmiVoiceUssDataCodingScheme: 0 unknown .. 3 UCS-2
        break;
    }
    return 0;
}
