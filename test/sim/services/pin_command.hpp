// The four PIN commands as UIM and DMS both carry them: after the PIN id,
// the same strings (u8 length + digits) in the same order.
#pragma once

#include "../card.hpp"
#include "../tlv.hpp"

#include <cstdint>
#include <optional>

namespace qmisim
{

enum class PinOp {
    SetProtection, // {u8 enabled, PIN}
    Verify,        // {PIN}
    Unblock,       // {PUK, new PIN}
    Change,        // {old PIN, new PIN}
};

// 1 = PIN1, 2 = PIN2 in both services; UPIN and others are not on this card.
std::optional<PinId> pin_id(std::uint8_t raw);

// Reads the fields that follow the PIN id from `info` and runs the command
// on the card. nullopt if the TLV is malformed.
std::optional<PinResult> run_pin_command(Card &card, PinOp op, PinId id, TlvReader &info);

} // namespace qmisim
