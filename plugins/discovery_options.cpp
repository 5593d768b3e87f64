#include "discovery_options.hpp"

#include <string_view>

namespace qmi
{
namespace
{

std::string_view trim(std::string_view s)
{
    constexpr std::string_view space = " \t\n\r";
    const auto first = s.find_first_not_of(space);
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(space);
    return s.substr(first, last - first + 1);
}

} // namespace

DiscoveryOptions parse_discovery_options(const char *env, std::vector<std::string> &problems)
{
    DiscoveryOptions defaults;
    if (!env || trim(env).empty())
        return defaults;

    DiscoveryOptions chosen{false, false};
    bool usable = false;
    bool none = false;
    std::string_view rest = env;
    while (true) {
        const auto comma = rest.find(',');
        const std::string_view word = trim(rest.substr(0, comma));
        if (word == "udev") {
            chosen.udev = true;
            usable = true;
        } else if (word == "qrtr") {
            chosen.qrtr = true;
            usable = true;
        } else if (word == "none") {
            none = true;
            usable = true;
        } else if (!word.empty()) {
            problems.push_back("OFONO_QMI_DISCOVERY: unknown source '" + std::string(word) +
                               "' ignored (known: udev, qrtr, none)");
        }
        if (comma == std::string_view::npos)
            break;
        rest.remove_prefix(comma + 1);
    }
    if (!usable) {
        problems.push_back("OFONO_QMI_DISCOVERY='" + std::string(env) +
                           "' names no known source; using udev and qrtr");
        return defaults;
    }
    if (none && (chosen.udev || chosen.qrtr)) {
        problems.push_back("OFONO_QMI_DISCOVERY: 'none' together with a source; using none");
        return DiscoveryOptions{false, false};
    }
    return chosen;
}

} // namespace qmi
