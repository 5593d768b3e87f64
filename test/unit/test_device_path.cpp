#include "translate/device_path.hpp"

#include <catch2/catch.hpp>

TEST_CASE("qrtr://N addresses parse; everything else is a char device", "[device]")
{
    std::uint32_t node = 99;
    CHECK(qmi::parse_qrtr_node("qrtr://0", node));
    CHECK(node == 0);
    CHECK(qmi::parse_qrtr_node("qrtr://12", node));
    CHECK(node == 12);
    CHECK_FALSE(qmi::parse_qrtr_node("qrtr://", node));
    CHECK_FALSE(qmi::parse_qrtr_node("qrtr://1x", node));
    CHECK_FALSE(qmi::parse_qrtr_node("qrtr://-1", node));
    CHECK_FALSE(qmi::parse_qrtr_node("/dev/cdc-wdm0", node));
    CHECK_FALSE(qmi::parse_qrtr_node("qrtr:/1", node));
}
