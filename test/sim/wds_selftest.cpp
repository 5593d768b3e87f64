// Self-test for qmi-sim's WDS and WDA services. The unit part drives the
// session and profile model (services/wds_sessions.hpp) directly; the host
// part is libqmi (wds_host.hpp) against the simulator with --services
// dms,nas,uim,wds,wda: IPv4 and IPv6 sessions, dual stack, the network's
// refusals, sessions ended by the network, the radio and the SIM, abort,
// profiles, the LTE attach parameters, and WDA's data format.
#include <catch2/catch.hpp>

#include "qmux.hpp"
#include "services/wds_sessions.hpp"
#include "tlv.hpp"
#include "wds_host.hpp"

#include <string>

using namespace qmisim;
using namespace qmisim::selftest;

// ---------------------------------------------------------------------------
// Unit tests of the model

TEST_CASE("WDS model: profiles", "[wds][model]")
{
    ProfileTable t;
    REQUIRE(t.all().size() == 1);
    CHECK(describe_profile(*t.find(1)) == "name=default apn=internet pdp=ipv4v6 user= auth=none");
    CHECK(t.default_index() == 1);

    WdsProfile ims;
    ims.name = "ims";
    ims.apn = "ims";
    ims.pdp = PdpType::Ipv6;
    CHECK(t.create(ims) == 2);
    CHECK(t.remove(2));
    CHECK_FALSE(t.remove(2));
    CHECK(t.create(ims) == 2); // the lowest free index again

    ProfileUpdate update;
    update.apn = "ims.example";
    update.auth = kAuthChap;
    update.username = "joe";
    CHECK(t.modify(2, update));
    CHECK_FALSE(t.modify(3, update));
    CHECK(describe_profile(*t.find(2)) == "name=ims apn=ims.example pdp=ipv6 user=joe auth=chap");

    CHECK_FALSE(t.set_default(3));
    CHECK(t.set_default(2));
    CHECK(t.default_index() == 2);
    CHECK(t.reset(2));
    CHECK(*t.find(2) == WdsProfile{});
    CHECK(t.reset(1));
    CHECK(*t.find(1) == ProfileTable::factory_profile(1));

    for (std::uint8_t i = 3; i <= ProfileTable::kMaxIndex; i++)
        REQUIRE(t.create(ims) == i);
    CHECK_FALSE(t.create(ims));
    CHECK(t.put(16, update));
    CHECK_FALSE(t.put(17, update));

    ProfileUpdate too_long;
    too_long.apn = std::string(101, 'a');
    CHECK_FALSE(too_long.valid());
    ProfileUpdate bad_auth;
    bad_auth.auth = 4;
    CHECK_FALSE(bad_auth.valid());

    std::string error;
    const auto parsed = parse_profile_fields("apn=web pdp=ipv4 auth=both user=u password=p", error);
    REQUIRE(parsed);
    CHECK(parsed->apn == "web");
    CHECK(parsed->pdp == PdpType::Ipv4);
    CHECK(parsed->auth == (kAuthPap | kAuthChap));
    CHECK(parsed->password == "p");
    CHECK_FALSE(parse_profile_fields("colour=blue", error));
    CHECK_FALSE(parse_profile_fields("pdp=ipv5", error));
    CHECK_FALSE(parse_profile_fields("apn", error));
}

TEST_CASE("WDS model: a call from the request and the profile", "[wds][model]")
{
    ProfileTable profiles;
    CallRequest request;
    PlanResult r = plan_call(profiles, request, IpFamily::V4);
    REQUIRE(r.plan);
    CHECK(r.plan->apn == "internet"); // the default profile's
    CHECK(r.plan->family == IpFamily::V4);
    CHECK(r.plan->profile == 1);
    CHECK(r.plan->auth == 0);

    // The request wins over the profile; 8 (unspecified) is the client's family.
    request.apn = "mms";
    request.family = 8;
    request.username = "joe";
    r = plan_call(profiles, request, IpFamily::V6);
    REQUIRE(r.plan);
    CHECK(r.plan->apn == "mms");
    CHECK(r.plan->family == IpFamily::V6);
    CHECK(r.plan->auth == (kAuthPap | kAuthChap)); // credentials without a preference
    request.family = 4;
    CHECK(plan_call(profiles, request, IpFamily::V6).plan->family == IpFamily::V4);

    request.family = 5;
    CHECK(plan_call(profiles, request, IpFamily::V4).refusal == CallRefusal::InvalidArgument);
    request.family.reset();
    request.apn = std::string(101, 'x');
    CHECK(plan_call(profiles, request, IpFamily::V4).refusal == CallRefusal::InvalidArgument);
    request.apn = std::string(100, 'x');
    CHECK(plan_call(profiles, request, IpFamily::V4).plan);
    request.auth = 4;
    CHECK(plan_call(profiles, request, IpFamily::V4).refusal == CallRefusal::InvalidArgument);

    request = CallRequest{};
    request.profile = 3;
    CHECK(plan_call(profiles, request, IpFamily::V4).refusal == CallRefusal::NoSuchProfile);
    WdsProfile v4only;
    v4only.pdp = PdpType::Ipv4;
    v4only.apn = "ims";
    REQUIRE(profiles.create(v4only) == 2);
    request.profile = 2;
    CHECK(plan_call(profiles, request, IpFamily::V6).refusal == CallRefusal::PdpMismatch);
    r = plan_call(profiles, request, IpFamily::V4);
    REQUIRE(r.plan);
    CHECK(r.plan->apn == "ims");
    CHECK(r.plan->profile == 2);
}

TEST_CASE("WDS model: what the network accepts", "[wds][model]")
{
    PacketNetwork network;
    CallPlan plan;
    plan.apn = "Internet";
    CHECK(network_verdict(network, plan) == CallRefusal::None); // any case
    plan.apn = "nothere";
    CHECK(network_verdict(network, plan) == CallRefusal::UnknownApn);
    plan.apn.clear();
    CHECK(network.default_apn() == "internet");
    CHECK(network_verdict(network, plan) == CallRefusal::None);
    network.apns = {"*"};
    plan.apn = "nothere";
    CHECK(network_verdict(network, plan) == CallRefusal::None);
    network.apns.clear();
    CHECK(network_verdict(network, plan) == CallRefusal::UnknownApn);

    network = PacketNetwork{};
    network.required_auth["internet"] = {"joe", "secret"};
    plan.apn = "INTERNET";
    CHECK(network_verdict(network, plan) == CallRefusal::AuthFailed);
    plan.username = "joe";
    plan.password = "secret";
    CHECK(network_verdict(network, plan) == CallRefusal::AuthFailed); // auth none: not sent
    plan.auth = kAuthPap;
    CHECK(network_verdict(network, plan) == CallRefusal::None);
    plan.password = "Secret";
    CHECK(network_verdict(network, plan) == CallRefusal::AuthFailed);
    plan.apn = "mms"; // no credentials needed there
    CHECK(network_verdict(network, plan) == CallRefusal::None);
}

TEST_CASE("WDS model: sessions, slots and handles", "[wds][model]")
{
    SessionTable sessions;
    CallPlan v4;
    v4.apn = "internet";
    CallPlan v6 = v4;
    v6.family = IpFamily::V6;

    CHECK(sessions.begin(1, v4).slot == 0);
    CHECK(sessions.begin(2, v6).slot == 0); // slots count per family
    CHECK(sessions.begin(3, v4).slot == 1);
    CHECK(describe_sessions(sessions) == "none"); // connecting only
    const std::uint32_t h1 = sessions.connect(1);
    const std::uint32_t h2 = sessions.connect(2);
    CHECK(h1 != 0);
    CHECK(h2 != h1);
    CHECK(sessions.by_handle(h2)->cid == 2);
    CHECK_FALSE(sessions.by_handle(12345));
    CHECK(sessions.of_client(3)->phase == SessionPhase::Connecting);
    CHECK(describe_sessions(sessions) ==
          std::to_string(h1) + ":internet:ipv4:1 " + std::to_string(h2) + ":internet:ipv6:2");

    REQUIRE(sessions.end(1));
    CHECK_FALSE(sessions.end(1));
    CHECK(sessions.begin(4, v4).slot == 0); // slot 0 is free again
    sessions.clear();
    CHECK(sessions.size() == 0);
    sessions.begin(1, v4);
    CHECK(sessions.connect(1) > h2); // handles are never given out twice
}

TEST_CASE("WDS model: addresses and their text forms", "[wds][model]")
{
    const PacketNetwork network;
    CHECK(format_ipv4(ipv4_address(network.ipv4, 0)) == "10.64.1.2");
    CHECK(format_ipv4(ipv4_address(network.ipv4, 3)) == "10.64.1.5");
    CHECK(format_ipv4(ipv4_netmask(24)) == "255.255.255.0");
    CHECK(format_ipv4(ipv4_netmask(30)) == "255.255.255.252");
    CHECK(format_ipv4(ipv4_netmask(32)) == "255.255.255.255");
    CHECK(parse_ipv4("192.168.7.9") == 0xC0A80709);
    CHECK_FALSE(parse_ipv4("192.168.7"));
    CHECK(format_ipv6(ipv6_address(network.ipv6, 0)) == "2001:db8:1::2");
    Ipv6Settings wrap;
    wrap.address = *parse_ipv6("2001:db8::ff");
    CHECK(format_ipv6(ipv6_address(wrap, 2)) == "2001:db8::101"); // with the carry
    CHECK_FALSE(parse_ipv6("2001:db8::g"));
    CHECK(parse_auth("pap,chap") == (kAuthPap | kAuthChap));
    CHECK(auth_name(kAuthChap) == "chap");
    CHECK(parse_pdp("ipv4v6") == PdpType::Ipv4v6);
    CHECK(pdp_allows(PdpType::Ipv4v6, IpFamily::V6));
    CHECK_FALSE(pdp_allows(PdpType::Ppp, IpFamily::V4));
}

// ---------------------------------------------------------------------------
// libqmi host

namespace
{

bool err(const std::string &response)
{
    return response.rfind("ERR ", 0) == 0;
}

const Verbose kUnknownApn{QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_3GPP,
                          QMI_WDS_VERBOSE_CALL_END_REASON_3GPP_UNKNOWN_APN};
const Verbose kAuthFailed{QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_3GPP,
                          QMI_WDS_VERBOSE_CALL_END_REASON_3GPP_AUTHENTICATION_FAILED};
const Verbose kNoService{QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_CM,
                         QMI_WDS_VERBOSE_CALL_END_REASON_CM_NO_SERVICE};
const Verbose kLowPower{QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL,
                        QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_LPM_OR_POWER_DOWN};
const Verbose kClientEnd{QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_CM,
                         QMI_WDS_VERBOSE_CALL_END_REASON_CM_CLIENT_END};

// Starts a session and consumes its "connected" indication.
guint32 connect(WdsTestClient &client, const StartArgs &args = {.apn = "internet"})
{
    const StartResult started = start_network(client.get(), args);
    INFO("error " << started.error.value_or(QMI_PROTOCOL_ERROR_NONE));
    REQUIRE(started.ok());
    const StatusEvent status = client.next_status();
    CHECK(status.status == QMI_WDS_CONNECTION_STATUS_CONNECTED);
    CHECK_FALSE(status.reason);
    return started.handle;
}

void expect_ended(WdsTestClient &client, QmiWdsCallEndReason reason, Verbose verbose)
{
    const StatusEvent status = client.next_status();
    CHECK(status.status == QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
    CHECK(status.reason == reason);
    CHECK(status.verbose == verbose);
}

} // namespace

TEST_CASE("WDS: an IPv4 session from Start Network to Stop Network", "[wds]")
{
    Host h;
    auto wds = h.wds();

    // Low-power: no call.
    StartResult refused = start_network(wds->get(), {.apn = "internet"});
    CHECK(refused.error == QMI_PROTOCOL_ERROR_CALL_FAILED);
    CHECK(refused.reason == QMI_WDS_CALL_END_REASON_GENERIC_NO_SERVICE);
    CHECK(refused.verbose == kLowPower);

    h.online();
    CHECK(service_status(wds->get()) == QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
    CHECK(current_settings(wds->get()).error == QMI_PROTOCOL_ERROR_OUT_OF_CALL);
    CHECK(WDS_CALL(get_data_bearer_technology, wds->get(), nullptr).error ==
          QMI_PROTOCOL_ERROR_OUT_OF_CALL);
    // Channel rates: none yet, the maximum of LTE.
    auto rates = WDS_CALL(get_channel_rates, wds->get(), nullptr);
    guint32 tx = 1, rx = 1, max_tx = 0, max_rx = 0;
    REQUIRE(qmi_message_wds_get_channel_rates_output_get_channel_rates(rates.output.get(), &tx, &rx,
                                                                       &max_tx, &max_rx, nullptr));
    CHECK(tx == 0);
    CHECK(rx == 0);
    CHECK(max_tx == 50'000'000);
    CHECK(max_rx == 150'000'000);

    const guint32 handle = start_network(wds->get(), {.apn = "internet"}).handle;
    REQUIRE(handle != 0);
    StatusEvent status = wds->next_status();
    CHECK(status.status == QMI_WDS_CONNECTION_STATUS_CONNECTED);
    CHECK(status.family == QMI_WDS_IP_FAMILY_IPV4);
    CHECK(service_status(wds->get()) == QMI_WDS_CONNECTION_STATUS_CONNECTED);
    CHECK(h.sim.command("get wds.sessions") ==
          "OK " + std::to_string(handle) + ":internet:ipv4:" + std::to_string(wds->cid()));

    Settings s = current_settings(wds->get());
    REQUIRE_FALSE(s.error);
    CHECK(s.family == QMI_WDS_IP_FAMILY_IPV4);
    CHECK(s.ipv4 == "10.64.1.2");
    CHECK(s.mask == "255.255.255.0");
    CHECK(s.gateway == "10.64.1.1");
    CHECK(s.dns1 == "10.0.0.1");
    CHECK(s.dns2 == "10.0.0.2");
    CHECK(s.mtu == 1500);
    CHECK(s.apn == "internet");
    CHECK(s.profile == 1);
    CHECK(s.auth == QMI_WDS_AUTHENTICATION_NONE);
    CHECK(s.ipv6.empty());
    // Without a mask (oFono's driver sends none, libqmi cannot): everything.
    const MessagePtr all = raw_command(h.device.get(), QMI_CLIENT(wds->get()), 0x002D);
    CHECK(response_error(all.get()) == QMI_PROTOCOL_ERROR_NONE);
    CHECK(TlvReader{all.get(), 0x1E}.u32() == 0x0A400102u); // 10.64.1.2
    CHECK(TlvReader{all.get(), 0x20}.u32() == 0x0A400101u); // gateway
    CHECK(TlvReader{all.get(), 0x15}.u32() == 0x0A000001u); // DNS
    CHECK(read_u8_tlv(all.get(), 0x2B) == 4);               // IP family

    // Once up, again: no-effect (the handle rides along, libqmi drops it).
    CHECK(start_network(wds->get(), {.apn = "internet"}).error == QMI_PROTOCOL_ERROR_NO_EFFECT);

    auto bearer = WDS_CALL(get_data_bearer_technology, wds->get(), nullptr);
    QmiWdsDataBearerTechnology technology{};
    REQUIRE(qmi_message_wds_get_data_bearer_technology_output_get_current(bearer.output.get(),
                                                                          &technology, nullptr));
    CHECK(technology == QMI_WDS_DATA_BEARER_TECHNOLOGY_LTE);
    auto current = WDS_CALL(get_current_data_bearer_technology, wds->get(), nullptr);
    QmiWdsNetworkType network{};
    guint32 rat_mask = 0;
    guint32 so_mask = 0;
    REQUIRE(qmi_message_wds_get_current_data_bearer_technology_output_get_current(
        current.output.get(), &network, &rat_mask, &so_mask, nullptr));
    CHECK(network == QMI_WDS_NETWORK_TYPE_3GPP);
    CHECK(rat_mask == QMI_WDS_RAT_3GPP_LTE);
    rates = WDS_CALL(get_channel_rates, wds->get(), nullptr);
    REQUIRE(qmi_message_wds_get_channel_rates_output_get_channel_rates(rates.output.get(), &tx, &rx,
                                                                       &max_tx, &max_rx, nullptr));
    CHECK(tx == 50'000'000);
    CHECK(rx == 150'000'000);

    CHECK(stop_network(wds->get(), handle + 1) == QMI_PROTOCOL_ERROR_INVALID_HANDLE);
    CHECK_FALSE(stop_network(wds->get(), handle));
    status = wds->next_status();
    CHECK(status.status == QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
    CHECK(status.reason == QMI_WDS_CALL_END_REASON_GENERIC_CLIENT_END);
    CHECK(status.verbose == kClientEnd);
    CHECK(status.family == QMI_WDS_IP_FAMILY_IPV4);
    CHECK(service_status(wds->get()) == QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
    CHECK(current_settings(wds->get()).error == QMI_PROTOCOL_ERROR_OUT_OF_CALL);
    CHECK(stop_network(wds->get(), handle) == QMI_PROTOCOL_ERROR_INVALID_HANDLE);
    CHECK(h.sim.command("get wds.sessions") == "OK none");

    // The last bearer is still known.
    bearer = WDS_CALL(get_data_bearer_technology, wds->get(), nullptr);
    CHECK(bearer.error == QMI_PROTOCOL_ERROR_OUT_OF_CALL);
    REQUIRE(qmi_message_wds_get_data_bearer_technology_output_get_last(bearer.output.get(),
                                                                       &technology, nullptr));
    CHECK(technology == QMI_WDS_DATA_BEARER_TECHNOLOGY_LTE);

    // A new session gets a new handle; no APN: the default profile's.
    const guint32 again = connect(*wds, {});
    CHECK(again != handle);
    CHECK(current_settings(wds->get()).apn == "internet");
    CHECK(wds->quiet());
    CHECK(h.sim.command("indications wds 0x22") == "OK " + std::to_string(wds->received()));
}

TEST_CASE("WDS: IPv6 through Set IP Family, dual stack with one client per family", "[wds]")
{
    Host h;
    h.online();
    auto v4 = h.wds();
    auto v6 = h.wds();
    CHECK(set_ip_family(v6->get(), static_cast<QmiWdsIpFamily>(5)) ==
          QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    REQUIRE_FALSE(set_ip_family(v6->get(), QMI_WDS_IP_FAMILY_IPV6));

    const guint32 h4 = connect(*v4);
    const StartResult started = start_network(v6->get(), {.apn = "internet"});
    REQUIRE(started.ok());
    CHECK(started.handle != h4);
    const StatusEvent status = v6->next_status();
    CHECK(status.status == QMI_WDS_CONNECTION_STATUS_CONNECTED);
    CHECK(status.family == QMI_WDS_IP_FAMILY_IPV6);

    Settings s = current_settings(v6->get());
    CHECK(s.family == QMI_WDS_IP_FAMILY_IPV6);
    CHECK(s.ipv6 == "2001:db8:1::2");
    CHECK(s.ipv6_prefix == 64);
    CHECK(s.ipv6_gateway == "2001:db8:1::1/64");
    CHECK(s.ipv6_dns1 == "2001:db8::1");
    CHECK(s.ipv6_dns2 == "2001:db8::2");
    CHECK(s.ipv4.empty());
    CHECK(s.mtu == 1500);
    CHECK(current_settings(v4->get()).ipv4 == "10.64.1.2");

    // The IP family preference TLV overrides Set IP Family; each session of
    // a family gets the next address.
    auto third = h.wds();
    connect(*third, {.apn = "internet", .family = QMI_WDS_IP_FAMILY_IPV6});
    CHECK(current_settings(third->get()).ipv6 == "2001:db8:1::3");
    auto fourth = h.wds();
    REQUIRE(h.sim.command("set wds.ipv4-address 192.168.7.10/29") == "OK");
    REQUIRE(h.sim.command("set wds.ipv4-gateway 192.168.7.9") == "OK");
    REQUIRE(h.sim.command("set wds.ipv4-dns 192.168.7.1") == "OK");
    REQUIRE(h.sim.command("set wds.mtu 1400") == "OK");
    connect(*fourth, {.apn = "ims"});
    s = current_settings(fourth->get());
    CHECK(s.ipv4 == "192.168.7.11");
    CHECK(s.mask == "255.255.255.248");
    CHECK(s.gateway == "192.168.7.9");
    CHECK(s.dns1 == "192.168.7.1");
    CHECK(s.dns2.empty());
    CHECK(s.mtu == 1400);
    CHECK(h.sim.command("get wds.ipv4-address") == "OK 192.168.7.10/29");
    CHECK(err(h.sim.command("set wds.ipv4-address 192.168.7.10")));
    CHECK(err(h.sim.command("set wds.ipv6-dns 1 2 3")));

    // wds.max-sessions (4): the fifth is refused.
    auto fifth = h.wds();
    StartResult refused = start_network(fifth->get(), {.apn = "internet"});
    CHECK(refused.error == QMI_PROTOCOL_ERROR_CALL_FAILED);
    CHECK(refused.verbose == Verbose{QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL,
                                     QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_MAX_V4_CONNECTIONS});
    const std::string sessions = h.sim.command("get wds.sessions");
    CHECK(sessions.find(":internet:ipv4:" + std::to_string(v4->cid())) != std::string::npos);
    CHECK(sessions.find(":internet:ipv6:" + std::to_string(v6->cid())) != std::string::npos);
    CHECK(sessions.find(":ims:ipv4:" + std::to_string(fourth->cid())) != std::string::npos);
    REQUIRE(h.sim.command("set wds.max-sessions 5") == "OK");
    connect(*fifth);
    CHECK(err(h.sim.command("set wds.max-sessions 0")));
}

TEST_CASE("WDS: the network refuses unknown APNs and wrong credentials", "[wds]")
{
    Host h;
    h.online();
    auto wds = h.wds();

    StartResult r = start_network(wds->get(), {.apn = "nothere"});
    CHECK(r.error == QMI_PROTOCOL_ERROR_CALL_FAILED);
    CHECK(r.reason == QMI_WDS_CALL_END_REASON_GSM_WCDMA_UNKNOWN_APN);
    CHECK(r.verbose == kUnknownApn);
    CHECK(service_status(wds->get()) == QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
    stop_network(wds->get(), connect(*wds, {.apn = "INTERNET"})); // any case
    wds->next_status();
    REQUIRE(h.sim.command("set wds.apns *") == "OK");
    stop_network(wds->get(), connect(*wds, {.apn = "nothere"}));
    wds->next_status();
    REQUIRE(h.sim.command("set wds.apns internet,ims") == "OK");
    CHECK(h.sim.command("get wds.apns") == "OK internet,ims");
    CHECK(start_network(wds->get(), {.apn = "mms"}).verbose == kUnknownApn);

    // Credentials.
    REQUIRE(h.sim.command("set wds.require-auth internet joe s3cret") == "OK");
    CHECK(h.sim.command("get wds.require-auth") == "OK internet:joe");
    r = start_network(wds->get(), {.apn = "internet"});
    CHECK(r.error == QMI_PROTOCOL_ERROR_CALL_FAILED);
    CHECK(r.reason == QMI_WDS_CALL_END_REASON_GENERIC_AUTHENTICATION_FAILED);
    CHECK(r.verbose == kAuthFailed);
    CHECK(start_network(wds->get(), {.apn = "internet",
                                     .auth = QMI_WDS_AUTHENTICATION_PAP,
                                     .user = "joe",
                                     .password = "wrong"})
              .verbose == kAuthFailed);
    // No PAP nor CHAP: the credentials are not sent.
    CHECK(start_network(wds->get(), {.apn = "internet",
                                     .auth = QMI_WDS_AUTHENTICATION_NONE,
                                     .user = "joe",
                                     .password = "s3cret"})
              .verbose == kAuthFailed);
    connect(*wds, {.apn = "internet", .user = "joe", .password = "s3cret"});
    const Settings s = current_settings(wds->get());
    CHECK(s.username == "joe");
    CHECK(s.auth == (QMI_WDS_AUTHENTICATION_PAP | QMI_WDS_AUTHENTICATION_CHAP));
    REQUIRE(h.sim.command("set wds.require-auth internet none") == "OK");
    CHECK(h.sim.command("get wds.require-auth") == "OK none");

    // Refused by the modem itself.
    auto other = h.wds();
    CHECK(start_network(other->get(), {.apn = "internet", .family = QMI_WDS_IP_FAMILY_UNKNOWN})
              .error == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const std::string long_apn(101, 'a');
    CHECK(start_network(other->get(), {.apn = long_apn.c_str()}).error ==
          QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK(start_network(other->get(), {.profile = 9}).error == QMI_PROTOCOL_ERROR_INVALID_PROFILE);
    REQUIRE(h.sim.command("set wds.profile 3 name=v4 apn=ims pdp=ipv4") == "OK");
    r = start_network(other->get(), {.family = QMI_WDS_IP_FAMILY_IPV6, .profile = 3});
    CHECK(r.error == QMI_PROTOCOL_ERROR_CALL_FAILED);
    CHECK(r.verbose == Verbose{QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL,
                               QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_IP_PDP_MISMATCH});
    connect(*other, {.profile = 3});
    CHECK(current_settings(other->get()).apn == "ims");
    CHECK(current_settings(other->get()).profile == 3);

    // The passwords never reach the verbose log.
    const std::string log = h.sim.log();
    CHECK(log.find("s3cret") == std::string::npos);
    CHECK(log.find("(TLVs not shown: they carry PIN codes or passwords)") != std::string::npos);
}

TEST_CASE("WDS: the network, the radio, the SIM and released clients end sessions", "[wds]")
{
    Host h;
    h.online();
    auto a = h.wds();
    auto b = h.wds();
    REQUIRE_FALSE(set_ip_family(b->get(), QMI_WDS_IP_FAMILY_IPV6));

    // Network-initiated deactivation: only the owner hears of it.
    guint32 handle = connect(*a);
    connect(*b);
    CHECK(h.sim.command("wds-disconnect " + std::to_string(handle)) == "OK 1");
    expect_ended(*a, QMI_WDS_CALL_END_REASON_GSM_WCDMA_REGULAR_DEACTIVATION,
                 {QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_3GPP,
                  QMI_WDS_VERBOSE_CALL_END_REASON_3GPP_REGULAR_DEACTIVATION});
    CHECK(b->quiet());
    CHECK(err(h.sim.command("wds-disconnect " + std::to_string(handle))));
    CHECK(err(h.sim.command("wds-disconnect all bogus-reason")));
    CHECK(h.sim.command("wds-disconnect all 3gpp:network-failure") == "OK 1");
    const StatusEvent ended = b->next_status();
    CHECK(ended.reason == QMI_WDS_CALL_END_REASON_GSM_WCDMA_NETWORK_FAILURE);
    CHECK(ended.verbose == Verbose{QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_3GPP,
                                   QMI_WDS_VERBOSE_CALL_END_REASON_3GPP_NETWORK_FAILURE});
    CHECK(ended.family == QMI_WDS_IP_FAMILY_IPV6);
    CHECK(h.sim.command("wds-disconnect all") == "OK 0");

    // Losing the registration ends both; no new call meanwhile.
    connect(*a);
    connect(*b);
    REQUIRE(h.sim.command("set nas.registration searching") == "OK");
    expect_ended(*a, QMI_WDS_CALL_END_REASON_GENERIC_NO_SERVICE, kNoService);
    expect_ended(*b, QMI_WDS_CALL_END_REASON_GENERIC_NO_SERVICE, kNoService);
    CHECK(start_network(a->get(), {.apn = "internet"}).verbose == kNoService);
    REQUIRE(h.sim.command("set nas.registration registered") == "OK");
    REQUIRE(spin_until([&] { return h.sim.command("get nas.registration") == "OK registered"; }));

    // Leaving online ends them too.
    connect(*a);
    connect(*b);
    REQUIRE(set_operating_mode(h.dms.get(), QMI_DMS_OPERATING_MODE_LOW_POWER) ==
            QMI_PROTOCOL_ERROR_NONE);
    expect_ended(*a, QMI_WDS_CALL_END_REASON_GENERIC_NO_SERVICE, kLowPower);
    expect_ended(*b, QMI_WDS_CALL_END_REASON_GENERIC_NO_SERVICE, kLowPower);
    CHECK(h.sim.command("get wds.sessions") == "OK none");

    // The SIM goes away.
    h.online();
    connect(*a);
    REQUIRE(h.sim.command("sim remove") == "OK");
    expect_ended(*a, QMI_WDS_CALL_END_REASON_GENERIC_UNSPECIFIED,
                 {QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL,
                  QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_MMGDSI_CARD_EVENT});
    CHECK(start_network(a->get(), {.apn = "internet"}).verbose ==
          Verbose{QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_CM,
                  QMI_WDS_VERBOSE_CALL_END_REASON_CM_INVALID_SIM_STATE});
    REQUIRE(h.sim.command("sim insert") == "OK");

    // A released client's session ends with it; a reset ends them all.
    connect(*b);
    release_client(h.device.get(), b->get());
    CHECK(spin_until([&] { return h.sim.command("get wds.sessions") == "OK none"; }));
    connect(*a);
    REQUIRE(h.sim.command("reset") == "OK");
    CHECK(h.sim.command("get wds.sessions") == "OK none");
    CHECK(a->quiet()); // its client id is gone with the reset
}

TEST_CASE("WDS: Bind Mux Data Port keeps a QMAP mux per client, sessions ride on it", "[wds]")
{
    Host h;
    h.online();
    auto internet = h.wds();
    auto mms = h.wds();
    auto bind = [](WdsTestClient &client, std::optional<guint8> mux) {
        Owned<QmiMessageWdsBindMuxDataPortInput, qmi_message_wds_bind_mux_data_port_input_unref>
            input{qmi_message_wds_bind_mux_data_port_input_new()};
        qmi_message_wds_bind_mux_data_port_input_set_endpoint_info(
            input.get(), QMI_DATA_ENDPOINT_TYPE_HSUSB, 4, nullptr);
        if (mux)
            qmi_message_wds_bind_mux_data_port_input_set_mux_id(input.get(), *mux, nullptr);
        return WDS_CALL(bind_mux_data_port, client.get(), input.get()).error;
    };
    const std::string i = std::to_string(internet->cid());
    const std::string m = std::to_string(mms->cid());
    CHECK(h.sim.command("get wds.mux-bindings") == "OK none");
    CHECK(bind(*internet, std::nullopt) == QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    CHECK(bind(*internet, 0) == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK(bind(*internet, 0xFF) == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK_FALSE(bind(*internet, 1));
    CHECK_FALSE(bind(*mms, 2));
    CHECK(h.sim.command("get wds.mux-bindings") == "OK " + i + ":1 " + m + ":2");

    // One session per mux, each on its own APN; a bound client keeps its mux
    // while its session lasts.
    const guint32 a = connect(*internet, {.apn = "internet"});
    const guint32 b = connect(*mms, {.apn = "mms"});
    CHECK(h.sim.command("get wds.sessions") == "OK " + std::to_string(a) + ":internet:ipv4:" + i +
                                                   ":mux1 " + std::to_string(b) + ":mms:ipv4:" + m +
                                                   ":mux2");
    CHECK(bind(*internet, 3) == QMI_PROTOCOL_ERROR_INVALID_OPERATION);
    CHECK_FALSE(stop_network(internet->get(), a));
    expect_ended(*internet, QMI_WDS_CALL_END_REASON_GENERIC_CLIENT_END, kClientEnd);
    CHECK_FALSE(bind(*internet, 3));
    const guint32 c = connect(*internet, {.apn = "ims"});
    CHECK(h.sim.command("get wds.sessions") == "OK " + std::to_string(b) + ":mms:ipv4:" + m +
                                                   ":mux2 " + std::to_string(c) + ":ims:ipv4:" + i +
                                                   ":mux3");

    // WDS Reset forgets the binding (and ends the session).
    REQUIRE(WDS_CALL(reset, internet->get(), nullptr).ok());
    expect_ended(*internet, QMI_WDS_CALL_END_REASON_GENERIC_CLIENT_END, kClientEnd);
    CHECK(h.sim.command("get wds.mux-bindings") == "OK " + m + ":2");
    CHECK(err(h.sim.command("set wds.mux-bindings 1:1")));
}

TEST_CASE("WDS: a pending Start Network is aborted, reset, or ends with the radio", "[wds]")
{
    Host h;
    h.online();
    auto wds = h.wds();
    REQUIRE(h.sim.command("set wds.connect-delay-ms 60000") == "OK");

    // libqmi sends Abort when the Start Network is cancelled.
    {
        PendingStart pending{wds->get(), {.apn = "internet"}};
        REQUIRE(spin_until([&] { return h.sim.command("requests wds 0x20") == "OK 1"; }));
        CHECK(service_status(wds->get()) == QMI_WDS_CONNECTION_STATUS_AUTHENTICATING);
        CHECK(start_network(wds->get(), {.apn = "internet"}).verbose ==
              Verbose{QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL,
                      QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_CALL_ALREADY_PRESENT});
        pending.cancel();
        ErrorSlot error;
        CHECK_FALSE(pending.finish(error));
        CHECK(error.matches(G_IO_ERROR, G_IO_ERROR_CANCELLED));
        REQUIRE(spin_until([&] { return h.sim.command("requests wds 0x02") == "OK 1"; }));
        CHECK(service_status(wds->get()) == QMI_WDS_CONNECTION_STATUS_DISCONNECTED);
        CHECK(h.sim.log().find("\"Start Network\" result=aborted") != std::string::npos);
    }

    // WDS Reset answers it with aborted, and forgets Set IP Family.
    REQUIRE_FALSE(set_ip_family(wds->get(), QMI_WDS_IP_FAMILY_IPV6));
    {
        PendingStart pending{wds->get(), {.apn = "internet"}};
        REQUIRE(spin_until([&] { return h.sim.command("requests wds 0x20") == "OK 3"; }));
        REQUIRE(WDS_CALL(reset, wds->get(), nullptr).ok());
        ErrorSlot error;
        const auto result = pending.finish(error);
        REQUIRE(result);
        CHECK(result->error == QMI_PROTOCOL_ERROR_ABORTED);
    }

    // Leaving online fails it with the reason.
    {
        PendingStart pending{wds->get(), {.apn = "internet"}};
        REQUIRE(spin_until([&] { return h.sim.command("requests wds 0x20") == "OK 4"; }));
        REQUIRE(set_operating_mode(h.dms.get(), QMI_DMS_OPERATING_MODE_LOW_POWER) ==
                QMI_PROTOCOL_ERROR_NONE);
        ErrorSlot error;
        const auto result = pending.finish(error);
        REQUIRE(result);
        CHECK(result->error == QMI_PROTOCOL_ERROR_CALL_FAILED);
        CHECK(result->verbose == kLowPower);
    }
    CHECK(wds->quiet());

    REQUIRE(h.sim.command("set wds.connect-delay-ms 10") == "OK");
    h.online();
    connect(*wds);
    CHECK(current_settings(wds->get()).family == QMI_WDS_IP_FAMILY_IPV4); // reset forgot IPv6
}

namespace
{

using ProfileSettingsOutput =
    Owned<QmiMessageWdsGetProfileSettingsOutput, qmi_message_wds_get_profile_settings_output_unref>;

struct ProfileView {
    std::optional<QmiProtocolError> error;
    std::optional<QmiWdsDsProfileError> extended;
    std::string name, apn, user, password;
    QmiWdsPdpType pdp{};
    QmiWdsAuthentication auth{};
};

ProfileView profile_settings(QmiClientWds *client, guint8 index,
                             QmiWdsProfileType type = QMI_WDS_PROFILE_TYPE_3GPP)
{
    Owned<QmiMessageWdsGetProfileSettingsInput, qmi_message_wds_get_profile_settings_input_unref>
        input{qmi_message_wds_get_profile_settings_input_new()};
    qmi_message_wds_get_profile_settings_input_set_profile_id(input.get(), type, index, nullptr);
    auto reply = WDS_CALL(get_profile_settings, client, input.get());
    ProfileView view;
    view.error = reply.error;
    auto *out = reply.output.get();
    QmiWdsDsProfileError extended{};
    if (qmi_message_wds_get_profile_settings_output_get_extended_error_code(out, &extended,
                                                                            nullptr))
        view.extended = extended;
    const gchar *text = nullptr;
    if (qmi_message_wds_get_profile_settings_output_get_profile_name(out, &text, nullptr))
        view.name = text;
    if (qmi_message_wds_get_profile_settings_output_get_apn_name(out, &text, nullptr))
        view.apn = text;
    if (qmi_message_wds_get_profile_settings_output_get_username(out, &text, nullptr))
        view.user = text;
    if (qmi_message_wds_get_profile_settings_output_get_password(out, &text, nullptr))
        view.password = text;
    qmi_message_wds_get_profile_settings_output_get_pdp_type(out, &view.pdp, nullptr);
    qmi_message_wds_get_profile_settings_output_get_authentication(out, &view.auth, nullptr);
    return view;
}

std::string profile_list(QmiClientWds *client)
{
    auto reply = WDS_CALL(get_profile_list, client, nullptr);
    REQUIRE(reply.ok());
    GArray *list = nullptr;
    REQUIRE(qmi_message_wds_get_profile_list_output_get_profile_list(reply.output.get(), &list,
                                                                     nullptr));
    std::string out;
    for (guint i = 0; i < list->len; i++) {
        const auto &p = g_array_index(list, QmiMessageWdsGetProfileListOutputProfileListProfile, i);
        out += (out.empty() ? "" : " ") + std::to_string(p.profile_index) + ":" + p.profile_name;
    }
    return out;
}

guint8 default_profile(QmiClientWds *client)
{
    Owned<QmiMessageWdsGetDefaultProfileNumberInput,
          qmi_message_wds_get_default_profile_number_input_unref>
        input{qmi_message_wds_get_default_profile_number_input_new()};
    qmi_message_wds_get_default_profile_number_input_set_profile_type(
        input.get(), QMI_WDS_PROFILE_TYPE_3GPP, QMI_WDS_PROFILE_FAMILY_EMBEDDED, nullptr);
    auto reply = WDS_CALL(get_default_profile_number, client, input.get());
    REQUIRE(reply.ok());
    guint8 index = 0;
    REQUIRE(qmi_message_wds_get_default_profile_number_output_get_index(reply.output.get(), &index,
                                                                        nullptr));
    return index;
}

std::optional<QmiWdsDsProfileError> set_default_profile(QmiClientWds *client, guint8 index)
{
    Owned<QmiMessageWdsSetDefaultProfileNumberInput,
          qmi_message_wds_set_default_profile_number_input_unref>
        input{qmi_message_wds_set_default_profile_number_input_new()};
    qmi_message_wds_set_default_profile_number_input_set_profile_identifier(
        input.get(), QMI_WDS_PROFILE_TYPE_3GPP, QMI_WDS_PROFILE_FAMILY_TETHERED, index, nullptr);
    auto reply = WDS_CALL(set_default_profile_number, client, input.get());
    QmiWdsDsProfileError extended{};
    if (reply.ok() || !qmi_message_wds_set_default_profile_number_output_get_extended_error_code(
                          reply.output.get(), &extended, nullptr))
        return std::nullopt;
    return extended;
}

std::optional<QmiWdsDsProfileError> delete_profile(QmiClientWds *client, guint8 index)
{
    Owned<QmiMessageWdsDeleteProfileInput, qmi_message_wds_delete_profile_input_unref> input{
        qmi_message_wds_delete_profile_input_new()};
    qmi_message_wds_delete_profile_input_set_profile_identifier(
        input.get(), QMI_WDS_PROFILE_TYPE_3GPP, index, nullptr);
    auto reply = WDS_CALL(delete_profile, client, input.get());
    QmiWdsDsProfileError extended{};
    if (reply.ok() || !qmi_message_wds_delete_profile_output_get_extended_error_code(
                          reply.output.get(), &extended, nullptr))
        return std::nullopt;
    return extended;
}

// Reset Profile To Default (0x4B) is not in libqmi 1.32: the raw message
// oFono's driver sends, {u8 type, u8 index}. The response's result.
std::optional<QmiProtocolError> reset_profile(QmiDevice *device, QmiClientWds *client, guint8 index)
{
    const MessagePtr response =
        raw_command(device, QMI_CLIENT(client), 0x004B, [index](QmiMessage *request) {
            TlvWriter{request, 0x01}.u8(QMI_WDS_PROFILE_TYPE_3GPP).u8(index).done();
        });
    const auto error = response_error(response.get());
    REQUIRE(error);
    if (*error == QMI_PROTOCOL_ERROR_NONE)
        return std::nullopt;
    return error;
}

} // namespace

TEST_CASE("WDS: profiles, the default profile and the LTE attach parameters", "[wds]")
{
    Host h;
    auto wds = h.wds();
    CHECK(profile_list(wds->get()) == "1:default");
    ProfileView p = profile_settings(wds->get(), 1);
    REQUIRE_FALSE(p.error);
    CHECK(p.name == "default");
    CHECK(p.apn == "internet");
    CHECK(p.pdp == QMI_WDS_PDP_TYPE_IPV4_OR_IPV6);
    CHECK(p.auth == QMI_WDS_AUTHENTICATION_NONE);

    // Create.
    Owned<QmiMessageWdsCreateProfileInput, qmi_message_wds_create_profile_input_unref> create{
        qmi_message_wds_create_profile_input_new()};
    qmi_message_wds_create_profile_input_set_profile_type(create.get(), QMI_WDS_PROFILE_TYPE_3GPP,
                                                          nullptr);
    qmi_message_wds_create_profile_input_set_profile_name(create.get(), "ims", nullptr);
    qmi_message_wds_create_profile_input_set_apn_name(create.get(), "ims", nullptr);
    qmi_message_wds_create_profile_input_set_pdp_type(create.get(), QMI_WDS_PDP_TYPE_IPV6, nullptr);
    qmi_message_wds_create_profile_input_set_username(create.get(), "joe", nullptr);
    qmi_message_wds_create_profile_input_set_password(create.get(), "pw-1", nullptr);
    qmi_message_wds_create_profile_input_set_authentication(create.get(),
                                                            QMI_WDS_AUTHENTICATION_CHAP, nullptr);
    qmi_message_wds_create_profile_input_set_roaming_disallowed_flag(create.get(), FALSE, nullptr);
    auto created = WDS_CALL(create_profile, wds->get(), create.get());
    REQUIRE(created.ok());
    QmiWdsProfileType type{};
    guint8 index = 0;
    REQUIRE(qmi_message_wds_create_profile_output_get_profile_identifier(created.output.get(),
                                                                         &type, &index, nullptr));
    CHECK(index == 2);
    p = profile_settings(wds->get(), 2);
    CHECK(p.name == "ims");
    CHECK(p.apn == "ims");
    CHECK(p.pdp == QMI_WDS_PDP_TYPE_IPV6);
    CHECK(p.user == "joe");
    CHECK(p.password == "pw-1");
    CHECK(p.auth == QMI_WDS_AUTHENTICATION_CHAP);
    CHECK(profile_list(wds->get()) == "1:default 2:ims");

    // Modify: only the fields sent change.
    Owned<QmiMessageWdsModifyProfileInput, qmi_message_wds_modify_profile_input_unref> modify{
        qmi_message_wds_modify_profile_input_new()};
    qmi_message_wds_modify_profile_input_set_profile_identifier(
        modify.get(), QMI_WDS_PROFILE_TYPE_3GPP, 2, nullptr);
    qmi_message_wds_modify_profile_input_set_apn_name(modify.get(), "ims2", nullptr);
    qmi_message_wds_modify_profile_input_set_pdp_type(modify.get(), QMI_WDS_PDP_TYPE_IPV4_OR_IPV6,
                                                      nullptr);
    REQUIRE(WDS_CALL(modify_profile, wds->get(), modify.get()).ok());
    CHECK(h.sim.command("get wds.profile 2") ==
          "OK name=ims apn=ims2 pdp=ipv4v6 user=joe auth=chap");
    qmi_message_wds_modify_profile_input_set_profile_identifier(
        modify.get(), QMI_WDS_PROFILE_TYPE_3GPP, 7, nullptr);
    CHECK(WDS_CALL(modify_profile, wds->get(), modify.get()).error ==
          QMI_PROTOCOL_ERROR_EXTENDED_INTERNAL);

    // Profiles that do not exist.
    p = profile_settings(wds->get(), 3);
    CHECK(p.error == QMI_PROTOCOL_ERROR_EXTENDED_INTERNAL);
    CHECK(p.extended == QMI_WDS_DS_PROFILE_ERROR_3GPP_CONTEXT_NOT_DEFINED);
    CHECK(profile_settings(wds->get(), 17).extended ==
          QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_NUMBER);
    CHECK(profile_settings(wds->get(), 1, QMI_WDS_PROFILE_TYPE_3GPP2).extended ==
          QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_TYPE);
    CHECK(err(h.sim.command("get wds.profile 3")));

    // The default profile.
    CHECK(default_profile(wds->get()) == 1);
    CHECK(set_default_profile(wds->get(), 5) == QMI_WDS_DS_PROFILE_ERROR_3GPP_CONTEXT_NOT_DEFINED);
    CHECK_FALSE(set_default_profile(wds->get(), 2));
    CHECK(default_profile(wds->get()) == 2); // one default for both families
    CHECK(h.sim.command("get wds.default-profile") == "OK 2");
    Owned<QmiMessageWdsGetDefaultSettingsInput, qmi_message_wds_get_default_settings_input_unref>
        defaults{qmi_message_wds_get_default_settings_input_new()};
    qmi_message_wds_get_default_settings_input_set_profile_type(defaults.get(),
                                                                QMI_WDS_PROFILE_TYPE_3GPP, nullptr);
    auto settings = WDS_CALL(get_default_settings, wds->get(), defaults.get());
    const gchar *apn = nullptr;
    REQUIRE(qmi_message_wds_get_default_settings_output_get_apn_name(settings.output.get(), &apn,
                                                                     nullptr));
    CHECK(std::string{apn} == "ims2");

    // A call without APN takes the default profile's: ims2 is not known.
    h.online();
    REQUIRE(h.sim.command("set wds.apns internet,ims2") == "OK");
    connect(*wds, {});
    CHECK(current_settings(wds->get()).apn == "ims2");
    CHECK(current_settings(wds->get()).profile == 2);

    // Delete: not the default one.
    CHECK(delete_profile(wds->get(), 2) == QMI_WDS_DS_PROFILE_ERROR_INVALID_OPERATION);
    REQUIRE(h.sim.command("set wds.default-profile 1") == "OK");
    CHECK(err(h.sim.command("set wds.default-profile 9")));
    CHECK_FALSE(delete_profile(wds->get(), 2));
    CHECK(delete_profile(wds->get(), 2) == QMI_WDS_DS_PROFILE_ERROR_3GPP_CONTEXT_NOT_DEFINED);
    CHECK(profile_list(wds->get()) == "1:default");

    // Sixteen at most; they survive a reset.
    for (int i = 2; i <= 16; i++)
        REQUIRE(WDS_CALL(create_profile, wds->get(), create.get()).ok());
    auto full = WDS_CALL(create_profile, wds->get(), create.get());
    QmiWdsDsProfileError extended{};
    REQUIRE(qmi_message_wds_create_profile_output_get_extended_error_code(full.output.get(),
                                                                          &extended, nullptr));
    CHECK(extended == QMI_WDS_DS_PROFILE_ERROR_3GPP_OUT_OF_PROFILES);

    // oFono's driver resets the default profile (0x4B) before it sets the
    // attach APN.
    REQUIRE(h.sim.command("set wds.profile 1 apn=attach.example pdp=ipv4 user=u auth=pap") == "OK");
    CHECK(h.sim.command("get wds.profile 1") ==
          "OK name=default apn=attach.example pdp=ipv4 user=u auth=pap");
    CHECK_FALSE(reset_profile(h.device.get(), wds->get(), 1));
    CHECK(h.sim.command("get wds.profile 1") ==
          "OK name=default apn=internet pdp=ipv4v6 user= auth=none");
    CHECK(reset_profile(h.device.get(), wds->get(), 17) == QMI_PROTOCOL_ERROR_EXTENDED_INTERNAL);

    // LTE attach parameters follow the default profile, on LTE only.
    REQUIRE(h.sim.command("set wds.profile 1 apn=attach.example pdp=ipv4") == "OK");
    auto attach = WDS_CALL(get_lte_attach_parameters, wds->get(), nullptr);
    REQUIRE(attach.ok());
    const gchar *attach_apn = nullptr;
    QmiWdsIpSupportType ip{};
    gboolean ota = FALSE;
    REQUIRE(qmi_message_wds_get_lte_attach_parameters_output_get_apn(attach.output.get(),
                                                                     &attach_apn, nullptr));
    REQUIRE(qmi_message_wds_get_lte_attach_parameters_output_get_ip_support_type(
        attach.output.get(), &ip, nullptr));
    REQUIRE(qmi_message_wds_get_lte_attach_parameters_output_get_ota_attach_performed(
        attach.output.get(), &ota, nullptr));
    CHECK(std::string{attach_apn} == "attach.example");
    CHECK(ip == QMI_WDS_IP_SUPPORT_TYPE_IPV4);
    CHECK(ota);
    REQUIRE(h.sim.command("set nas.rat umts") == "OK");
    CHECK(WDS_CALL(get_lte_attach_parameters, wds->get(), nullptr).error ==
          QMI_PROTOCOL_ERROR_OUT_OF_CALL);

    REQUIRE(h.sim.command("reset") == "OK");
    CHECK(h.sim.command("get wds.profile 16") == "OK name=ims apn=ims pdp=ipv6 user=joe auth=chap");
    CHECK(h.sim.log().find("pw-1") == std::string::npos);
}

namespace
{

struct Format {
    std::optional<QmiProtocolError> error;
    QmiWdaLinkLayerProtocol link_layer{};
    QmiWdaDataAggregationProtocol ul{};
    QmiWdaDataAggregationProtocol dl{};
    std::optional<guint32> dl_datagrams, dl_size, ul_datagrams, ul_size;
};

struct FormatRequest {
    std::optional<QmiWdaLinkLayerProtocol> link_layer{};
    std::optional<QmiWdaDataAggregationProtocol> ul{};
    std::optional<QmiWdaDataAggregationProtocol> dl{};
    std::optional<guint32> dl_datagrams{}, dl_size{};
};

template <typename Output, auto Link, auto Ul, auto Dl, auto DlDatagrams, auto DlSize,
          auto UlDatagrams, auto UlSize>
void read_format(Output *out, Format &format)
{
    Link(out, &format.link_layer, nullptr);
    Ul(out, &format.ul, nullptr);
    Dl(out, &format.dl, nullptr);
    guint32 value = 0;
    if (DlDatagrams(out, &value, nullptr))
        format.dl_datagrams = value;
    if (DlSize(out, &value, nullptr))
        format.dl_size = value;
    if (UlDatagrams(out, &value, nullptr))
        format.ul_datagrams = value;
    if (UlSize(out, &value, nullptr))
        format.ul_size = value;
}

Format set_format(QmiClientWda *client, const FormatRequest &request)
{
    Owned<QmiMessageWdaSetDataFormatInput, qmi_message_wda_set_data_format_input_unref> input{
        qmi_message_wda_set_data_format_input_new()};
    if (request.link_layer)
        qmi_message_wda_set_data_format_input_set_link_layer_protocol(input.get(),
                                                                      *request.link_layer, nullptr);
    if (request.ul)
        qmi_message_wda_set_data_format_input_set_uplink_data_aggregation_protocol(
            input.get(), *request.ul, nullptr);
    if (request.dl)
        qmi_message_wda_set_data_format_input_set_downlink_data_aggregation_protocol(
            input.get(), *request.dl, nullptr);
    if (request.dl_datagrams)
        qmi_message_wda_set_data_format_input_set_downlink_data_aggregation_max_datagrams(
            input.get(), *request.dl_datagrams, nullptr);
    if (request.dl_size)
        qmi_message_wda_set_data_format_input_set_downlink_data_aggregation_max_size(
            input.get(), *request.dl_size, nullptr);
    auto reply = WDA_CALL(set_data_format, client, input.get());
    Format format;
    format.error = reply.error;
    if (reply.ok())
        read_format<
            QmiMessageWdaSetDataFormatOutput,
            qmi_message_wda_set_data_format_output_get_link_layer_protocol,
            qmi_message_wda_set_data_format_output_get_uplink_data_aggregation_protocol,
            qmi_message_wda_set_data_format_output_get_downlink_data_aggregation_protocol,
            qmi_message_wda_set_data_format_output_get_downlink_data_aggregation_max_datagrams,
            qmi_message_wda_set_data_format_output_get_downlink_data_aggregation_max_size,
            qmi_message_wda_set_data_format_output_get_uplink_data_aggregation_max_datagrams,
            qmi_message_wda_set_data_format_output_get_uplink_data_aggregation_max_size>(
            reply.output.get(), format);
    return format;
}

Format get_format(QmiClientWda *client)
{
    auto reply = WDA_CALL(get_data_format, client, nullptr);
    Format format;
    format.error = reply.error;
    if (reply.ok())
        read_format<
            QmiMessageWdaGetDataFormatOutput,
            qmi_message_wda_get_data_format_output_get_link_layer_protocol,
            qmi_message_wda_get_data_format_output_get_uplink_data_aggregation_protocol,
            qmi_message_wda_get_data_format_output_get_downlink_data_aggregation_protocol,
            qmi_message_wda_get_data_format_output_get_downlink_data_aggregation_max_datagrams,
            qmi_message_wda_get_data_format_output_get_downlink_data_aggregation_max_size,
            qmi_message_wda_get_data_format_output_get_uplink_data_aggregation_max_datagrams,
            qmi_message_wda_get_data_format_output_get_uplink_data_aggregation_max_size>(
            reply.output.get(), format);
    return format;
}

constexpr auto kRawIp = QMI_WDA_LINK_LAYER_PROTOCOL_RAW_IP;
constexpr auto kQmap = QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAP;
constexpr auto kDisabled = QMI_WDA_DATA_AGGREGATION_PROTOCOL_DISABLED;

} // namespace

TEST_CASE("WDA: data format, link layers and QMAP", "[wda]")
{
    Host h;
    auto wda = h.wda();
    Format f = get_format(wda.get());
    REQUIRE_FALSE(f.error);
    CHECK(f.link_layer == QMI_WDA_LINK_LAYER_PROTOCOL_802_3);
    CHECK(f.ul == kDisabled);
    CHECK(f.dl == kDisabled);
    CHECK_FALSE(f.dl_datagrams);

    f = set_format(wda.get(), {.link_layer = kRawIp});
    REQUIRE_FALSE(f.error);
    CHECK(f.link_layer == kRawIp);
    CHECK(h.sim.command("get wda.link-layer") == "OK raw-ip");

    // Firmware without QMAP answers "disabled".
    f = set_format(wda.get(), {.ul = kQmap, .dl = kQmap, .dl_datagrams = 10});
    REQUIRE_FALSE(f.error);
    CHECK(f.ul == kDisabled);
    CHECK(f.dl == kDisabled);
    CHECK_FALSE(f.dl_datagrams);
    CHECK(h.sim.command("get wda.aggregation") == "OK ul=disabled dl=disabled");

    REQUIRE(h.sim.command("set wda.qmap on") == "OK");
    f = set_format(wda.get(), {.ul = kQmap, .dl = kQmap, .dl_datagrams = 64, .dl_size = 16384});
    CHECK(f.ul == kQmap);
    CHECK(f.dl == kQmap);
    CHECK(f.dl_datagrams == 32u); // the firmware's limit
    CHECK(f.dl_size == 16384u);
    CHECK(f.ul_datagrams == 16u);
    CHECK(f.ul_size == 8192u);
    f = get_format(wda.get());
    CHECK(f.link_layer == kRawIp);
    CHECK(f.dl == kQmap);
    CHECK(f.dl_datagrams == 32u);
    CHECK(h.sim.command("get wda.aggregation") == "OK ul=qmap dl=qmap");
    CHECK(set_format(wda.get(), {.dl = kDisabled}).dl_datagrams == std::nullopt);

    // Link layers the firmware does not have.
    REQUIRE(h.sim.command("set wda.supported-link-layers 802-3") == "OK");
    CHECK(h.sim.command("get wda.supported-link-layers") == "OK 802-3");
    CHECK(set_format(wda.get(), {.link_layer = kRawIp}).error ==
          QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK(get_format(wda.get()).link_layer == kRawIp); // unchanged
    // A link layer libqmi has no name for goes as a raw message.
    const MessagePtr unknown =
        raw_command(h.device.get(), QMI_CLIENT(wda.get()), 0x0020, [](QmiMessage *request) {
            TlvWriter{request, 0x11}.u32(7).done();
        });
    CHECK(response_error(unknown.get()) == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK(err(h.sim.command("set wda.supported-link-layers ppp")));
    CHECK(err(h.sim.command("set wda.link-layer raw-ip")));

    // A reset brings the firmware's default back.
    REQUIRE(h.sim.command("reset") == "OK");
    CHECK(h.sim.command("get wda.link-layer") == "OK 802-3");
    CHECK(h.sim.command("get wda.aggregation") == "OK ul=disabled dl=disabled");
}

TEST_CASE("WDS and WDA: not among the default services", "[wds]")
{
    SimProcess sim;
    GObjectPtr<QmiDevice> device = open_device(sim.link);
    for (const QmiService service : {QMI_SERVICE_WDS, QMI_SERVICE_WDA}) {
        auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
            qmi_device_allocate_client(device.get(), service, QMI_CID_NONE, kQmiTimeoutS, nullptr,
                                       cb, data);
        });
        ErrorSlot error;
        GObjectPtr<QmiClient> client{
            qmi_device_allocate_client_finish(device.get(), result.get(), error.out())};
        CHECK_FALSE(client);
    }
    CHECK(sim.command("get wds.sessions") == "OK none");
    CHECK(sim.command("wds-disconnect all") == "OK 0");
}
