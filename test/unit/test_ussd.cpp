// USSD coding between oFono (23.038) and QMI VOICE (ASCII / UCS-2).
#include "translate/ussd.hpp"

#include <libqmi-glib.h>

#include <catch2/catch.hpp>

using namespace qmi;

TEST_CASE("GSM 7-bit packing as USSD uses it", "[ussd]")
{
    // "*100#": 5 septets.
    const auto packed = gsm7_pack("*100#");
    REQUIRE(packed);
    CHECK(*packed == Bytes{0xAA, 0x18, 0x0C, 0x36, 0x02});
    CHECK(gsm7_unpack(*packed) == "*100#");
    // 7 septets leave 7 spare bits: a CR goes there, and reads back as nothing.
    const auto seven = gsm7_pack("1234567");
    REQUIRE(seven);
    CHECK(seven->size() == 7);
    CHECK(seven->back() >> 1 == '\r');
    CHECK(gsm7_unpack(*seven) == "1234567");
    // Extension table and non-ASCII default characters.
    CHECK(gsm7_unpack(*gsm7_pack("Preis: 5€ [ok] £ é")) == "Preis: 5€ [ok] £ é");
    CHECK_FALSE(gsm7_pack("日本"));
}

TEST_CASE("oFono's USSD strings", "[ussd]")
{
    auto e = ussd_encode("Your balance is 42.00");
    CHECK(e.dcs == 0x0F);
    CHECK(ussd_decode(e.dcs, e.data) == "Your balance is 42.00");
    e = ussd_encode("Баланс 42");
    CHECK(e.dcs == 0x48);
    CHECK(e.data.size() == 18);
    CHECK(ussd_decode(e.dcs, e.data) == "Баланс 42");
    CHECK(ussd_decode(0x00, *gsm7_pack("*#06#")) == "*#06#");
    CHECK_FALSE(ussd_decode(0x44, Bytes{0x41})); // 8-bit data: not text
}

TEST_CASE("QMI USS data", "[ussd]")
{
    auto q = qmi_uss_encode("*100#");
    CHECK(q.qmi_dcs == QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII);
    CHECK(q.data == Bytes{'*', '1', '0', '0', '#'});
    q = qmi_uss_encode("Ünïcode");
    CHECK(q.qmi_dcs == QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2);
    CHECK(q.data[0] == 0x00);
    CHECK(q.data[1] == 0xDC);
    CHECK(qmi_uss_decode(q.qmi_dcs, q.data) == "Ünïcode");
    CHECK(qmi_uss_decode(QMI_VOICE_USS_DATA_CODING_SCHEME_8BIT, Bytes{0x41, 0xE9}) == "Aé");
    CHECK_FALSE(qmi_uss_decode(QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2, Bytes{0x00}));
    CHECK_FALSE(qmi_uss_decode(QMI_VOICE_USS_DATA_CODING_SCHEME_UNKNOWN, Bytes{0x41}));
}
