// Unit tests of the SIM card model (no simulator process): the encoders of
// sim_codec, the file contents and FCP templates, and the PIN rules.
#include <catch2/catch.hpp>

#include "card.hpp"

#include <map>

using namespace qmisim;

namespace
{

Bytes from_hex(const std::string &text)
{
    const auto bytes = parse_hex(text);
    REQUIRE(bytes);
    return *bytes;
}

// A simple BER-TLV walk (one-byte tags and lengths), as a host parses an FCP.
std::map<std::uint8_t, Bytes> ber_tlvs(const Bytes &data)
{
    std::map<std::uint8_t, Bytes> out;
    std::size_t i = 0;
    while (i + 2 <= data.size()) {
        const std::uint8_t tag = data[i];
        const std::size_t length = data[i + 1];
        REQUIRE(i + 2 + length <= data.size());
        out[tag] = Bytes(data.begin() + static_cast<std::ptrdiff_t>(i + 2),
                         data.begin() + static_cast<std::ptrdiff_t>(i + 2 + length));
        i += 2 + length;
    }
    CHECK(i == data.size());
    return out;
}

// The FCP body (inside tag 62), checked for a consistent outer length.
std::map<std::uint8_t, Bytes> fcp_of(const CardFile &file, bool pin1 = false, bool pin2 = true)
{
    const Bytes fcp = fcp_template(file, pin1, pin2);
    REQUIRE(fcp.size() >= 2);
    CHECK(fcp[0] == 0x62);
    CHECK(fcp[1] == fcp.size() - 2);
    return ber_tlvs(Bytes(fcp.begin() + 2, fcp.end()));
}

const FilePath kIccid{{fid::kMf}, fid::kIccid};
const FilePath kImsi{{fid::kMf, fid::kAdfUsim}, fid::kImsi};
const FilePath kImsiGsm{{fid::kMf, fid::kDfGsm}, fid::kImsi};
const FilePath kMsisdn{{fid::kMf, fid::kAdfUsim}, fid::kMsisdn};
const FilePath kLi{{fid::kMf, fid::kAdfUsim}, fid::kLi};

// Wrong codes until the counter is gone.
void exhaust_pin(Card &card)
{
    for (int i = 0; i < 3; i++)
        card.verify(PinId::Pin1, "0000");
    REQUIRE(card.lock(PinId::Pin1).pin.retries == 0);
}

} // namespace

TEST_CASE("codec: swapped BCD, ICCID and IMSI", "[card]")
{
    CHECK(encode_iccid("8949000000000000001") == from_hex("989400000000000000F1"));
    CHECK(encode_iccid("89490000000000000012") == from_hex("98940000000000000021"));
    CHECK_FALSE(encode_iccid("8949x"));
    CHECK_FALSE(encode_iccid("894900000000000000123")); // 21 digits
    CHECK(bcd_swapped("123", 3) == from_hex("21F3FF"));

    // 15 digits: odd parity (9) in the first nibble.
    CHECK(encode_imsi("001010123456789") == from_hex("080910101032547698"));
    // 14 digits: even parity (1), the last nibble padded with F.
    CHECK(encode_imsi("00101012345678") == from_hex("0801101010325476F8"));
    CHECK(encode_imsi("001010") == from_hex("04011010F0FFFFFFFF"));
    CHECK_FALSE(encode_imsi("0010101234567890"));
}

TEST_CASE("codec: GSM 7-bit default alphabet, unpacked", "[card]")
{
    const auto plain = gsm7_unpacked("QMI-SIM Mobile");
    REQUIRE(plain);
    CHECK(*plain == Bytes{'Q', 'M', 'I', '-', 'S', 'I', 'M', ' ', 'M', 'o', 'b', 'i', 'l', 'e'});
    CHECK(gsm7_unpacked("@$_") == from_hex("000211"));
    CHECK(gsm7_unpacked("é€[") == from_hex("051B651B3C"));
    CHECK(gsm7_unpacked("Ärger") == from_hex("5B72676572"));
    CHECK_FALSE(gsm7_unpacked("日本"));
    CHECK_FALSE(gsm7_unpacked("\xC3")); // truncated UTF-8
    CHECK_FALSE(gsm7_unpacked("`"));    // not in either table
}

TEST_CASE("codec: dialling numbers, SMS parameters, service tables, hex", "[card]")
{
    CHECK(encode_address("+15551234567") == from_hex("07915155214365F7"));
    CHECK(encode_address("0301*#") == from_hex("04813010BA"));
    CHECK_FALSE(encode_address("+"));
    CHECK_FALSE(encode_address("12a"));

    const auto msisdn = encode_dialling_number("My Number", "+15551234567", 28);
    REQUIRE(msisdn);
    CHECK(hex(*msisdn) == "4D79204E756D626572FFFFFFFFFF07915155214365F7FFFFFFFFFFFF");
    CHECK(encode_dialling_number("x", "", 28) == from_hex("78" + std::string(54, 'F')));
    CHECK_FALSE(encode_dialling_number("An alpha too long", "1", 28));
    CHECK_FALSE(encode_dialling_number("", "+123456789012345678901", 28));

    const auto smsp = encode_smsp("+15550000000", 40);
    REQUIRE(smsp);
    CHECK(hex(*smsp) == std::string(24, 'F') + "FD" + std::string(24, 'F') +
                            "07915155000000F0FFFFFFFF" + "FFFFFF");

    CHECK(service_table({12, 19, 21, 33, 34}, 8) == from_hex("0008140003000000"));
    CHECK(service_table({1, 8, 9, 100}, 2) == from_hex("8101"));
    CHECK(hex(from_hex("00aBff")) == "00ABFF");
    CHECK_FALSE(parse_hex("abc"));
    CHECK_FALSE(parse_hex("zz"));
}

TEST_CASE("card files: contents and FCP templates", "[card]")
{
    const Card card;
    const CardFiles &files = card.files();
    REQUIRE(files.find(kIccid));
    CHECK(files.find(kIccid)->data == from_hex("989400000000000000F1"));
    // The same EF under the ADF and under DF GSM; MSISDN also under DF TELECOM.
    CHECK(files.find(kImsi) == files.find(kImsiGsm));
    CHECK(files.find({{fid::kMf, fid::kDfTelecom}, fid::kMsisdn}) == files.find(kMsisdn));
    CHECK_FALSE(files.find({{fid::kMf, fid::kDfTelecom}, fid::kImsi}));
    CHECK_FALSE(files.find({{fid::kMf, fid::kAdfUsim}, 0x6F3B})); // no FDN
    CHECK_FALSE(files.find({{}, fid::kIccid}));

    CHECK(files.find({{fid::kMf, fid::kAdfUsim}, fid::kSpn})->data ==
          from_hex("01514D492D53494D204D6F62696C65FFFF"));
    CHECK(files.find({{fid::kMf, fid::kAdfUsim}, fid::kAd})->data == from_hex("00000002"));
    CHECK(files.find({{fid::kMf, fid::kAdfUsim}, fid::kUst})->data == from_hex("0008140003000000"));

    // Linear fixed EF: descriptor 42 21, record length 28 (2 bytes), 1 record.
    const auto msisdn = fcp_of(*files.find(kMsisdn));
    CHECK(msisdn.at(0x82) == from_hex("4221001C01"));
    CHECK(msisdn.at(0x83) == from_hex("6F40"));
    CHECK(msisdn.at(0x80) == from_hex("001C"));
    CHECK(msisdn.at(0x8A) == from_hex("05"));
    CHECK(msisdn.at(0x8B).size() == 3);
    CHECK(hex(fcp_template(*files.find(kMsisdn), false, true)) == "6217820542210"
                                                                  "01C0183026F408A01058B036F0605"
                                                                  "8002001C");

    // Transparent EF: descriptor 41 21, size 10.
    const auto iccid = fcp_of(*files.find(kIccid));
    CHECK(iccid.at(0x82) == from_hex("4121"));
    CHECK(iccid.at(0x83) == from_hex("2FE2"));
    CHECK(iccid.at(0x80) == from_hex("000A"));
    CHECK(iccid.at(0x8B).front() == 0x2F); // EF ARR under the MF

    // ADF: DF descriptor, the AID as DF name, the PIN status template.
    const auto adf = fcp_of(*files.find({{fid::kMf}, fid::kAdfUsim}), true, true);
    CHECK(adf.at(0x82) == from_hex("7821"));
    CHECK(adf.at(0x83) == from_hex("7FFF"));
    CHECK(adf.at(0x84) == kUsimAid);
    const auto pins = ber_tlvs(adf.at(0xC6));
    CHECK(pins.at(0x90) == from_hex("C0"));
    CHECK_FALSE(adf.contains(0x80));
    CHECK(ber_tlvs(fcp_of(*files.find({{}, fid::kMf}), false, true).at(0xC6)).at(0x90) ==
          from_hex("40"));
}

TEST_CASE("card: default status and file access", "[card]")
{
    Card card;
    const CardStatus status = card.status();
    CHECK(status.card_state == QMI_UIM_CARD_STATE_PRESENT);
    CHECK(status.app_state == QMI_UIM_CARD_APPLICATION_STATE_READY);
    CHECK(status.pin1 == PinView{QMI_UIM_PIN_STATE_DISABLED, 3, 10});
    CHECK(status.pin2 == PinView{QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED, 3, 10});

    CHECK(card.read_transparent(kImsi, 0, 0).data == from_hex("080910101032547698"));
    CHECK(card.read_transparent(kImsiGsm, 7, 2).data == from_hex("7698"));
    CHECK(card.read_transparent(kImsi, 0, 10).sw == kSwWrongLength);
    CHECK(card.read_transparent(kImsi, 10, 0).sw == kSwWrongOffset);
    CHECK(card.read_transparent(kMsisdn, 0, 0).sw == kSwIncompatibleStructure);
    const FileResult missing = card.read_transparent({{fid::kMf, fid::kAdfUsim}, 0x6F3B}, 0, 0);
    CHECK(missing.error == QMI_PROTOCOL_ERROR_SIM_FILE_NOT_FOUND);
    CHECK(missing.sw == kSwFileNotFound);

    CHECK(card.read_record(kMsisdn, 1, 0).data.size() == 28);
    CHECK(card.read_record(kMsisdn, 1, 9).data == gsm7_unpacked("My Number"));
    CHECK(card.read_record(kMsisdn, 2, 28).sw == kSwRecordNotFound);
    CHECK(card.read_record(kMsisdn, 1, 29).sw == kSwWrongLength);

    // MSISDN and languages are writable with PIN1 (disabled = satisfied).
    const Bytes record = *encode_dialling_number("Me", "+4930123", 28);
    CHECK(card.write_record(kMsisdn, 1, Bytes(27, 0xFF)).sw == kSwWrongLength);
    CHECK(card.write_record(kMsisdn, 1, record).error == QMI_PROTOCOL_ERROR_NONE);
    CHECK(card.read_record(kMsisdn, 1, 0).data == record);
    CHECK(card.write_transparent(kLi, 0, {'d', 'e'}).error == QMI_PROTOCOL_ERROR_NONE);
    CHECK(card.read_transparent(kLi, 0, 0).data == from_hex("6465FFFF"));
    CHECK(card.write_transparent(kLi, 3, {1, 2}).sw == kSwWrongLength);
    // IMSI and ICCID are not the host's to write.
    const FileResult denied = card.write_transparent(kImsi, 0, {0x01});
    CHECK(denied.error == QMI_PROTOCOL_ERROR_ACCESS_DENIED);
    CHECK(denied.sw == kSwSecurityNotSatisfied);
    CHECK(card.write_transparent(kIccid, 0, {0x01}).error == QMI_PROTOCOL_ERROR_ACCESS_DENIED);

    CHECK(card.set_imsi("310260000000001"));
    CHECK(card.read_transparent(kImsi, 0, 0).data == from_hex("083901620000000010"));
    CHECK_FALSE(card.set_imsi("12345"));
    CHECK(card.set_iccid("8949000000000000002F"));
    CHECK(card.profile().iccid == "8949000000000000002");
    CHECK_FALSE(card.set_mnc_length(4));
    CHECK_FALSE(card.set_spn("Seventeen letters"));
}

TEST_CASE("card: PIN1 lifecycle", "[card]")
{
    Card card;
    // Enabling needs the right PIN; a wrong one costs a try.
    PinResult r = card.set_protection(PinId::Pin1, true, "4321");
    CHECK(r.error == QMI_PROTOCOL_ERROR_INCORRECT_PIN);
    CHECK(r.retries == 2);
    CHECK(r.sw == StatusWord{0x63, 0xC2});
    r = card.set_protection(PinId::Pin1, true, "1234");
    CHECK(r.error == QMI_PROTOCOL_ERROR_NONE);
    CHECK(r.retries == 3);
    CHECK(card.lock(PinId::Pin1).state() == QMI_UIM_PIN_STATE_ENABLED_VERIFIED);

    // Power-up: PIN required, PIN1 files closed, MF files open.
    card.power_up(false);
    CHECK(card.app_state() == QMI_UIM_CARD_APPLICATION_STATE_PIN1_OR_UPIN_PIN_REQUIRED);
    CHECK(card.read_transparent(kImsi, 0, 0).error == QMI_PROTOCOL_ERROR_ACCESS_DENIED);
    CHECK(card.read_transparent(kIccid, 0, 0).error == QMI_PROTOCOL_ERROR_NONE);

    CHECK(card.verify(PinId::Pin1, "0000").retries == 2);
    CHECK(card.verify(PinId::Pin1, "0000").retries == 1);
    r = card.verify(PinId::Pin1, "0000");
    CHECK(r.error == QMI_PROTOCOL_ERROR_INCORRECT_PIN);
    CHECK(r.retries == 0);
    CHECK(card.app_state() == QMI_UIM_CARD_APPLICATION_STATE_PUK1_OR_UPIN_PUK_REQUIRED);
    CHECK(card.verify(PinId::Pin1, "1234").error == QMI_PROTOCOL_ERROR_PIN_BLOCKED);
    CHECK(card.change(PinId::Pin1, "1234", "5555").error == QMI_PROTOCOL_ERROR_PIN_BLOCKED);

    // Unblock: a bad new PIN costs nothing, a wrong PUK one try.
    CHECK(card.unblock(PinId::Pin1, "12345678", "12").error == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    r = card.unblock(PinId::Pin1, "11111111", "2468");
    CHECK(r.error == QMI_PROTOCOL_ERROR_INCORRECT_PIN);
    CHECK(r.unblock_retries == 9);
    r = card.unblock(PinId::Pin1, "12345678", "2468");
    CHECK(r.error == QMI_PROTOCOL_ERROR_NONE);
    CHECK(r.retries == 3);
    CHECK(r.unblock_retries == 10);
    CHECK(card.lock(PinId::Pin1).pin.code == "2468");
    CHECK(card.app_state() == QMI_UIM_CARD_APPLICATION_STATE_READY);

    // Change needs the old PIN.
    CHECK(card.change(PinId::Pin1, "1234", "97531").retries == 2);
    CHECK(card.change(PinId::Pin1, "2468", "97531").error == QMI_PROTOCOL_ERROR_NONE);
    CHECK(card.lock(PinId::Pin1).pin.retries == 3);
    CHECK(card.lock(PinId::Pin1).pin.code == "97531");

    // Disable: needs the PIN; then a disabled PIN cannot be changed.
    CHECK(card.set_protection(PinId::Pin1, false, "2468").error ==
          QMI_PROTOCOL_ERROR_INCORRECT_PIN);
    CHECK(card.set_protection(PinId::Pin1, false, "97531").error == QMI_PROTOCOL_ERROR_NONE);
    CHECK(card.lock(PinId::Pin1).state() == QMI_UIM_PIN_STATE_DISABLED);
    CHECK(card.change(PinId::Pin1, "97531", "1111").error == QMI_PROTOCOL_ERROR_INCOMPATIBLE_STATE);
    card.power_up(false);
    CHECK(card.app_state() == QMI_UIM_CARD_APPLICATION_STATE_READY);
}

TEST_CASE("card: PUK exhausted, PIN2, presence", "[card]")
{
    Card card;
    exhaust_pin(card);
    for (int i = 0; i < 10; i++)
        card.unblock(PinId::Pin1, "00000000", "1234");
    CHECK(card.lock(PinId::Pin1).state() == QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED);
    CHECK(card.app_state() == QMI_UIM_CARD_APPLICATION_STATE_PIN1_BLOCKED);
    CHECK(card.unblock(PinId::Pin1, "12345678", "1234").error ==
          QMI_PROTOCOL_ERROR_PIN_ALWAYS_BLOCKED);
    CHECK(card.verify(PinId::Pin1, "1234").error == QMI_PROTOCOL_ERROR_PIN_ALWAYS_BLOCKED);

    // PIN2 is separate and starts enabled.
    CHECK(card.verify(PinId::Pin2, "5678").error == QMI_PROTOCOL_ERROR_NONE);
    CHECK(card.status().pin2.state == QMI_UIM_PIN_STATE_ENABLED_VERIFIED);
    CHECK(card.change(PinId::Pin2, "5678", "8765").error == QMI_PROTOCOL_ERROR_NONE);
    CHECK(card.lock(PinId::Pin2).pin.code == "8765");

    card.remove();
    CHECK_FALSE(card.available());
    CHECK(card.status() == CardStatus{});
    card.insert();
    card.power_up(true);
    CHECK(card.app_state() == QMI_UIM_CARD_APPLICATION_STATE_DETECTED);
    CHECK_FALSE(card.available());
    card.finish_initialization();
    CHECK(card.available());
    CHECK(card.status().pin2.state == QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED);
}
