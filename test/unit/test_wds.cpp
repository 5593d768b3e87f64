// Packet data translation: oFono's context -> WDS Start Network, WDS
// addresses -> strings, NAS attach state -> GPRS status and bearer.
#include "translate/wds.hpp"

#include <libqmi-glib.h>
#include <ofono/types.h>

#include <catch2/catch.hpp>

using namespace qmi;

TEST_CASE("context parameters -> Start Network", "[wds]")
{
    std::string why;
    auto s = to_start_network("internet", "", "", OFONO_GPRS_PROTO_IP, OFONO_GPRS_AUTH_METHOD_CHAP,
                              &why);
    REQUIRE(s);
    CHECK(s->families == std::vector<int>{QMI_WDS_IP_FAMILY_IPV4});
    CHECK(s->authentication == QMI_WDS_AUTHENTICATION_NONE); // no credentials, no CHAP
    s = to_start_network("ims", "user", "secret", OFONO_GPRS_PROTO_IPV4V6,
                         OFONO_GPRS_AUTH_METHOD_PAP, &why);
    REQUIRE(s);
    CHECK(s->families == std::vector<int>{QMI_WDS_IP_FAMILY_IPV4, QMI_WDS_IP_FAMILY_IPV6});
    CHECK(s->authentication == QMI_WDS_AUTHENTICATION_PAP);
    s = to_start_network("web.provider.example", "u", "p", OFONO_GPRS_PROTO_IPV6,
                         OFONO_GPRS_AUTH_METHOD_CHAP, &why);
    REQUIRE(s);
    CHECK(s->families == std::vector<int>{QMI_WDS_IP_FAMILY_IPV6});
    CHECK(s->authentication == QMI_WDS_AUTHENTICATION_CHAP);

    CHECK_FALSE(to_start_network(std::string(101, 'a'), "", "", 0, 0, &why));
    CHECK(why.find("APN") != std::string::npos);
    CHECK_FALSE(to_start_network("inter net", "", "", 0, 0, &why));
    CHECK_FALSE(to_start_network("internet", std::string(128, 'u'), "", 0, 0, &why));
    CHECK(why.find("username") != std::string::npos);
    CHECK_FALSE(to_start_network("internet", "", "", 7, 0, &why));
    CHECK_FALSE(to_start_network("internet", "", "", 0, 9, &why));
    CHECK(to_start_network("", "", "", 0, 0, &why)); // empty: the default profile's APN
}

TEST_CASE("addresses", "[wds]")
{
    CHECK(ipv4_to_string(0x0A400117) == "10.64.1.23");
    CHECK(ipv4_to_string(0xFFFFFFFC) == "255.255.255.252");
    std::vector<std::uint8_t> v6{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
    CHECK(ipv6_to_string(v6) == "2001:db8::1");
    CHECK_FALSE(ipv6_to_string({1, 2, 3}));
    CHECK(ipv6_groups_to_string({0x2001, 0x0db8, 1, 0, 0, 0, 0, 2}) == "2001:db8:1::2");
    CHECK_FALSE(ipv6_groups_to_string({0x2001}));
}

TEST_CASE("GPRS status and bearer", "[wds][gprs]")
{
    ServingSystem ss;
    ss.registration_state = QMI_NAS_REGISTRATION_STATE_REGISTERED;
    ss.ps_attach_state = QMI_NAS_ATTACH_STATE_ATTACHED;
    CHECK(to_gprs_status(ss) == RegStatus::Registered);
    ss.roaming = true;
    CHECK(to_gprs_status(ss) == RegStatus::Roaming);
    ss.ps_attach_state = QMI_NAS_ATTACH_STATE_DETACHED;
    CHECK(to_gprs_status(ss) == RegStatus::NotRegistered);
    ss.registration_state = QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED_SEARCHING;
    CHECK(to_gprs_status(ss) == RegStatus::Searching);

    CHECK(to_packet_bearer({QMI_NAS_DATA_CAPABILITY_LTE}) == 7);
    CHECK(to_packet_bearer({QMI_NAS_DATA_CAPABILITY_HSDPA, QMI_NAS_DATA_CAPABILITY_HSUPA}) == 6);
    CHECK(to_packet_bearer({QMI_NAS_DATA_CAPABILITY_HSDPA_PLUS}) == 5);
    CHECK(to_packet_bearer({QMI_NAS_DATA_CAPABILITY_HSUPA}) == 4);
    CHECK(to_packet_bearer({QMI_NAS_DATA_CAPABILITY_WCDMA}) == 3);
    CHECK(to_packet_bearer({QMI_NAS_DATA_CAPABILITY_EDGE, QMI_NAS_DATA_CAPABILITY_GPRS}) == 2);
    CHECK(to_packet_bearer({QMI_NAS_DATA_CAPABILITY_GPRS}) == 1);
    CHECK(to_packet_bearer({}) == 0);
    CHECK(to_pdp_type(OFONO_GPRS_PROTO_IPV4V6) == QMI_WDS_PDP_TYPE_IPV4_OR_IPV6);
    CHECK(to_pdp_type(OFONO_GPRS_PROTO_IPV6) == QMI_WDS_PDP_TYPE_IPV6);
    CHECK(to_pdp_type(OFONO_GPRS_PROTO_IP) == QMI_WDS_PDP_TYPE_IPV4);
}
