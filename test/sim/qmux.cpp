#include "qmux.hpp"

#include <algorithm>

namespace qmisim
{

namespace
{

constexpr std::uint8_t kQmuxMarker = QMI_MESSAGE_QMUX_MARKER;
// QMUX length excludes the marker: QMUX header (5) + smallest QMI header (CTL, 6).
constexpr std::size_t kMinQmuxLength = 5 + 6;

// Offsets into a QMUX frame: marker, length(2), QMUX flags, service, client,
// then the QMI header whose first byte is the QMI flags.
constexpr std::size_t kQmuxFlagsOffset = 3;
constexpr std::size_t kQmiFlagsOffset = 6;
constexpr std::uint8_t kQmuxFlagFromService = 0x80;
constexpr std::uint8_t kCtlFlagIndication = 0x02;
constexpr std::uint8_t kServiceFlagIndication = 0x04;

} // namespace

void FrameParser::feed(const std::uint8_t *data, std::size_t len)
{
    buffer_.insert(buffer_.end(), data, data + len);
}

void FrameParser::drop(std::size_t n)
{
    n = std::min(n, buffer_.size());
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(n));
    discarded_ += n;
}

void FrameParser::drop_head_byte()
{
    drop(1);
}

MessagePtr FrameParser::next()
{
    for (;;) {
        auto marker = std::find(buffer_.begin(), buffer_.end(), kQmuxMarker);
        drop(static_cast<std::size_t>(marker - buffer_.begin()));
        if (buffer_.size() < 3)
            return nullptr;

        const std::size_t length = buffer_[1] | (std::size_t{buffer_[2]} << 8);
        if (length < kMinQmuxLength) {
            drop(1);
            continue;
        }
        if (buffer_.size() < length + 1)
            return nullptr;

        // libqmi consumes a whole (claimed) frame even when it rejects it, so
        // hand it a copy and decide ourselves how much to discard.
        Owned<GByteArray, g_byte_array_unref> candidate{g_byte_array_sized_new(length + 1)};
        g_byte_array_append(candidate.get(), buffer_.data(), static_cast<guint>(length + 1));
        ErrorSlot error;
        MessagePtr message{qmi_message_new_from_raw(candidate.get(), error.out())};
        if (message) {
            buffer_.erase(buffer_.begin(),
                          buffer_.begin() + static_cast<std::ptrdiff_t>(length + 1));
            return message;
        }
        drop(1);
    }
}

MessagePtr make_indication(QmiService service, std::uint8_t client_id, std::uint16_t message_id)
{
    MessagePtr message{qmi_message_new(service, client_id, 0, message_id)};
    // qmi_message_new() always builds a request; an indication differs only in
    // two header bits: QMUX "sent by service" and the QMI indication flag
    // (bit 1 in the CTL header, bit 2 in service headers). No TLVs exist yet,
    // so the offsets are the fixed header offsets of a QMUX frame.
    message->data[kQmuxFlagsOffset] = kQmuxFlagFromService;
    message->data[kQmiFlagsOffset] =
        service == QMI_SERVICE_CTL ? kCtlFlagIndication : kServiceFlagIndication;
    g_assert(qmi_message_is_indication(message.get()));
    return message;
}

std::optional<QmiProtocolError> response_error(QmiMessage *response)
{
    ErrorSlot error;
    const gsize init = qmi_message_tlv_read_init(response, 0x02, nullptr, error.out());
    if (!init)
        return std::nullopt;
    gsize offset = 0;
    guint16 status = 0;
    guint16 code = 0;
    if (!qmi_message_tlv_read_guint16(response, init, &offset, QMI_ENDIAN_LITTLE, &status,
                                      error.out()) ||
        !qmi_message_tlv_read_guint16(response, init, &offset, QMI_ENDIAN_LITTLE, &code,
                                      error.out()))
        return std::nullopt;
    return static_cast<QmiProtocolError>(code);
}

std::string message_name(QmiMessage *message)
{
    GCharPtr printable{qmi_message_get_printable_full(message, nullptr, "")};
    const std::string text{printable.get()};
    const std::string key = "message     = \"";
    const auto start = text.find(key);
    if (start == std::string::npos)
        return "unknown";
    const auto begin = start + key.size();
    const auto end = text.find('"', begin);
    return end == std::string::npos ? "unknown" : text.substr(begin, end - begin);
}

std::vector<std::uint8_t> raw_bytes(QmiMessage *message)
{
    gsize len = 0;
    const guint8 *raw = qmi_message_get_raw(message, &len, nullptr);
    return {raw, raw + len};
}

} // namespace qmisim
