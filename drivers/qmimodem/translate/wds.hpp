// Pure translation for packet data: oFono's context parameters -> WDS
// Start Network, WDS addresses -> the strings oFono takes, NAS attach
// state -> oFono's GPRS status and bearer. No I/O: test/unit/test_wds.cpp.
#pragma once

#include "nas.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qmi
{

// One Start Network per IP family (a WDS client each, as firmware wants).
struct StartNetwork {
    std::string apn;
    std::string username;
    std::string password;
    int authentication = 0;    // QmiWdsAuthentication bits
    std::vector<int> families; // QmiWdsIpFamily: {4}, {6} or {4, 6}
};

// oFono's primary context (proto: enum ofono_gprs_proto, auth: enum
// ofono_gprs_auth_method) -> the request; nullopt with *why set when QMI
// cannot carry it (APN over 100 characters or with characters outside
// 23.003's label rules, credentials over QMI's 127, unknown protocol).
std::optional<StartNetwork> to_start_network(const std::string &apn, const std::string &username,
                                             const std::string &password, int proto,
                                             int auth_method, std::string *why);

// WDS IPv4 values are host-order u32s; IPv6 ones 16 bytes.
std::string ipv4_to_string(std::uint32_t address);
std::optional<std::string> ipv6_to_string(const std::vector<std::uint8_t> &address);
// libqmi hands WDS IPv6 addresses as eight 16-bit groups (host order).
std::optional<std::string> ipv6_groups_to_string(const std::vector<std::uint16_t> &groups);

// oFono's GPRS status (the netreg status values) from Serving System: the
// PS domain must be attached and the modem registered (home or roaming).
RegStatus to_gprs_status(const ServingSystem &ss);

// oFono's packet bearer (src/common.h's enum packet_bearer, not exported:
// 0 none, 1 GPRS, 2 EDGE, 3 UMTS, 4 HSUPA, 5 HSDPA, 6 HSUPA+HSDPA, 7 EPS)
// from the data capabilities the serving system lists.
int to_packet_bearer(const std::vector<int> &data_capabilities);

// oFono's default attach info -> WDS profile PDP type (QmiWdsPdpType).
int to_pdp_type(int proto);

} // namespace qmi
