// The libqmi host of the WDS/WDA self-test: a simulator with a DMS client,
// WDS clients that record their Packet Service Status indications, and
// typed wrappers around the WDS and WDA requests the test sends.
#pragma once

#include "qmux.hpp"
#include "selftest_support.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace qmisim::selftest
{

#define WDS_CALL(name, client, input)                                                              \
    qmi_call<qmi_client_wds_##name, qmi_client_wds_##name##_finish,                                \
             qmi_message_wds_##name##_output_get_result, qmi_message_wds_##name##_output_unref>(   \
        client, input)
#define WDA_CALL(name, client, input)                                                              \
    qmi_call<qmi_client_wda_##name, qmi_client_wda_##name##_finish,                                \
             qmi_message_wda_##name##_output_get_result, qmi_message_wda_##name##_output_unref>(   \
        client, input)

using Verbose = std::pair<QmiWdsVerboseCallEndReasonType, gint16>;

inline std::string ipv4_text(guint32 address)
{
    const in_addr raw{htonl(address)};
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &raw, text, sizeof text);
    return text;
}

// 16 bytes as a GArray of guint8 (libqmi's IPv6 DNS) or 8 guint16 in host
// order (libqmi's IPv6 address), to text.
inline std::string ipv6_text(const GArray *array)
{
    if (!array)
        return "<none>";
    guint8 bytes[16] = {};
    if (g_array_get_element_size(const_cast<GArray *>(array)) == 2 && array->len == 8) {
        for (guint i = 0; i < 8; i++) {
            const guint16 word = g_array_index(const_cast<GArray *>(array), guint16, i);
            bytes[2 * i] = static_cast<guint8>(word >> 8);
            bytes[2 * i + 1] = static_cast<guint8>(word);
        }
    } else if (array->len == 16) {
        std::memcpy(bytes, array->data, 16);
    } else {
        return "<bad>";
    }
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, bytes, text, sizeof text);
    return text;
}

// One Packet Service Status indication as the host decoded it.
struct StatusEvent {
    QmiWdsConnectionStatus status = QMI_WDS_CONNECTION_STATUS_UNKNOWN;
    std::optional<QmiWdsCallEndReason> reason;
    std::optional<Verbose> verbose;
    std::optional<QmiWdsIpFamily> family;
};

// A WDS client and the indications it got. No REQUIRE in the callback: a
// throw must not cross GLib's C frames.
class WdsTestClient
{
  public:
    explicit WdsTestClient(QmiDevice *device)
        : client_{QMI_CLIENT_WDS(allocate_client(device, QMI_SERVICE_WDS).release())}
    {
        g_signal_connect(client_.get(), "packet-service-status", G_CALLBACK(on_status), this);
    }
    ~WdsTestClient() { g_signal_handlers_disconnect_by_data(client_.get(), this); }
    WdsTestClient(const WdsTestClient &) = delete;
    WdsTestClient &operator=(const WdsTestClient &) = delete;

    QmiClientWds *get() const { return client_.get(); }
    guint8 cid() const { return qmi_client_get_cid(QMI_CLIENT(client_.get())); }

    // The next indication (they are consumed in order).
    StatusEvent next_status()
    {
        REQUIRE(spin_until([&] { return seen_ < events_.size(); }));
        return events_[seen_++];
    }
    // Lets late indications arrive; true if none is left unconsumed.
    bool quiet()
    {
        spin_until([] { return false; }, 100);
        return seen_ == events_.size();
    }
    std::size_t received() const { return events_.size(); }

  private:
    static void on_status(QmiClientWds *, QmiIndicationWdsPacketServiceStatusOutput *out,
                          gpointer data)
    {
        StatusEvent event;
        gboolean reconfiguration = FALSE;
        qmi_indication_wds_packet_service_status_output_get_connection_status(
            out, &event.status, &reconfiguration, nullptr);
        QmiWdsCallEndReason reason{};
        if (qmi_indication_wds_packet_service_status_output_get_call_end_reason(out, &reason,
                                                                                nullptr))
            event.reason = reason;
        Verbose verbose{};
        if (qmi_indication_wds_packet_service_status_output_get_verbose_call_end_reason(
                out, &verbose.first, &verbose.second, nullptr))
            event.verbose = verbose;
        QmiWdsIpFamily family{};
        if (qmi_indication_wds_packet_service_status_output_get_ip_family(out, &family, nullptr))
            event.family = family;
        static_cast<WdsTestClient *>(data)->events_.push_back(event);
    }

    GObjectPtr<QmiClientWds> client_;
    std::vector<StatusEvent> events_;
    std::size_t seen_ = 0;
};

struct StartArgs {
    const char *apn = nullptr;
    std::optional<QmiWdsIpFamily> family{};
    std::optional<guint8> auth{}; // QmiWdsAuthentication bits
    const char *user = nullptr;
    const char *password = nullptr;
    std::optional<guint8> profile{};
};

struct StartResult {
    std::optional<QmiProtocolError> error;
    guint32 handle = 0;
    std::optional<QmiWdsCallEndReason> reason;
    std::optional<Verbose> verbose;
    bool ok() const { return !error; }
};

using StartInput = Owned<QmiMessageWdsStartNetworkInput, qmi_message_wds_start_network_input_unref>;
using StartOutput =
    Owned<QmiMessageWdsStartNetworkOutput, qmi_message_wds_start_network_output_unref>;

inline StartInput start_input(const StartArgs &args)
{
    StartInput input{qmi_message_wds_start_network_input_new()};
    if (args.apn)
        qmi_message_wds_start_network_input_set_apn(input.get(), args.apn, nullptr);
    if (args.family)
        qmi_message_wds_start_network_input_set_ip_family_preference(input.get(), *args.family,
                                                                     nullptr);
    if (args.auth)
        qmi_message_wds_start_network_input_set_authentication_preference(
            input.get(), static_cast<QmiWdsAuthentication>(*args.auth), nullptr);
    if (args.user)
        qmi_message_wds_start_network_input_set_username(input.get(), args.user, nullptr);
    if (args.password)
        qmi_message_wds_start_network_input_set_password(input.get(), args.password, nullptr);
    if (args.profile)
        qmi_message_wds_start_network_input_set_profile_index_3gpp(input.get(), *args.profile,
                                                                   nullptr);
    return input;
}

inline StartResult start_result(QmiMessageWdsStartNetworkOutput *output)
{
    StartResult result;
    ErrorSlot error;
    if (qmi_message_wds_start_network_output_get_result(output, error.out())) {
        REQUIRE(qmi_message_wds_start_network_output_get_packet_data_handle(output, &result.handle,
                                                                            nullptr));
        return result;
    }
    REQUIRE(error.get()->domain == QMI_PROTOCOL_ERROR);
    result.error = static_cast<QmiProtocolError>(error.get()->code);
    QmiWdsCallEndReason reason{};
    if (qmi_message_wds_start_network_output_get_call_end_reason(output, &reason, nullptr))
        result.reason = reason;
    Verbose verbose{};
    if (qmi_message_wds_start_network_output_get_verbose_call_end_reason(output, &verbose.first,
                                                                         &verbose.second, nullptr))
        result.verbose = verbose;
    return result;
}

inline StartResult start_network(QmiClientWds *client, const StartArgs &args = {})
{
    const StartInput input = start_input(args);
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_client_wds_start_network(client, input.get(), kQmiTimeoutS, nullptr, cb, data);
    });
    ErrorSlot error;
    StartOutput output{qmi_client_wds_start_network_finish(client, result.get(), error.out())};
    INFO(error.message());
    REQUIRE(output);
    return start_result(output.get());
}

// A Start Network that is answered later: started now, collected with finish().
class PendingStart
{
  public:
    PendingStart(QmiClientWds *client, const StartArgs &args)
        : client_(client), slot_(std::make_shared<GObjectPtr<GAsyncResult>>()),
          cancellable_(g_cancellable_new())
    {
        const StartInput input = start_input(args);
        qmi_client_wds_start_network(
            client, input.get(), kQmiTimeoutS, cancellable_.get(),
            [](GObject *, GAsyncResult *result, gpointer data) {
                std::unique_ptr<ResultSlot> owner{static_cast<ResultSlot *>(data)};
                (*owner)->reset(G_ASYNC_RESULT(g_object_ref(result)));
            },
            new ResultSlot(slot_));
    }
    void cancel() { g_cancellable_cancel(cancellable_.get()); }
    // The answer, or nullopt and `error` (e.g. cancelled) if there is none.
    std::optional<StartResult> finish(ErrorSlot &error)
    {
        REQUIRE(spin_until([&] { return slot_->get() != nullptr; }));
        StartOutput output{qmi_client_wds_start_network_finish(client_, slot_->get(), error.out())};
        if (!output)
            return std::nullopt;
        return start_result(output.get());
    }

  private:
    QmiClientWds *client_;
    ResultSlot slot_;
    GObjectPtr<GCancellable> cancellable_;
};

inline std::optional<QmiProtocolError> stop_network(QmiClientWds *client, guint32 handle)
{
    Owned<QmiMessageWdsStopNetworkInput, qmi_message_wds_stop_network_input_unref> input{
        qmi_message_wds_stop_network_input_new()};
    qmi_message_wds_stop_network_input_set_packet_data_handle(input.get(), handle, nullptr);
    return WDS_CALL(stop_network, client, input.get()).error;
}

inline std::optional<QmiProtocolError> set_ip_family(QmiClientWds *client, QmiWdsIpFamily family)
{
    Owned<QmiMessageWdsSetIpFamilyInput, qmi_message_wds_set_ip_family_input_unref> input{
        qmi_message_wds_set_ip_family_input_new()};
    qmi_message_wds_set_ip_family_input_set_preference(input.get(), family, nullptr);
    return WDS_CALL(set_ip_family, client, input.get()).error;
}

inline QmiWdsConnectionStatus service_status(QmiClientWds *client)
{
    auto reply = WDS_CALL(get_packet_service_status, client, nullptr);
    REQUIRE(reply.ok());
    QmiWdsConnectionStatus status{};
    REQUIRE(qmi_message_wds_get_packet_service_status_output_get_connection_status(
        reply.output.get(), &status, nullptr));
    return status;
}

// Get Current Settings, decoded; absent values are empty.
struct Settings {
    std::optional<QmiProtocolError> error;
    std::optional<QmiWdsIpFamily> family;
    std::string ipv4, mask, gateway, dns1, dns2;
    std::string ipv6, ipv6_gateway, ipv6_dns1, ipv6_dns2;
    guint8 ipv6_prefix = 0;
    guint32 mtu = 0;
    std::string apn, username;
    std::optional<guint8> profile;
    std::optional<QmiWdsAuthentication> auth;
};

inline Settings current_settings(QmiClientWds *client)
{
    using Input = Owned<QmiMessageWdsGetCurrentSettingsInput,
                        qmi_message_wds_get_current_settings_input_unref>;
    Input input{qmi_message_wds_get_current_settings_input_new()};
    qmi_message_wds_get_current_settings_input_set_requested_settings(
        input.get(),
        static_cast<QmiWdsRequestedSettings>(
            QMI_WDS_REQUESTED_SETTINGS_PROFILE_ID | QMI_WDS_REQUESTED_SETTINGS_APN_NAME |
            QMI_WDS_REQUESTED_SETTINGS_DNS_ADDRESS | QMI_WDS_REQUESTED_SETTINGS_USERNAME |
            QMI_WDS_REQUESTED_SETTINGS_AUTH_PROTOCOL | QMI_WDS_REQUESTED_SETTINGS_IP_ADDRESS |
            QMI_WDS_REQUESTED_SETTINGS_GATEWAY_INFO | QMI_WDS_REQUESTED_SETTINGS_MTU |
            QMI_WDS_REQUESTED_SETTINGS_IP_FAMILY),
        nullptr);
    auto reply = WDS_CALL(get_current_settings, client, input.get());
    Settings s;
    s.error = reply.error;
    if (!reply.ok())
        return s;
    auto *out = reply.output.get();
    guint32 value = 0;
    if (qmi_message_wds_get_current_settings_output_get_ipv4_address(out, &value, nullptr))
        s.ipv4 = ipv4_text(value);
    if (qmi_message_wds_get_current_settings_output_get_ipv4_gateway_subnet_mask(out, &value,
                                                                                 nullptr))
        s.mask = ipv4_text(value);
    if (qmi_message_wds_get_current_settings_output_get_ipv4_gateway_address(out, &value, nullptr))
        s.gateway = ipv4_text(value);
    if (qmi_message_wds_get_current_settings_output_get_primary_ipv4_dns_address(out, &value,
                                                                                 nullptr))
        s.dns1 = ipv4_text(value);
    if (qmi_message_wds_get_current_settings_output_get_secondary_ipv4_dns_address(out, &value,
                                                                                   nullptr))
        s.dns2 = ipv4_text(value);
    qmi_message_wds_get_current_settings_output_get_mtu(out, &s.mtu, nullptr);
    QmiWdsIpFamily family{};
    if (qmi_message_wds_get_current_settings_output_get_ip_family(out, &family, nullptr))
        s.family = family;
    GArray *array = nullptr;
    if (qmi_message_wds_get_current_settings_output_get_ipv6_address(out, &array, &s.ipv6_prefix,
                                                                     nullptr))
        s.ipv6 = ipv6_text(array);
    guint8 prefix = 0;
    if (qmi_message_wds_get_current_settings_output_get_ipv6_gateway_address(out, &array, &prefix,
                                                                             nullptr))
        s.ipv6_gateway = ipv6_text(array) + "/" + std::to_string(prefix);
    if (qmi_message_wds_get_current_settings_output_get_ipv6_primary_dns_address(out, &array,
                                                                                 nullptr))
        s.ipv6_dns1 = ipv6_text(array);
    if (qmi_message_wds_get_current_settings_output_get_ipv6_secondary_dns_address(out, &array,
                                                                                   nullptr))
        s.ipv6_dns2 = ipv6_text(array);
    const gchar *text = nullptr;
    if (qmi_message_wds_get_current_settings_output_get_apn_name(out, &text, nullptr))
        s.apn = text;
    if (qmi_message_wds_get_current_settings_output_get_username(out, &text, nullptr))
        s.username = text;
    QmiWdsProfileType type{};
    guint8 index = 0;
    if (qmi_message_wds_get_current_settings_output_get_profile_id(out, &type, &index, nullptr))
        s.profile = index;
    QmiWdsAuthentication auth{};
    if (qmi_message_wds_get_current_settings_output_get_authentication(out, &auth, nullptr))
        s.auth = auth;
    return s;
}

// A request libqmi cannot build (a message it lacks, or without a TLV it
// insists on), sent on `client`'s client id; `fill` adds the TLVs. Returns
// the raw response.
inline MessagePtr raw_command(QmiDevice *device, QmiClient *client, guint16 message_id,
                              const std::function<void(QmiMessage *)> &fill = {})
{
    MessagePtr request{qmi_message_new(qmi_client_get_service(client), qmi_client_get_cid(client),
                                       qmi_client_get_next_transaction_id(client), message_id)};
    if (fill)
        fill(request.get());
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_command_full(device, request.get(), nullptr, kQmiTimeoutS, nullptr, cb, data);
    });
    ErrorSlot error;
    MessagePtr response{qmi_device_command_full_finish(device, result.get(), error.out())};
    INFO(error.message());
    REQUIRE(response);
    return response;
}

// A simulator with WDS and WDA enabled and a libqmi host holding a DMS client.
class Host
{
  public:
    explicit Host(std::vector<std::string> args = {"--services", "dms,nas,uim,wds,wda",
                                                   "--verbose"})
        : sim(args)
    {
        device = open_device(sim.link);
        dms = allocate_dms(device.get());
        REQUIRE(sim.command("set nas.register-delay-ms 10") == "OK");
        REQUIRE(sim.command("set wds.connect-delay-ms 10") == "OK");
    }

    void online()
    {
        REQUIRE(set_operating_mode(dms.get(), QMI_DMS_OPERATING_MODE_ONLINE) ==
                QMI_PROTOCOL_ERROR_NONE);
        REQUIRE(spin_until([&] { return sim.command("get nas.registration") == "OK registered"; }));
    }

    std::unique_ptr<WdsTestClient> wds() { return std::make_unique<WdsTestClient>(device.get()); }

    GObjectPtr<QmiClientWda> wda()
    {
        return GObjectPtr<QmiClientWda>{
            QMI_CLIENT_WDA(allocate_client(device.get(), QMI_SERVICE_WDA).release())};
    }

    SimProcess sim;
    GObjectPtr<QmiDevice> device;
    GObjectPtr<QmiClientDms> dms;
};

} // namespace qmisim::selftest
