// TS 23.038 alphabets for sms_codec.hpp: GSM 7-bit packing and the default
// alphabet (decoding; encoding reuses sim_codec's gsm7_unpacked), UCS2.
#include "sms_codec.hpp"

#include <glib.h>

#include <algorithm>
#include <array>
#include <utility>

namespace qmisim::sms
{

using tp::kEscape;

namespace
{

// The default alphabet: the Unicode code point of each septet. 0x1B is the
// escape to the extension table.
constexpr std::array<char32_t, 128> kBasic{
    U'@',      U'\u00A3', U'$',      U'\u00A5', U'\u00E8', U'\u00E9', U'\u00F9', U'\u00EC',
    U'\u00F2', U'\u00C7', U'\n',     U'\u00D8', U'\u00F8', U'\r',     U'\u00C5', U'\u00E5',
    U'\u0394', U'_',      U'\u03A6', U'\u0393', U'\u039B', U'\u03A9', U'\u03A0', U'\u03A8',
    U'\u03A3', U'\u0398', U'\u039E', U' ',      U'\u00C6', U'\u00E6', U'\u00DF', U'\u00C9',
    U' ',      U'!',      U'"',      U'#',      U'\u00A4', U'%',      U'&',      U'\'',
    U'(',      U')',      U'*',      U'+',      U',',      U'-',      U'.',      U'/',
    U'0',      U'1',      U'2',      U'3',      U'4',      U'5',      U'6',      U'7',
    U'8',      U'9',      U':',      U';',      U'<',      U'=',      U'>',      U'?',
    U'\u00A1', U'A',      U'B',      U'C',      U'D',      U'E',      U'F',      U'G',
    U'H',      U'I',      U'J',      U'K',      U'L',      U'M',      U'N',      U'O',
    U'P',      U'Q',      U'R',      U'S',      U'T',      U'U',      U'V',      U'W',
    U'X',      U'Y',      U'Z',      U'\u00C4', U'\u00D6', U'\u00D1', U'\u00DC', U'\u00A7',
    U'\u00BF', U'a',      U'b',      U'c',      U'd',      U'e',      U'f',      U'g',
    U'h',      U'i',      U'j',      U'k',      U'l',      U'm',      U'n',      U'o',
    U'p',      U'q',      U'r',      U's',      U't',      U'u',      U'v',      U'w',
    U'x',      U'y',      U'z',      U'\u00E4', U'\u00F6', U'\u00F1', U'\u00FC', U'\u00E0',
};

constexpr std::array<std::pair<std::uint8_t, char32_t>, 10> kExtension{{
    {0x0A, U'\f'},
    {0x14, U'^'},
    {0x28, U'{'},
    {0x29, U'}'},
    {0x2F, U'\\'},
    {0x3C, U'['},
    {0x3D, U'~'},
    {0x3E, U']'},
    {0x40, U'|'},
    {0x65, U'\u20AC'},
}};

void append_utf8(std::string &out, char32_t cp)
{
    char buffer[6];
    const gint n = g_unichar_to_utf8(static_cast<gunichar>(cp), buffer);
    out.append(buffer, static_cast<std::size_t>(n));
}

} // namespace

Bytes pack7(const Bytes &septets, unsigned fill_bits)
{
    Bytes out((fill_bits + septets.size() * 7 + 7) / 8, 0);
    std::size_t bit = fill_bits;
    for (const std::uint8_t septet : septets) {
        const unsigned value = septet & 0x7F;
        out[bit / 8] |= static_cast<std::uint8_t>(value << (bit % 8));
        if (bit % 8 > 1)
            out[bit / 8 + 1] |= static_cast<std::uint8_t>(value >> (8 - bit % 8));
        bit += 7;
    }
    return out;
}

std::optional<Bytes> unpack7(ByteView packed, std::size_t count, unsigned fill_bits)
{
    if ((fill_bits + count * 7 + 7) / 8 > packed.size())
        return std::nullopt;
    Bytes out;
    std::size_t bit = fill_bits;
    for (std::size_t i = 0; i < count; i++, bit += 7) {
        unsigned value = packed[bit / 8] >> (bit % 8);
        if (bit % 8 > 1)
            value |= static_cast<unsigned>(packed[bit / 8 + 1]) << (8 - bit % 8);
        out.push_back(static_cast<std::uint8_t>(value & 0x7F));
    }
    return out;
}

std::optional<Bytes> utf8_to_gsm7(std::string_view utf8)
{
    return gsm7_unpacked(utf8);
}

std::string gsm7_to_utf8(const Bytes &septets)
{
    std::string out;
    for (std::size_t i = 0; i < septets.size(); i++) {
        const std::uint8_t septet = septets[i] & 0x7F;
        if (septet != kEscape) {
            append_utf8(out, kBasic[septet]);
            continue;
        }
        if (++i == septets.size())
            break; // a lone escape at the end
        const std::uint8_t code = septets[i] & 0x7F;
        const auto ext = std::find_if(kExtension.begin(), kExtension.end(),
                                      [code](const auto &entry) { return entry.first == code; });
        append_utf8(out, ext != kExtension.end() ? ext->second : kBasic[code]);
    }
    return out;
}

std::optional<Bytes> utf8_to_ucs2(std::string_view utf8)
{
    if (!g_utf8_validate(utf8.data(), static_cast<gssize>(utf8.size()), nullptr))
        return std::nullopt;
    Bytes out;
    for (const char *p = utf8.data(); p < utf8.data() + utf8.size(); p = g_utf8_next_char(p)) {
        const gunichar cp = g_utf8_get_char(p);
        if (cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return std::nullopt;
        out.push_back(static_cast<std::uint8_t>(cp >> 8));
        out.push_back(static_cast<std::uint8_t>(cp & 0xFF));
    }
    return out;
}

std::string ucs2_to_utf8(ByteView ucs2)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < ucs2.size(); i += 2) {
        char32_t unit = static_cast<char32_t>(ucs2[i] << 8 | ucs2[i + 1]);
        if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < ucs2.size()) {
            const char32_t low = static_cast<char32_t>(ucs2[i + 2] << 8 | ucs2[i + 3]);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                i += 2;
            }
        }
        if (unit >= 0xD800 && unit <= 0xDFFF)
            unit = 0xFFFD;
        append_utf8(out, unit);
    }
    return out;
}

} // namespace qmisim::sms
