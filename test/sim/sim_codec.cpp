#include "sim_codec.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace qmisim
{

namespace
{

// TS 23.038 default alphabet: the Unicode code point of each septet.
// 0x1B is the escape to the extension table (no character of its own).
constexpr std::array<char32_t, 128> kGsmBasic{
    U'@',      U'\u00A3', U'$',      U'\u00A5', U'\u00E8', U'\u00E9', U'\u00F9', U'\u00EC',
    U'\u00F2', U'\u00C7', U'\n',     U'\u00D8', U'\u00F8', U'\r',     U'\u00C5', U'\u00E5',
    U'\u0394', U'_',      U'\u03A6', U'\u0393', U'\u039B', U'\u03A9', U'\u03A0', U'\u03A8',
    U'\u03A3', U'\u0398', U'\u039E', 0,         U'\u00C6', U'\u00E6', U'\u00DF', U'\u00C9',
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

// Extension table entries reachable through the 0x1B escape.
constexpr std::array<std::pair<char32_t, std::uint8_t>, 10> kGsmExtension{{
    {U'\f', 0x0A},
    {U'^', 0x14},
    {U'{', 0x28},
    {U'}', 0x29},
    {U'\\', 0x2F},
    {U'[', 0x3C},
    {U'~', 0x3D},
    {U']', 0x3E},
    {U'|', 0x40},
    {U'\u20AC', 0x65},
}};

constexpr std::uint8_t kGsmEscape = 0x1B;

// Decodes UTF-8 into code points; nullopt on malformed input.
std::optional<std::u32string> decode_utf8(std::string_view text)
{
    std::u32string out;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        char32_t cp = 0;
        if (lead < 0x80) {
            cp = lead;
        } else if ((lead & 0xE0) == 0xC0) {
            cp = lead & 0x1F;
            extra = 1;
        } else if ((lead & 0xF0) == 0xE0) {
            cp = lead & 0x0F;
            extra = 2;
        } else if ((lead & 0xF8) == 0xF0) {
            cp = lead & 0x07;
            extra = 3;
        } else {
            return std::nullopt;
        }
        for (std::size_t k = 1; k <= extra; k++) {
            if (i + k >= text.size())
                return std::nullopt;
            const auto cont = static_cast<unsigned char>(text[i + k]);
            if ((cont & 0xC0) != 0x80)
                return std::nullopt;
            cp = (cp << 6) | (cont & 0x3F);
        }
        out.push_back(cp);
        i += extra + 1;
    }
    return out;
}

std::optional<std::uint8_t> bcd_digit(char c)
{
    if (c >= '0' && c <= '9')
        return static_cast<std::uint8_t>(c - '0');
    if (c == '*')
        return 0x0A;
    if (c == '#')
        return 0x0B;
    return std::nullopt;
}

// Nibbles packed low first; an odd tail gets an F high nibble.
Bytes pack_nibbles(const std::vector<std::uint8_t> &nibbles)
{
    Bytes out;
    for (std::size_t i = 0; i < nibbles.size(); i += 2) {
        const std::uint8_t high = i + 1 < nibbles.size() ? nibbles[i + 1] : 0x0F;
        out.push_back(static_cast<std::uint8_t>(high << 4 | nibbles[i]));
    }
    return out;
}

} // namespace

bool all_digits(std::string_view text, std::size_t min, std::size_t max)
{
    return text.size() >= min && text.size() <= max &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Bytes> bcd_swapped(std::string_view digits, std::size_t size)
{
    if (!all_digits(digits, 0, size * 2))
        return std::nullopt;
    std::vector<std::uint8_t> nibbles;
    for (const char c : digits)
        nibbles.push_back(static_cast<std::uint8_t>(c - '0'));
    Bytes out = pack_nibbles(nibbles);
    out.resize(size, 0xFF);
    return out;
}

std::optional<Bytes> encode_iccid(std::string_view iccid)
{
    if (iccid.empty())
        return std::nullopt;
    return bcd_swapped(iccid, 10);
}

std::optional<Bytes> encode_imsi(std::string_view imsi)
{
    if (!all_digits(imsi, 1, 15))
        return std::nullopt;
    // The parity nibble takes the place of a first digit.
    std::vector<std::uint8_t> nibbles{static_cast<std::uint8_t>(imsi.size() % 2 ? 0x9 : 0x1)};
    for (const char c : imsi)
        nibbles.push_back(static_cast<std::uint8_t>(c - '0'));
    Bytes body = pack_nibbles(nibbles);
    body.resize(8, 0xFF);
    Bytes out{static_cast<std::uint8_t>((nibbles.size() + 1) / 2)};
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::optional<Bytes> gsm7_unpacked(std::string_view utf8)
{
    const auto text = decode_utf8(utf8);
    if (!text)
        return std::nullopt;
    Bytes out;
    for (const char32_t cp : *text) {
        const auto basic = std::find(kGsmBasic.begin(), kGsmBasic.end(), cp);
        if (cp != 0 && basic != kGsmBasic.end()) {
            out.push_back(static_cast<std::uint8_t>(basic - kGsmBasic.begin()));
            continue;
        }
        const auto ext = std::find_if(kGsmExtension.begin(), kGsmExtension.end(),
                                      [cp](const auto &entry) { return entry.first == cp; });
        if (ext == kGsmExtension.end())
            return std::nullopt;
        out.push_back(kGsmEscape);
        out.push_back(ext->second);
    }
    return out;
}

std::optional<Bytes> encode_address(std::string_view number)
{
    const bool international = !number.empty() && number.front() == '+';
    if (international)
        number.remove_prefix(1);
    if (number.empty() || number.size() > 20)
        return std::nullopt;
    std::vector<std::uint8_t> nibbles;
    for (const char c : number) {
        const auto digit = bcd_digit(c);
        if (!digit)
            return std::nullopt;
        nibbles.push_back(*digit);
    }
    const Bytes digits = pack_nibbles(nibbles);
    Bytes out{static_cast<std::uint8_t>(digits.size() + 1),
              static_cast<std::uint8_t>(international ? 0x91 : 0x81)};
    out.insert(out.end(), digits.begin(), digits.end());
    return out;
}

std::optional<Bytes> encode_dialling_number(std::string_view alpha, std::string_view number,
                                            std::size_t record_size)
{
    constexpr std::size_t kNumberPart = 14; // length, TON/NPI, 10 BCD, CCP, EXT
    if (record_size < kNumberPart)
        return std::nullopt;
    const std::size_t alpha_size = record_size - kNumberPart;
    const auto alpha_bytes = gsm7_unpacked(alpha);
    if (!alpha_bytes || alpha_bytes->size() > alpha_size)
        return std::nullopt;
    Bytes record(record_size, 0xFF);
    std::copy(alpha_bytes->begin(), alpha_bytes->end(), record.begin());
    if (number.empty())
        return record;
    const auto address = encode_address(number);
    // Length byte + TON/NPI + at most 10 bytes of digits.
    if (!address || address->size() > 12)
        return std::nullopt;
    std::copy(address->begin(), address->end(),
              record.begin() + static_cast<std::ptrdiff_t>(alpha_size));
    return record;
}

std::optional<Bytes> encode_smsp(std::string_view smsc, std::size_t record_size)
{
    constexpr std::size_t kParameters = 28; // indicators, TP-DA 12, TS-SCA 12, PID, DCS, VP
    constexpr std::size_t kScaOffset = 1 + 12;
    if (record_size < kParameters)
        return std::nullopt;
    const auto address = encode_address(smsc);
    if (!address || address->size() > 12)
        return std::nullopt;
    Bytes record(record_size, 0xFF);
    const std::size_t base = record_size - kParameters;
    // Indicator bits are 0 for a parameter that is present: only b2 (SCA).
    record[base] = 0xFD;
    std::copy(address->begin(), address->end(),
              record.begin() + static_cast<std::ptrdiff_t>(base + kScaOffset));
    return record;
}

Bytes service_table(const std::vector<unsigned> &services, std::size_t size)
{
    Bytes table(size, 0x00);
    for (const unsigned n : services)
        if (n >= 1 && (n - 1) / 8 < size)
            table[(n - 1) / 8] |= static_cast<std::uint8_t>(1u << ((n - 1) % 8));
    return table;
}

std::string hex(const Bytes &bytes)
{
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (const std::uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0F];
    }
    return out;
}

std::optional<Bytes> parse_hex(std::string_view text)
{
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    if (text.size() % 2)
        return std::nullopt;
    Bytes out;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int high = nibble(text[i]);
        const int low = nibble(text[i + 1]);
        if (high < 0 || low < 0)
            return std::nullopt;
        out.push_back(static_cast<std::uint8_t>(high << 4 | low));
    }
    return out;
}

} // namespace qmisim
