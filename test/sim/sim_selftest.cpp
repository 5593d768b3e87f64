// Self-test for qmi-sim: runs the real binary (path in $QMI_SIM) and talks to
// it with libqmi-glib as the host, plus a raw byte-level host for framing.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "glib_ptr.hpp"
#include "names.hpp"
#include "qmux.hpp"
#include "selftest_support.hpp"

#include <gio/gio.h>
#include <libqmi-glib.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <poll.h>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace qmisim;
using namespace qmisim::selftest;

namespace
{

using ManufacturerOutput =
    Owned<QmiMessageDmsGetManufacturerOutput, qmi_message_dms_get_manufacturer_output_unref>;

// Outcome of a DMS string query: the value, or the error that came back.
struct Query {
    std::string value;
    std::optional<QmiProtocolError> protocol_error;
    std::optional<int> core_error; // transport-level (e.g. timeout)
};

Query get_manufacturer(QmiClientDms *client, guint timeout_s = kQmiTimeoutS)
{
    auto result = wait_async(
        [&](GAsyncReadyCallback cb, gpointer data) {
            qmi_client_dms_get_manufacturer(client, nullptr, timeout_s, nullptr, cb, data);
        },
        static_cast<int>(timeout_s) * 1000 + kTimeoutMs);
    ErrorSlot error;
    ManufacturerOutput output{
        qmi_client_dms_get_manufacturer_finish(client, result.get(), error.out())};
    Query query;
    if (!output) {
        query.core_error = error.get()->code;
        return query;
    }
    const char *value = nullptr;
    if (!qmi_message_dms_get_manufacturer_output_get_result(output.get(), error.out())) {
        REQUIRE(error.get()->domain == QMI_PROTOCOL_ERROR);
        query.protocol_error = static_cast<QmiProtocolError>(error.get()->code);
        return query;
    }
    REQUIRE(
        qmi_message_dms_get_manufacturer_output_get_manufacturer(output.get(), &value, nullptr));
    query.value = value;
    return query;
}

std::string get_imei(QmiClientDms *client)
{
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_client_dms_get_ids(client, nullptr, kQmiTimeoutS, nullptr, cb, data);
    });
    ErrorSlot error;
    Owned<QmiMessageDmsGetIdsOutput, qmi_message_dms_get_ids_output_unref> output{
        qmi_client_dms_get_ids_finish(client, result.get(), error.out())};
    REQUIRE(output);
    REQUIRE(qmi_message_dms_get_ids_output_get_result(output.get(), error.out()));
    const char *imei = nullptr;
    REQUIRE(qmi_message_dms_get_ids_output_get_imei(output.get(), &imei, nullptr));
    // Empty ESN/MEID must be omitted, not sent as empty strings.
    const char *esn = nullptr;
    CHECK_FALSE(qmi_message_dms_get_ids_output_get_esn(output.get(), &esn, nullptr));
    return imei;
}

QmiDmsOperatingMode get_operating_mode(QmiClientDms *client)
{
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_client_dms_get_operating_mode(client, nullptr, kQmiTimeoutS, nullptr, cb, data);
    });
    ErrorSlot error;
    Owned<QmiMessageDmsGetOperatingModeOutput, qmi_message_dms_get_operating_mode_output_unref>
        output{qmi_client_dms_get_operating_mode_finish(client, result.get(), error.out())};
    REQUIRE(output);
    REQUIRE(qmi_message_dms_get_operating_mode_output_get_result(output.get(), error.out()));
    QmiDmsOperatingMode mode = QMI_DMS_OPERATING_MODE_UNKNOWN;
    REQUIRE(qmi_message_dms_get_operating_mode_output_get_mode(output.get(), &mode, nullptr));
    return mode;
}

void register_operating_mode_reports(QmiClientDms *client)
{
    Owned<QmiMessageDmsSetEventReportInput, qmi_message_dms_set_event_report_input_unref> input{
        qmi_message_dms_set_event_report_input_new()};
    qmi_message_dms_set_event_report_input_set_operating_mode_reporting(input.get(), TRUE, nullptr);
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_client_dms_set_event_report(client, input.get(), kQmiTimeoutS, nullptr, cb, data);
    });
    ErrorSlot error;
    Owned<QmiMessageDmsSetEventReportOutput, qmi_message_dms_set_event_report_output_unref> output{
        qmi_client_dms_set_event_report_finish(client, result.get(), error.out())};
    REQUIRE(output);
    REQUIRE(qmi_message_dms_set_event_report_output_get_result(output.get(), error.out()));
}

// Collects operating modes from DMS Event Report indications.
struct ModeReports {
    std::vector<QmiDmsOperatingMode> modes;

    static void on_report(QmiClientDms *, QmiIndicationDmsEventReportOutput *output, gpointer data)
    {
        QmiDmsOperatingMode mode;
        if (qmi_indication_dms_event_report_output_get_operating_mode(output, &mode, nullptr))
            static_cast<ModeReports *>(data)->modes.push_back(mode);
    }
};

// ---------------------------------------------------------------------------
// Raw host: reads and writes QMUX bytes on the pty directly

class RawHost
{
  public:
    explicit RawHost(const std::string &path)
        : fd_(::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC))
    {
        REQUIRE(fd_ >= 0);
    }
    RawHost(const RawHost &) = delete;
    RawHost &operator=(const RawHost &) = delete;
    ~RawHost() { ::close(fd_); }

    void write_bytes(const std::vector<std::uint8_t> &bytes)
    {
        REQUIRE(::write(fd_, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    }

    // One read() call, waiting up to timeout_ms for data; empty on timeout.
    std::vector<std::uint8_t> read_once(int timeout_ms = kTimeoutMs)
    {
        pollfd pfd{fd_, POLLIN, 0};
        if (poll(&pfd, 1, timeout_ms) <= 0)
            return {};
        std::vector<std::uint8_t> buffer(4096);
        const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
        buffer.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
        return buffer;
    }

  private:
    int fd_;
};

std::vector<std::uint8_t> version_info_request(std::uint8_t transaction)
{
    MessagePtr request{qmi_message_new(QMI_SERVICE_CTL, 0, transaction, 0x0021)};
    return raw_bytes(request.get());
}

} // namespace

// ---------------------------------------------------------------------------

TEST_CASE("frame parser resyncs after garbage and rejected frames", "[parser]")
{
    const auto good = version_info_request(7);
    FrameParser parser;

    SECTION("garbage before a frame is skipped")
    {
        const std::vector<std::uint8_t> junk{0xde, 0xad, 0xbe, 0xef};
        parser.feed(junk.data(), junk.size());
        parser.feed(good.data(), good.size());
        MessagePtr message = parser.next();
        REQUIRE(message);
        CHECK(qmi_message_get_transaction_id(message.get()) == 7);
        CHECK(parser.discarded() == junk.size());
        CHECK(parser.pending() == 0);
    }
    SECTION("a frame fed byte by byte completes once")
    {
        for (std::size_t i = 0; i + 1 < good.size(); i++) {
            parser.feed(&good[i], 1);
            CHECK_FALSE(parser.next());
        }
        parser.feed(&good.back(), 1);
        CHECK(parser.next());
        CHECK_FALSE(parser.next());
    }
    SECTION("an invalid frame costs one byte, not the frame behind it")
    {
        // Marker + a length covering the good frame too; TLV lengths disagree.
        std::vector<std::uint8_t> bad{0x01, static_cast<std::uint8_t>(good.size() + 10),
                                      0x00, 0x00,
                                      0x00, 0x00,
                                      0x00, 0x00,
                                      0x00, 0x00,
                                      0x00, 0x00};
        bad.insert(bad.end(), good.begin(), good.end());
        parser.feed(bad.data(), bad.size());
        MessagePtr message = parser.next();
        REQUIRE(message);
        CHECK(qmi_message_get_transaction_id(message.get()) == 7);
    }
    SECTION("a truncated frame waits until dropped")
    {
        const std::vector<std::uint8_t> truncated{0x01, 0x40, 0x00, 0x00, 0x02};
        parser.feed(truncated.data(), truncated.size());
        parser.feed(good.data(), good.size());
        CHECK_FALSE(parser.next());
        parser.drop_head_byte();
        CHECK(parser.next());
    }
}

TEST_CASE("names parse both ways", "[names]")
{
    CHECK(parse_service("dms") == QMI_SERVICE_DMS);
    CHECK(parse_service("VOICE") == QMI_SERVICE_VOICE);
    CHECK_FALSE(parse_service("nosuch"));
    CHECK(parse_protocol_error("not-supported") == QMI_PROTOCOL_ERROR_NOT_SUPPORTED);
    CHECK(parse_protocol_error("0x47") == QMI_PROTOCOL_ERROR_INVALID_QMI_COMMAND);
    CHECK(parse_protocol_error("3") == QMI_PROTOCOL_ERROR_INTERNAL);
    CHECK(protocol_error_name(QMI_PROTOCOL_ERROR_NOT_PROVISIONED) == "not-provisioned");
    CHECK(parse_operating_mode("persistent-low-power") ==
          QMI_DMS_OPERATING_MODE_PERSISTENT_LOW_POWER);
    CHECK(operating_mode_name(QMI_DMS_OPERATING_MODE_LOW_POWER) == "low-power");
}

TEST_CASE("libqmi host: identity, operating mode, indications, clients", "[libqmi]")
{
    SimProcess sim;
    CHECK(sim.command("ping") == "OK");
    REQUIRE(sim.command("set dms.manufacturer ACME Modems Inc") == "OK");

    auto device = open_device(sim.link);
    {
        auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
            qmi_device_get_service_version_info(device.get(), kQmiTimeoutS, nullptr, cb, data);
        });
        Owned<GArray, g_array_unref> versions{
            qmi_device_get_service_version_info_finish(device.get(), result.get(), nullptr)};
        REQUIRE(versions);
        bool dms_listed = false;
        bool nas_listed = false;
        for (guint i = 0; i < versions->len; i++) {
            const auto &info = g_array_index(versions.get(), QmiDeviceServiceVersionInfo, i);
            CHECK(info.service != QMI_SERVICE_WDS); // not simulated
            if (info.service == QMI_SERVICE_DMS) {
                dms_listed = true;
                CHECK(info.major_version == 1);
                CHECK(info.minor_version == 14);
            }
            if (info.service == QMI_SERVICE_NAS) {
                nas_listed = true; // on by default
                CHECK(info.major_version == 1);
                CHECK(info.minor_version == 25);
            }
        }
        CHECK(dms_listed);
        CHECK(nas_listed);
    }

    auto dms = allocate_dms(device.get());
    CHECK(sim.command("clients dms") == "OK 1");
    CHECK(qmi_client_get_cid(QMI_CLIENT(dms.get())) == 1);

    CHECK(get_imei(dms.get()) == "867698040123456");
    CHECK(get_manufacturer(dms.get()).value == "ACME Modems Inc");

    ModeReports reports;
    g_signal_connect(dms.get(), "event-report", G_CALLBACK(ModeReports::on_report), &reports);
    register_operating_mode_reports(dms.get());

    CHECK(get_operating_mode(dms.get()) == QMI_DMS_OPERATING_MODE_LOW_POWER);
    CHECK(set_operating_mode(dms.get(), QMI_DMS_OPERATING_MODE_ONLINE) == QMI_PROTOCOL_ERROR_NONE);
    CHECK(get_operating_mode(dms.get()) == QMI_DMS_OPERATING_MODE_ONLINE);
    CHECK(sim.command("get dms.operating-mode") == "OK online");
    REQUIRE(spin_until([&] { return !reports.modes.empty(); }));
    CHECK(reports.modes.back() == QMI_DMS_OPERATING_MODE_ONLINE);

    // A change from the control socket is reported too.
    CHECK(sim.command("set dms.operating-mode offline") == "OK");
    REQUIRE(spin_until([&] { return reports.modes.size() == 2; }));
    CHECK(reports.modes.back() == QMI_DMS_OPERATING_MODE_OFFLINE);
    CHECK(sim.command("indications dms 0x0001") == "OK 2");
    CHECK(sim.command("indications dms 0x0002") == "OK 0");
    CHECK(sim.command("indications") == "OK 2"); // no NAS client, no NAS indications
    // Firmware refuses to leave offline except through reset.
    CHECK(set_operating_mode(dms.get(), QMI_DMS_OPERATING_MODE_ONLINE) ==
          QMI_PROTOCOL_ERROR_INVALID_TRANSITION);

    CHECK(sim.command("requests dms 0x002d") == "OK 2");
    CHECK(sim.command("requests dms") == "OK 7");
    CHECK(sim.command("requests ctl 0x22") == "OK 1");

    release_client(device.get(), dms.get());
    CHECK(sim.command("clients") == "OK 0");
    CHECK(sim.command("requests ctl 0x23") == "OK 1");

    CHECK(sim.stop());
    CHECK_FALSE(exists(sim.link));
    CHECK_FALSE(exists(sim.control_path));
}

TEST_CASE("faults: fail-next, drop-next, unknown messages", "[libqmi][faults]")
{
    SimProcess sim;
    auto device = open_device(sim.link);
    auto dms = allocate_dms(device.get());

    REQUIRE(sim.command("fail-next dms 0x0021 internal") == "OK");
    CHECK(get_manufacturer(dms.get()).protocol_error == QMI_PROTOCOL_ERROR_INTERNAL);
    CHECK(get_manufacturer(dms.get()).value == "QUALCOMM INCORPORATED");

    REQUIRE(sim.command("fail-next dms 33 0x5e") == "OK");
    CHECK(get_manufacturer(dms.get()).protocol_error == QMI_PROTOCOL_ERROR_NOT_SUPPORTED);

    REQUIRE(sim.command("drop-next dms 0x21") == "OK");
    const Query dropped = get_manufacturer(dms.get(), 1);
    CHECK(dropped.core_error == QMI_CORE_ERROR_TIMEOUT);
    CHECK(get_manufacturer(dms.get()).value == "QUALCOMM INCORPORATED");

    // MSISDN is not provisioned by default; DMS Get Power State is not simulated.
    {
        auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
            qmi_client_dms_get_msisdn(dms.get(), nullptr, kQmiTimeoutS, nullptr, cb, data);
        });
        ErrorSlot error;
        Owned<QmiMessageDmsGetMsisdnOutput, qmi_message_dms_get_msisdn_output_unref> output{
            qmi_client_dms_get_msisdn_finish(dms.get(), result.get(), error.out())};
        REQUIRE(output);
        CHECK_FALSE(qmi_message_dms_get_msisdn_output_get_result(output.get(), error.out()));
        CHECK(error.matches(QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_NOT_PROVISIONED));
    }
    {
        auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
            qmi_client_dms_get_power_state(dms.get(), nullptr, kQmiTimeoutS, nullptr, cb, data);
        });
        ErrorSlot error;
        Owned<QmiMessageDmsGetPowerStateOutput, qmi_message_dms_get_power_state_output_unref>
            output{qmi_client_dms_get_power_state_finish(dms.get(), result.get(), error.out())};
        REQUIRE(output);
        CHECK_FALSE(qmi_message_dms_get_power_state_output_get_result(output.get(), error.out()));
        CHECK(error.matches(QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_INVALID_QMI_COMMAND));
    }
    CHECK(sim.log().find("fault: response dropped") != std::string::npos);
}

TEST_CASE("disappear hangs up the host, reappear boots a fresh modem", "[libqmi][hotplug]")
{
    SimProcess sim;
    REQUIRE(sim.command("set dms.model Replug 1") == "OK");
    auto device = open_device(sim.link);
    auto dms = allocate_dms(device.get());
    REQUIRE(set_operating_mode(dms.get(), QMI_DMS_OPERATING_MODE_ONLINE) ==
            QMI_PROTOCOL_ERROR_NONE);

    bool removed = false;
    g_signal_connect(
        device.get(), QMI_DEVICE_SIGNAL_REMOVED,
        G_CALLBACK(+[](QmiDevice *, gpointer data) { *static_cast<bool *>(data) = true; }),
        &removed);
    CHECK(sim.command("disappear") == "OK");
    CHECK(spin_until([&] { return removed; }));
    CHECK_FALSE(exists(sim.link));
    CHECK(sim.command("clients") == "OK 0");
    dms.reset();
    device.reset();

    const std::string reply = sim.command("reappear");
    REQUIRE(reply.rfind("OK /dev/pts/", 0) == 0);
    CHECK(exists(sim.link));
    auto device2 = open_device(sim.link);
    auto dms2 = allocate_dms(device2.get());
    CHECK(qmi_client_get_cid(QMI_CLIENT(dms2.get())) == 1); // fresh numbering
    CHECK(get_operating_mode(dms2.get()) == QMI_DMS_OPERATING_MODE_LOW_POWER);
    CHECK(sim.command("get dms.model") == "OK Replug 1"); // identity survives

    // Reset keeps the port but forgets clients.
    CHECK(sim.command("reset") == "OK");
    CHECK(sim.command("clients") == "OK 0");
}

TEST_CASE("stream mode: split and merged frames still decode", "[libqmi][stream]")
{
    SimProcess sim{{"--stream", "--seed", "42"}};
    auto device = open_device(sim.link);
    auto dms = allocate_dms(device.get());

    // Many requests in flight at once so responses merge as well as split.
    constexpr int kRequests = 20;
    std::vector<GObjectPtr<GAsyncResult>> results(kRequests);
    struct Pending {
        std::vector<GObjectPtr<GAsyncResult>> *results;
        int index;
    };
    for (int i = 0; i < kRequests; i++) {
        qmi_client_dms_get_manufacturer(
            dms.get(), nullptr, kQmiTimeoutS, nullptr,
            [](GObject *, GAsyncResult *result, gpointer data) {
                std::unique_ptr<Pending> pending{static_cast<Pending *>(data)};
                (*pending->results)[static_cast<std::size_t>(pending->index)].reset(
                    G_ASYNC_RESULT(g_object_ref(result)));
            },
            new Pending{&results, i});
    }
    REQUIRE(spin_until([&] {
        for (const auto &r : results)
            if (!r)
                return false;
        return true;
    }));
    for (auto &result : results) {
        ErrorSlot error;
        ManufacturerOutput output{
            qmi_client_dms_get_manufacturer_finish(dms.get(), result.get(), error.out())};
        INFO(error.message());
        REQUIRE(output);
        CHECK(qmi_message_dms_get_manufacturer_output_get_result(output.get(), nullptr));
    }
    CHECK(get_imei(dms.get()) == "867698040123456");
    CHECK(sim.command("requests dms 0x21") == std::string{"OK "} + std::to_string(kRequests));
}

TEST_CASE("raw host: paced framing delivers one whole frame per read", "[raw][framing]")
{
    SimProcess sim;
    RawHost host{sim.link};
    // Three requests in one write, preceded by junk the simulator must skip.
    std::vector<std::uint8_t> bytes{0xff, 0x00, 0x7e};
    for (std::uint8_t tid = 1; tid <= 3; tid++) {
        const auto request = version_info_request(tid);
        bytes.insert(bytes.end(), request.begin(), request.end());
    }
    host.write_bytes(bytes);

    for (std::uint8_t tid = 1; tid <= 3; tid++) {
        // Give the simulator time to (wrongly) queue more into the pty.
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        auto chunk = host.read_once();
        REQUIRE_FALSE(chunk.empty());
        Owned<GByteArray, g_byte_array_unref> raw{g_byte_array_new()};
        g_byte_array_append(raw.get(), chunk.data(), static_cast<guint>(chunk.size()));
        MessagePtr response{qmi_message_new_from_raw(raw.get(), nullptr)};
        REQUIRE(response);
        CHECK(raw->len == 0); // nothing after the frame: exactly one per read
        CHECK(qmi_message_is_response(response.get()));
        CHECK(qmi_message_get_transaction_id(response.get()) == tid);
    }
    CHECK(sim.log().find("discarded 3 bytes") != std::string::npos);
}

TEST_CASE("raw host: garbage-next replaces the response with junk", "[raw][faults]")
{
    SimProcess sim;
    RawHost host{sim.link};
    REQUIRE(sim.command("garbage-next ctl 0x21") == "OK");
    host.write_bytes(version_info_request(9));
    const auto junk = host.read_once();
    REQUIRE_FALSE(junk.empty());
    CHECK(junk.front() != QMI_MESSAGE_QMUX_MARKER);

    FrameParser parser;
    parser.feed(junk.data(), junk.size());
    CHECK_FALSE(parser.next());

    // The next request is answered normally.
    host.write_bytes(version_info_request(10));
    const auto good = host.read_once();
    Owned<GByteArray, g_byte_array_unref> raw{g_byte_array_new()};
    g_byte_array_append(raw.get(), good.data(), static_cast<guint>(good.size()));
    MessagePtr response{qmi_message_new_from_raw(raw.get(), nullptr)};
    REQUIRE(response);
    CHECK(qmi_message_get_transaction_id(response.get()) == 10);
}

TEST_CASE("latency delays responses", "[raw][latency]")
{
    SimProcess sim{{"--latency", "200"}};
    RawHost host{sim.link};
    auto start = std::chrono::steady_clock::now();
    host.write_bytes(version_info_request(1));
    REQUIRE_FALSE(host.read_once().empty());
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(200));

    REQUIRE(sim.command("latency 0") == "OK");
    host.write_bytes(version_info_request(2));
    REQUIRE_FALSE(host.read_once().empty());
}

TEST_CASE("control protocol rejects bad input", "[control]")
{
    SimProcess sim;
    CHECK(sim.command("frobnicate").rfind("ERR ", 0) == 0);
    CHECK(sim.command("").rfind("ERR ", 0) == 0);
    CHECK(sim.command("get no.such.key").rfind("ERR ", 0) == 0);
    CHECK(sim.command("set dms.operating-mode sideways").rfind("ERR ", 0) == 0);
    CHECK(sim.command("fail-next dms 0x21 no-such-error").rfind("ERR ", 0) == 0);
    CHECK(sim.command("fail-next nosvc 0x21 internal").rfind("ERR ", 0) == 0);
    CHECK(sim.command("requests dms 0x10000").rfind("ERR ", 0) == 0);
    CHECK(sim.command("latency -5").rfind("ERR ", 0) == 0);
    CHECK(sim.command("ping extra").rfind("ERR usage", 0) == 0);
    CHECK(sim.command("services dms,bogus").rfind("ERR ", 0) == 0);
    CHECK(sim.command("reappear").rfind("ERR ", 0) == 0); // still present
    CHECK(sim.command("set dms.imei 490154203237518") == "OK");
    CHECK(sim.command("get dms.imei") == "OK 490154203237518");
    CHECK(sim.command("log-mark hello world") == "OK");
    CHECK(sim.log().find("MARK hello world") != std::string::npos);
}

TEST_CASE("raw host: stream mode splits frames across reads", "[raw][stream]")
{
    SimProcess sim{{"--stream", "--seed", "7"}};
    RawHost host{sim.link};
    std::vector<std::uint8_t> bytes;
    constexpr int kRequests = 10;
    for (int tid = 1; tid <= kRequests; tid++) {
        const auto request = version_info_request(static_cast<std::uint8_t>(tid));
        bytes.insert(bytes.end(), request.begin(), request.end());
    }
    host.write_bytes(bytes);

    FrameParser parser;
    int responses = 0;
    bool read_ended_mid_frame = false;
    while (responses < kRequests) {
        const auto chunk = host.read_once();
        REQUIRE_FALSE(chunk.empty());
        parser.feed(chunk.data(), chunk.size());
        while (MessagePtr response = parser.next()) {
            CHECK(qmi_message_get_transaction_id(response.get()) == ++responses);
        }
        read_ended_mid_frame |= parser.pending() > 0;
    }
    CHECK(read_ended_mid_frame);
    CHECK(parser.discarded() == 0);
}
