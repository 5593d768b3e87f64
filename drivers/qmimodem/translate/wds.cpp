#include "wds.hpp"

#include <libqmi-glib.h>

#include <arpa/inet.h>

#include <algorithm>

namespace qmi
{
namespace
{
// enum ofono_gprs_proto / ofono_gprs_auth_method (ofono/types.h).
constexpr int kProtoIp = 0, kProtoIpv6 = 1, kProtoIpv4v6 = 2;
constexpr int kAuthChap = 0, kAuthPap = 1, kAuthNone = 2;
constexpr std::size_t kMaxApn = 100;        // 23.003 9.1
constexpr std::size_t kMaxCredential = 127; // QMI's string TLVs for credentials

bool valid_apn(const std::string &apn)
{
    if (apn.size() > kMaxApn)
        return false;
    // Labels of letters, digits and hyphens separated by dots (23.003 9.1).
    return std::all_of(apn.begin(), apn.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.';
    });
}
} // namespace

std::optional<StartNetwork> to_start_network(const std::string &apn, const std::string &username,
                                             const std::string &password, int proto,
                                             int auth_method, std::string *why)
{
    auto refuse = [why](const char *reason) -> std::optional<StartNetwork> {
        if (why)
            *why = reason;
        return std::nullopt;
    };
    if (!valid_apn(apn))
        return refuse("APN is not up to 100 letters, digits, '-' and '.'");
    if (username.size() > kMaxCredential || password.size() > kMaxCredential)
        return refuse("username or password longer than 127 characters");
    StartNetwork s;
    s.apn = apn;
    s.username = username;
    s.password = password;
    switch (proto) {
    case kProtoIp:
        s.families = {QMI_WDS_IP_FAMILY_IPV4};
        break;
    case kProtoIpv6:
        s.families = {QMI_WDS_IP_FAMILY_IPV6};
        break;
    case kProtoIpv4v6:
        s.families = {QMI_WDS_IP_FAMILY_IPV4, QMI_WDS_IP_FAMILY_IPV6};
        break;
    default:
        return refuse("unknown IP protocol");
    }
    const bool credentials = !username.empty() || !password.empty();
    switch (auth_method) {
    case kAuthChap:
        s.authentication = credentials ? QMI_WDS_AUTHENTICATION_CHAP : QMI_WDS_AUTHENTICATION_NONE;
        break;
    case kAuthPap:
        s.authentication = credentials ? QMI_WDS_AUTHENTICATION_PAP : QMI_WDS_AUTHENTICATION_NONE;
        break;
    case kAuthNone:
        s.authentication = QMI_WDS_AUTHENTICATION_NONE;
        break;
    default:
        return refuse("unknown authentication method");
    }
    return s;
}

std::string ipv4_to_string(std::uint32_t address)
{
    return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xFF) + "." +
           std::to_string((address >> 8) & 0xFF) + "." + std::to_string(address & 0xFF);
}

std::optional<std::string> ipv6_to_string(const std::vector<std::uint8_t> &address)
{
    if (address.size() != 16)
        return std::nullopt;
    char text[INET6_ADDRSTRLEN];
    if (!inet_ntop(AF_INET6, address.data(), text, sizeof text))
        return std::nullopt;
    return std::string(text);
}

std::optional<std::string> ipv6_groups_to_string(const std::vector<std::uint16_t> &groups)
{
    if (groups.size() != 8)
        return std::nullopt;
    std::vector<std::uint8_t> bytes;
    for (auto g : groups) {
        bytes.push_back(static_cast<std::uint8_t>(g >> 8));
        bytes.push_back(static_cast<std::uint8_t>(g & 0xFF));
    }
    return ipv6_to_string(bytes);
}

RegStatus to_gprs_status(const ServingSystem &ss)
{
    const Registration reg = to_registration(ss);
    if (ss.ps_attach_state != QMI_NAS_ATTACH_STATE_ATTACHED)
        return reg.status == RegStatus::Searching ? RegStatus::Searching : RegStatus::NotRegistered;
    return reg.status;
}

int to_packet_bearer(const std::vector<int> &caps)
{
    auto has = [&caps](int c) { return std::find(caps.begin(), caps.end(), c) != caps.end(); };
    if (has(QMI_NAS_DATA_CAPABILITY_LTE))
        return 7;
    const bool hsdpa = has(QMI_NAS_DATA_CAPABILITY_HSDPA) ||
                       has(QMI_NAS_DATA_CAPABILITY_HSDPA_PLUS) ||
                       has(QMI_NAS_DATA_CAPABILITY_DC_HSDPA_PLUS);
    const bool hsupa = has(QMI_NAS_DATA_CAPABILITY_HSUPA);
    if (hsdpa && hsupa)
        return 6;
    if (hsdpa)
        return 5;
    if (hsupa)
        return 4;
    if (has(QMI_NAS_DATA_CAPABILITY_WCDMA))
        return 3;
    if (has(QMI_NAS_DATA_CAPABILITY_EDGE))
        return 2;
    if (has(QMI_NAS_DATA_CAPABILITY_GPRS))
        return 1;
    return 0;
}

int to_pdp_type(int proto)
{
    switch (proto) {
    case kProtoIpv6:
        return QMI_WDS_PDP_TYPE_IPV6;
    case kProtoIpv4v6:
        return QMI_WDS_PDP_TYPE_IPV4_OR_IPV6;
    default:
        return QMI_WDS_PDP_TYPE_IPV4;
    }
}

} // namespace qmi
