#include "harness.hpp"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <utility>

// LeakSanitizer's switches, present only in a sanitizer build (the unit
// tests build this harness without one).
extern "C" {
__attribute__((weak)) void __lsan_disable();
__attribute__((weak)) void __lsan_enable();
}

namespace fuzz
{
namespace
{

constexpr std::uint8_t kQmuxMarker = 0x01;
constexpr std::uint8_t kFromService = 0x80; // QMUX flags: sent by the modem
constexpr std::uint8_t kResponse = 0x02, kIndication = 0x04;
constexpr std::uint8_t kClientId = 1;
constexpr std::uint8_t kSuccessResult[] = {0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00};

GLogWriterOutput writer(GLogLevelFlags level, const GLogField *fields, gsize n, gpointer)
{
    const bool fatal = level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
    // FUZZ_DEBUG=1 shows the rest too, e.g. why libqmi dropped a seed's indication.
    if (!fatal && !(std::getenv("FUZZ_DEBUG") && level & G_LOG_LEVEL_WARNING))
        return G_LOG_WRITER_HANDLED;
    for (gsize i = 0; i < n; ++i)
        if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
            std::fprintf(stderr, "GLib: %s\n", static_cast<const char *>(fields[i].value));
    if (fatal)
        std::abort();
    return G_LOG_WRITER_HANDLED;
}

void put16(Bytes &out, std::size_t at, std::size_t value)
{
    out[at] = static_cast<std::uint8_t>(value & 0xFF);
    out[at + 1] = static_cast<std::uint8_t>(value >> 8);
}

// The reply the next interposed command gets, and whether one was taken.
QmiMessage *pending_reply;

void complete(QmiMessage *request, GCancellable *cancellable, GAsyncReadyCallback callback,
              gpointer user_data)
{
    FUZZ_CHECK(pending_reply != nullptr);
    FUZZ_CHECK(qmi_message_get_service(request) == qmi_message_get_service(pending_reply));
    FUZZ_CHECK(qmi_message_get_message_id(request) == qmi_message_get_message_id(pending_reply));
    GTask *task = g_task_new(nullptr, cancellable, callback, user_data);
    g_task_return_pointer(task, std::exchange(pending_reply, nullptr),
                          reinterpret_cast<GDestroyNotify>(qmi_message_unref));
    g_object_unref(task);
}

QmiMessage *finish(GAsyncResult *res, GError **error)
{
    return static_cast<QmiMessage *>(g_task_propagate_pointer(G_TASK(res), error));
}

} // namespace

void fail(const char *what, const char *file, int line)
{
    std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", what, file, line);
    std::abort();
}

void init()
{
    static const bool once = [] {
        g_log_set_writer_func(writer, nullptr, nullptr);
        return true;
    }();
    (void)once;
}

MessagePtr modem_frame(QmiService service, std::uint16_t message_id, Kind kind, Span tlvs)
{
    const bool indication = kind == Kind::Indication;
    Bytes frame{kQmuxMarker,
                0,
                0,
                kFromService,
                static_cast<std::uint8_t>(service),
                kClientId,
                indication ? kIndication : kResponse,
                1,
                0};
    frame.push_back(static_cast<std::uint8_t>(message_id & 0xFF));
    frame.push_back(static_cast<std::uint8_t>(message_id >> 8));
    frame.resize(frame.size() + 2);
    const std::size_t header = frame.size();
    if (kind == Kind::Response)
        frame.insert(frame.end(), std::begin(kSuccessResult), std::end(kSuccessResult));
    frame.insert(frame.end(), tlvs.begin(), tlvs.end());
    if (frame.size() - 1 > 0xFFFF)
        return nullptr;
    put16(frame, 1, frame.size() - 1);
    put16(frame, header - 2, frame.size() - header);

    GByteArray *raw = g_byte_array_sized_new(static_cast<guint>(frame.size()));
    g_byte_array_append(raw, frame.data(), static_cast<guint>(frame.size()));
    GError *error = nullptr;
    MessagePtr message(qmi_message_new_from_raw(raw, &error));
    g_byte_array_unref(raw);
    if (error)
        g_error_free(error);
    return message;
}

QmiDevice *device()
{
    static QmiDevice *instance = [] {
        GFile *file = g_file_new_for_path("/dev/null");
        auto *d = static_cast<QmiDevice *>(g_object_new(QMI_TYPE_DEVICE, QMI_DEVICE_FILE, file,
                                                        QMI_DEVICE_NO_FILE_CHECK, TRUE, nullptr));
        g_object_unref(file);
        return d;
    }();
    return instance;
}

QmiClient *client(QmiService service)
{
    static std::map<QmiService, QmiClient *> clients;
    QmiClient *&c = clients[service];
    if (!c) {
        const GType type = service == QMI_SERVICE_NAS     ? QMI_TYPE_CLIENT_NAS
                           : service == QMI_SERVICE_DMS   ? QMI_TYPE_CLIENT_DMS
                           : service == QMI_SERVICE_UIM   ? QMI_TYPE_CLIENT_UIM
                           : service == QMI_SERVICE_VOICE ? QMI_TYPE_CLIENT_VOICE
                           : service == QMI_SERVICE_WDS   ? QMI_TYPE_CLIENT_WDS
                           : service == QMI_SERVICE_WMS   ? QMI_TYPE_CLIENT_WMS
                                                          : G_TYPE_INVALID;
        FUZZ_CHECK(type != G_TYPE_INVALID);
        c = static_cast<QmiClient *>(g_object_new(type, QMI_CLIENT_DEVICE, device(),
                                                  QMI_CLIENT_SERVICE, service, QMI_CLIENT_CID,
                                                  guint{kClientId}, nullptr));
        FUZZ_CHECK(qmi_client_is_valid(c));
    }
    return c;
}

LibqmiParsing::LibqmiParsing()
{
    if (__lsan_disable)
        __lsan_disable();
}

LibqmiParsing::~LibqmiParsing()
{
    if (__lsan_enable)
        __lsan_enable();
}

PluginCode::PluginCode()
{
    if (__lsan_enable)
        __lsan_enable();
}

PluginCode::~PluginCode()
{
    if (__lsan_disable)
        __lsan_disable();
}

void indicate(QmiService service, QmiMessage *frame)
{
    LibqmiParsing parsing;
    QmiClient *c = client(service);
    QMI_CLIENT_GET_CLASS(c)->process_indication(c, frame);
}

void answer_next_request(QmiMessage *reply)
{
    FUZZ_CHECK(pending_reply == nullptr);
    pending_reply = qmi_message_ref(reply);
}

void run_until(const bool &done)
{
    for (int i = 0; !done && i < 100; ++i)
        g_main_context_iteration(nullptr, FALSE);
    // Not done: libqmi did not send through the interposed functions below.
    FUZZ_CHECK(done);
    FUZZ_CHECK(pending_reply == nullptr);
}

Bytes bytes_of(const GArray *array)
{
    if (!array)
        return {};
    const auto *p = reinterpret_cast<const std::uint8_t *>(array->data);
    return Bytes(p, p + array->len * g_array_get_element_size(const_cast<GArray *>(array)));
}

bool valid_utf8(const std::string &text)
{
    return g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr);
}

} // namespace fuzz

// libqmi's generated request functions send through these (via the PLT), so
// defining them here answers every request in-process with the pending reply.
extern "C" void qmi_device_command_full(QmiDevice *, QmiMessage *message, QmiMessageContext *,
                                        guint, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
    fuzz::complete(message, cancellable, callback, user_data);
}

extern "C" QmiMessage *qmi_device_command_full_finish(QmiDevice *, GAsyncResult *res,
                                                      GError **error)
{
    return fuzz::finish(res, error);
}

extern "C" void qmi_device_command_abortable(QmiDevice *, QmiMessage *message, QmiMessageContext *,
                                             guint, QmiDeviceCommandAbortableBuildRequestFn,
                                             QmiDeviceCommandAbortableParseResponseFn,
                                             gpointer abort_user_data,
                                             GDestroyNotify abort_user_data_free,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
    if (abort_user_data_free)
        abort_user_data_free(abort_user_data);
    fuzz::complete(message, cancellable, callback, user_data);
}

extern "C" QmiMessage *qmi_device_command_abortable_finish(QmiDevice *, GAsyncResult *res,
                                                           GError **error)
{
    return fuzz::finish(res, error);
}
