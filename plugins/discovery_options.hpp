// OFONO_QMI_DISCOVERY: which discovery sources run (README "Configuration").
// A comma-separated list of "udev" and "qrtr"; "none" turns both off; unset
// or empty leaves both on. Pure: no oFono calls, unit-tested.
#pragma once

#include <string>
#include <vector>

namespace qmi
{

struct DiscoveryOptions {
    bool udev = true;
    bool qrtr = true;
};

// env: the variable's value, nullptr when unset. Unknown words are reported
// in problems (one log line each) and ignored; if no word was usable, both
// sources stay on (a typo must not leave a phone without its modem).
DiscoveryOptions parse_discovery_options(const char *env, std::vector<std::string> &problems);

} // namespace qmi
