// UIM -> oFono SIM translation, with the values QMI modems report.
#include "translate/uim.hpp"

#include <libqmi-glib.h>
#include <ofono/sim.h>

#include <catch2/catch.hpp>

using namespace qmi;

namespace
{
CardStatus card(int app_state, int pin1_state)
{
    CardStatus s;
    s.card = CardStatus::Card::Present;
    UimApp app;
    app.type = QMI_UIM_CARD_APPLICATION_TYPE_USIM;
    app.state = app_state;
    app.pin1_state = pin1_state;
    app.pin1_retries = 3;
    app.puk1_retries = 10;
    app.pin2_retries = 2;
    app.puk2_retries = 9;
    s.app = app;
    return s;
}
} // namespace

TEST_CASE("card and application state -> the password oFono must ask for", "[uim]")
{
    CHECK(to_password_type(card(QMI_UIM_CARD_APPLICATION_STATE_READY,
                                QMI_UIM_PIN_STATE_DISABLED)) == OFONO_SIM_PASSWORD_NONE);
    CHECK(to_password_type(card(QMI_UIM_CARD_APPLICATION_STATE_READY,
                                QMI_UIM_PIN_STATE_ENABLED_VERIFIED)) == OFONO_SIM_PASSWORD_NONE);
    CHECK(to_password_type(card(QMI_UIM_CARD_APPLICATION_STATE_PIN1_OR_UPIN_PIN_REQUIRED,
                                QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED)) ==
          OFONO_SIM_PASSWORD_SIM_PIN);
    CHECK(to_password_type(card(QMI_UIM_CARD_APPLICATION_STATE_PUK1_OR_UPIN_PUK_REQUIRED,
                                QMI_UIM_PIN_STATE_BLOCKED)) == OFONO_SIM_PASSWORD_SIM_PUK);
    CHECK(to_password_type(card(QMI_UIM_CARD_APPLICATION_STATE_PIN1_BLOCKED,
                                QMI_UIM_PIN_STATE_BLOCKED)) == OFONO_SIM_PASSWORD_SIM_PUK);
    CHECK(to_password_type(card(QMI_UIM_CARD_APPLICATION_STATE_PUK1_OR_UPIN_PUK_REQUIRED,
                                QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED)) ==
          OFONO_SIM_PASSWORD_INVALID);
    // Application still "detected" while the PIN state already says locked.
    CHECK(to_password_type(card(QMI_UIM_CARD_APPLICATION_STATE_DETECTED,
                                QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED)) ==
          OFONO_SIM_PASSWORD_SIM_PIN);
    CHECK(to_password_type(card(QMI_UIM_CARD_APPLICATION_STATE_ILLEGAL,
                                QMI_UIM_PIN_STATE_DISABLED)) == OFONO_SIM_PASSWORD_INVALID);
    CardStatus absent;
    CHECK(to_password_type(absent) == OFONO_SIM_PASSWORD_INVALID);
}

TEST_CASE("UPIN replaces PIN1 when the card says so", "[uim]")
{
    auto s = card(QMI_UIM_CARD_APPLICATION_STATE_DETECTED, QMI_UIM_PIN_STATE_DISABLED);
    s.app->upin_replaces_pin1 = true;
    s.app->upin_state = QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED;
    s.app->upin_retries = 1;
    CHECK(to_password_type(s) == OFONO_SIM_PASSWORD_SIM_PIN);
    int retries[OFONO_SIM_PASSWORD_INVALID];
    fill_retries(s, retries, OFONO_SIM_PASSWORD_INVALID);
    CHECK(retries[OFONO_SIM_PASSWORD_SIM_PIN] == 1);
    CHECK(pin1_enabled(s));
}

TEST_CASE("retry counters land in oFono's array slots", "[uim]")
{
    int retries[OFONO_SIM_PASSWORD_INVALID];
    fill_retries(card(QMI_UIM_CARD_APPLICATION_STATE_READY, QMI_UIM_PIN_STATE_ENABLED_VERIFIED),
                 retries, OFONO_SIM_PASSWORD_INVALID);
    CHECK(retries[OFONO_SIM_PASSWORD_SIM_PIN] == 3);
    CHECK(retries[OFONO_SIM_PASSWORD_SIM_PUK] == 10);
    CHECK(retries[OFONO_SIM_PASSWORD_SIM_PIN2] == 2);
    CHECK(retries[OFONO_SIM_PASSWORD_SIM_PUK2] == 9);
    CHECK(retries[OFONO_SIM_PASSWORD_PHSIM_PIN] == -1);
}

TEST_CASE("PIN protection state", "[uim]")
{
    CHECK(pin1_enabled(
        card(QMI_UIM_CARD_APPLICATION_STATE_READY, QMI_UIM_PIN_STATE_ENABLED_VERIFIED)));
    CHECK_FALSE(
        pin1_enabled(card(QMI_UIM_CARD_APPLICATION_STATE_READY, QMI_UIM_PIN_STATE_DISABLED)));
}

TEST_CASE("file paths: oFono big-endian ids become QMI little-endian", "[uim]")
{
    const unsigned char usim[] = {0x3F, 0x00, 0x7F, 0xFF};
    CHECK(to_qmi_path(usim, 4, 0x6F07, true) == std::vector<std::uint8_t>{0x00, 0x3F, 0xFF, 0x7F});
    CHECK(to_qmi_path(nullptr, 0, 0x2FE2, true) == std::vector<std::uint8_t>{0x00, 0x3F});
    CHECK(to_qmi_path(nullptr, 0, 0x6F07, true) ==
          std::vector<std::uint8_t>{0x00, 0x3F, 0xFF, 0x7F});
    CHECK(to_qmi_path(nullptr, 0, 0x6F07, false) ==
          std::vector<std::uint8_t>{0x00, 0x3F, 0x20, 0x7F});
    CHECK(session_for_path({0x00, 0x3F}) == QMI_UIM_SESSION_TYPE_CARD_SLOT_1);
    CHECK(session_for_path({0x00, 0x3F, 0xFF, 0x7F}) ==
          QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING);
}

TEST_CASE("file structures", "[uim]")
{
    CHECK(to_file_structure(QMI_UIM_FILE_TYPE_TRANSPARENT) == OFONO_SIM_FILE_STRUCTURE_TRANSPARENT);
    CHECK(to_file_structure(QMI_UIM_FILE_TYPE_LINEAR_FIXED) == OFONO_SIM_FILE_STRUCTURE_FIXED);
    CHECK(to_file_structure(QMI_UIM_FILE_TYPE_CYCLIC) == OFONO_SIM_FILE_STRUCTURE_CYCLIC);
    CHECK(to_file_structure(QMI_UIM_FILE_TYPE_DEDICATED_FILE) == -1);
}

TEST_CASE("EF-IMSI decoding", "[uim]")
{
    // 001010123456789: length 8, parity nibble 9 (odd), digits swapped.
    CHECK(decode_imsi({0x08, 0x09, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98}) == "001010123456789");
    // 14 digits padded with F.
    CHECK(decode_imsi({0x08, 0x01, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0xF8}) == "00101012345678");
    CHECK_FALSE(decode_imsi({}));
    CHECK_FALSE(decode_imsi({0x09, 0x09, 0x10})); // length past the data
    CHECK_FALSE(decode_imsi({0x08, 0x09, 0x1A, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98})); // not BCD
    CHECK_FALSE(decode_imsi({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})); // erased
}

TEST_CASE("PIN and PUK shapes are checked before anything reaches the card", "[uim]")
{
    CHECK(valid_pin("1234"));
    CHECK(valid_pin("12345678"));
    CHECK_FALSE(valid_pin("123"));
    CHECK_FALSE(valid_pin("123456789"));
    CHECK_FALSE(valid_pin("12a4"));
    CHECK(valid_puk("12345678"));
    CHECK_FALSE(valid_puk("1234567"));
    CHECK_FALSE(valid_puk("1234567x"));
}

TEST_CASE("DMS UIM state and PIN status -> the same card state as UIM", "[uim][dms]")
{
    const DmsPinStatus locked{QMI_DMS_UIM_PIN_STATUS_ENABLED_NOT_VERIFIED, 2, 10};
    const DmsPinStatus pin2{QMI_DMS_UIM_PIN_STATUS_ENABLED_NOT_VERIFIED, 3, 9};

    CHECK(card_status_from_dms(QMI_DMS_UIM_STATE_NOT_PRESENT, std::nullopt, std::nullopt).card ==
          CardStatus::Card::Absent);

    auto s = card_status_from_dms(QMI_DMS_UIM_STATE_LOCKED_OR_FAILED, locked, pin2);
    REQUIRE(s.card == CardStatus::Card::Present);
    CHECK(to_password_type(s) == OFONO_SIM_PASSWORD_SIM_PIN);
    CHECK(pin1_enabled(s));
    int retries[OFONO_SIM_PASSWORD_INVALID];
    fill_retries(s, retries, OFONO_SIM_PASSWORD_INVALID);
    CHECK(retries[OFONO_SIM_PASSWORD_SIM_PIN] == 2);
    CHECK(retries[OFONO_SIM_PASSWORD_SIM_PUK] == 10);
    CHECK(retries[OFONO_SIM_PASSWORD_SIM_PIN2] == 3);
    CHECK(retries[OFONO_SIM_PASSWORD_SIM_PUK2] == 9);

    const DmsPinStatus blocked{QMI_DMS_UIM_PIN_STATUS_BLOCKED, 0, 7};
    CHECK(to_password_type(card_status_from_dms(QMI_DMS_UIM_STATE_LOCKED_OR_FAILED, blocked,
                                                std::nullopt)) == OFONO_SIM_PASSWORD_SIM_PUK);
    const DmsPinStatus dead{QMI_DMS_UIM_PIN_STATUS_PERMANENTLY_BLOCKED, 0, 0};
    CHECK(to_password_type(card_status_from_dms(QMI_DMS_UIM_STATE_LOCKED_OR_FAILED, dead,
                                                std::nullopt)) == OFONO_SIM_PASSWORD_INVALID);

    // Unlocked: "unblocked" and "changed" both count as verified, PIN lock on.
    const DmsPinStatus changed{QMI_DMS_UIM_PIN_STATUS_CHANGED, 3, 10};
    auto ready = card_status_from_dms(QMI_DMS_UIM_STATE_INITIALIZATION_COMPLETED, changed, pin2);
    REQUIRE(ready.app);
    CHECK(ready.app->state == QMI_UIM_CARD_APPLICATION_STATE_READY);
    CHECK(to_password_type(ready) == OFONO_SIM_PASSWORD_NONE);
    CHECK(pin1_enabled(ready));
    const DmsPinStatus off{QMI_DMS_UIM_PIN_STATUS_DISABLED, 3, 10};
    CHECK_FALSE(pin1_enabled(
        card_status_from_dms(QMI_DMS_UIM_STATE_INITIALIZATION_COMPLETED, off, std::nullopt)));

    // Still initialising: present, not ready, no password asked yet.
    auto busy = card_status_from_dms(QMI_DMS_UIM_STATE_UNKNOWN, std::nullopt, std::nullopt);
    CHECK(busy.card == CardStatus::Card::Present);
    REQUIRE(busy.app);
    CHECK(busy.app->state == QMI_UIM_CARD_APPLICATION_STATE_DETECTED);
    CHECK(to_password_type(busy) == OFONO_SIM_PASSWORD_NONE);
}

TEST_CASE("ICCID digits -> EF-ICCID bytes", "[uim][dms]")
{
    using Bytes = std::vector<std::uint8_t>;
    CHECK(encode_iccid("8949000000000000001") ==
          Bytes{0x98, 0x94, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF1});
    CHECK(encode_iccid("8949000000000000001F") == encode_iccid("8949000000000000001"));
    CHECK(encode_iccid("89014103211118510720") ==
          Bytes{0x98, 0x10, 0x14, 0x30, 0x12, 0x11, 0x81, 0x15, 0x70, 0x02});
    CHECK_FALSE(encode_iccid(""));
    CHECK_FALSE(encode_iccid("89A1"));
    CHECK_FALSE(encode_iccid("123456789012345678901"));
}
