// An independent reading of a TLV area (u8 type, u16 little-endian length,
// value), for invariants that compare what the plugin extracted through
// libqmi with the bytes the modem sent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace fuzz
{

// The value of the first TLV of `type`, as libqmi's reader finds it;
// nullopt if there is none or the area is malformed before it.
inline std::optional<std::span<const std::uint8_t>> find_tlv(std::span<const std::uint8_t> tlvs,
                                                             std::uint8_t type)
{
    std::size_t at = 0;
    while (at + 3 <= tlvs.size()) {
        const std::size_t len = tlvs[at + 1] | static_cast<std::size_t>(tlvs[at + 2]) << 8;
        if (at + 3 + len > tlvs.size())
            return std::nullopt;
        if (tlvs[at] == type)
            return tlvs.subspan(at + 3, len);
        at += 3 + len;
    }
    return std::nullopt;
}

inline std::uint16_t le16(std::span<const std::uint8_t> v, std::size_t at)
{
    return static_cast<std::uint16_t>(v[at] | v[at + 1] << 8);
}

inline std::uint32_t le32(std::span<const std::uint8_t> v, std::size_t at)
{
    return static_cast<std::uint32_t>(le16(v, at)) | static_cast<std::uint32_t>(le16(v, at + 2))
                                                         << 16;
}

} // namespace fuzz
