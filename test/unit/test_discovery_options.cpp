// plugins/discovery_options: OFONO_QMI_DISCOVERY.
#include "discovery_options.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using qmi::parse_discovery_options;

namespace
{
// Which sources run: "udev+qrtr", "udev", "qrtr" or "none".
std::string sources(const char *value, std::vector<std::string> &problems)
{
    const auto o = parse_discovery_options(value, problems);
    if (o.udev && o.qrtr)
        return "udev+qrtr";
    return o.udev ? "udev" : o.qrtr ? "qrtr" : "none";
}
} // namespace

TEST_CASE("discovery options: unset or empty runs both sources", "[discovery]")
{
    std::vector<std::string> problems;
    CHECK(sources(nullptr, problems) == "udev+qrtr");
    CHECK(sources("", problems) == "udev+qrtr");
    CHECK(sources("  ", problems) == "udev+qrtr");
    CHECK(problems.empty());
}

TEST_CASE("discovery options: a list picks sources", "[discovery]")
{
    std::vector<std::string> problems;
    CHECK(sources("udev", problems) == "udev");
    CHECK(sources("qrtr", problems) == "qrtr");
    CHECK(sources(" qrtr , udev ", problems) == "udev+qrtr");
    CHECK(sources("none", problems) == "none");
    CHECK(sources("udev,,", problems) == "udev");
    CHECK(problems.empty());
}

TEST_CASE("discovery options: bad words are reported, not fatal", "[discovery]")
{
    std::vector<std::string> problems;
    CHECK(sources("udev,bluetooth", problems) == "udev");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("'bluetooth'") != std::string::npos);

    // Nothing usable: both stay on, so a typo does not lose the modem.
    problems.clear();
    CHECK(sources("UDEV", problems) == "udev+qrtr");
    CHECK(problems.size() == 2);

    // "none" with a source: none wins, and it is said.
    problems.clear();
    CHECK(sources("none,udev", problems) == "none");
    CHECK(problems.size() == 1);
}
