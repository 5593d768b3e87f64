// libqmi stores whatever the modem sent in an enum out-parameter or an enum
// field of its arrays, range or not. In C++, loading a value outside the
// enum's range through the enum type is undefined behaviour (and UBSan's
// -fsanitize=enum stops ofonod on it), so values that come from the modem
// are read as the integers on the wire, before any comparison or switch.
#pragma once

#include <cstring>
#include <type_traits>

namespace qmi
{

template <typename Enum> int wire(const Enum &value)
{
    static_assert(std::is_enum_v<Enum>);
    std::underlying_type_t<Enum> raw;
    std::memcpy(&raw, &value, sizeof raw);
    return static_cast<int>(raw);
}

} // namespace qmi
