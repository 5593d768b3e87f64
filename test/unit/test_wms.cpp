// WMS <-> oFono SMS translation: where the TPDU starts, what it is, the
// service centre address and the bearer.
#include "translate/wms.hpp"

#include <catch2/catch.hpp>

using namespace qmi;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("MT data: SMSC prefix and message type", "[wms]")
{
    // SMSC +15550000000 (7 octets: 91 51 55 00 00 00 F0), SMS-DELIVER from +1555...
    const Bytes deliver{0x07, 0x91, 0x51, 0x55, 0x00, 0x00, 0x00, 0xF0, 0x04, 0x0B, 0x91,
                        0x51, 0x55, 0x21, 0x43, 0x65, 0xF7, 0x00, 0x00, 0x22, 0x11, 0x42,
                        0x21, 0x43, 0x65, 0x00, 0x05, 0xE8, 0x32, 0x9B, 0xFD, 0x06};
    auto m = parse_mt_message(deliver.data(), deliver.size());
    REQUIRE(m);
    CHECK(m->kind == MtMessage::Kind::Deliver);
    CHECK(m->tpdu_len == static_cast<int>(deliver.size()) - 8);
    CHECK(m->pdu == deliver);

    // No SMSC (length 0), status report (MTI 10).
    const Bytes report{0x00, 0x06, 0x2A, 0x0B, 0x91, 0x51, 0x55, 0x21, 0x43, 0x65, 0xF7};
    m = parse_mt_message(report.data(), report.size());
    REQUIRE(m);
    CHECK(m->kind == MtMessage::Kind::StatusReport);
    CHECK(m->tpdu_len == static_cast<int>(report.size()) - 1);

    // SMS-SUBMIT is not an MT message; truncated and oversized SMSCs are refused.
    const Bytes submit{0x00, 0x01, 0x00, 0x0B};
    CHECK_FALSE(parse_mt_message(submit.data(), submit.size()));
    const Bytes truncated{0x07, 0x91, 0x51};
    CHECK_FALSE(parse_mt_message(truncated.data(), truncated.size()));
    const Bytes only_smsc{0x01, 0x91};
    CHECK_FALSE(parse_mt_message(only_smsc.data(), only_smsc.size()));
    Bytes huge(20, 0x00);
    huge[0] = 12;
    CHECK_FALSE(parse_mt_message(huge.data(), huge.size()));
    CHECK_FALSE(parse_mt_message(nullptr, 0));
}

TEST_CASE("submit PDU and its TPDU length agree", "[wms]")
{
    const Bytes pdu{0x00, 0x01, 0x00, 0x0B, 0x91};
    CHECK(valid_submit(pdu.data(), 5, 4));
    CHECK_FALSE(valid_submit(pdu.data(), 5, 5));
    CHECK_FALSE(valid_submit(pdu.data(), 5, 3));
    const Bytes with_smsc{0x02, 0x81, 0x21, 0x01, 0x00};
    CHECK(valid_submit(with_smsc.data(), 5, 2));
    CHECK_FALSE(valid_submit(nullptr, 0, 0));
}

TEST_CASE("service centre address", "[wms]")
{
    auto sca = sca_from_wms("145", "+15550000000");
    REQUIRE(sca);
    CHECK(sca->number == "15550000000");
    CHECK(sca->type == 145);
    sca = sca_from_wms("129", "5550000");
    REQUIRE(sca);
    CHECK(sca->number == "5550000");
    CHECK(sca->type == 129);
    // Firmware that leaves the type empty but writes the '+'.
    sca = sca_from_wms("", "+4917000");
    REQUIRE(sca);
    CHECK(sca->type == 145);
    CHECK_FALSE(sca_from_wms("145", ""));
    CHECK_FALSE(sca_from_wms("145", "+49 170"));

    CHECK(sca_to_wms({"4917000", 145}) == "+4917000");
    CHECK(sca_to_wms({"5550000", 129}) == "5550000");
    CHECK_FALSE(sca_to_wms({"", 145}));
    CHECK_FALSE(sca_to_wms({"12345678901234567890123", 145}));
    CHECK_FALSE(sca_to_wms({"12a", 129}));
}

TEST_CASE("SMS bearer <-> WMS domain preference", "[wms]")
{
    CHECK(bearer_to_wms_domain(0) == 3);
    CHECK(bearer_to_wms_domain(1) == 2);
    CHECK(bearer_to_wms_domain(2) == 1);
    CHECK(bearer_to_wms_domain(3) == 0);
    CHECK_FALSE(bearer_to_wms_domain(4));
    for (int b = 0; b < 4; ++b)
        CHECK(wms_domain_to_bearer(*bearer_to_wms_domain(b)) == b);
    CHECK_FALSE(wms_domain_to_bearer(7));
}
