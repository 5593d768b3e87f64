#include "pin_command.hpp"

namespace qmisim
{

std::optional<PinId> pin_id(std::uint8_t raw)
{
    if (raw == static_cast<std::uint8_t>(PinId::Pin1))
        return PinId::Pin1;
    if (raw == static_cast<std::uint8_t>(PinId::Pin2))
        return PinId::Pin2;
    return std::nullopt;
}

std::optional<PinResult> run_pin_command(Card &card, PinOp op, PinId id, TlvReader &info)
{
    switch (op) {
    case PinOp::SetProtection: {
        const auto enable = info.u8();
        const auto pin = info.string8();
        if (!enable || !pin)
            return std::nullopt;
        return card.set_protection(id, *enable != 0, *pin);
    }
    case PinOp::Verify: {
        const auto pin = info.string8();
        if (!pin)
            return std::nullopt;
        return card.verify(id, *pin);
    }
    case PinOp::Unblock:
    case PinOp::Change: {
        const auto first = info.string8();
        const auto second = info.string8();
        if (!first || !second)
            return std::nullopt;
        return op == PinOp::Unblock ? card.unblock(id, *first, *second)
                                    : card.change(id, *first, *second);
    }
    }
    return std::nullopt;
}

} // namespace qmisim
