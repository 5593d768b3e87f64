// Self-test for qmi-sim's UIM service and the DMS UIM messages: a libqmi host
// reads the card status and files, walks PIN1 through verify, PUK, unblock,
// change and protection, follows Card Status indications across removal and
// insertion, and uses the DMS fallback. The card model's unit tests are in
// card_selftest.cpp, linked into the same binary.
#include <catch2/catch.hpp>

#include "uim_host.hpp"

using namespace qmisim;
using namespace qmisim::selftest;
using namespace qmisim::uimtest;

// ---------------------------------------------------------------------------

TEST_CASE("UIM: card status and files of a card without PIN", "[uim]")
{
    Host h;
    const StatusView status = h.card_status();
    REQUIRE(status.valid);
    CHECK(status.gw_primary == 0x0000); // slot 1, application 1
    CHECK(status.card_state == QMI_UIM_CARD_STATE_PRESENT);
    REQUIRE(status.apps.size() == 1);
    const AppView &app = status.apps[0];
    CHECK(app.type == QMI_UIM_CARD_APPLICATION_TYPE_USIM);
    CHECK(app.state == QMI_UIM_CARD_APPLICATION_STATE_READY);
    CHECK(app.aid == kAid);
    CHECK(app.pin1 == QMI_UIM_PIN_STATE_DISABLED);
    CHECK(app.pin1_retries == 3);
    CHECK(app.puk1_retries == 10);
    CHECK(app.pin2 == QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED);

    // ICCID under the MF, the others under the ADF (or DF GSM).
    const FileReply iccid = read_transparent(h.uim.get(), kMf, 0x2FE2);
    CHECK_FALSE(iccid.error);
    CHECK(iccid.sw1 == 0x90);
    CHECK(iccid.sw2 == 0x00);
    CHECK(iccid.data == Bytes{0x98, 0x94, 0, 0, 0, 0, 0, 0, 0, 0xF1});
    const Bytes imsi{0x08, 0x09, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98};
    CHECK(read_transparent(h.uim.get(), kAdf, 0x6F07).data == imsi);
    CHECK(read_transparent(h.uim.get(), kGsm, 0x6F07).data == imsi);
    CHECK(read_transparent(h.uim.get(), kAdf, 0x6FAD).data == Bytes{0, 0, 0, 2});
    REQUIRE(h.sim.command("set sim.mnc-length 3") == "OK");
    CHECK(read_transparent(h.uim.get(), kAdf, 0x6FAD).data == Bytes{0, 0, 0, 3});
    Bytes spn = ascii("\x01QMI-SIM Mobile");
    spn.resize(17, 0xFF);
    CHECK(read_transparent(h.uim.get(), kAdf, 0x6F46).data == spn);
    CHECK(read_transparent(h.uim.get(), kAdf, 0x6F46, 1, 3).data == ascii("QMI"));

    // MSISDN: alpha "My Number", then +15551234567 (TON/NPI 0x91).
    Bytes msisdn = ascii("My Number");
    msisdn.resize(14, 0xFF);
    for (const guint8 b : {0x07, 0x91, 0x51, 0x55, 0x21, 0x43, 0x65, 0xF7})
        msisdn.push_back(b);
    msisdn.resize(28, 0xFF);
    const FileReply record = read_record(h.uim.get(), kAdf, 0x6F40, 1, 28);
    CHECK_FALSE(record.error);
    CHECK(record.data == msisdn);
    CHECK(read_record(h.uim.get(), kAdf, 0x6F40, 2, 28).error ==
          QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);

    // File attributes of MSISDN, with the FCP a host would parse.
    {
        Owned<QmiMessageUimGetFileAttributesInput, qmi_message_uim_get_file_attributes_input_unref>
            input{qmi_message_uim_get_file_attributes_input_new()};
        qmi_message_uim_get_file_attributes_input_set_session(
            input.get(), QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING, no_aid().get(), nullptr);
        qmi_message_uim_get_file_attributes_input_set_file(input.get(), 0x6F40,
                                                           path_array(kAdf).get(), nullptr);
        auto reply = UIM_CALL(get_file_attributes, h.uim.get(), input.get());
        REQUIRE(reply.ok());
        guint16 size = 0, id = 0, record_size = 0, record_count = 0;
        QmiUimFileType type{};
        QmiUimSecurityAttributeLogic read_logic{};
        QmiUimSecurityAttribute read_attributes{};
        GArray *raw = nullptr;
        REQUIRE(qmi_message_uim_get_file_attributes_output_get_file_attributes(
            reply.output.get(), &size, &id, &type, &record_size, &record_count, &read_logic,
            &read_attributes, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
            nullptr, &raw, nullptr));
        CHECK(size == 28);
        CHECK(id == 0x6F40);
        CHECK(type == QMI_UIM_FILE_TYPE_LINEAR_FIXED);
        CHECK(record_size == 28);
        CHECK(record_count == 1);
        CHECK(read_logic == QMI_UIM_SECURITY_ATTRIBUTE_LOGIC_SINGLE);
        CHECK(read_attributes == QMI_UIM_SECURITY_ATTRIBUTE_PIN1);
        const Bytes fcp = bytes_of(raw);
        REQUIRE(fcp.size() > 9);
        CHECK(fcp[0] == 0x62);
        CHECK(fcp[1] == fcp.size() - 2);
        CHECK(Bytes(fcp.begin() + 2, fcp.begin() + 9) ==
              Bytes{0x82, 0x05, 0x42, 0x21, 0x00, 0x1C, 0x01});
    }

    // A file the card does not have: protocol error and card result 6A 82.
    const FileReply fdn = read_transparent(h.uim.get(), kAdf, 0x6F3B);
    CHECK(fdn.error == QMI_PROTOCOL_ERROR_SIM_FILE_NOT_FOUND);
    CHECK(fdn.sw1 == 0x6A);
    CHECK(fdn.sw2 == 0x82);
    CHECK(read_transparent(h.uim.get(), {0x3F00, 0x7F10}, 0x6F07).error ==
          QMI_PROTOCOL_ERROR_SIM_FILE_NOT_FOUND);

    // Writes (raw requests): MSISDN is the host's, IMSI is not.
    Bytes number(28, 0xFF);
    number[14] = 0x03;
    number[15] = 0x81;
    number[16] = 0x21;
    number[17] = 0xF3;
    const FileReply written =
        raw_write(h.device.get(), h.uim.get(), 0x0023, kAdf, 0x6F40, 1, number);
    CHECK_FALSE(written.error);
    CHECK(written.sw1 == 0x90);
    CHECK(h.sim.command("get sim.file 3F007FFF6F40 record 1") ==
          "OK FFFFFFFFFFFFFFFFFFFFFFFFFFFF038121F3FFFFFFFFFFFFFFFFFFFF");
    CHECK(raw_write(h.device.get(), h.uim.get(), 0x0023, kAdf, 0x6F40, 1, {0x01}).error ==
          QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    const FileReply denied =
        raw_write(h.device.get(), h.uim.get(), 0x0022, kAdf, 0x6F07, 0, {0x01});
    CHECK(denied.error == QMI_PROTOCOL_ERROR_ACCESS_DENIED);
    CHECK(denied.sw1 == 0x69);
    CHECK(denied.sw2 == 0x82);

    // Messages the simulation does not have.
    CHECK(UIM_CALL(get_slot_status, h.uim.get(), nullptr).error ==
          QMI_PROTOCOL_ERROR_INVALID_QMI_COMMAND);
}

TEST_CASE("UIM: PIN1 required, blocked, unblocked, changed and disabled", "[uim]")
{
    Host h;
    CHECK(
        h.register_events(h.uim.get(), QMI_UIM_EVENT_REGISTRATION_FLAG_CARD_STATUS |
                                           QMI_UIM_EVENT_REGISTRATION_FLAG_PHYSICAL_SLOT_STATUS) ==
        QMI_UIM_EVENT_REGISTRATION_FLAG_CARD_STATUS);

    // Locking takes effect at the next power-up.
    REQUIRE(h.sim.command("set sim.pin-enabled true") == "OK");
    CHECK(h.sim.command("get sim.pin-state") == "OK verified");
    CHECK(h.next_indication().apps.at(0).pin1 == QMI_UIM_PIN_STATE_ENABLED_VERIFIED);
    REQUIRE(h.sim.command("sim remove") == "OK");
    REQUIRE(h.sim.command("sim insert") == "OK");
    CHECK(h.next_indication().card_state == QMI_UIM_CARD_STATE_ABSENT);
    StatusView locked = h.next_indication();
    CHECK(locked.app_in(QMI_UIM_CARD_APPLICATION_STATE_PIN1_OR_UPIN_PIN_REQUIRED));
    CHECK(locked.apps.at(0).pin1 == QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED);
    CHECK(h.card_status().app_in(QMI_UIM_CARD_APPLICATION_STATE_PIN1_OR_UPIN_PIN_REQUIRED));
    CHECK(h.sim.command("get sim.pin-state") == "OK required");

    // Locked: no IMSI (UIM or DMS), the ICCID is still readable.
    const FileReply imsi = read_transparent(h.uim.get(), kAdf, 0x6F07);
    CHECK(imsi.error == QMI_PROTOCOL_ERROR_ACCESS_DENIED);
    CHECK(imsi.sw1 == 0x69);
    CHECK(imsi.sw2 == 0x82);
    CHECK_FALSE(read_transparent(h.uim.get(), kMf, 0x2FE2).error);
    CHECK(DMS_CALL(uim_get_imsi, h.dms.get(), nullptr).error == QMI_PROTOCOL_ERROR_ACCESS_DENIED);

    // Three wrong PINs: 2, 1, 0 tries left, then PUK required.
    for (const guint8 left : {2, 1, 0}) {
        const PinReply wrong = verify_pin(h.uim.get(), "0000");
        CHECK(wrong.error == QMI_PROTOCOL_ERROR_INCORRECT_PIN);
        CHECK(wrong.verify_left == left);
        CHECK(wrong.unblock_left == 10);
        CHECK(h.next_indication().apps.at(0).pin1_retries == left);
    }
    CHECK(h.card_status().app_in(QMI_UIM_CARD_APPLICATION_STATE_PUK1_OR_UPIN_PUK_REQUIRED));
    CHECK(h.sim.command("get sim.pin-state") == "OK puk-required");
    CHECK(verify_pin(h.uim.get(), "1234").error == QMI_PROTOCOL_ERROR_PIN_BLOCKED);

    // Unblock: a wrong PUK costs one of ten, the right one sets the new PIN.
    const PinReply bad_puk = unblock_pin(h.uim.get(), "87654321", "2468");
    CHECK(bad_puk.error == QMI_PROTOCOL_ERROR_INCORRECT_PIN);
    CHECK(bad_puk.unblock_left == 9);
    CHECK_FALSE(unblock_pin(h.uim.get(), "12345678", "2468").error);
    CHECK(h.sim.command("get sim.pin") == "OK 2468");
    CHECK(h.sim.command("get sim.puk-retries") == "OK 10");
    StatusView ready = h.card_status();
    CHECK(ready.app_in(QMI_UIM_CARD_APPLICATION_STATE_READY));
    CHECK(ready.apps.at(0).pin1 == QMI_UIM_PIN_STATE_ENABLED_VERIFIED);
    CHECK(read_transparent(h.uim.get(), kAdf, 0x6F07).data.size() == 9);

    // Change needs the old PIN.
    const PinReply bad_old = change_pin(h.uim.get(), "1234", "97531");
    CHECK(bad_old.error == QMI_PROTOCOL_ERROR_INCORRECT_PIN);
    CHECK(bad_old.verify_left == 2);
    CHECK_FALSE(change_pin(h.uim.get(), "2468", "97531").error);
    CHECK(h.sim.command("get sim.pin") == "OK 97531");
    CHECK(h.sim.command("get sim.pin-retries") == "OK 3");

    // Protection off needs the PIN too.
    CHECK(set_pin_protection(h.uim.get(), false, "2468").verify_left == 2);
    CHECK_FALSE(set_pin_protection(h.uim.get(), false, "97531").error);
    CHECK(h.card_status().apps.at(0).pin1 == QMI_UIM_PIN_STATE_DISABLED);
    CHECK(h.sim.command("get sim.pin-enabled") == "OK false");
    CHECK(h.sim.command("get sim.pin-state") == "OK disabled");

    // Every change above was announced; the last one shows PIN1 disabled.
    // (libqmi may deliver indications after later responses.)
    h.settle();
    CHECK("OK " + std::to_string(h.indications.size()) == h.sim.command("indications uim 0x32"));
    REQUIRE_FALSE(h.indications.empty());
    REQUIRE(h.indications.back().apps.size() == 1);
    CHECK(h.indications.back().apps[0].pin1 == QMI_UIM_PIN_STATE_DISABLED);
    CHECK(h.indications.back().apps[0].pin1_retries == 3);

    // The verbose log shows no PIN or PUK (neither as text nor as TLV bytes).
    const std::string log = h.sim.log();
    CHECK(log.find("\"Verify PIN\"") != std::string::npos);
    for (const char *secret : {"'2468'", "'97531'", "'12345678'", "32:34:36:38", "39:37:35:33:31",
                               "31:32:33:34:35:36:37:38"})
        CHECK(log.find(secret) == std::string::npos);
}

TEST_CASE("UIM: a reset powers the card up again", "[uim]")
{
    Host h;
    REQUIRE(h.sim.command("set sim.pin-enabled true") == "OK");
    REQUIRE(h.sim.command("reset") == "OK");
    // The reset forgot every client: drop ours in libqmi only, take a new one.
    g_signal_handlers_disconnect_by_data(h.uim.get(), &h.indications);
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_release_client(h.device.get(), QMI_CLIENT(h.uim.get()),
                                  QMI_DEVICE_RELEASE_CLIENT_FLAGS_NONE, kQmiTimeoutS, nullptr, cb,
                                  data);
    });
    REQUIRE(qmi_device_release_client_finish(h.device.get(), result.get(), nullptr));
    h.uim = h.allocate_uim();
    CHECK(h.card_status().app_in(QMI_UIM_CARD_APPLICATION_STATE_PIN1_OR_UPIN_PIN_REQUIRED));
    CHECK_FALSE(verify_pin(h.uim.get(), "1234").error);
    CHECK(h.card_status().app_in(QMI_UIM_CARD_APPLICATION_STATE_READY));
}

TEST_CASE("UIM: removal and insertion raise Card Status indications", "[uim]")
{
    Host h;
    // A second client that did not register sees nothing.
    GObjectPtr<QmiClientUim> quiet = h.allocate_uim();
    std::vector<StatusView> quiet_indications;
    g_signal_connect(quiet.get(), "card-status", G_CALLBACK(on_card_status), &quiet_indications);
    h.register_events(h.uim.get(), QMI_UIM_EVENT_REGISTRATION_FLAG_CARD_STATUS);

    REQUIRE(h.sim.command("sim remove") == "OK");
    const StatusView gone = h.next_indication();
    CHECK(gone.valid);
    CHECK(gone.card_state == QMI_UIM_CARD_STATE_ABSENT);
    CHECK(gone.gw_primary == 0xFFFF);
    CHECK(gone.apps.empty());
    CHECK(h.sim.command("get sim.present") == "OK false");
    CHECK(h.sim.command("sim remove").rfind("ERR ", 0) == 0);
    CHECK(read_transparent(h.uim.get(), kMf, 0x2FE2).error == QMI_PROTOCOL_ERROR_DEVICE_NOT_READY);
    CHECK(DMS_CALL(uim_get_iccid, h.dms.get(), nullptr).error ==
          QMI_PROTOCOL_ERROR_UIM_UNINITIALIZED);
    {
        auto state = DMS_CALL(uim_get_state, h.dms.get(), nullptr);
        REQUIRE(state.ok());
        QmiDmsUimState value{};
        REQUIRE(
            qmi_message_dms_uim_get_state_output_get_state(state.output.get(), &value, nullptr));
        CHECK(value == QMI_DMS_UIM_STATE_NOT_PRESENT);
    }

    // With an initialisation delay the application is "detected" first.
    REQUIRE(h.sim.command("set sim.init-delay-ms 100") == "OK");
    REQUIRE(h.sim.command("sim insert") == "OK");
    CHECK(h.next_indication().app_in(QMI_UIM_CARD_APPLICATION_STATE_DETECTED));
    CHECK(read_transparent(h.uim.get(), kMf, 0x2FE2).error == QMI_PROTOCOL_ERROR_DEVICE_NOT_READY);
    CHECK(h.next_indication().app_in(QMI_UIM_CARD_APPLICATION_STATE_READY));
    CHECK(h.pending_indications() == 0);
    CHECK(quiet_indications.empty());
    CHECK(h.sim.command("indications uim 0x32") == "OK 3");

    // UIM Reset drops the registration.
    REQUIRE(UIM_CALL(reset, h.uim.get(), nullptr).ok());
    REQUIRE(h.sim.command("sim remove") == "OK");
    CHECK(h.pending_indications() == 0);
    g_signal_handlers_disconnect_by_data(quiet.get(), &quiet_indications);
}

TEST_CASE("DMS: UIM messages for modems without the UIM service", "[uim][dms]")
{
    Host h;
    // Without UIM in the list the DMS messages still reach the card.
    REQUIRE(h.sim.command("services dms,nas") == "OK");
    {
        auto iccid = DMS_CALL(uim_get_iccid, h.dms.get(), nullptr);
        REQUIRE(iccid.ok());
        const char *value = nullptr;
        REQUIRE(
            qmi_message_dms_uim_get_iccid_output_get_iccid(iccid.output.get(), &value, nullptr));
        CHECK(std::string{value} == "8949000000000000001");
    }
    {
        auto imsi = DMS_CALL(uim_get_imsi, h.dms.get(), nullptr);
        REQUIRE(imsi.ok());
        const char *value = nullptr;
        REQUIRE(qmi_message_dms_uim_get_imsi_output_get_imsi(imsi.output.get(), &value, nullptr));
        CHECK(std::string{value} == "001010123456789");
    }
    auto pin_status = [&h] {
        auto reply = DMS_CALL(uim_get_pin_status, h.dms.get(), nullptr);
        REQUIRE(reply.ok());
        QmiDmsUimPinStatus status{};
        guint8 verify = 0, unblock = 0;
        REQUIRE(qmi_message_dms_uim_get_pin_status_output_get_pin1_status(
            reply.output.get(), &status, &verify, &unblock, nullptr));
        QmiDmsUimPinStatus pin2{};
        REQUIRE(qmi_message_dms_uim_get_pin_status_output_get_pin2_status(
            reply.output.get(), &pin2, nullptr, nullptr, nullptr));
        CHECK(pin2 == QMI_DMS_UIM_PIN_STATUS_ENABLED_NOT_VERIFIED);
        return std::tuple{status, verify, unblock};
    };
    CHECK(pin_status() == std::tuple{QMI_DMS_UIM_PIN_STATUS_DISABLED, guint8{3}, guint8{10}});

    // Enable PIN1 through DMS: a wrong PIN costs a try.
    auto protect = [&h](const char *pin) {
        Owned<QmiMessageDmsUimSetPinProtectionInput,
              qmi_message_dms_uim_set_pin_protection_input_unref>
            input{qmi_message_dms_uim_set_pin_protection_input_new()};
        qmi_message_dms_uim_set_pin_protection_input_set_info(input.get(), QMI_DMS_UIM_PIN_ID_PIN,
                                                              TRUE, pin, nullptr);
        return DMS_CALL(uim_set_pin_protection, h.dms.get(), input.get());
    };
    auto wrong = protect("9999");
    CHECK(wrong.error == QMI_PROTOCOL_ERROR_INCORRECT_PIN);
    guint8 verify_left = 0, unblock_left = 0;
    CHECK(qmi_message_dms_uim_set_pin_protection_output_get_pin_retries_status(
        wrong.output.get(), &verify_left, &unblock_left, nullptr));
    CHECK(verify_left == 2);
    CHECK(unblock_left == 10);
    CHECK(protect("1234").ok());
    CHECK(pin_status() ==
          std::tuple{QMI_DMS_UIM_PIN_STATUS_ENABLED_VERIFIED, guint8{3}, guint8{10}});

    // After a power-up the PIN is needed: DMS Verify PIN.
    REQUIRE(h.sim.command("sim remove") == "OK");
    REQUIRE(h.sim.command("sim insert") == "OK");
    CHECK(std::get<0>(pin_status()) == QMI_DMS_UIM_PIN_STATUS_ENABLED_NOT_VERIFIED);
    CHECK(DMS_CALL(uim_get_imsi, h.dms.get(), nullptr).error == QMI_PROTOCOL_ERROR_ACCESS_DENIED);
    Owned<QmiMessageDmsUimVerifyPinInput, qmi_message_dms_uim_verify_pin_input_unref> verify{
        qmi_message_dms_uim_verify_pin_input_new()};
    qmi_message_dms_uim_verify_pin_input_set_info(verify.get(), QMI_DMS_UIM_PIN_ID_PIN, "1234",
                                                  nullptr);
    CHECK(DMS_CALL(uim_verify_pin, h.dms.get(), verify.get()).ok());
    CHECK(DMS_CALL(uim_get_imsi, h.dms.get(), nullptr).ok());
    CHECK(h.sim.command("get sim.pin-state") == "OK verified");
}
