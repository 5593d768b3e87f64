#include "ussd.hpp"

#include <libqmi-glib.h>

#include <glib.h>

#include <algorithm>
#include <array>
#include <memory>

namespace qmi
{
namespace
{

// 23.038 6.2.1: the default alphabet, as Unicode code points.
constexpr std::array<char32_t, 128> kDefault = {
    U'@', U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç',  U'\n', U'Ø', U'ø', U'\r', U'Å',
    U'å', U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ',  U'Θ',  U'Ξ', 0xA0, U'Æ',  U'æ',
    U'ß', U'É', U' ', U'!', U'"', U'#', U'¤', U'%', U'&', U'\'', U'(',  U')', U'*', U'+',  U',',
    U'-', U'.', U'/', U'0', U'1', U'2', U'3', U'4', U'5', U'6',  U'7',  U'8', U'9', U':',  U';',
    U'<', U'=', U'>', U'?', U'¡', U'A', U'B', U'C', U'D', U'E',  U'F',  U'G', U'H', U'I',  U'J',
    U'K', U'L', U'M', U'N', U'O', U'P', U'Q', U'R', U'S', U'T',  U'U',  U'V', U'W', U'X',  U'Y',
    U'Z', U'Ä', U'Ö', U'Ñ', U'Ü', U'§', U'¿', U'a', U'b', U'c',  U'd',  U'e', U'f', U'g',  U'h',
    U'i', U'j', U'k', U'l', U'm', U'n', U'o', U'p', U'q', U'r',  U's',  U't', U'u', U'v',  U'w',
    U'x', U'y', U'z', U'ä', U'ö', U'ñ', U'ü', U'à'};
constexpr std::uint8_t kEscape = 0x1B; // 0xA0 above stands for it: never produced by text
// 23.038 6.2.1.1: the extension table, after an escape.
constexpr std::pair<std::uint8_t, char32_t> kExtension[] = {
    {0x0A, U'\f'}, {0x14, U'^'}, {0x28, U'{'}, {0x29, U'}'}, {0x2F, U'\\'},
    {0x3C, U'['},  {0x3D, U'~'}, {0x3E, U']'}, {0x40, U'|'}, {0x65, U'€'}};
constexpr int kDcsGsm7 = 0x0F, kDcsUcs2 = 0x48;

void append_utf8(std::string &out, char32_t c)
{
    char buf[6];
    const int n = g_unichar_to_utf8(static_cast<gunichar>(c), buf);
    out.append(buf, static_cast<std::size_t>(n));
}

std::optional<std::u32string> to_code_points(const std::string &utf8)
{
    if (!g_utf8_validate(utf8.data(), static_cast<gssize>(utf8.size()), nullptr))
        return std::nullopt;
    std::u32string out;
    for (const char *p = utf8.data(); p < utf8.data() + utf8.size(); p = g_utf8_next_char(p))
        out += static_cast<char32_t>(g_utf8_get_char(p));
    return out;
}

// Septets of a text, or nullopt if a character is outside both tables.
std::optional<Bytes> to_septets(const std::string &utf8)
{
    const auto points = to_code_points(utf8);
    if (!points)
        return std::nullopt;
    Bytes septets;
    for (char32_t c : *points) {
        bool found = false;
        for (std::size_t i = 0; i < kDefault.size() && !found; ++i)
            if (kDefault[i] == c && i != kEscape) {
                septets.push_back(static_cast<std::uint8_t>(i));
                found = true;
            }
        for (const auto &[code, ext] : kExtension)
            if (!found && ext == c) {
                septets.push_back(kEscape);
                septets.push_back(code);
                found = true;
            }
        if (!found)
            return std::nullopt;
    }
    return septets;
}

std::optional<std::string> from_ucs2_be(const Bytes &data)
{
    if (data.size() % 2)
        return std::nullopt;
    std::u16string units;
    for (std::size_t i = 0; i < data.size(); i += 2)
        units += static_cast<char16_t>(data[i] << 8 | data[i + 1]);
    std::unique_ptr<gchar, decltype(&g_free)> utf8(
        g_utf16_to_utf8(reinterpret_cast<const gunichar2 *>(units.data()),
                        static_cast<glong>(units.size()), nullptr, nullptr, nullptr),
        g_free);
    if (!utf8)
        return std::nullopt;
    return std::string(utf8.get());
}

Bytes to_ucs2_be(const std::string &utf8)
{
    Bytes out;
    glong n = 0;
    std::unique_ptr<gunichar2, decltype(&g_free)> units(
        g_utf8_to_utf16(utf8.data(), static_cast<glong>(utf8.size()), nullptr, &n, nullptr),
        g_free);
    for (glong i = 0; units && i < n; ++i) {
        out.push_back(static_cast<std::uint8_t>(units.get()[i] >> 8));
        out.push_back(static_cast<std::uint8_t>(units.get()[i] & 0xFF));
    }
    return out;
}

} // namespace

std::optional<std::string> gsm7_unpack(const Bytes &packed)
{
    Bytes septets;
    const std::size_t count = packed.size() * 8 / 7;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t bit = i * 7, byte = bit / 8, shift = bit % 8;
        unsigned v = packed[byte] >> shift;
        if (shift > 1 && byte + 1 < packed.size())
            v |= static_cast<unsigned>(packed[byte + 1]) << (8 - shift);
        septets.push_back(static_cast<std::uint8_t>(v & 0x7F));
    }
    // Seven spare bits at the end are a CR pad, and so is a CR that the
    // sender added when the text itself ended on a septet boundary.
    if (!septets.empty() && packed.size() % 7 == 0 && septets.back() == '\r')
        septets.pop_back();
    std::string out;
    for (std::size_t i = 0; i < septets.size(); ++i) {
        if (septets[i] != kEscape) {
            append_utf8(out, kDefault[septets[i]]);
            continue;
        }
        if (++i == septets.size())
            break;
        bool found = false;
        for (const auto &[code, ext] : kExtension)
            if (code == septets[i]) {
                append_utf8(out, ext);
                found = true;
            }
        if (!found) // 23.038: an unknown extension shows as the default character
            append_utf8(out, kDefault[septets[i]]);
    }
    return out;
}

std::optional<Bytes> gsm7_pack(const std::string &utf8)
{
    auto septets = to_septets(utf8);
    if (!septets)
        return std::nullopt;
    if (septets->size() % 8 == 7)
        septets->push_back('\r'); // else the spare bits read as '@'
    Bytes out((septets->size() * 7 + 7) / 8, 0);
    for (std::size_t i = 0; i < septets->size(); ++i) {
        const std::size_t bit = i * 7, byte = bit / 8, shift = bit % 8;
        out[byte] = static_cast<std::uint8_t>(out[byte] | ((*septets)[i] << shift));
        if (shift > 1)
            out[byte + 1] = static_cast<std::uint8_t>((*septets)[i] >> (8 - shift));
    }
    return out;
}

std::optional<std::string> ussd_decode(int dcs, const Bytes &data)
{
    // 23.038 5: group 0000 (languages) and 0100-0111 (general, uncompressed).
    const int group = dcs >> 4;
    int alphabet = -1; // 0 GSM 7-bit, 1 8-bit, 2 UCS-2
    if (group == 0x0 || group == 0x2 || group == 0x3)
        alphabet = 0;
    else if (dcs == 0x11)
        alphabet = 2; // UCS-2 preceded by a language (two octets)
    else if (group >= 0x4 && group <= 0x7 && !(dcs & 0x20))
        alphabet = (dcs >> 2) & 0x03;
    else if (group == 0xF)
        alphabet = (dcs & 0x04) ? 1 : 0;
    switch (alphabet) {
    case 0:
        return gsm7_unpack(data);
    case 2:
        return from_ucs2_be(dcs == 0x11 && data.size() >= 2 ? Bytes(data.begin() + 2, data.end())
                                                            : data);
    default:
        return std::nullopt;
    }
}

UssdString ussd_encode(const std::string &utf8)
{
    if (auto packed = gsm7_pack(utf8))
        return {kDcsGsm7, *packed};
    return {kDcsUcs2, to_ucs2_be(utf8)};
}

std::optional<std::string> qmi_uss_decode(int qmi_dcs, const Bytes &data)
{
    switch (qmi_dcs) {
    case QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII: {
        std::string s(data.begin(), data.end());
        if (!g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr))
            return std::nullopt;
        return s;
    }
    case QMI_VOICE_USS_DATA_CODING_SCHEME_8BIT: {
        std::string out; // Latin-1
        for (auto b : data)
            append_utf8(out, b);
        return out;
    }
    case QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2:
        return from_ucs2_be(data);
    default:
        return std::nullopt;
    }
}

QmiUss qmi_uss_encode(const std::string &utf8)
{
    const bool ascii = std::all_of(utf8.begin(), utf8.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii)
        return {QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII, Bytes(utf8.begin(), utf8.end())};
    return {QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2, to_ucs2_be(utf8)};
}

} // namespace qmi
