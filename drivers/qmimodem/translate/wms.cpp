#include "wms.hpp"

#include <algorithm>

namespace qmi
{
namespace
{
constexpr std::size_t kMaxSmscOctets = 11; // type + 10 octets of BCD (TS 24.011)
constexpr std::uint8_t kMtiMask = 0x03;
constexpr std::uint8_t kMtiDeliver = 0x00, kMtiStatusReport = 0x02;
constexpr int kTypeInternational = 145, kTypeUnknown = 129;
constexpr std::size_t kMaxScaDigits = 20;

bool dialable(const std::string &s)
{
    return !s.empty() && s.size() <= kMaxScaDigits && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '*' || c == '#';
    });
}
} // namespace

std::optional<MtMessage> parse_mt_message(const std::uint8_t *data, std::size_t len)
{
    if (!data || len < 2)
        return std::nullopt;
    const std::size_t smsc = data[0];
    if (smsc > kMaxSmscOctets || 1 + smsc >= len)
        return std::nullopt;
    const std::uint8_t mti = data[1 + smsc] & kMtiMask;
    MtMessage m;
    if (mti == kMtiDeliver)
        m.kind = MtMessage::Kind::Deliver;
    else if (mti == kMtiStatusReport)
        m.kind = MtMessage::Kind::StatusReport;
    else
        return std::nullopt;
    m.pdu.assign(data, data + len);
    m.tpdu_len = static_cast<int>(len - 1 - smsc);
    return m;
}

bool valid_submit(const std::uint8_t *pdu, int pdu_len, int tpdu_len)
{
    if (!pdu || pdu_len < 2 || tpdu_len < 1 || tpdu_len >= pdu_len)
        return false;
    return pdu[0] == pdu_len - tpdu_len - 1 && pdu[0] <= kMaxSmscOctets;
}

std::optional<Sca> sca_from_wms(const std::string &type, const std::string &address)
{
    Sca sca;
    std::string digits = address;
    bool international = type == "145";
    if (!digits.empty() && digits[0] == '+') {
        international = true;
        digits.erase(0, 1);
    }
    if (!dialable(digits))
        return std::nullopt;
    sca.number = digits;
    sca.type = international ? kTypeInternational : kTypeUnknown;
    return sca;
}

std::optional<std::string> sca_to_wms(const Sca &sca)
{
    if (!dialable(sca.number))
        return std::nullopt;
    return sca.type == kTypeInternational ? "+" + sca.number : sca.number;
}

std::optional<int> bearer_to_wms_domain(int bearer)
{
    switch (bearer) {
    case 0:
        return 3; // PS only
    case 1:
        return 2; // CS only
    case 2:
        return 1; // PS preferred
    case 3:
        return 0; // CS preferred
    default:
        return std::nullopt;
    }
}

std::optional<int> wms_domain_to_bearer(int domain)
{
    switch (domain) {
    case 0:
        return 3;
    case 1:
        return 2;
    case 2:
        return 1;
    case 3:
        return 0;
    default:
        return std::nullopt;
    }
}

} // namespace qmi
