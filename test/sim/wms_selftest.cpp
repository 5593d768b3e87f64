// Self-test for qmi-sim's WMS service: a libqmi host sends SMS and the
// control socket decodes them, the network delivers messages by the routes
// (stored and announced, or handed over and acknowledged, retransmitted
// when not), status reports follow TP-SRR, storage fills up. The codec's
// unit tests are in sms_codec_selftest.cpp, linked into the same binary.
#include <catch2/catch.hpp>

#include "wms_host.hpp"

#include <variant>

using namespace qmisim;
using namespace qmisim::selftest;
using namespace qmisim::wmstest;

namespace
{

constexpr auto kNv = QMI_WMS_STORAGE_TYPE_NV;
constexpr auto kUim = QMI_WMS_STORAGE_TYPE_UIM;
constexpr auto kNotRead = QMI_WMS_MESSAGE_TAG_TYPE_MT_NOT_READ;
constexpr auto kRead = QMI_WMS_MESSAGE_TAG_TYPE_MT_READ;

// A raw SMS-SUBMIT without SMSC address (the modem's is used).
Bytes submit(const std::string &to, const std::string &text, bool status_report = false)
{
    auto tpdu = sms::build_submit(to, text);
    REQUIRE(tpdu);
    if (status_report)
        (*tpdu)[0] |= 0x20; // TP-SRR
    return *sms::with_smsc("", *tpdu);
}

sms::Tpdu mt_tpdu(const Bytes &raw)
{
    const sms::ParsedPdu parsed = sms::parse_mt(raw);
    REQUIRE(parsed.tpdu);
    return *parsed.tpdu;
}

std::string mt_text(const Bytes &raw)
{
    const auto text = sms::user_text(mt_tpdu(raw));
    REQUIRE(text);
    return text->text;
}

std::string ok(std::string payload = {})
{
    return payload.empty() ? "OK" : "OK " + payload;
}

std::optional<QmiProtocolError> modify_tag(QmiClientWms *wms, guint32 index,
                                           QmiWmsMessageTagType tag)
{
    Owned<QmiMessageWmsModifyTagInput, qmi_message_wms_modify_tag_input_unref> input{
        qmi_message_wms_modify_tag_input_new()};
    qmi_message_wms_modify_tag_input_set_message_tag(input.get(), kNv, index, tag, nullptr);
    return WMS_CALL(modify_tag, wms, input.get()).error;
}

std::pair<QmiProtocolError, guint32> raw_write(QmiClientWms *wms, QmiWmsStorageType storage,
                                               const Bytes &raw)
{
    Owned<QmiMessageWmsRawWriteInput, qmi_message_wms_raw_write_input_unref> input{
        qmi_message_wms_raw_write_input_new()};
    qmi_message_wms_raw_write_input_set_raw_message_data(
        input.get(), storage, QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT,
        byte_array(raw).get(), nullptr);
    auto reply = WMS_CALL(raw_write, wms, input.get());
    guint32 index = 0xFFFFFFFF;
    qmi_message_wms_raw_write_output_get_memory_index(reply.output.get(), &index, nullptr);
    return {reply.error.value_or(QMI_PROTOCOL_ERROR_NONE), index};
}

// Get SMSC Address (libqmi 1.32 has no method): {type, digits} or the error.
std::variant<std::pair<std::string, std::string>, QmiProtocolError> get_smsc(Host &h)
{
    MessagePtr response = raw_request(h.device.get(), h.wms.get(), 0x0034, [](QmiMessage *) {});
    if (const auto error = status_of(response.get()))
        return error;
    TlvReader reader{response.get(), 0x01};
    const auto type = reader.bytes(3);
    const auto digits = reader.string8();
    REQUIRE(type);
    REQUIRE(digits);
    return std::pair{std::string(type->begin(), type->end()), *digits};
}

QmiProtocolError set_smsc(Host &h, std::optional<std::string> address,
                          std::optional<std::string> type)
{
    MessagePtr response = raw_request(h.device.get(), h.wms.get(), 0x0035, [&](QmiMessage *m) {
        if (address)
            write_string_tlv(m, 0x01, *address);
        if (type)
            write_string_tlv(m, 0x10, *type);
    });
    return status_of(response.get());
}

// Get Storage Max Size: {max, free}.
std::pair<guint32, guint32> storage_size(Host &h, QmiWmsStorageType storage)
{
    MessagePtr response = raw_request(h.device.get(), h.wms.get(), 0x0036, [&](QmiMessage *m) {
        write_u8_tlv(m, 0x01, storage);
        write_u8_tlv(m, 0x10, QMI_WMS_MESSAGE_MODE_GSM_WCDMA);
    });
    REQUIRE(status_of(response.get()) == QMI_PROTOCOL_ERROR_NONE);
    TlvReader max{response.get(), 0x01};
    TlvReader free{response.get(), 0x10};
    const auto m = max.u32();
    const auto f = free.u32();
    REQUIRE(m);
    REQUIRE(f);
    return {*m, *f};
}

// Drops the client in libqmi only (after a modem reset it is gone anyway).
void forget_client(Host &h, GObjectPtr<QmiClientWms> &client)
{
    h.unwatch(client.get());
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_release_client(h.device.get(), QMI_CLIENT(client.get()),
                                  QMI_DEVICE_RELEASE_CLIENT_FLAGS_NONE, kQmiTimeoutS, nullptr, cb,
                                  data);
    });
    REQUIRE(qmi_device_release_client_finish(h.device.get(), result.get(), nullptr));
    client.reset();
}

} // namespace

// ---------------------------------------------------------------------------

TEST_CASE("WMS: Raw Send assigns message ids, the control socket decodes them", "[wms]")
{
    Host h;
    {
        auto protocol = WMS_CALL(get_message_protocol, h.wms.get(), nullptr);
        REQUIRE(protocol.ok());
        QmiWmsMessageProtocol value{};
        REQUIRE(qmi_message_wms_get_message_protocol_output_get_message_protocol(
            protocol.output.get(), &value, nullptr));
        CHECK(value == QMI_WMS_MESSAGE_PROTOCOL_WCDMA);
    }

    const Bytes hello = submit("+15551234567", "hello");
    CHECK(raw_send(h.wms.get(), hello).message_id == 0);
    CHECK(raw_send(h.wms.get(), submit("+4917012345", "Grüße {ok}")).message_id == 1);
    CHECK(raw_send(h.wms.get(), submit("123", "日本語")).message_id == 2);
    // Part 1 of 3 with an 8-bit reference (12): header, one fill bit, text.
    Bytes concat = hex_bytes("0041000B915155214365F70000");
    const Bytes septets = *sms::utf8_to_gsm7("part one");
    concat.push_back(static_cast<guint8>(7 + septets.size()));
    for (const guint8 b : {0x05, 0x00, 0x03, 0x0C, 0x03, 0x01})
        concat.push_back(b);
    const Bytes packed = sms::pack7(septets, 1);
    concat.insert(concat.end(), packed.begin(), packed.end());
    CHECK(raw_send(h.wms.get(), concat).message_id == 3);

    CHECK(h.sim.command("get wms.sent") == ok("4"));
    CHECK(h.sim.command("get wms.sent-pdu 1") == ok(hex(hello)));
    CHECK(h.sim.command("get wms.sent-text 1") == ok("+15551234567 hello"));
    CHECK(h.sim.command("get wms.sent-text 2") == ok("+4917012345 Grüße {ok}"));
    CHECK(h.sim.command("get wms.sent-text 3") == ok("123 日本語"));
    CHECK(h.sim.command("get wms.sent-text 4") == ok("+15551234567 [ref 12 part 1/3] part one"));
    CHECK(h.sim.command("get wms.sent-text 5").rfind("ERR ", 0) == 0);

    // PDUs that are no SMS-SUBMIT; none of them takes a message id.
    CHECK(raw_send(h.wms.get(), hex_bytes("00040B915155214365F7000042305041709000"
                                          "00"))
              .error == QMI_PROTOCOL_ERROR_WMS_T_PDU_TYPE);
    CHECK(raw_send(h.wms.get(), Bytes(hello.begin(), hello.end() - 2)).error ==
          QMI_PROTOCOL_ERROR_WMS_ENCODING);
    Bytes long_udl = hello;
    long_udl[long_udl.size() - 6]++;
    CHECK(raw_send(h.wms.get(), long_udl).error == QMI_PROTOCOL_ERROR_WMS_ENCODING);
    CHECK(raw_send(h.wms.get(), hello, QMI_WMS_MESSAGE_FORMAT_CDMA).error ==
          QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    Bytes bad_smsc = hello;
    bad_smsc[0] = 0x0F;
    CHECK(raw_send(h.wms.get(), bad_smsc).error == QMI_PROTOCOL_ERROR_WMS_SMSC_ADDRESS);
    // Without an SMSC in the modem, the PDU must carry one.
    REQUIRE(h.sim.command("set wms.smsc none") == "OK");
    CHECK(raw_send(h.wms.get(), hello).error == QMI_PROTOCOL_ERROR_WMS_SMSC_ADDRESS);
    Bytes with_smsc = hex_bytes("07915155000000F0");
    with_smsc.insert(with_smsc.end(), hello.begin() + 1, hello.end());
    CHECK(raw_send(h.wms.get(), with_smsc).message_id == 4);
    CHECK(h.sim.command("get wms.sent") == ok("5"));
    CHECK(h.sim.command("get wms.sent-text 5") == ok("+15551234567 hello"));
    CHECK(h.sim.command("requests wms 0x20") == ok("11"));
}

TEST_CASE("WMS: sms-send-fail fails the next Raw Send once", "[wms]")
{
    Host h;
    const Bytes hello = submit("+15551234567", "hello");
    REQUIRE(h.sim.command("sms-send-fail 41") == "OK");
    const SendReply failed = raw_send(h.wms.get(), hello);
    CHECK(failed.error == QMI_PROTOCOL_ERROR_WMS_CAUSE_CODE);
    CHECK(failed.cause == std::pair{41u, 0xFFu});
    CHECK(failed.failure_type == QMI_WMS_MESSAGE_DELIVERY_FAILURE_TYPE_TEMPORARY);
    // The attempt took reference 0; the next one goes through.
    CHECK(raw_send(h.wms.get(), hello).message_id == 1);

    REQUIRE(h.sim.command("sms-send-fail 0x15 0xD0") == "OK");
    const SendReply rejected = raw_send(h.wms.get(), hello);
    CHECK(rejected.error == QMI_PROTOCOL_ERROR_WMS_CAUSE_CODE);
    CHECK(rejected.cause == std::pair{21u, 0xD0u});
    CHECK(rejected.failure_type == QMI_WMS_MESSAGE_DELIVERY_FAILURE_TYPE_PERMANENT);
    CHECK_FALSE(raw_send(h.wms.get(), hello).error);
    CHECK(h.sim.command("get wms.sent") == ok("4"));
    CHECK(h.sim.command("sms-send-fail 300").rfind("ERR ", 0) == 0);
}

TEST_CASE("WMS: store and notify, then list, read, tag and delete", "[wms]")
{
    Host h;
    // A second client that did not subscribe hears nothing.
    GObjectPtr<QmiClientWms> quiet = h.allocate_wms();
    std::vector<EventView> quiet_events;
    g_signal_connect(quiet.get(), "event-report", G_CALLBACK(on_event_report), &quiet_events);
    h.subscribe(h.wms.get());

    REQUIRE(h.sim.command("sms-text +15551234567 gsm7 none Hello there") == ok("1"));
    const EventView first = h.next_event();
    CHECK(first.stored == std::pair{kNv, 0u});
    CHECK_FALSE(first.transfer);
    CHECK(first.mode == QMI_WMS_MESSAGE_MODE_GSM_WCDMA);
    CHECK(list_messages(h.wms.get(), kNv) == Listing{{0, kNotRead}});

    const ReadReply read = raw_read(h.wms.get(), kNv, 0);
    CHECK_FALSE(read.error);
    CHECK(read.tag == kNotRead);
    CHECK(read.format == QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT);
    CHECK(Bytes(read.raw.begin(), read.raw.begin() + 8) == hex_bytes("07915155000000F0"));
    CHECK(mt_text(read.raw) == "Hello there");
    CHECK(sms::address_text(mt_tpdu(read.raw).address) == "+15551234567");

    CHECK_FALSE(modify_tag(h.wms.get(), 0, kRead));
    CHECK(list_messages(h.wms.get(), kNv, kNotRead).empty());
    CHECK(list_messages(h.wms.get(), kNv, kRead) == Listing{{0, kRead}});
    CHECK(modify_tag(h.wms.get(), 0, QMI_WMS_MESSAGE_TAG_TYPE_MO_SENT) ==
          QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);

    REQUIRE(h.sim.command("sms-text 1234 ucs2 none Ünïcødé 日本") == ok("1"));
    CHECK(h.next_event().stored == std::pair{kNv, 1u});
    CHECK(mt_text(raw_read(h.wms.get(), kNv, 1).raw) == "Ünïcødé 日本");

    CHECK_FALSE(delete_messages(h.wms.get(), kNv, 0u, std::nullopt));
    CHECK(list_messages(h.wms.get(), kNv) == Listing{{1, kNotRead}});
    CHECK(raw_read(h.wms.get(), kNv, 0).error == QMI_PROTOCOL_ERROR_NO_ENTRY);
    CHECK(raw_read(h.wms.get(), kNv, 50).error == QMI_PROTOCOL_ERROR_INVALID_INDEX);
    CHECK(delete_messages(h.wms.get(), kNv, 0u, std::nullopt) == QMI_PROTOCOL_ERROR_NO_ENTRY);
    CHECK_FALSE(delete_messages(h.wms.get(), kNv, std::nullopt, kRead));
    CHECK(list_messages(h.wms.get(), kNv).size() == 1);
    CHECK_FALSE(delete_messages(h.wms.get(), kNv, std::nullopt, kNotRead));
    CHECK(list_messages(h.wms.get(), kNv).empty());

    CHECK(h.pending_events() == 0);
    CHECK(quiet_events.empty());
    CHECK(h.sim.command("indications wms 0x01") == ok("2"));
    CHECK(h.sim.command("get wms.deliveries") == ok("2"));
    g_signal_handlers_disconnect_by_data(quiet.get(), &quiet_events);
}

TEST_CASE("WMS: messages stored while no host ran are listed at connect", "[wms]")
{
    Host h;
    REQUIRE(h.sim.command("sms-store nv not-read +15551234567 Offline hello") == ok("0"));
    REQUIRE(h.sim.command("sms-store nv read +15551234567 Older") == ok("1"));
    REQUIRE(h.sim.command("sms-store uim not-sent +15557654321 Draft") == ok("0"));
    CHECK(h.sim.command("sms-store nv unread 123 x").rfind("ERR ", 0) == 0);
    CHECK(h.sim.command("sms-store nv read 123 " + std::string(200, 'x')).rfind("ERR ", 0) == 0);
    CHECK(h.pending_events() == 0);
    CHECK(h.sim.command("indications wms") == ok("0"));

    h.subscribe(h.wms.get());
    CHECK(list_messages(h.wms.get(), kNv, kNotRead) == Listing{{0, kNotRead}});
    CHECK(list_messages(h.wms.get(), kNv) == Listing{{0, kNotRead}, {1, kRead}});
    CHECK(mt_text(raw_read(h.wms.get(), kNv, 0).raw) == "Offline hello");
    CHECK(list_messages(h.wms.get(), kUim) == Listing{{0, QMI_WMS_MESSAGE_TAG_TYPE_MO_NOT_SENT}});
    const Bytes draft = raw_read(h.wms.get(), kUim, 0).raw;
    const sms::ParsedPdu parsed = sms::parse_submit(draft);
    REQUIRE(parsed.tpdu);
    CHECK(sms::user_text(*parsed.tpdu)->text == "Draft");
    CHECK(h.sim.command("get wms.storage nv") == ok("2 0:not-read 1:read"));
    CHECK(h.sim.command("get wms.storage uim") == ok("1 0:not-sent"));
    CHECK(h.sim.command("get wms.storage") == ok("2 0:not-read 1:read"));
    // Nothing was announced: the messages were there before.
    CHECK(h.pending_events() == 0);
}

TEST_CASE("WMS: transfer-only delivery, acks and retransmission", "[wms]")
{
    // Retransmissions wait 150 ms; every other offer waits a minute, so that
    // nothing else is retransmitted however slow the host is.
    Host h;
    REQUIRE(h.sim.command("set wms.ack-timeout-ms 60000") == "OK");
    CHECK_FALSE(set_routes(h.wms.get(),
                           {{QMI_WMS_MESSAGE_CLASS_NONE, QMI_WMS_STORAGE_TYPE_NONE,
                             QMI_WMS_RECEIPT_ACTION_TRANSFER_ONLY}},
                           std::nullopt));

    // Nobody subscribed: the network waits, and offers it on subscription.
    REQUIRE(h.sim.command("sms-text +15551234567 gsm7 none first") == ok("1"));
    CHECK(h.pending_events() == 0);
    CHECK(h.sim.command("get wms.unacked") == ok("1"));
    h.subscribe(h.wms.get());
    const EventView first = h.next_event();
    CHECK(first.transfer);
    CHECK_FALSE(first.stored);
    CHECK(first.ack == QMI_WMS_ACK_INDICATOR_SEND);
    CHECK(first.format == QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT);
    CHECK(first.mode == QMI_WMS_MESSAGE_MODE_GSM_WCDMA);
    CHECK(mt_text(first.raw) == "first");
    CHECK_FALSE(send_ack(h.wms.get(), first.transaction, true).error);
    CHECK(h.sim.command("get wms.unacked") == ok("0"));
    const AckReply again = send_ack(h.wms.get(), first.transaction, true);
    CHECK(again.error == QMI_PROTOCOL_ERROR_ACK_NOT_SENT);
    CHECK(again.cause == QMI_WMS_ACK_FAILURE_CAUSE_NETWORK_RELEASED_LINK);
    CHECK(send_ack(h.wms.get(), 999999, true).error == QMI_PROTOCOL_ERROR_INVALID_TRANSACTION_ID);
    CHECK(list_messages(h.wms.get(), kNv).empty());

    // No ack: the same message again under a new transaction id.
    REQUIRE(h.sim.command("set wms.ack-timeout-ms 150") == "OK");
    REQUIRE(h.sim.command("sms-text +15551234567 gsm7 none second") == ok("1"));
    REQUIRE(h.sim.command("set wms.ack-timeout-ms 60000") == "OK");
    const EventView offered = h.next_event();
    const EventView resent = h.next_event();
    CHECK(resent.transfer);
    CHECK(resent.raw == offered.raw);
    CHECK(resent.transaction != offered.transaction);
    CHECK(send_ack(h.wms.get(), offered.transaction, true).error ==
          QMI_PROTOCOL_ERROR_ACK_NOT_SENT);
    CHECK_FALSE(send_ack(h.wms.get(), resent.transaction, true).error);
    CHECK(h.sim.command("get wms.unacked") == ok("0"));

    // A negative ack: offered again after the timeout.
    REQUIRE(h.sim.command("sms-text +15551234567 gsm7 none third") == ok("1"));
    const EventView refused = h.next_event();
    REQUIRE(h.sim.command("set wms.ack-timeout-ms 150") == "OK");
    CHECK_FALSE(send_ack(h.wms.get(), refused.transaction, false).error);
    REQUIRE(h.sim.command("set wms.ack-timeout-ms 60000") == "OK");
    CHECK(h.sim.command("get wms.unacked") == ok("1"));
    const EventView retried = h.next_event();
    CHECK(mt_text(retried.raw) == "third");
    CHECK(retried.transaction != refused.transaction);
    CHECK_FALSE(send_ack(h.wms.get(), retried.transaction, true).error);

    // The client holding the offer goes away: a new subscriber gets it at once.
    REQUIRE(h.sim.command("sms-text +15551234567 gsm7 none fourth") == ok("1"));
    const EventView held = h.next_event();
    h.unwatch(h.wms.get());
    release_client(h.device.get(), h.wms.get());
    h.wms = h.allocate_wms();
    h.watch(h.wms.get());
    h.subscribe(h.wms.get());
    const EventView taken_over = h.next_event();
    CHECK(taken_over.raw == held.raw);
    CHECK(taken_over.transaction != held.transaction);

    // A modem reset forgets the offer too; the network offers it again.
    REQUIRE(h.sim.command("reset") == "OK");
    forget_client(h, h.wms);
    h.wms = h.allocate_wms();
    h.watch(h.wms.get());
    CHECK(h.sim.command("get wms.unacked") == ok("1"));
    h.subscribe(h.wms.get());
    const EventView after_reset = h.next_event();
    CHECK(mt_text(after_reset.raw) == "fourth");
    CHECK_FALSE(send_ack(h.wms.get(), after_reset.transaction, true).error);
    CHECK(h.sim.command("get wms.unacked") == ok("0"));
    // first 1, second 2, third 2, fourth 3.
    CHECK(h.sim.command("get wms.deliveries") == ok("8"));
    CHECK(h.pending_events() == 0);
}

TEST_CASE("WMS: route override ignores Set Routes", "[wms]")
{
    Host h;
    h.subscribe(h.wms.get());
    REQUIRE(h.sim.command("set wms.route-override transfer") == "OK");
    REQUIRE(h.sim.command("sms-text 123 gsm7 1 over") == ok("1"));
    const EventView transferred = h.next_event();
    CHECK(transferred.transfer);
    CHECK_FALSE(send_ack(h.wms.get(), transferred.transaction, true).error);
    CHECK(h.sim.command("get wms.routes") ==
          ok("0:store-and-notify:nv 1:store-and-notify:nv 2:store-and-notify:nv "
             "3:store-and-notify:nv none:store-and-notify:nv status-reports:stored"));

    CHECK_FALSE(set_routes(h.wms.get(),
                           {{QMI_WMS_MESSAGE_CLASS_1, QMI_WMS_STORAGE_TYPE_NONE,
                             QMI_WMS_RECEIPT_ACTION_TRANSFER_ONLY}},
                           std::nullopt));
    REQUIRE(h.sim.command("set wms.route-override store") == "OK");
    REQUIRE(h.sim.command("sms-text 123 gsm7 1 stored anyway") == ok("1"));
    CHECK(h.next_event().stored == std::pair{kNv, 0u});
    REQUIRE(h.sim.command("set wms.route-override none") == "OK");
    REQUIRE(h.sim.command("sms-text 123 gsm7 1 by the route") == ok("1"));
    const EventView routed = h.next_event();
    CHECK(routed.transfer);
    CHECK_FALSE(send_ack(h.wms.get(), routed.transaction, true).error);
    CHECK(h.sim.command("get wms.route-override") == ok("none"));
    CHECK(h.sim.command("set wms.route-override sometimes").rfind("ERR ", 0) == 0);
}

TEST_CASE("WMS: Set and Get Routes; a reset restores the defaults", "[wms]")
{
    Host h;
    const Routes defaults = get_routes(h.wms.get());
    REQUIRE(defaults.routes.size() == 5);
    for (const Route &r : defaults.routes) {
        CHECK(r.storage == kNv);
        CHECK(r.action == QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY);
    }
    CHECK(defaults.routes.back().message_class == QMI_WMS_MESSAGE_CLASS_NONE);
    CHECK_FALSE(defaults.transfer_status_reports);

    CHECK_FALSE(set_routes(
        h.wms.get(),
        {{QMI_WMS_MESSAGE_CLASS_0, QMI_WMS_STORAGE_TYPE_NONE, QMI_WMS_RECEIPT_ACTION_TRANSFER_ONLY},
         {QMI_WMS_MESSAGE_CLASS_2, kUim, QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY}},
        true));
    const Routes set = get_routes(h.wms.get());
    REQUIRE(set.routes.size() == 5);
    CHECK(set.routes[0] == Route{QMI_WMS_MESSAGE_CLASS_0, QMI_WMS_STORAGE_TYPE_NONE,
                                 QMI_WMS_RECEIPT_ACTION_TRANSFER_ONLY});
    CHECK(set.routes[1] ==
          Route{QMI_WMS_MESSAGE_CLASS_1, kNv, QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY});
    CHECK(set.routes[2] ==
          Route{QMI_WMS_MESSAGE_CLASS_2, kUim, QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY});
    CHECK(set.transfer_status_reports);
    CHECK(h.sim.command("get wms.routes") ==
          ok("0:transfer-only:none 1:store-and-notify:nv 2:store-and-notify:uim "
             "3:store-and-notify:nv none:store-and-notify:nv status-reports:transferred"));

    // Storing needs a storage; the class must exist. Nothing changes then.
    CHECK(set_routes(h.wms.get(),
                     {{QMI_WMS_MESSAGE_CLASS_1, QMI_WMS_STORAGE_TYPE_NONE,
                       QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY}},
                     std::nullopt) == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK(set_routes(
              h.wms.get(),
              {{static_cast<QmiWmsMessageClass>(7), kNv, QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY}},
              std::nullopt) == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK(get_routes(h.wms.get()).routes == set.routes);

    REQUIRE(h.sim.command("reset") == "OK");
    forget_client(h, h.wms);
    h.wms = h.allocate_wms();
    h.watch(h.wms.get());
    const Routes after = get_routes(h.wms.get());
    CHECK(after.routes == defaults.routes);
    CHECK_FALSE(after.transfer_status_reports);
}

TEST_CASE("WMS: SMSC address over QMI and the control socket", "[wms]")
{
    Host h;
    using Smsc = std::pair<std::string, std::string>;
    CHECK(std::get<Smsc>(get_smsc(h)) == Smsc{"145", "+15550000000"});
    CHECK(set_smsc(h, "5551234", "129") == QMI_PROTOCOL_ERROR_NONE);
    CHECK(std::get<Smsc>(get_smsc(h)) == Smsc{"129", "5551234"});
    CHECK(h.sim.command("get wms.smsc") == ok("5551234"));
    CHECK(set_smsc(h, "4917012345", "145") == QMI_PROTOCOL_ERROR_NONE);
    CHECK(std::get<Smsc>(get_smsc(h)) == Smsc{"145", "+4917012345"});
    CHECK(set_smsc(h, "+4917000000", std::nullopt) == QMI_PROTOCOL_ERROR_NONE);
    CHECK(h.sim.command("get wms.smsc") == ok("+4917000000"));
    CHECK(set_smsc(h, "12ab", std::nullopt) == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK(set_smsc(h, "+123", "999") == QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    CHECK(set_smsc(h, std::nullopt, "145") == QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    CHECK(h.sim.command("get wms.smsc") == ok("+4917000000"));

    REQUIRE(h.sim.command("set wms.smsc +15559999999") == "OK");
    CHECK(std::get<Smsc>(get_smsc(h)) == Smsc{"145", "+15559999999"});
    CHECK(h.sim.command("set wms.smsc 12ab").rfind("ERR ", 0) == 0);
    // MT messages come from that SMSC.
    REQUIRE(h.sim.command("sms-text 123 gsm7 none hi") == ok("1"));
    const Bytes raw = raw_read(h.wms.get(), kNv, 0).raw;
    REQUIRE(raw.size() > 8);
    CHECK(Bytes(raw.begin(), raw.begin() + 8) == hex_bytes("07915155999999F9"));
}

TEST_CASE("WMS: a status report follows a send with TP-SRR", "[wms]")
{
    Host h;
    REQUIRE(h.sim.command("set wms.status-report-delay-ms 20") == "OK");
    h.subscribe(h.wms.get());
    CHECK(raw_send(h.wms.get(), submit("+15551234567", "no report")).message_id == 0);
    const SendReply sent = raw_send(h.wms.get(), submit("+15551234567", "report me", true));
    REQUIRE_FALSE(sent.error);
    CHECK(sent.message_id == 1);

    // Stored by the class-none route, as the host did not ask for transfer.
    const EventView stored = h.next_event();
    REQUIRE(stored.stored);
    CHECK(stored.stored->first == kNv);
    const Bytes raw = raw_read(h.wms.get(), kNv, stored.stored->second).raw;
    const sms::Tpdu report = mt_tpdu(raw);
    CHECK(report.type == sms::TpduType::StatusReport);
    CHECK(report.reference == sent.message_id);
    CHECK(sms::address_text(report.address) == "+15551234567");
    CHECK(raw.front() == 0x07); // the SMSC address
    CHECK(raw.back() == 0x00);  // TP-ST: delivered

    // Transfer status reports: the report is handed over, to be acked.
    CHECK_FALSE(set_routes(h.wms.get(), {}, true));
    const SendReply second = raw_send(h.wms.get(), submit("123", "again", true));
    const EventView transferred = h.next_event();
    CHECK(transferred.transfer);
    CHECK(transferred.ack == QMI_WMS_ACK_INDICATOR_SEND);
    CHECK(mt_tpdu(transferred.raw).type == sms::TpduType::StatusReport);
    CHECK(mt_tpdu(transferred.raw).reference == second.message_id);
    CHECK_FALSE(send_ack(h.wms.get(), transferred.transaction, true).error);

    // Switched off: no report at all.
    REQUIRE(h.sim.command("set wms.status-reports off") == "OK");
    CHECK_FALSE(raw_send(h.wms.get(), submit("123", "silent", true)).error);
    h.settle(200);
    CHECK(h.pending_events() == 0);
    CHECK(h.sim.command("get wms.storage nv") == ok("1 0:not-read"));
    CHECK(h.sim.command("get wms.status-reports") == ok("off"));
}

TEST_CASE("WMS: full storage rejects MT messages and writes", "[wms]")
{
    Host h;
    REQUIRE(h.sim.command("set wms.nv-capacity 2") == "OK");
    h.subscribe(h.wms.get());
    CHECK(storage_size(h, kNv) == std::pair{2u, 2u});
    CHECK(storage_size(h, kUim) == std::pair{10u, 10u});
    REQUIRE(h.sim.command("sms-text 123 gsm7 none one") == ok("1"));
    REQUIRE(h.sim.command("sms-text 123 gsm7 none two") == ok("1"));
    CHECK(h.sim.command("sms-text 123 gsm7 none three") == "ERR storage full");
    CHECK(h.sim.command("sms-deliver 0004038121F300004230504170900003F4F29C") ==
          "ERR storage full");
    CHECK(h.sim.command("get wms.rejected") == ok("2"));
    CHECK(storage_size(h, kNv) == std::pair{2u, 0u});
    CHECK(raw_write(h.wms.get(), kNv, submit("123", "x")).first ==
          QMI_PROTOCOL_ERROR_DEVICE_STORAGE_FULL);
    CHECK(h.next_event().stored == std::pair{kNv, 0u});
    CHECK(h.next_event().stored == std::pair{kNv, 1u});
    CHECK(h.pending_events() == 0);

    // Two parts do not fit one free slot; nothing is stored then.
    CHECK_FALSE(delete_messages(h.wms.get(), kNv, 0u, std::nullopt));
    CHECK(h.sim.command("sms-text 123 gsm7 none " + std::string(200, 'x')) == "ERR storage full");
    CHECK(h.sim.command("get wms.storage nv") == ok("1 1:not-read"));
    CHECK(h.sim.command("set wms.nv-capacity 1").rfind("ERR ", 0) == 0);

    // Raw Write: the index, and the tag from the message type.
    const auto [status, index] = raw_write(h.wms.get(), kUim, submit("123", "draft"));
    CHECK(status == QMI_PROTOCOL_ERROR_NONE);
    CHECK(index == 0);
    CHECK(list_messages(h.wms.get(), kUim) == Listing{{0, QMI_WMS_MESSAGE_TAG_TYPE_MO_NOT_SENT}});
    CHECK(raw_read(h.wms.get(), kUim, 0).raw == submit("123", "draft"));
    CHECK(raw_write(h.wms.get(), kUim, hex_bytes("0003")).first ==
          QMI_PROTOCOL_ERROR_WMS_T_PDU_TYPE);

    // The SIM's storage needs the SIM.
    REQUIRE(h.sim.command("sim remove") == "OK");
    CHECK(raw_read(h.wms.get(), kUim, 0).error == QMI_PROTOCOL_ERROR_DEVICE_NOT_READY);
    REQUIRE(h.sim.command("sim insert") == "OK");
    CHECK(raw_read(h.wms.get(), kUim, 0).tag == QMI_WMS_MESSAGE_TAG_TYPE_MO_NOT_SENT);
}

TEST_CASE("WMS: class 0, class 2 and transfer-and-ack routing", "[wms]")
{
    Host h;
    CHECK_FALSE(set_routes(
        h.wms.get(),
        {{QMI_WMS_MESSAGE_CLASS_0, QMI_WMS_STORAGE_TYPE_NONE, QMI_WMS_RECEIPT_ACTION_TRANSFER_ONLY},
         {QMI_WMS_MESSAGE_CLASS_2, kUim, QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY},
         {QMI_WMS_MESSAGE_CLASS_3, QMI_WMS_STORAGE_TYPE_NONE,
          QMI_WMS_RECEIPT_ACTION_TRANSFER_AND_ACK}},
        std::nullopt));
    h.subscribe(h.wms.get());

    REQUIRE(h.sim.command("sms-text +15551234567 gsm7 0 Flash!") == ok("1"));
    const EventView flash = h.next_event();
    CHECK(flash.transfer);
    CHECK(mt_text(flash.raw) == "Flash!");
    CHECK(sms::parse_data_coding(mt_tpdu(flash.raw).dcs).message_class == 0);
    CHECK_FALSE(send_ack(h.wms.get(), flash.transaction, true).error);

    REQUIRE(h.sim.command("sms-text 123 gsm7 1 normal") == ok("1"));
    CHECK(h.next_event().stored == std::pair{kNv, 0u});
    REQUIRE(h.sim.command("sms-text 123 ucs2 2 to the SIM") == ok("1"));
    CHECK(h.next_event().stored == std::pair{kUim, 0u});
    CHECK(h.sim.command("get wms.storage uim") == ok("1 0:not-read"));
    CHECK(mt_text(raw_read(h.wms.get(), kUim, 0).raw) == "to the SIM");

    // Transfer-and-ack: the modem acks itself.
    REQUIRE(h.sim.command("sms-text 123 gsm7 3 acked by the modem") == ok("1"));
    const EventView self_acked = h.next_event();
    CHECK(self_acked.transfer);
    CHECK(self_acked.ack == QMI_WMS_ACK_INDICATOR_DO_NOT_SEND);
    CHECK(h.sim.command("get wms.unacked") == ok("0"));

    // Raw MT data; concatenated text in three parts.
    const auto deliver =
        sms::build_deliver("+15551234567", "raw flash", sms::Alphabet::Gsm7, 0, 0, sms::now_utc());
    REQUIRE(deliver);
    REQUIRE(h.sim.command("sms-deliver " +
                          hex(*sms::with_smsc("+15550000000", deliver->front()))) == "OK");
    const EventView raw_flash = h.next_event();
    CHECK(raw_flash.transfer);
    CHECK(mt_text(raw_flash.raw) == "raw flash");
    CHECK_FALSE(send_ack(h.wms.get(), raw_flash.transaction, true).error);
    CHECK(h.sim.command("sms-deliver 0011").rfind("ERR ", 0) == 0);
    CHECK(h.sim.command("sms-deliver " + hex(submit("123", "mo"))).rfind("ERR ", 0) == 0);
    CHECK(h.sim.command("sms-deliver xyz").rfind("ERR ", 0) == 0);

    REQUIRE(h.sim.command("sms-text 123 gsm7 none " + std::string(400, 'y')) == ok("3"));
    std::string joined;
    for (guint32 expected : {1u, 2u, 3u}) {
        const EventView part = h.next_event();
        REQUIRE(part.stored == std::pair{kNv, expected});
        const auto text = sms::user_text(mt_tpdu(raw_read(h.wms.get(), kNv, expected).raw));
        REQUIRE(text);
        REQUIRE(text->concat);
        CHECK(text->concat->part == expected);
        CHECK(text->concat->total == 3);
        joined += text->text;
    }
    CHECK(joined == std::string(400, 'y'));
    CHECK(h.sim.command("sms-text 123 gsm7 none 日本").rfind("ERR ", 0) == 0);
    CHECK(h.sim.command("sms-text 123 gsm7 5 x").rfind("ERR ", 0) == 0);
}

TEST_CASE("WMS is off by default", "[wms]")
{
    SimProcess sim;
    GObjectPtr<QmiDevice> device = open_device(sim.link);
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_allocate_client(device.get(), QMI_SERVICE_WMS, QMI_CID_NONE, kQmiTimeoutS,
                                   nullptr, cb, data);
    });
    ErrorSlot error;
    GObjectPtr<QmiClient> client{
        qmi_device_allocate_client_finish(device.get(), result.get(), error.out())};
    CHECK_FALSE(client);
    CHECK(sim.command("services dms,nas,uim,wms") == "OK");
    CHECK(sim.command("get wms.smsc") == ok("+15550000000"));
}
