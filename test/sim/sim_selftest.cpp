// Self-test for qmi-sim: runs the real binary (path in $QMI_SIM) and talks to
// it with libqmi-glib as the host, plus a raw byte-level host for framing.
#include <catch2/catch.hpp>

#include "glib_ptr.hpp"
#include "hostile.hpp"
#include "names.hpp"
#include "qmux.hpp"
#include "selftest_support.hpp"
#include "tlv.hpp"

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

// Disconnects the handlers of `instance` that were given `data` when it goes
// out of scope: declared after that data, it goes first, so an indication
// still queued in libqmi when the test ends never reaches a dead local.
struct HandlersOf {
    gpointer instance;
    gpointer data;
    ~HandlersOf() { g_signal_handlers_disconnect_by_data(instance, data); }
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
    HandlersOf reports_handlers{dms.get(), &reports};
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
    HandlersOf removed_handlers{device.get(), &removed};
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

// ---------------------------------------------------------------------------
// Reliability faults: silence, faults at a chosen request, CTL Sync on reset

namespace
{

// CTL indications (Sync) seen by a libqmi host, through the device's
// generic indication signal.
struct CtlIndications {
    std::vector<std::uint16_t> ids;

    static void on_indication(QmiDevice *, GByteArray *raw, gpointer data)
    {
        auto *message = reinterpret_cast<QmiMessage *>(raw);
        if (qmi_message_get_service(message) == QMI_SERVICE_CTL)
            static_cast<CtlIndications *>(data)->ids.push_back(qmi_message_get_message_id(message));
    }
};

// After a modem reset: drops the client on the host side only (its id died
// with the reset), so the same id can be allocated again.
void forget_client(QmiDevice *device, gpointer client)
{
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_release_client(device, QMI_CLIENT(client), QMI_DEVICE_RELEASE_CLIENT_FLAGS_NONE,
                                  kQmiTimeoutS, nullptr, cb, data);
    });
    REQUIRE(qmi_device_release_client_finish(device, result.get(), nullptr));
}

} // namespace

TEST_CASE("silent: requests are counted but never answered, indications held back",
          "[libqmi][faults][silent]")
{
    SimProcess sim;
    auto device = open_device(sim.link);
    auto dms = allocate_dms(device.get());
    ModeReports reports;
    g_signal_connect(dms.get(), "event-report", G_CALLBACK(ModeReports::on_report), &reports);
    HandlersOf reports_handlers{dms.get(), &reports};
    register_operating_mode_reports(dms.get());

    REQUIRE(sim.command("silent on") == "OK");
    CHECK(get_manufacturer(dms.get(), 1).core_error == QMI_CORE_ERROR_TIMEOUT);
    CHECK(sim.command("requests dms 0x0021") == "OK 1");
    CHECK(sim.command("set dms.operating-mode offline") == "OK");
    CHECK(sim.command("indications dms") == "OK 0");
    CHECK(sim.command("silent sideways").rfind("ERR ", 0) == 0);

    REQUIRE(sim.command("silent off") == "OK");
    CHECK(get_manufacturer(dms.get()).value == "QUALCOMM INCORPORATED");
    CHECK(reports.modes.empty()); // what happened meanwhile stays untold
    CHECK(sim.log().find("ignored: modem silent") != std::string::npos);
}

TEST_CASE("reset sends CTL Sync; reset-on, disappear-on and silent-on fire on their request",
          "[libqmi][faults][reset]")
{
    SimProcess sim;
    auto device = open_device(sim.link);
    CtlIndications ctl;
    g_signal_connect(device.get(), QMI_DEVICE_SIGNAL_INDICATION,
                     G_CALLBACK(CtlIndications::on_indication), &ctl);
    auto dms = allocate_dms(device.get());

    SECTION("reset")
    {
        REQUIRE(sim.command("reset") == "OK");
        REQUIRE(spin_until([&] { return !ctl.ids.empty(); }));
        CHECK(ctl.ids == std::vector<std::uint16_t>{0x0027});
        CHECK(sim.command("indications ctl 0x0027") == "OK 1");
        CHECK(sim.command("clients") == "OK 0");
    }
    SECTION("reset-on: the matching request resets the modem instead of an answer")
    {
        REQUIRE(sim.command("reset-on dms 0x0021") == "OK");
        CHECK(get_imei(dms.get()) == "867698040123456"); // other requests: answered
        CHECK(get_manufacturer(dms.get(), 1).core_error == QMI_CORE_ERROR_TIMEOUT);
        CHECK(ctl.ids == std::vector<std::uint16_t>{0x0027});
        CHECK(sim.command("clients") == "OK 0");
        CHECK(sim.log().find("fault: the modem resets on this request") != std::string::npos);
        // The old client id is gone: its requests are ignored, new ones work.
        CHECK(get_manufacturer(dms.get(), 1).core_error == QMI_CORE_ERROR_TIMEOUT);
        forget_client(device.get(), dms.get());
        auto dms2 = allocate_dms(device.get());
        CHECK(get_manufacturer(dms2.get()).value == "QUALCOMM INCORPORATED");
    }
    SECTION("disappear-on: the port vanishes on the matching request")
    {
        bool removed = false;
        g_signal_connect(
            device.get(), QMI_DEVICE_SIGNAL_REMOVED,
            G_CALLBACK(+[](QmiDevice *, gpointer data) { *static_cast<bool *>(data) = true; }),
            &removed);
        HandlersOf removed_handlers{device.get(), &removed};
        REQUIRE(sim.command("disappear-on dms 0x0021") == "OK");
        const Query lost = get_manufacturer(dms.get(), 2);
        CHECK(lost.core_error.has_value());
        CHECK(spin_until([&] { return removed; }));
        CHECK_FALSE(exists(sim.link));
        CHECK(sim.command("hostile 10").rfind("ERR ", 0) == 0); // no port to send on
        CHECK(sim.command("reappear").rfind("OK /dev/pts/", 0) == 0);
    }
    SECTION("silent-on: no answer from the matching request on")
    {
        REQUIRE(sim.command("silent-on dms 0x0021") == "OK");
        CHECK(get_imei(dms.get()) == "867698040123456");
        CHECK(get_manufacturer(dms.get(), 1).core_error == QMI_CORE_ERROR_TIMEOUT);
        CHECK(get_manufacturer(dms.get(), 1).core_error == QMI_CORE_ERROR_TIMEOUT);
        REQUIRE(sim.command("silent off") == "OK");
        CHECK(get_manufacturer(dms.get()).value == "QUALCOMM INCORPORATED");
    }
    SECTION("reset ends a silence")
    {
        REQUIRE(sim.command("silent on") == "OK");
        REQUIRE(sim.command("reset") == "OK");
        REQUIRE(spin_until([&] { return !ctl.ids.empty(); }));
        forget_client(device.get(), dms.get());
        auto dms2 = allocate_dms(device.get());
        CHECK(get_manufacturer(dms2.get()).value == "QUALCOMM INCORPORATED");
    }
    CHECK(sim.command("reset-on nosuch 1").rfind("ERR ", 0) == 0);
    CHECK(sim.command("disappear-on dms 0x10000").rfind("ERR ", 0) == 0);
}

// ---------------------------------------------------------------------------
// Hostile input: the generator (unit level), then a libqmi host under it

namespace
{

std::vector<std::uint8_t> nas_serving_system_indication(std::uint8_t cid)
{
    MessagePtr m = make_indication(QMI_SERVICE_NAS, cid, 0x0024);
    TlvWriter{m.get(), 0x01}.u8(1).u8(1).u8(1).u8(1).u8(1).u8(8).done(); // registered, LTE
    TlvWriter{m.get(), 0x10}.u8(1).done();                               // roaming off
    TlvWriter{m.get(), 0x12}.u16(1).u16(1).string8("QMI-SIM").done();    // PLMN
    return raw_bytes(m.get());
}

std::vector<std::uint8_t> dms_manufacturer_response(std::uint8_t cid, std::uint16_t tid)
{
    MessagePtr request{qmi_message_new(QMI_SERVICE_DMS, cid, tid, 0x0021)};
    MessagePtr response{qmi_message_response_new(request.get(), QMI_PROTOCOL_ERROR_NONE)};
    write_string_tlv(response.get(), 0x01, "QUALCOMM INCORPORATED");
    return raw_bytes(response.get());
}

// libqmi's verdict on one frame: the message, or nullptr if it refuses it.
MessagePtr libqmi_parse(const std::vector<std::uint8_t> &frame)
{
    Owned<GByteArray, g_byte_array_unref> raw{g_byte_array_new()};
    g_byte_array_append(raw.get(), frame.data(), static_cast<guint>(frame.size()));
    return MessagePtr{qmi_message_new_from_raw(raw.get(), nullptr)};
}

HostileSource recorded_source()
{
    HostileSource source;
    source.record(nas_serving_system_indication(1));
    source.record(dms_manufacturer_response(1, 5));
    return source;
}

const std::vector<HostileTarget> kTargets{{QMI_SERVICE_DMS, 1}, {QMI_SERVICE_NAS, 1}};

} // namespace

TEST_CASE("hostile: frames split and encode back byte for byte", "[hostile]")
{
    for (const auto &bytes : {nas_serving_system_indication(3), dms_manufacturer_response(1, 9),
                              version_info_request(4)}) {
        const auto frame = RawFrame::parse(bytes);
        REQUIRE(frame);
        CHECK(frame->encode() == bytes);
    }
    CHECK_FALSE(RawFrame::parse(std::vector<std::uint8_t>{0x01, 0x40, 0x00}));
}

TEST_CASE("hostile: each kind is what doc/simulator.md says", "[hostile]")
{
    const HostileSource source = recorded_source();
    const auto template_ind = *RawFrame::parse(nas_serving_system_indication(1));
    const auto template_rsp = *RawFrame::parse(dms_manufacturer_response(1, 5));
    auto batch_of = [&](HostileKind kind, std::size_t n = 200) {
        const auto batch = source.generate(n, 7, {kind}, kTargets);
        REQUIRE(batch.frames.size() == n);
        REQUIRE(batch.notes.size() == n);
        return batch;
    };

    SECTION("missing-tlv: a recorded indication with fewer TLVs")
    {
        for (const auto &bytes : batch_of(HostileKind::MissingTlv).frames) {
            const auto frame = RawFrame::parse(bytes);
            REQUIRE(frame);
            CHECK(frame->message_id == template_ind.message_id);
            CHECK(frame->tlvs.size() < template_ind.tlvs.size());
            CHECK(libqmi_parse(bytes));
        }
    }
    SECTION("bad-enum: one byte of a TLV value out of range")
    {
        for (const auto &bytes : batch_of(HostileKind::BadEnum).frames) {
            const auto frame = RawFrame::parse(bytes);
            REQUIRE(frame);
            REQUIRE(frame->tlvs.size() == template_ind.tlvs.size());
            int changed = 0;
            for (std::size_t t = 0; t < frame->tlvs.size(); ++t) {
                const auto &got = frame->tlvs[t].value, &was = template_ind.tlvs[t].value;
                REQUIRE(got.size() == was.size());
                for (std::size_t i = 0; i < got.size(); ++i)
                    if (got[i] != was[i]) {
                        changed++;
                        CHECK(got[i] >= 0x08);
                    }
            }
            CHECK(changed <= 1); // 0 when the byte already had that value
            CHECK(libqmi_parse(bytes));
        }
    }
    SECTION("short-tlv: one TLV shorter, the frame still consistent")
    {
        for (const auto &bytes : batch_of(HostileKind::ShortTlv).frames) {
            const auto frame = RawFrame::parse(bytes);
            REQUIRE(frame);
            std::size_t total = 0, was = 0;
            for (const auto &tlv : frame->tlvs)
                total += tlv.value.size();
            for (const auto &tlv : template_ind.tlvs)
                was += tlv.value.size();
            CHECK(total < was);
            CHECK(libqmi_parse(bytes));
        }
    }
    SECTION("bad-length: libqmi refuses the frame whole")
    {
        for (const auto &bytes : batch_of(HostileKind::BadLength).frames) {
            CHECK(bytes[0] == 0x01);
            CHECK(static_cast<std::size_t>(bytes[1] | bytes[2] << 8) + 1 == bytes.size());
            CHECK_FALSE(libqmi_parse(bytes));
        }
    }
    SECTION("unknown-service and unknown-message: well formed, nothing handles them")
    {
        for (const auto &bytes : batch_of(HostileKind::UnknownService).frames) {
            const auto message = libqmi_parse(bytes);
            REQUIRE(message);
            CHECK(qmi_message_is_indication(message.get()));
            const auto service = qmi_message_get_service(message.get());
            CHECK(service != QMI_SERVICE_DMS);
            CHECK(service != QMI_SERVICE_NAS);
            CHECK(service != QMI_SERVICE_CTL);
        }
        for (const auto &bytes : batch_of(HostileKind::UnknownMessage).frames) {
            const auto message = libqmi_parse(bytes);
            REQUIRE(message);
            CHECK(qmi_message_is_indication(message.get()));
            CHECK(qmi_message_get_message_id(message.get()) >= 0x0100);
        }
    }
    SECTION("duplicate-response and unsolicited-response")
    {
        for (const auto &bytes : batch_of(HostileKind::DuplicateResponse).frames)
            CHECK(bytes == dms_manufacturer_response(1, 5));
        int other_tid = 0;
        for (const auto &bytes : batch_of(HostileKind::UnsolicitedResponse).frames) {
            const auto message = libqmi_parse(bytes);
            REQUIRE(message);
            CHECK(qmi_message_is_response(message.get()));
            CHECK(qmi_message_get_message_id(message.get()) == template_rsp.message_id);
            other_tid += qmi_message_get_transaction_id(message.get()) != 5;
        }
        CHECK(other_tid > 190);
    }
    SECTION("flood: runs of one unchanged indication")
    {
        const auto batch = batch_of(HostileKind::Flood);
        for (const auto &bytes : batch.frames) {
            const auto frame = RawFrame::parse(bytes);
            REQUIRE(frame);
            CHECK(frame->tlvs.size() == template_ind.tlvs.size());
        }
        CHECK(batch.notes.front().find(" 1/") != std::string::npos);
    }
    SECTION("truncated-frame and garbage break framing")
    {
        for (const auto &bytes : batch_of(HostileKind::TruncatedFrame).frames) {
            CHECK(bytes[0] == 0x01);
            CHECK(static_cast<std::size_t>(bytes[1] | bytes[2] << 8) + 1 > bytes.size());
        }
        for (const auto &bytes : batch_of(HostileKind::Garbage).frames) {
            CHECK(bytes.size() >= 4);
            CHECK(bytes.size() <= 16);
            CHECK(bytes[0] != 0x01);
        }
    }
}

TEST_CASE("hostile: seeded, mixed, and limited to the services asked for", "[hostile]")
{
    const HostileSource source = recorded_source();
    const auto kinds = default_hostile_kinds();
    CHECK_FALSE(kinds.contains(HostileKind::TruncatedFrame));
    CHECK_FALSE(kinds.contains(HostileKind::Garbage));

    const auto a = source.generate(3000, 11, kinds, kTargets);
    const auto b = source.generate(3000, 11, kinds, kTargets);
    const auto c = source.generate(3000, 12, kinds, kTargets);
    CHECK(a.frames == b.frames);
    CHECK(a.frames != c.frames);
    CHECK(a.counts.size() == kinds.size()); // every kind drawn
    CHECK(a.summary().rfind("3000 ", 0) == 0);
    // Floods are drawn less often: they make up a part, not most, of the frames.
    CHECK(a.counts.at(HostileKind::Flood) < 1500);

    const auto nas_only = source.generate(500, 3, {HostileKind::BadEnum, HostileKind::Flood},
                                          kTargets, std::set<QmiService>{QMI_SERVICE_DMS});
    // Only the DMS response is left to break (the NAS indication is not).
    for (const auto &bytes : nas_only.frames) {
        const auto frame = RawFrame::parse(bytes);
        REQUIRE(frame);
        CHECK(frame->service == QMI_SERVICE_DMS);
    }

    CHECK(parse_hostile_kinds("default") == default_hostile_kinds());
    CHECK(parse_hostile_kinds("all")->size() == 11);
    CHECK(parse_hostile_kinds("bad-enum,flood") ==
          std::set<HostileKind>{HostileKind::BadEnum, HostileKind::Flood});
    CHECK_FALSE(parse_hostile_kinds("bad-enum,frobnicate"));
    CHECK_FALSE(parse_hostile_kinds(""));
}

TEST_CASE("hostile over the pty: a libqmi host keeps working, or hangs up on broken framing",
          "[libqmi][hostile]")
{
    SimProcess sim;
    auto device = open_device(sim.link);
    auto dms = allocate_dms(device.get());
    ModeReports reports;
    g_signal_connect(dms.get(), "event-report", G_CALLBACK(ModeReports::on_report), &reports);
    HandlersOf reports_handlers{dms.get(), &reports};
    register_operating_mode_reports(dms.get());
    REQUIRE(sim.command("set dms.operating-mode online") == "OK"); // a DMS indication to record
    REQUIRE(spin_until([&] { return !reports.modes.empty(); }));
    bool removed = false;
    g_signal_connect(
        device.get(), QMI_DEVICE_SIGNAL_REMOVED,
        G_CALLBACK(+[](QmiDevice *, gpointer data) { *static_cast<bool *>(data) = true; }),
        &removed);
    HandlersOf removed_handlers{device.get(), &removed};

    const std::string reply = sim.command("hostile 2000 5");
    INFO(reply);
    REQUIRE(reply.rfind("OK 2000 ", 0) == 0);
    // The answer queues behind the flood; once it is back, all was read.
    CHECK(get_manufacturer(dms.get(), 20).value == "QUALCOMM INCORPORATED");
    CHECK_FALSE(removed);
    CHECK(sim.log().find("-- hostile bad-enum") != std::string::npos);

    CHECK(sim.command("hostile 1 1 garbage") == "OK 1 garbage=1");
    CHECK(spin_until([&] { return removed; }));

    CHECK(sim.command("hostile 0").rfind("ERR ", 0) == 0);
    CHECK(sim.command("hostile 10 x").rfind("ERR ", 0) == 0);
    CHECK(sim.command("hostile 10 1 frobnicate").rfind("ERR ", 0) == 0);
    CHECK(sim.command("hostile 10 1 flood nosuch").rfind("ERR ", 0) == 0);
}
