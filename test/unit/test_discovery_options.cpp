// plugins/discovery_options: OFONO_QMI_DISCOVERY.
#include "discovery_options.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using qmi::parse_discovery_options;

TEST_CASE("discovery options: unset or empty runs both sources", "[discovery]")
{
    std::vector<std::string> problems;
    auto o = parse_discovery_options(nullptr, problems);
    CHECK(o.udev);
    CHECK(o.qrtr);
    o = parse_discovery_options("", problems);
    CHECK(o.udev);
    CHECK(o.qrtr);
    o = parse_discovery_options("  ", problems);
    CHECK(o.udev);
    CHECK(o.qrtr);
    CHECK(problems.empty());
}

TEST_CASE("discovery options: a list picks sources", "[discovery]")
{
    std::vector<std::string> problems;
    auto o = parse_discovery_options("udev", problems);
    CHECK(o.udev);
    CHECK_FALSE(o.qrtr);
    o = parse_discovery_options("qrtr", problems);
    CHECK_FALSE(o.udev);
    CHECK(o.qrtr);
    o = parse_discovery_options(" qrtr , udev ", problems);
    CHECK(o.udev);
    CHECK(o.qrtr);
    o = parse_discovery_options("none", problems);
    CHECK_FALSE(o.udev);
    CHECK_FALSE(o.qrtr);
    o = parse_discovery_options("udev,,", problems);
    CHECK(o.udev);
    CHECK_FALSE(o.qrtr);
    CHECK(problems.empty());
}

TEST_CASE("discovery options: bad words are reported, not fatal", "[discovery]")
{
    std::vector<std::string> problems;
    auto o = parse_discovery_options("udev,bluetooth", problems);
    CHECK(o.udev);
    CHECK_FALSE(o.qrtr);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("'bluetooth'") != std::string::npos);

    // Nothing usable: both stay on, so a typo does not lose the modem.
    problems.clear();
    o = parse_discovery_options("UDEV", problems);
    CHECK(o.udev);
    CHECK(o.qrtr);
    CHECK(problems.size() == 2);

    // "none" with a source: none wins, and it is said.
    problems.clear();
    o = parse_discovery_options("none,udev", problems);
    CHECK_FALSE(o.udev);
    CHECK_FALSE(o.qrtr);
    CHECK(problems.size() == 1);
}
