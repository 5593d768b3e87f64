// wds.hpp: oFono's context parameters (APN, credentials, protocol,
// authentication) into a Start Network request, and the addresses of WDS
// Get Current Settings (response frames, as gprs-context reads them) into the
// strings oFono takes, checked by parsing them back with inet_pton.
//
// Input: a selector byte; parameters through FuzzedDataProvider, frames as
// the TLV area.
#include "harness.hpp"

#include "translate/wds.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

using namespace fuzz;

namespace
{

void start_network(FuzzedDataProvider &p)
{
    const int proto = p.ConsumeIntegralInRange<int>(-1, 3);
    const int auth = p.ConsumeIntegralInRange<int>(-1, 3);
    const std::string apn = p.ConsumeRandomLengthString(120);
    const std::string user = p.ConsumeRandomLengthString(140);
    const std::string password = p.ConsumeRandomLengthString(140);
    std::string why;
    const auto s = qmi::to_start_network(apn, user, password, proto, auth, &why);
    const bool apn_ok =
        apn.size() <= 100 && std::all_of(apn.begin(), apn.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
        });
    const bool ok = apn_ok && user.size() <= 127 && password.size() <= 127 && proto >= 0 &&
                    proto <= 2 && auth >= 0 && auth <= 2;
    FUZZ_CHECK(s.has_value() == ok);
    if (!s) {
        FUZZ_CHECK(!why.empty());
        return;
    }
    FUZZ_CHECK(s->apn == apn && s->username == user && s->password == password);
    const std::vector<int> families =
        proto == 0   ? std::vector<int>{QMI_WDS_IP_FAMILY_IPV4}
        : proto == 1 ? std::vector<int>{QMI_WDS_IP_FAMILY_IPV6}
                     : std::vector<int>{QMI_WDS_IP_FAMILY_IPV4, QMI_WDS_IP_FAMILY_IPV6};
    FUZZ_CHECK(s->families == families);
    if ((user.empty() && password.empty()) || auth == 2)
        FUZZ_CHECK(s->authentication == QMI_WDS_AUTHENTICATION_NONE);
    else
        FUZZ_CHECK(s->authentication ==
                   (auth == 0 ? QMI_WDS_AUTHENTICATION_CHAP : QMI_WDS_AUTHENTICATION_PAP));
    const int pdp = qmi::to_pdp_type(proto);
    FUZZ_CHECK(pdp == (proto == 0   ? QMI_WDS_PDP_TYPE_IPV4
                       : proto == 1 ? QMI_WDS_PDP_TYPE_IPV6
                                    : QMI_WDS_PDP_TYPE_IPV4_OR_IPV6));
}

void check_ipv4(std::uint32_t address)
{
    const std::string text = qmi::ipv4_to_string(address);
    in_addr back{};
    FUZZ_CHECK(inet_pton(AF_INET, text.c_str(), &back) == 1);
    FUZZ_CHECK(back.s_addr == htonl(address));
}

void check_ipv6(const Bytes &bytes)
{
    const auto text = qmi::ipv6_to_string(bytes);
    FUZZ_CHECK(text.has_value() == (bytes.size() == 16));
    if (!text)
        return;
    in6_addr back{};
    FUZZ_CHECK(inet_pton(AF_INET6, text->c_str(), &back) == 1);
    FUZZ_CHECK(std::memcmp(back.s6_addr, bytes.data(), 16) == 0);
}

// gprs-context's v6(): libqmi's eight host-order groups.
std::optional<std::string> check_groups(GArray *groups)
{
    if (!groups || g_array_get_element_size(groups) != sizeof(guint16))
        return std::nullopt;
    const auto *p = reinterpret_cast<const std::uint16_t *>(groups->data);
    const std::vector<std::uint16_t> v(p, p + groups->len);
    const auto text = qmi::ipv6_groups_to_string(v);
    FUZZ_CHECK(text.has_value() == (v.size() == 8));
    if (text) {
        Bytes bytes;
        for (auto g : v)
            bytes.insert(bytes.end(),
                         {static_cast<std::uint8_t>(g >> 8), static_cast<std::uint8_t>(g & 0xFF)});
        FUZZ_CHECK(qmi::ipv6_to_string(bytes) == text);
        check_ipv6(bytes);
    }
    return text;
}

void current_settings(QmiMessage *frame)
{
    auto *input = qmi_message_wds_get_current_settings_input_new();
    qmi_message_wds_get_current_settings_input_set_requested_settings(
        input,
        static_cast<QmiWdsRequestedSettings>(
            QMI_WDS_REQUESTED_SETTINGS_DNS_ADDRESS | QMI_WDS_REQUESTED_SETTINGS_IP_ADDRESS |
            QMI_WDS_REQUESTED_SETTINGS_GATEWAY_INFO | QMI_WDS_REQUESTED_SETTINGS_MTU),
        nullptr);
    auto *out = request(qmi_client_wds_get_current_settings,
                        qmi_client_wds_get_current_settings_finish, QMI_SERVICE_WDS, input, frame);
    qmi_message_wds_get_current_settings_input_unref(input);
    if (!out)
        return;
    guint32 v4 = 0;
    for (auto get : {qmi_message_wds_get_current_settings_output_get_ipv4_address,
                     qmi_message_wds_get_current_settings_output_get_ipv4_gateway_subnet_mask,
                     qmi_message_wds_get_current_settings_output_get_ipv4_gateway_address,
                     qmi_message_wds_get_current_settings_output_get_primary_ipv4_dns_address,
                     qmi_message_wds_get_current_settings_output_get_secondary_ipv4_dns_address})
        if (get(out, &v4, nullptr))
            check_ipv4(v4);
    GArray *v6 = nullptr;
    guint8 prefix = 0;
    if (qmi_message_wds_get_current_settings_output_get_ipv6_address(out, &v6, &prefix, nullptr))
        check_groups(v6);
    if (qmi_message_wds_get_current_settings_output_get_ipv6_gateway_address(out, &v6, &prefix,
                                                                             nullptr))
        check_groups(v6);
    for (auto get : {qmi_message_wds_get_current_settings_output_get_ipv6_primary_dns_address,
                     qmi_message_wds_get_current_settings_output_get_ipv6_secondary_dns_address})
        if (get(out, &v6, nullptr))
            check_groups(v6);
    qmi_message_wds_get_current_settings_output_unref(out);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return -1;
    const Span rest(data + 1, size - 1);
    FuzzedDataProvider p(rest.data(), rest.size());
    switch (data[0] % 3) {
    case 0:
        start_network(p);
        break;
    case 1: {
        check_ipv4(p.ConsumeIntegral<std::uint32_t>());
        check_ipv6(p.ConsumeBytes<std::uint8_t>(p.ConsumeIntegralInRange<std::size_t>(0, 20)));
        std::vector<std::uint16_t> groups;
        while (groups.size() < 10 && p.remaining_bytes() >= 2)
            groups.push_back(p.ConsumeIntegral<std::uint16_t>());
        const auto text = qmi::ipv6_groups_to_string(groups);
        FUZZ_CHECK(text.has_value() == (groups.size() == 8));
        break;
    }
    default:
        if (MessagePtr frame = modem_frame(QMI_SERVICE_WDS, 0x002D, Kind::Response, rest))
            current_settings(frame.get());
        break;
    }
    return 0;
}
