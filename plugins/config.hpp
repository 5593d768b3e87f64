// Static modem configuration: the OFONO_QMI_CONFIG key file, one group per
// modem (see README "Configuration"). Pure: no oFono calls, so unit tests
// cover every branch.
#pragma once

#include "translate/multiplex.hpp"

#include <string>
#include <vector>

namespace qmi {

struct ModemConfig {
    std::string name;   // group name = oFono modem name, D-Bus path /<name>
    std::string device; // char device path or qrtr://N
    std::string network_interface;
    std::string at_port;
    std::string quectel_dai; // AT+QDAI value for a Quectel modem's AtPort=; empty: leave it
    bool proxy = false;
    Multiplex multiplex = Multiplex::Auto; // QMAP: several data contexts at once
};

struct ConfigResult {
    std::vector<ModemConfig> modems;
    std::vector<std::string> problems; // one log line each, naming the group
};

ConfigResult parse_config(const std::string &key_file_text);
ConfigResult load_config_file(const std::string &path);

// OFONO_QMI_CONFIG, else <sysconfdir>/ofono/qmi.conf.
std::string config_path(const char *env_value, const std::string &sysconfdir);

} // namespace qmi
