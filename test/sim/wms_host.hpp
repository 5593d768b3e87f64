// Helpers for the WMS self-test: libqmi WMS calls, the Event Report as the
// host sees it, raw requests for the messages libqmi 1.32 lacks (SMSC
// address, storage size), and a simulator (with WMS) plus a libqmi host.
#pragma once

#include "qmux.hpp"
#include "selftest_support.hpp"
#include "sms_codec.hpp"
#include "tlv.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace qmisim::wmstest
{

using namespace qmisim::selftest;

#define WMS_CALL(name, client, input)                                                              \
    qmi_call<qmi_client_wms_##name, qmi_client_wms_##name##_finish,                                \
             qmi_message_wms_##name##_output_get_result, qmi_message_wms_##name##_output_unref>(   \
        client, input)

using ByteArray = Owned<GArray, g_array_unref>;

inline ByteArray byte_array(const Bytes &bytes)
{
    ByteArray array{g_array_new(FALSE, FALSE, sizeof(guint8))};
    g_array_append_vals(array.get(), bytes.data(), static_cast<guint>(bytes.size()));
    return array;
}

inline Bytes bytes_of(const GArray *array)
{
    if (!array)
        return {};
    const auto *data = reinterpret_cast<const guint8 *>(array->data);
    return {data, data + array->len};
}

inline Bytes hex_bytes(std::string_view text)
{
    const auto bytes = parse_hex(text);
    REQUIRE(bytes);
    return *bytes;
}

// ---------------------------------------------------------------------------
// The Event Report indication, as libqmi decodes it.

struct EventView {
    std::optional<std::pair<QmiWmsStorageType, guint32>> stored; // TLV 0x10
    bool transfer = false;                                       // TLV 0x11
    QmiWmsAckIndicator ack = QMI_WMS_ACK_INDICATOR_DO_NOT_SEND;
    guint32 transaction = 0;
    QmiWmsMessageFormat format = QMI_WMS_MESSAGE_FORMAT_CDMA;
    Bytes raw;
    std::optional<QmiWmsMessageMode> mode; // TLV 0x12
};

// No REQUIRE in here: a throw must not cross GLib's C frames.
inline void on_event_report(QmiClientWms *, QmiIndicationWmsEventReportOutput *output,
                            gpointer data)
{
    EventView view;
    QmiWmsStorageType storage{};
    guint32 index = 0;
    if (qmi_indication_wms_event_report_output_get_mt_message(output, &storage, &index, nullptr))
        view.stored = std::pair{storage, index};
    GArray *raw = nullptr;
    view.transfer = qmi_indication_wms_event_report_output_get_transfer_route_mt_message(
        output, &view.ack, &view.transaction, &view.format, &raw, nullptr);
    view.raw = bytes_of(raw);
    QmiWmsMessageMode mode{};
    if (qmi_indication_wms_event_report_output_get_message_mode(output, &mode, nullptr))
        view.mode = mode;
    static_cast<std::vector<EventView> *>(data)->push_back(std::move(view));
}

// ---------------------------------------------------------------------------
// Requests

struct SendReply {
    std::optional<QmiProtocolError> error;
    guint16 message_id = 0xFFFF;
    std::optional<std::pair<guint, guint>> cause; // RP, TP
    std::optional<QmiWmsMessageDeliveryFailureType> failure_type;
};

inline SendReply
raw_send(QmiClientWms *wms, const Bytes &raw,
         QmiWmsMessageFormat format = QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT)
{
    Owned<QmiMessageWmsRawSendInput, qmi_message_wms_raw_send_input_unref> input{
        qmi_message_wms_raw_send_input_new()};
    qmi_message_wms_raw_send_input_set_raw_message_data(input.get(), format, byte_array(raw).get(),
                                                        nullptr);
    auto reply = WMS_CALL(raw_send, wms, input.get());
    SendReply out;
    out.error = reply.error;
    qmi_message_wms_raw_send_output_get_message_id(reply.output.get(), &out.message_id, nullptr);
    QmiWmsGsmUmtsRpCause rp{};
    QmiWmsGsmUmtsTpCause tp{};
    if (qmi_message_wms_raw_send_output_get_gsm_wcdma_cause_info(reply.output.get(), &rp, &tp,
                                                                 nullptr))
        out.cause = std::pair{static_cast<guint>(rp), static_cast<guint>(tp)};
    QmiWmsMessageDeliveryFailureType type{};
    if (qmi_message_wms_raw_send_output_get_message_delivery_failure_type(reply.output.get(), &type,
                                                                          nullptr))
        out.failure_type = type;
    return out;
}

struct ReadReply {
    std::optional<QmiProtocolError> error;
    QmiWmsMessageTagType tag{};
    QmiWmsMessageFormat format{};
    Bytes raw;
};

inline ReadReply raw_read(QmiClientWms *wms, QmiWmsStorageType storage, guint32 index)
{
    Owned<QmiMessageWmsRawReadInput, qmi_message_wms_raw_read_input_unref> input{
        qmi_message_wms_raw_read_input_new()};
    qmi_message_wms_raw_read_input_set_message_memory_storage_id(input.get(), storage, index,
                                                                 nullptr);
    qmi_message_wms_raw_read_input_set_message_mode(input.get(), QMI_WMS_MESSAGE_MODE_GSM_WCDMA,
                                                    nullptr);
    auto reply = WMS_CALL(raw_read, wms, input.get());
    ReadReply out{reply.error, {}, {}, {}};
    GArray *raw = nullptr;
    if (qmi_message_wms_raw_read_output_get_raw_message_data(reply.output.get(), &out.tag,
                                                             &out.format, &raw, nullptr))
        out.raw = bytes_of(raw);
    return out;
}

using Listing = std::vector<std::pair<guint32, QmiWmsMessageTagType>>;

inline Listing list_messages(QmiClientWms *wms, QmiWmsStorageType storage,
                             std::optional<QmiWmsMessageTagType> tag = std::nullopt)
{
    Owned<QmiMessageWmsListMessagesInput, qmi_message_wms_list_messages_input_unref> input{
        qmi_message_wms_list_messages_input_new()};
    qmi_message_wms_list_messages_input_set_storage_type(input.get(), storage, nullptr);
    if (tag)
        qmi_message_wms_list_messages_input_set_message_tag(input.get(), *tag, nullptr);
    qmi_message_wms_list_messages_input_set_message_mode(input.get(),
                                                         QMI_WMS_MESSAGE_MODE_GSM_WCDMA, nullptr);
    auto reply = WMS_CALL(list_messages, wms, input.get());
    REQUIRE(reply.ok());
    GArray *list = nullptr;
    REQUIRE(
        qmi_message_wms_list_messages_output_get_message_list(reply.output.get(), &list, nullptr));
    Listing out;
    for (guint i = 0; i < list->len; i++) {
        const auto &e = g_array_index(list, QmiMessageWmsListMessagesOutputMessageListElement, i);
        out.emplace_back(e.memory_index, e.message_tag);
    }
    return out;
}

inline std::optional<QmiProtocolError> delete_messages(QmiClientWms *wms, QmiWmsStorageType storage,
                                                       std::optional<guint32> index,
                                                       std::optional<QmiWmsMessageTagType> tag)
{
    Owned<QmiMessageWmsDeleteInput, qmi_message_wms_delete_input_unref> input{
        qmi_message_wms_delete_input_new()};
    qmi_message_wms_delete_input_set_memory_storage(input.get(), storage, nullptr);
    if (index)
        qmi_message_wms_delete_input_set_memory_index(input.get(), *index, nullptr);
    if (tag)
        qmi_message_wms_delete_input_set_message_tag(input.get(), *tag, nullptr);
    qmi_message_wms_delete_input_set_message_mode(input.get(), QMI_WMS_MESSAGE_MODE_GSM_WCDMA,
                                                  nullptr);
    return WMS_CALL(delete, wms, input.get()).error;
}

struct AckReply {
    std::optional<QmiProtocolError> error;
    std::optional<QmiWmsAckFailureCause> cause;
};

inline AckReply send_ack(QmiClientWms *wms, guint32 transaction, bool success)
{
    Owned<QmiMessageWmsSendAckInput, qmi_message_wms_send_ack_input_unref> input{
        qmi_message_wms_send_ack_input_new()};
    qmi_message_wms_send_ack_input_set_information(
        input.get(), transaction, QMI_WMS_MESSAGE_PROTOCOL_WCDMA, success, nullptr);
    if (!success)
        qmi_message_wms_send_ack_input_set_3gpp_failure_information(
            input.get(), QMI_WMS_GSM_UMTS_RP_CAUSE_MEMORY_CAPACITY_EXCEEDED,
            QMI_WMS_GSM_UMTS_TP_CAUSE_MEMORY_CAPACITY_EXCEEDED, nullptr);
    auto reply = WMS_CALL(send_ack, wms, input.get());
    AckReply out{reply.error, {}};
    QmiWmsAckFailureCause cause{};
    if (qmi_message_wms_send_ack_output_get_failure_cause(reply.output.get(), &cause, nullptr))
        out.cause = cause;
    return out;
}

struct Route {
    QmiWmsMessageClass message_class;
    QmiWmsStorageType storage;
    QmiWmsReceiptAction action;
    bool operator==(const Route &) const = default;
};

inline std::optional<QmiProtocolError> set_routes(QmiClientWms *wms,
                                                  const std::vector<Route> &routes,
                                                  std::optional<bool> transfer_status_reports)
{
    Owned<QmiMessageWmsSetRoutesInput, qmi_message_wms_set_routes_input_unref> input{
        qmi_message_wms_set_routes_input_new()};
    Owned<GArray, g_array_unref> list{
        g_array_new(FALSE, FALSE, sizeof(QmiMessageWmsSetRoutesInputRouteListElement))};
    for (const Route &r : routes) {
        const QmiMessageWmsSetRoutesInputRouteListElement element{
            QMI_WMS_MESSAGE_TYPE_POINT_TO_POINT, r.message_class, r.storage, r.action};
        g_array_append_val(list.get(), element);
    }
    qmi_message_wms_set_routes_input_set_route_list(input.get(), list.get(), nullptr);
    if (transfer_status_reports)
        qmi_message_wms_set_routes_input_set_transfer_status_report(
            input.get(),
            *transfer_status_reports ? QMI_WMS_TRANSFER_INDICATION_CLIENT
                                     : static_cast<QmiWmsTransferIndication>(0),
            nullptr);
    return WMS_CALL(set_routes, wms, input.get()).error;
}

struct Routes {
    std::vector<Route> routes;
    bool transfer_status_reports = false;
};

inline Routes get_routes(QmiClientWms *wms)
{
    auto reply = WMS_CALL(get_routes, wms, nullptr);
    REQUIRE(reply.ok());
    GArray *list = nullptr;
    REQUIRE(qmi_message_wms_get_routes_output_get_route_list(reply.output.get(), &list, nullptr));
    Routes out;
    for (guint i = 0; i < list->len; i++) {
        const auto &e = g_array_index(list, QmiMessageWmsGetRoutesOutputRouteListElement, i);
        out.routes.push_back({e.message_class, e.storage, e.receipt_action});
    }
    QmiWmsTransferIndication transfer{};
    if (qmi_message_wms_get_routes_output_get_transfer_status_report(reply.output.get(), &transfer,
                                                                     nullptr))
        out.transfer_status_reports = transfer == QMI_WMS_TRANSFER_INDICATION_CLIENT;
    return out;
}

// A request libqmi 1.32 has no method for: `fill` adds the TLVs.
inline MessagePtr raw_request(QmiDevice *device, QmiClientWms *wms, guint16 message_id,
                              const std::function<void(QmiMessage *)> &fill)
{
    MessagePtr request{qmi_message_new(QMI_SERVICE_WMS, qmi_client_get_cid(QMI_CLIENT(wms)),
                                       qmi_client_get_next_transaction_id(QMI_CLIENT(wms)),
                                       message_id)};
    fill(request.get());
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer user) {
        qmi_device_command_full(device, request.get(), nullptr, kQmiTimeoutS, nullptr, cb, user);
    });
    ErrorSlot error;
    MessagePtr response{qmi_device_command_full_finish(device, result.get(), error.out())};
    INFO(error.message());
    REQUIRE(response);
    return response;
}

inline QmiProtocolError status_of(QmiMessage *response)
{
    const auto status = response_error(response);
    REQUIRE(status);
    return *status;
}

// ---------------------------------------------------------------------------
// A simulator with WMS and a libqmi host holding a WMS client.

class Host
{
  public:
    explicit Host(std::vector<std::string> args = {"--services", "dms,nas,uim,wms", "--verbose"})
        : sim(args)
    {
        device = open_device(sim.link);
        wms = allocate_wms();
        watch(wms.get());
    }
    Host(const Host &) = delete;
    Host &operator=(const Host &) = delete;
    ~Host()
    {
        for (QmiClientWms *client : watched_)
            g_signal_handlers_disconnect_by_data(client, &events);
    }

    GObjectPtr<QmiClientWms> allocate_wms()
    {
        return GObjectPtr<QmiClientWms>{
            QMI_CLIENT_WMS(allocate_client(device.get(), QMI_SERVICE_WMS).release())};
    }
    void watch(QmiClientWms *client)
    {
        g_signal_connect(client, "event-report", G_CALLBACK(on_event_report), &events);
        watched_.push_back(client);
    }
    void unwatch(QmiClientWms *client)
    {
        g_signal_handlers_disconnect_by_data(client, &events);
        std::erase(watched_, client);
    }

    void subscribe(QmiClientWms *client, bool on = true)
    {
        Owned<QmiMessageWmsSetEventReportInput, qmi_message_wms_set_event_report_input_unref> input{
            qmi_message_wms_set_event_report_input_new()};
        qmi_message_wms_set_event_report_input_set_new_mt_message_indicator(input.get(), on,
                                                                            nullptr);
        REQUIRE(WMS_CALL(set_event_report, client, input.get()).ok());
    }

    // The next Event Report after the ones already taken; REQUIREs it comes.
    EventView next_event()
    {
        REQUIRE(spin_until([&] { return events.size() > seen_; }));
        return events[seen_++];
    }
    // libqmi hands indications over from an idle callback: spin a while.
    void settle(int ms = 150)
    {
        spin_until([] { return false; }, ms);
    }
    std::size_t pending_events()
    {
        settle();
        return events.size() - seen_;
    }

    SimProcess sim;
    GObjectPtr<QmiDevice> device;
    GObjectPtr<QmiClientWms> wms;
    std::vector<EventView> events;

  private:
    std::size_t seen_ = 0;
    std::vector<QmiClientWms *> watched_;
};

} // namespace qmisim::wmstest
