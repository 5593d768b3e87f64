// Building MT (and stored MO) TPDUs for sms_codec.hpp: text split into
// parts with a concatenation header, SMS-STATUS-REPORT, the SMSC prefix.
#include "sms_codec.hpp"

#include <algorithm>

namespace qmisim::sms
{

using namespace tp;

namespace
{

// Parts of the text in the alphabet: septets or UCS2 octets, each part
// within the limits; nullopt if a character cannot be coded.
std::optional<std::vector<Bytes>> split_text(std::string_view text, Alphabet alphabet)
{
    if (alphabet == Alphabet::Data8)
        return std::nullopt;
    const auto coded = alphabet == Alphabet::Gsm7 ? utf8_to_gsm7(text) : utf8_to_ucs2(text);
    if (!coded)
        return std::nullopt;
    const bool gsm7 = alphabet == Alphabet::Gsm7;
    const std::size_t single = gsm7 ? kSingleSeptets : kSingleUcs2 * 2;
    if (coded->size() <= single)
        return std::vector<Bytes>{*coded};
    const std::size_t part = gsm7 ? kPartSeptets : kPartUcs2 * 2;
    std::vector<Bytes> parts;
    for (std::size_t pos = 0; pos < coded->size();) {
        std::size_t n = std::min(part, coded->size() - pos);
        // An escape and its extension code stay in one part.
        if (gsm7 && pos + n < coded->size() && (*coded)[pos + n - 1] == kEscape)
            n--;
        parts.emplace_back(coded->begin() + static_cast<std::ptrdiff_t>(pos),
                           coded->begin() + static_cast<std::ptrdiff_t>(pos + n));
        pos += n;
    }
    if (parts.size() > kMaxParts)
        return std::nullopt;
    return parts;
}

// TP-UDL and TP-UD for one part, with a concatenation header if `concat`.
void append_user_data(Bytes &tpdu, const Bytes &coded, Alphabet alphabet,
                      const std::optional<Concat> &concat)
{
    Bytes header;
    if (concat)
        header = {0x05,
                  0x00,
                  0x03,
                  static_cast<std::uint8_t>(concat->reference),
                  static_cast<std::uint8_t>(concat->total),
                  static_cast<std::uint8_t>(concat->part)};
    if (alphabet == Alphabet::Gsm7) {
        // The header takes 48 bits: one fill bit makes it 7 septets.
        const unsigned fill = header.empty() ? 0 : 1;
        const std::size_t header_septets = header.empty() ? 0 : 7;
        tpdu.push_back(static_cast<std::uint8_t>(header_septets + coded.size()));
        tpdu.insert(tpdu.end(), header.begin(), header.end());
        const Bytes packed = pack7(coded, fill);
        tpdu.insert(tpdu.end(), packed.begin(), packed.end());
        return;
    }
    tpdu.push_back(static_cast<std::uint8_t>(header.size() + coded.size()));
    tpdu.insert(tpdu.end(), header.begin(), header.end());
    tpdu.insert(tpdu.end(), coded.begin(), coded.end());
}

// GSM 7-bit when the text allows and fits one message, else UCS2.
std::optional<std::pair<Alphabet, Bytes>> single_part(std::string_view text)
{
    if (const auto septets = utf8_to_gsm7(text); septets && septets->size() <= kSingleSeptets)
        return std::pair{Alphabet::Gsm7, *septets};
    if (const auto ucs2 = utf8_to_ucs2(text); ucs2 && ucs2->size() <= kSingleUcs2 * 2)
        return std::pair{Alphabet::Ucs2, *ucs2};
    return std::nullopt;
}

} // namespace

std::optional<std::vector<Bytes>> build_deliver(std::string_view from, std::string_view text,
                                                Alphabet alphabet, unsigned message_class,
                                                std::uint8_t concat_ref, const Timestamp &scts)
{
    const auto address = encode_tp_address(from);
    const auto parts = split_text(text, alphabet);
    if (!address || !parts)
        return std::nullopt;
    const bool concatenated = parts->size() > 1;
    const Bytes stamp = encode_timestamp(scts);
    std::vector<Bytes> out;
    for (std::size_t i = 0; i < parts->size(); i++) {
        Bytes tpdu{static_cast<std::uint8_t>(kMtiDeliver | kNoMoreMessages |
                                             (concatenated ? kHeaderIndicator : 0))};
        tpdu.insert(tpdu.end(), address->begin(), address->end());
        tpdu.push_back(0x00); // TP-PID
        tpdu.push_back(data_coding(alphabet, message_class));
        tpdu.insert(tpdu.end(), stamp.begin(), stamp.end());
        std::optional<Concat> concat;
        if (concatenated)
            concat = Concat{concat_ref, static_cast<unsigned>(i + 1),
                            static_cast<unsigned>(parts->size())};
        append_user_data(tpdu, (*parts)[i], alphabet, concat);
        out.push_back(std::move(tpdu));
    }
    return out;
}

std::optional<Bytes> build_single_deliver(std::string_view from, std::string_view text,
                                          const Timestamp &scts)
{
    const auto coded = single_part(text);
    if (!coded)
        return std::nullopt;
    const auto parts = build_deliver(from, text, coded->first, kNoClass, 0, scts);
    if (!parts)
        return std::nullopt;
    return parts->front();
}

std::optional<Bytes> build_submit(std::string_view to, std::string_view text)
{
    const auto address = encode_tp_address(to);
    const auto coded = single_part(text);
    if (!address || !coded)
        return std::nullopt;
    Bytes tpdu{kMtiSubmit, 0x00}; // no validity period; TP-MR 0
    tpdu.insert(tpdu.end(), address->begin(), address->end());
    tpdu.push_back(0x00); // TP-PID
    tpdu.push_back(data_coding(coded->first, kNoClass));
    append_user_data(tpdu, coded->second, coded->first, std::nullopt);
    return tpdu;
}

Bytes build_status_report(std::uint8_t reference, const Bytes &recipient, const Timestamp &scts,
                          const Timestamp &discharge, std::uint8_t status)
{
    Bytes tpdu{static_cast<std::uint8_t>(kMtiStatusReport | kNoMoreMessages), reference};
    tpdu.insert(tpdu.end(), recipient.begin(), recipient.end());
    for (const Timestamp &time : {scts, discharge}) {
        const Bytes stamp = encode_timestamp(time);
        tpdu.insert(tpdu.end(), stamp.begin(), stamp.end());
    }
    tpdu.push_back(status);
    return tpdu;
}

std::optional<Bytes> with_smsc(std::string_view smsc, const Bytes &tpdu)
{
    Bytes out{0x00};
    if (!smsc.empty()) {
        const auto address = encode_address(smsc);
        if (!address || address->size() > kMaxSmscOctets + 1)
            return std::nullopt;
        out = *address;
    }
    out.insert(out.end(), tpdu.begin(), tpdu.end());
    return out;
}

} // namespace qmisim::sms
