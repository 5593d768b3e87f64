// TS 23.040 fields and TPDU parsing for sms_codec.hpp; the alphabets are
// in sms_alphabet.cpp, the building of TPDUs in sms_build.cpp.
#include "sms_codec.hpp"

#include <glib.h>

#include <cstdlib>

namespace qmisim::sms
{

using namespace tp;

namespace
{

// Reads a TPDU field by field.
class Cursor
{
  public:
    explicit Cursor(ByteView data) : data_(data) {}
    std::optional<std::uint8_t> u8()
    {
        if (pos_ >= data_.size())
            return std::nullopt;
        return data_[pos_++];
    }
    std::optional<Bytes> take(std::size_t n)
    {
        if (data_.size() - pos_ < n)
            return std::nullopt;
        Bytes out(data_.begin() + static_cast<std::ptrdiff_t>(pos_),
                  data_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
        pos_ += n;
        return out;
    }
    bool skip(std::size_t n) { return take(n).has_value(); }
    Bytes rest()
    {
        Bytes out = *take(data_.size() - pos_);
        return out;
    }

  private:
    ByteView data_;
    std::size_t pos_ = 0;
};

// {digit count, TON/NPI, digits}: nullopt if impossible or cut short.
std::optional<Bytes> read_address(Cursor &in)
{
    const auto digits = in.u8();
    const auto toa = in.u8();
    if (!digits || !toa || *digits > kMaxAddressDigits)
        return std::nullopt;
    auto bcd = in.take((*digits + 1u) / 2);
    if (!bcd)
        return std::nullopt;
    Bytes out{*digits, *toa};
    out.insert(out.end(), bcd->begin(), bcd->end());
    return out;
}

// Octets of user data that TP-UDL announces; nullopt if UDL is too large.
std::optional<std::size_t> user_data_octets(std::uint8_t dcs, std::uint8_t udl)
{
    if (parse_data_coding(dcs).alphabet == Alphabet::Gsm7)
        return udl <= kSingleSeptets ? std::optional<std::size_t>((udl * 7u + 7) / 8)
                                     : std::nullopt;
    return udl <= kMaxUserDataOctets ? std::optional<std::size_t>(udl) : std::nullopt;
}

// TP-DCS, TP-UDL and TP-UD at the end of a SUBMIT or DELIVER.
std::optional<PduError> read_user_data(Cursor &in, Tpdu &tpdu)
{
    const auto udl = in.u8();
    if (!udl)
        return PduError::Malformed;
    tpdu.udl = *udl;
    tpdu.user_data = in.rest();
    const auto expected = user_data_octets(tpdu.dcs, tpdu.udl);
    if (!expected || *expected != tpdu.user_data.size())
        return PduError::Length;
    return std::nullopt;
}

// Splits off the SMSC address; nullopt (and `error`) if it is impossible.
std::optional<ByteView> skip_smsc(ByteView raw, ParsedPdu &out)
{
    if (raw.empty()) {
        out.error = PduError::Malformed;
        return std::nullopt;
    }
    out.smsc_length = raw[0];
    if (out.smsc_length == 1 || out.smsc_length > kMaxSmscOctets) {
        out.error = PduError::SmscAddress;
        return std::nullopt;
    }
    if (raw.size() <= out.smsc_length + 1) {
        out.error = PduError::Malformed;
        return std::nullopt;
    }
    return raw.subspan(out.smsc_length + 1);
}

ParsedPdu parse_tpdu(ByteView tpdu, ParsedPdu out, bool mobile_originated)
{
    Cursor in{tpdu};
    Tpdu t;
    t.first_octet = *in.u8();
    const std::uint8_t mti = t.first_octet & kMtiMask;
    std::optional<std::uint8_t> field;
    if (mobile_originated ? mti != kMtiSubmit : (mti != kMtiDeliver && mti != kMtiStatusReport)) {
        out.error = PduError::WrongType;
        return out;
    }
    out.error = PduError::Malformed;
    if (mti == kMtiSubmit) {
        t.type = TpduType::Submit;
        if (!(field = in.u8()))
            return out;
        t.reference = *field;
    } else if (mti == kMtiStatusReport) {
        t.type = TpduType::StatusReport;
        if (!(field = in.u8()))
            return out;
        t.reference = *field;
    }
    auto address = read_address(in);
    if (!address)
        return out;
    t.address = std::move(*address);
    if (t.type == TpduType::StatusReport) {
        // SCTS, DT, ST; optional parameters are not looked at.
        if (!in.skip(2 * kTimestampOctets + 1))
            return out;
        out.tpdu = std::move(t);
        return out;
    }
    const auto pid = in.u8();
    const auto dcs = in.u8();
    if (!pid || !dcs)
        return out;
    t.dcs = *dcs;
    if (t.type == TpduType::Submit) {
        // TP-VPF: 0 none, 2 relative (1 octet), 1 enhanced and 3 absolute (7).
        const unsigned vpf = (t.first_octet >> 3) & 0x03;
        if (!in.skip(vpf == 0 ? 0 : vpf == 2 ? 1 : kTimestampOctets))
            return out;
    } else if (!in.skip(kTimestampOctets)) {
        return out;
    }
    if (const auto error = read_user_data(in, t)) {
        out.error = *error;
        return out;
    }
    out.tpdu = std::move(t);
    return out;
}

char bcd_char(unsigned nibble)
{
    static constexpr char kDigits[] = "0123456789*#abc";
    return nibble < 15 ? kDigits[nibble] : '?';
}

std::uint8_t swapped(int value)
{
    const int v = std::abs(value) % 100;
    return static_cast<std::uint8_t>((v % 10) << 4 | v / 10);
}

} // namespace

std::optional<Bytes> encode_tp_address(std::string_view number)
{
    const bool international = !number.empty() && number.front() == '+';
    if (international)
        number.remove_prefix(1);
    // The SIM's encoder gives {octets, TON/NPI, BCD}; TP addresses count digits.
    auto encoded = encode_address(number);
    if (!encoded || number.size() > kMaxAddressDigits)
        return std::nullopt;
    (*encoded)[0] = static_cast<std::uint8_t>(number.size());
    (*encoded)[1] = international ? 0x91 : 0x81;
    return encoded;
}

Bytes encode_timestamp(const Timestamp &time)
{
    std::uint8_t zone = swapped(time.tz_quarters);
    if (time.tz_quarters < 0)
        zone |= 0x08;
    return {swapped(time.year),
            swapped(time.month),
            swapped(time.day),
            swapped(time.hour),
            swapped(time.minute),
            swapped(time.second),
            zone};
}

Timestamp now_utc()
{
    GDateTime *now = g_date_time_new_now_utc();
    const Timestamp time{g_date_time_get_year(now),
                         g_date_time_get_month(now),
                         g_date_time_get_day_of_month(now),
                         g_date_time_get_hour(now),
                         g_date_time_get_minute(now),
                         g_date_time_get_second(now),
                         0};
    g_date_time_unref(now);
    return time;
}

std::uint8_t data_coding(Alphabet alphabet, unsigned message_class)
{
    std::uint8_t dcs = alphabet == Alphabet::Gsm7    ? 0x00
                       : alphabet == Alphabet::Data8 ? 0x04
                                                     : 0x08;
    if (message_class < kNoClass)
        dcs |= static_cast<std::uint8_t>(0x10 | message_class);
    return dcs;
}

DataCoding parse_data_coding(std::uint8_t dcs)
{
    const unsigned group = dcs >> 4;
    if (group < 0x8) {
        // General data coding (0x4x-0x7x: marked for automatic deletion).
        DataCoding out;
        const unsigned alphabet = (dcs >> 2) & 0x03;
        if (dcs & 0x20 || alphabet == 1)
            out.alphabet = Alphabet::Data8; // compressed text is data to us
        else if (alphabet == 2)
            out.alphabet = Alphabet::Ucs2;
        if (dcs & 0x10)
            out.message_class = dcs & 0x03;
        return out;
    }
    if (group == 0xE)
        return {Alphabet::Ucs2, kNoClass}; // message waiting, UCS2
    if (group == 0xF)
        return {dcs & 0x04 ? Alphabet::Data8 : Alphabet::Gsm7, dcs & 0x03u};
    return {}; // message waiting (GSM 7-bit) and reserved groups
}

ParsedPdu parse_submit(ByteView raw)
{
    ParsedPdu out;
    const auto tpdu = skip_smsc(raw, out);
    return tpdu ? parse_tpdu(*tpdu, out, true) : out;
}

ParsedPdu parse_mt(ByteView raw)
{
    ParsedPdu out;
    const auto tpdu = skip_smsc(raw, out);
    return tpdu ? parse_tpdu(*tpdu, out, false) : out;
}

std::string address_text(const Bytes &address)
{
    if (address.size() < 2)
        return {};
    const unsigned digits = address[0];
    const unsigned ton = (address[1] >> 4) & 0x07;
    const ByteView bcd{address.data() + 2, address.size() - 2};
    if (ton == 5) {
        // Alphanumeric: GSM 7-bit packed in `digits` semi-octets.
        const auto septets = unpack7(bcd, digits * 4 / 7);
        return septets ? gsm7_to_utf8(*septets) : std::string{};
    }
    std::string out = ton == 1 ? "+" : "";
    for (unsigned i = 0; i < digits && i / 2 < bcd.size(); i++)
        out += bcd_char(i % 2 ? bcd[i / 2] >> 4 : bcd[i / 2] & 0x0F);
    return out;
}

std::optional<UserText> user_text(const Tpdu &tpdu)
{
    const ByteView ud{tpdu.user_data};
    std::size_t header_octets = 0;
    UserText out;
    if (tpdu.has_header()) {
        if (ud.empty() || ud[0] + 1u > ud.size())
            return std::nullopt;
        header_octets = ud[0] + 1u;
        // Information elements: {id, length, data}.
        for (std::size_t i = 1; i + 1 < header_octets; i += 2u + ud[i + 1]) {
            const std::uint8_t id = ud[i];
            const std::size_t length = ud[i + 1];
            if (i + 2 + length > header_octets)
                return std::nullopt;
            if (id == 0x00 && length == 3)
                out.concat = Concat{ud[i + 2], ud[i + 4], ud[i + 3]};
            else if (id == 0x08 && length == 4)
                out.concat =
                    Concat{static_cast<unsigned>(ud[i + 2] << 8 | ud[i + 3]), ud[i + 5], ud[i + 4]};
        }
    }
    const Alphabet alphabet = parse_data_coding(tpdu.dcs).alphabet;
    if (alphabet == Alphabet::Gsm7) {
        const std::size_t header_bits = header_octets * 8;
        const unsigned fill = static_cast<unsigned>((7 - header_bits % 7) % 7);
        const std::size_t header_septets = (header_bits + fill) / 7;
        if (tpdu.udl < header_septets)
            return std::nullopt;
        const auto septets = unpack7(ud.subspan(header_octets), tpdu.udl - header_septets, fill);
        if (!septets)
            return std::nullopt;
        out.text = gsm7_to_utf8(*septets);
        return out;
    }
    if (tpdu.udl < header_octets || tpdu.udl > ud.size())
        return std::nullopt;
    const ByteView body = ud.subspan(header_octets, tpdu.udl - header_octets);
    if (alphabet == Alphabet::Ucs2)
        out.text = ucs2_to_utf8(body);
    else
        out.text = "data:" + hex(Bytes(body.begin(), body.end()));
    return out;
}

} // namespace qmisim::sms
