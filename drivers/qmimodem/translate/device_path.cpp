#include "device_path.hpp"

#include <charconv>
#include <string_view>

namespace qmi {

bool parse_qrtr_node(const std::string &path, std::uint32_t &node)
{
    constexpr std::string_view scheme = "qrtr://";
    if (path.compare(0, scheme.size(), scheme) != 0)
        return false;
    const char *first = path.data() + scheme.size();
    const char *last = path.data() + path.size();
    auto [end, ec] = std::from_chars(first, last, node);
    return first != last && ec == std::errc{} && end == last;
}

} // namespace qmi
