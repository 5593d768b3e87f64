// Unit tests of the simulator's TS 23.040 / 23.038 codec (sms_codec.hpp),
// linked into sim_wms_selftest.
#include <catch2/catch.hpp>

#include "sms_codec.hpp"

using namespace qmisim;
using namespace qmisim::sms;

namespace
{

Bytes hex_of(std::string_view text)
{
    const auto bytes = parse_hex(text);
    REQUIRE(bytes);
    return *bytes;
}

// Decodes the user text of a raw MT message.
UserText mt_text(const Bytes &tpdu)
{
    const auto raw = with_smsc("", tpdu);
    REQUIRE(raw);
    const ParsedPdu parsed = parse_mt(*raw);
    REQUIRE(parsed.tpdu);
    const auto text = user_text(*parsed.tpdu);
    REQUIRE(text);
    return *text;
}

} // namespace

TEST_CASE("SMS codec: GSM 7-bit packing", "[sms]")
{
    const auto hello = utf8_to_gsm7("hello");
    REQUIRE(hello);
    CHECK(pack7(*hello) == hex_of("E8329BFD06"));
    CHECK(pack7(*utf8_to_gsm7("hellohello")) == hex_of("E8329BFD4697D9EC37"));
    // Eight septets fill seven octets exactly.
    CHECK(pack7(*utf8_to_gsm7("12345678")) == hex_of("31D98C56B3DD70"));
    CHECK(unpack7(hex_of("E8329BFD06"), 5) == hello);
    CHECK_FALSE(unpack7(hex_of("E8329BFD"), 5));
    // One fill bit after a 6-octet header.
    const Bytes shifted = pack7(*hello, 1);
    CHECK(shifted == hex_of("D06536FB0D"));
    CHECK(unpack7(shifted, 5, 1) == hello);
}

TEST_CASE("SMS codec: default alphabet and extension table round trip", "[sms]")
{
    const std::string all = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                            "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    const auto septets = utf8_to_gsm7(all);
    REQUIRE(septets);
    CHECK(septets->size() == 127);
    CHECK(gsm7_to_utf8(*unpack7(pack7(*septets), septets->size())) == all);

    const std::string extension = "\f^{}\\[~]|€";
    const auto escaped = utf8_to_gsm7(extension);
    REQUIRE(escaped);
    CHECK(escaped->size() == 20);
    CHECK((*escaped)[0] == 0x1B);
    CHECK((*escaped)[19] == 0x65);
    CHECK(gsm7_to_utf8(*escaped) == extension);
    // An unknown extension code shows as its basic character.
    CHECK(gsm7_to_utf8({0x1B, 0x41}) == "A");
    CHECK_FALSE(utf8_to_gsm7("日本"));
    CHECK_FALSE(utf8_to_gsm7("`"));
}

TEST_CASE("SMS codec: UCS2", "[sms]")
{
    CHECK(utf8_to_ucs2("A日本ä") == hex_of("004165E5672C00E4"));
    CHECK(ucs2_to_utf8(hex_of("004165E5672C00E4")) == "A日本ä");
    CHECK_FALSE(utf8_to_ucs2("\xF0\x9F\x98\x80")); // outside the BMP
    CHECK_FALSE(utf8_to_ucs2("\xC3"));             // malformed UTF-8
    // A surrogate pair from another sender still decodes.
    CHECK(ucs2_to_utf8(hex_of("D83DDE00")) == "\xF0\x9F\x98\x80");
}

TEST_CASE("SMS codec: addresses, time stamps, data coding", "[sms]")
{
    CHECK(encode_tp_address("+15551234567") == hex_of("0B915155214365F7"));
    CHECK(encode_tp_address("1234") == hex_of("04812143"));
    CHECK_FALSE(encode_tp_address("12a4"));
    CHECK_FALSE(encode_tp_address("+"));
    CHECK_FALSE(encode_tp_address("123456789012345678901"));
    CHECK(address_text(hex_of("0B915155214365F7")) == "+15551234567");
    CHECK(address_text(hex_of("04812143")) == "1234");
    // Alphanumeric (TON 5): "Test", 4 septets in 7 semi-octets.
    CHECK(address_text(hex_of("07D0D4F29C0E")) == "Test");

    CHECK(encode_timestamp({2024, 3, 5, 14, 7, 9, 8}) == hex_of("42305041709080"));
    CHECK(encode_timestamp({2024, 12, 31, 23, 59, 58, -20}) == hex_of("4221133295850A"));

    CHECK(data_coding(Alphabet::Gsm7, kNoClass) == 0x00);
    CHECK(data_coding(Alphabet::Gsm7, 0) == 0x10);
    CHECK(data_coding(Alphabet::Ucs2, 2) == 0x1A);
    CHECK(parse_data_coding(0x00).message_class == kNoClass);
    CHECK(parse_data_coding(0x11).message_class == 1);
    CHECK(parse_data_coding(0x18).alphabet == Alphabet::Ucs2);
    CHECK(parse_data_coding(0xF2).message_class == 2);
    CHECK(parse_data_coding(0xF4).alphabet == Alphabet::Data8);
    CHECK(parse_data_coding(0xE0).alphabet == Alphabet::Ucs2);
    CHECK(parse_data_coding(0xC0).message_class == kNoClass);
}

TEST_CASE("SMS codec: SMS-SUBMIT parsing and its errors", "[sms]")
{
    // No SMSC, SUBMIT with a relative validity period, "hello" to +15551234567.
    const Bytes raw = hex_of("0011000B915155214365F70000AA05E8329BFD06");
    const ParsedPdu parsed = parse_submit(raw);
    REQUIRE(parsed.tpdu);
    CHECK(parsed.tpdu->type == TpduType::Submit);
    CHECK(parsed.smsc_length == 0);
    CHECK(address_text(parsed.tpdu->address) == "+15551234567");
    CHECK_FALSE(parsed.tpdu->status_report_request());
    CHECK(user_text(*parsed.tpdu)->text == "hello");
    // With an SMSC address in front.
    Bytes with_sc = hex_of("07915155000000F0");
    with_sc.insert(with_sc.end(), raw.begin() + 1, raw.end());
    CHECK(parse_submit(with_sc).smsc_length == 7);

    CHECK(parse_submit(hex_of("0004")).error == PduError::WrongType); // a DELIVER
    CHECK(parse_submit(hex_of("0011000B9151552143")).error == PduError::Malformed);
    CHECK(parse_submit(hex_of("0011000B915155214365F70000AA06E8329BFD06")).error ==
          PduError::Length);
    CHECK(parse_submit(hex_of("0011000B915155214365F70000AA05E8329BFD0600")).error ==
          PduError::Length);
    CHECK(parse_submit(hex_of("0F11")).error == PduError::SmscAddress);
    CHECK(parse_submit({}).error == PduError::Malformed);
}

TEST_CASE("SMS codec: SMS-DELIVER building, single and concatenated", "[sms]")
{
    const Timestamp t{2024, 3, 5, 14, 7, 9, 0};
    const auto single = build_deliver("+15551234567", "hello", Alphabet::Gsm7, kNoClass, 7, t);
    REQUIRE(single);
    REQUIRE(single->size() == 1);
    CHECK(single->front() == hex_of("040B915155214365F7000042305041709000"
                                    "05E8329BFD06"));
    CHECK(mt_text(single->front()).text == "hello");
    CHECK_FALSE(mt_text(single->front()).concat);

    // 200 septets: 153 + 47 with an 8-bit reference header.
    const std::string long_text(200, 'a');
    const auto parts = build_deliver("+15551234567", long_text, Alphabet::Gsm7, 1, 42, t);
    REQUIRE(parts);
    REQUIRE(parts->size() == 2);
    std::string joined;
    for (unsigned i = 0; i < parts->size(); i++) {
        const Bytes &tpdu = (*parts)[i];
        CHECK(tpdu[0] == 0x44); // UDHI, no more messages
        const UserText text = mt_text(tpdu);
        REQUIRE(text.concat);
        CHECK(text.concat->reference == 42);
        CHECK(text.concat->part == i + 1);
        CHECK(text.concat->total == 2);
        joined += text.text;
    }
    CHECK(joined == long_text);
    CHECK(mt_text(parts->front()).text.size() == 153);

    // An escape never ends a part without its code.
    const std::string euro = std::string(152, 'b') + "€" + std::string(20, 'c');
    const auto split = build_deliver("123", euro, Alphabet::Gsm7, kNoClass, 1, t);
    REQUIRE(split);
    REQUIRE(split->size() == 2);
    CHECK(mt_text(split->front()).text == std::string(152, 'b'));
    CHECK(mt_text(split->back()).text == "€" + std::string(20, 'c'));

    // UCS2: 70 characters fit one message, 71 take 67 + 4.
    std::string ucs2_text;
    for (int i = 0; i < 71; i++)
        ucs2_text += "日";
    const auto ucs2 = build_deliver("123", ucs2_text, Alphabet::Ucs2, 0, 9, t);
    REQUIRE(ucs2);
    REQUIRE(ucs2->size() == 2);
    CHECK(mt_text(ucs2->front()).text.size() == 67 * 3);
    CHECK(mt_text(ucs2->back()).text.size() == 4 * 3);
    const ParsedPdu parsed = parse_mt(*with_smsc("", ucs2->front()));
    CHECK(parse_data_coding(parsed.tpdu->dcs).message_class == 0);
    CHECK(build_deliver("123", ucs2_text.substr(0, 70 * 3), Alphabet::Ucs2, 0, 9, t)->size() == 1);

    CHECK_FALSE(build_deliver("123", "日本", Alphabet::Gsm7, kNoClass, 1, t));
    CHECK_FALSE(build_deliver("12x", "hi", Alphabet::Gsm7, kNoClass, 1, t));
}

TEST_CASE("SMS codec: SUBMIT for storage, status report, SMSC prefix", "[sms]")
{
    const auto submit = build_submit("+15551234567", "hello");
    REQUIRE(submit);
    CHECK(*submit == hex_of("01000B915155214365F7000005E8329BFD06"));
    const auto ucs2 = build_submit("123", "日本");
    REQUIRE(ucs2);
    const ParsedPdu parsed = parse_submit(*with_smsc("", *ucs2));
    REQUIRE(parsed.tpdu);
    CHECK(user_text(*parsed.tpdu)->text == "日本");
    CHECK_FALSE(build_submit("123", std::string(161, 'x')));

    const Timestamp t{2024, 3, 5, 14, 7, 9, 0};
    const Bytes report = build_status_report(5, hex_of("0B915155214365F7"), t, t, 0x00);
    CHECK(report == hex_of("06050B915155214365F742305041709000423050417090"
                           "0000"));
    const ParsedPdu mt = parse_mt(*with_smsc("+15550000000", report));
    REQUIRE(mt.tpdu);
    CHECK(mt.tpdu->type == TpduType::StatusReport);
    CHECK(mt.tpdu->reference == 5);
    CHECK(mt.smsc_length == 7);

    CHECK(with_smsc("+15550000000", {0x04}) == hex_of("07915155000000F004"));
    CHECK(with_smsc("", {0x04}) == hex_of("0004"));
    CHECK_FALSE(with_smsc("x", {0x04}));
}
