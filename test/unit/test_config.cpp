#include "config.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using qmi::parse_config;

namespace {
bool mentions(const qmi::ConfigResult &r, const std::string &text)
{
    return std::any_of(r.problems.begin(), r.problems.end(),
                       [&](const std::string &p) { return p.find(text) != std::string::npos; });
}
} // namespace

TEST_CASE("a full group becomes one modem", "[config]")
{
    auto r = parse_config("[pinephone]\nDevice=/dev/cdc-wdm0\nNetworkInterface=wwan0\n"
                          "Proxy=true\nAtPort=/dev/ttyUSB2\n");
    REQUIRE(r.modems.size() == 1);
    CHECK(r.problems.empty());
    const auto &m = r.modems[0];
    CHECK(m.name == "pinephone");
    CHECK(m.device == "/dev/cdc-wdm0");
    CHECK(m.network_interface == "wwan0");
    CHECK(m.proxy);
    CHECK(m.at_port == "/dev/ttyUSB2");
}

TEST_CASE("Proxy defaults to false and QRTR nodes are accepted", "[config]")
{
    auto r = parse_config("[soc]\nDevice=qrtr://0\n");
    REQUIRE(r.modems.size() == 1);
    CHECK_FALSE(r.modems[0].proxy);
    CHECK(r.modems[0].device == "qrtr://0");
}

TEST_CASE("a group without a usable Device is skipped, naming the group", "[config]")
{
    auto r = parse_config("[a]\nNetworkInterface=wwan0\n[b]\nDevice=cdc-wdm0\n"
                          "[c]\nDevice=qrtr://x\n[d]\nDevice=qrtr://\n[ok]\nDevice=/dev/x\n");
    REQUIRE(r.modems.size() == 1);
    CHECK(r.modems[0].name == "ok");
    CHECK(mentions(r, "[a]: Device= is missing"));
    CHECK(mentions(r, "[b]: Device=cdc-wdm0"));
    CHECK(mentions(r, "[c]: Device=qrtr://x"));
    CHECK(mentions(r, "[d]: Device=qrtr://"));
}

TEST_CASE("bad values and unknown keys are reported but keep the group", "[config]")
{
    auto r = parse_config("[m]\nDevice=/dev/cdc-wdm0\nProxy=yes please\n"
                          "NetworkInterface=this-name-is-far-too-long\nAtPort=ttyUSB2\nFoo=1\n");
    REQUIRE(r.modems.size() == 1);
    CHECK_FALSE(r.modems[0].proxy);
    CHECK(r.modems[0].network_interface.empty());
    CHECK(r.modems[0].at_port.empty());
    CHECK(mentions(r, "[m]: Proxy=yes please"));
    CHECK(mentions(r, "[m]: NetworkInterface=this-name-is-far-too-long"));
    CHECK(mentions(r, "[m]: AtPort=ttyUSB2"));
    CHECK(mentions(r, "[m]: unknown key 'Foo'"));
}

TEST_CASE("group names must be usable as a D-Bus path element", "[config]")
{
    auto r = parse_config("[my modem]\nDevice=/dev/x\n[my-modem]\nDevice=/dev/y\n[my_modem2]\nDevice=/dev/z\n");
    REQUIRE(r.modems.size() == 1);
    CHECK(r.modems[0].name == "my_modem2");
    CHECK(mentions(r, "[my modem]"));
    CHECK(mentions(r, "[my-modem]"));
}

TEST_CASE("a file that is not a key file is one problem, no modems", "[config]")
{
    auto r = parse_config("this is not\n[a key file");
    CHECK(r.modems.empty());
    CHECK(mentions(r, "not a valid key file"));
}

TEST_CASE("a missing file means no static modems and no complaint", "[config]")
{
    auto r = qmi::load_config_file("/nonexistent/qmi.conf");
    CHECK(r.modems.empty());
    CHECK(r.problems.empty());
}

TEST_CASE("config path: OFONO_QMI_CONFIG wins, else sysconfdir", "[config]")
{
    CHECK(qmi::config_path("/tmp/x.conf", "/etc") == "/tmp/x.conf");
    CHECK(qmi::config_path("", "/etc") == "/etc/ofono/qmi.conf");
    CHECK(qmi::config_path(nullptr, "/usr/local/etc") == "/usr/local/etc/ofono/qmi.conf");
}

TEST_CASE("QuectelDai= is an AT+QDAI value for a modem with an AtPort=", "[config]")
{
    auto r = parse_config("[pp]\nDevice=/dev/cdc-wdm0\nAtPort=/dev/ttyUSB2\n"
                          "QuectelDai=1,1,0,1,0,0,1,1\n"
                          "[bad]\nDevice=/dev/cdc-wdm1\nAtPort=/dev/ttyUSB3\nQuectelDai=pcm\n"
                          "[noport]\nDevice=/dev/cdc-wdm2\nQuectelDai=1,0,0,2,0,1,1,1\n");
    REQUIRE(r.modems.size() == 3);
    CHECK(r.modems[0].quectel_dai == "1,1,0,1,0,0,1,1");
    CHECK(r.modems[1].quectel_dai.empty());
    CHECK(r.modems[2].quectel_dai.empty());
    CHECK(mentions(r, "[bad]: QuectelDai=pcm is not a list of AT+QDAI numbers"));
    CHECK(mentions(r, "[noport]: QuectelDai= needs AtPort="));
    CHECK(r.problems.size() == 2);
}

TEST_CASE("Multiplex= is auto by default, on or off when set, auto when bad", "[config]")
{
    auto r =
        parse_config("[a]\nDevice=/dev/x\n[b]\nDevice=/dev/y\nMultiplex=on\n"
                     "[c]\nDevice=qrtr://0\nMultiplex=off\n[d]\nDevice=/dev/z\nMultiplex=maybe\n");
    REQUIRE(r.modems.size() == 4);
    CHECK(r.modems[0].multiplex == qmi::Multiplex::Auto);
    CHECK(r.modems[1].multiplex == qmi::Multiplex::On);
    CHECK(r.modems[2].multiplex == qmi::Multiplex::Off);
    CHECK(r.modems[3].multiplex == qmi::Multiplex::Auto);
    CHECK(r.problems.size() == 1);
    CHECK(mentions(r, "[d]: Multiplex=maybe is not auto, on or off"));
}
