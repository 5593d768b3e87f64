// What the fuzz targets share: modem frames built around fuzz bytes, the
// libqmi typed outputs the atoms receive for them, and invariant checks.
//
// A frame target's input is one selector byte (which message) followed by
// the message's TLV area, exactly as a modem would send it. libqmi frames it
// (QMUX + QMI headers), validates it as it would on a real port, and parses
// it with its own generated code: indications through the client's
// process_indication (what QmiDevice calls), responses through the real
// request/_finish pair, with qmi_device_command_full/_abortable answered
// in-process (harness.cpp interposes them), so no port and no main loop
// beyond GTask's idle completion.
#pragma once

#include <libqmi-glib.h>

#include "core/gobject_ptr.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace fuzz
{

// An invariant that failed: a message on stderr, then abort() (which
// libFuzzer reports as a crash and keeps the input).
[[noreturn]] void fail(const char *what, const char *file, int line);
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : ::fuzz::fail(#cond, __FILE__, __LINE__))

// Once per process, from LLVMFuzzerInitialize: GLib criticals and errors
// abort (an API misused on modem data is a bug), everything else logged is
// dropped (libqmi warns about each indication it cannot parse).
void init();

using Bytes = std::vector<std::uint8_t>;
using Span = std::span<const std::uint8_t>;

using MessagePtr = std::unique_ptr<QmiMessage, qmi::CFree<qmi_message_unref>>;

// A response gets a success Result TLV in front (the atoms translate only
// successful replies); a raw response is left as it is, for raw_messages'
// own reading of the Result TLV.
enum class Kind { Response, RawResponse, Indication };

// A whole QMUX frame from the modem around `tlvs`, or nullptr when libqmi
// refuses it (such a frame never reaches the plugin).
MessagePtr modem_frame(QmiService service, std::uint16_t message_id, Kind kind, Span tlvs);

// A client of each service that libqmi takes as valid, on a device object
// that is never opened; made once, owned by the harness.
QmiDevice *device();
QmiClient *client(QmiService service);

// While one lives, LeakSanitizer ignores new allocations: libqmi 1.32's
// parsers leak what they already allocated when an element of an array TLV
// is cut short (e.g. the MCC string of a truncated NAS Operator Name "PLMN
// List"); that memory is libqmi's, not the plugin's. Handlers the harness
// runs from inside (indication signals) are tracked again.
class LibqmiParsing
{
  public:
    LibqmiParsing();
    ~LibqmiParsing();
    LibqmiParsing(const LibqmiParsing &) = delete;
    LibqmiParsing &operator=(const LibqmiParsing &) = delete;
};
class PluginCode
{
  public:
    PluginCode();
    ~PluginCode();
    PluginCode(const PluginCode &) = delete;
    PluginCode &operator=(const PluginCode &) = delete;
};

// Delivers an indication as QmiDevice does: the client parses it and emits
// its signal (nothing when it cannot parse it).
void indicate(QmiService service, QmiMessage *frame);

// Sends a request with libqmi and answers it with `reply`; returns what the
// request's _finish returns (nullptr when libqmi's parser refused the reply).
void answer_next_request(QmiMessage *reply);
void run_until(const bool &done);

template <typename Client, typename Input, typename Output>
Output *request(void (*start)(Client *, Input, guint, GCancellable *, GAsyncReadyCallback,
                              gpointer),
                Output *(*finish)(Client *, GAsyncResult *, GError **), QmiService service,
                std::type_identity_t<Input> input, QmiMessage *reply)
{
    struct State {
        Output *(*finish)(Client *, GAsyncResult *, GError **);
        Output *output = nullptr;
        bool done = false;
    } state{finish};
    answer_next_request(reply);
    LibqmiParsing parsing;
    start(
        reinterpret_cast<Client *>(client(service)), input, 5, nullptr,
        [](GObject *source, GAsyncResult *res, gpointer data) {
            auto *s = static_cast<State *>(data);
            GError *error = nullptr;
            s->output = s->finish(reinterpret_cast<Client *>(source), res, &error);
            FUZZ_CHECK((s->output == nullptr) == (error != nullptr));
            if (error) {
                if (std::getenv("FUZZ_DEBUG")) // why a seed does not reach the plugin
                    std::fprintf(stderr, "request: %s\n", error->message);
                g_error_free(error);
            }
            s->done = true;
        },
        &state);
    run_until(state.done);
    return state.output;
}

// Connects Handler to a client's indication signal (once per process).
template <typename Output, void (*Handler)(Output *)>
void on_indication(QmiService service, const char *signal)
{
    g_signal_connect(client(service), signal, G_CALLBACK(+[](QmiClient *, Output *out, gpointer) {
                         PluginCode plugin;
                         Handler(out);
                     }),
                     nullptr);
}

// What the modem sent into a libqmi enum (out-parameter or struct field),
// read as the integer libqmi stored: a value outside the enum's range must
// not be loaded as the enum in C++.
// (An int, or the underlying type of a 64-bit flags enum.)
template <typename Enum> auto wire(const Enum &value)
{
    std::underlying_type_t<Enum> raw;
    std::memcpy(&raw, &value, sizeof raw);
    if constexpr (sizeof raw <= sizeof(int))
        return static_cast<int>(raw);
    else
        return raw;
}

// GArray contents as a byte vector (nullptr: empty).
Bytes bytes_of(const GArray *array);

// Whether text is valid UTF-8 (embedded NULs count as invalid).
bool valid_utf8(const std::string &text);

} // namespace fuzz
