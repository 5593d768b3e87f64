#include "translate/multiplex.hpp"

#include <catch2/catch.hpp>

#include <libqmi-glib.h>

using namespace qmi;

namespace
{
LinkFacts usb(bool add_mux)
{
    LinkFacts f;
    f.has_wda = true;
    f.interface = "wwan0";
    f.kernel_add_mux = add_mux;
    return f;
}
} // namespace

TEST_CASE("Multiplex= values", "[multiplex]")
{
    CHECK(parse_multiplex("auto") == Multiplex::Auto);
    CHECK(parse_multiplex("On") == Multiplex::On);
    CHECK(parse_multiplex("true") == Multiplex::On);
    CHECK(parse_multiplex("off") == Multiplex::Off);
    CHECK(parse_multiplex("0") == Multiplex::Off);
    CHECK_FALSE(parse_multiplex("maybe"));
    CHECK_FALSE(parse_multiplex(""));
    CHECK(std::string(multiplex_name(Multiplex::Auto)) == "auto");
    CHECK(std::string(multiplex_name(Multiplex::On)) == "on");
    CHECK(std::string(multiplex_name(Multiplex::Off)) == "off");
}

TEST_CASE("whether to ask the modem for QMAP", "[multiplex]")
{
    // auto: the kernel decides on USB, QRTR always multiplexes.
    CHECK(choose_multiplex(Multiplex::Auto, usb(true)).request_qmap);
    auto no_mux = choose_multiplex(Multiplex::Auto, usb(false));
    CHECK_FALSE(no_mux.request_qmap);
    CHECK(no_mux.why.find("/sys/class/net/wwan0/qmi/add_mux") != std::string::npos);
    LinkFacts soc = usb(false);
    soc.qrtr = true;
    CHECK(choose_multiplex(Multiplex::Auto, soc).request_qmap);
    // on: even without kernel support (the activation then reports it).
    CHECK(choose_multiplex(Multiplex::On, usb(false)).request_qmap);
    // off: never.
    CHECK_FALSE(choose_multiplex(Multiplex::Off, usb(true)).request_qmap);
    CHECK_FALSE(choose_multiplex(Multiplex::Off, soc).request_qmap);
    // Nothing to negotiate or to put links on.
    LinkFacts no_wda = usb(true);
    no_wda.has_wda = false;
    CHECK_FALSE(choose_multiplex(Multiplex::On, no_wda).request_qmap);
    CHECK(choose_multiplex(Multiplex::On, no_wda).why.find("WDA") != std::string::npos);
    LinkFacts no_if = soc;
    no_if.interface.clear();
    CHECK_FALSE(choose_multiplex(Multiplex::Auto, no_if).request_qmap);
    CHECK(choose_multiplex(Multiplex::Auto, no_if).why.find("NetworkInterface=") !=
          std::string::npos);
}

TEST_CASE("the modem's answer: QMAP both ways", "[multiplex]")
{
    CHECK(accepts_qmap(QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAP,
                       QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAP));
    CHECK(accepts_qmap(QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAPV5,
                       QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAPV4));
    CHECK_FALSE(accepts_qmap(QMI_WDA_DATA_AGGREGATION_PROTOCOL_DISABLED,
                             QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAP));
    CHECK_FALSE(accepts_qmap(QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAP,
                             QMI_WDA_DATA_AGGREGATION_PROTOCOL_DISABLED));
    CHECK_FALSE(accepts_qmap(QMI_WDA_DATA_AGGREGATION_PROTOCOL_MBIM,
                             QMI_WDA_DATA_AGGREGATION_PROTOCOL_MBIM));
}

TEST_CASE("the data endpoint the WDS clients bind to", "[multiplex]")
{
    auto soc = data_endpoint(true, "");
    REQUIRE(soc);
    CHECK(soc->type == QMI_DATA_ENDPOINT_TYPE_EMBEDDED);
    CHECK(soc->interface_number == 1);
    auto eg25 = data_endpoint(false, "04\n");
    REQUIRE(eg25);
    CHECK(eg25->type == QMI_DATA_ENDPOINT_TYPE_HSUSB);
    CHECK(eg25->interface_number == 4);
    CHECK(data_endpoint(false, "0a")->interface_number == 10);
    CHECK_FALSE(data_endpoint(false, ""));
    CHECK_FALSE(data_endpoint(false, "zz"));
    CHECK_FALSE(data_endpoint(false, "123"));
}

TEST_CASE("a failed link says what the kernel lacks", "[multiplex]")
{
    const std::string rmnet = explain_link_failure(LinkBackend::Rmnet, "wwan0", true, false,
                                                   "Netlink message with transaction 1 failed");
    CHECK(rmnet.find("no rmnet support") != std::string::npos);
    CHECK(rmnet.find("Netlink message") != std::string::npos);
    CHECK(explain_link_failure(LinkBackend::Rmnet, "wwan0", true, true, "timed out")
              .find("creating an rmnet link on wwan0 failed: timed out") != std::string::npos);
    const std::string add_mux =
        explain_link_failure(LinkBackend::QmiWwanAddMux, "wwan0", true, false, "EINVAL");
    CHECK(add_mux.find("/sys/class/net/wwan0/qmi/add_mux") != std::string::npos);
    CHECK(explain_link_failure(LinkBackend::Rmnet, "wwan0", false, false, "")
              .find("the base interface wwan0 does not exist") != std::string::npos);
}
