#include "quectel.hpp"

#include <glib.h>

namespace qmi
{

bool is_quectel(std::string_view manufacturer)
{
    constexpr std::string_view kName = "quectel";
    if (manufacturer.size() < kName.size())
        return false;
    return g_ascii_strncasecmp(manufacturer.data(), kName.data(), kName.size()) == 0;
}

bool is_qdai_value(std::string_view value)
{
    int fields = 1;
    std::size_t digits = 0;
    for (const char c : value) {
        if (c == ',') {
            if (digits == 0 || ++fields > 8)
                return false;
            digits = 0;
        } else if (c >= '0' && c <= '9') {
            if (++digits > 4)
                return false;
        } else {
            return false;
        }
    }
    return digits > 0;
}

std::optional<std::string> qdai_setting(std::string_view line)
{
    constexpr std::string_view kPrefix = "+QDAI:";
    if (!line.starts_with(kPrefix))
        return std::nullopt;
    line.remove_prefix(kPrefix.size());
    std::string value;
    for (const char c : line)
        if (c != ' ' && c != '\t')
            value.push_back(c);
    if (!is_qdai_value(value))
        return std::nullopt;
    return value;
}

} // namespace qmi
