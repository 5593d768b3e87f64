#include "voice_tlv.hpp"

#include "../glib_ptr.hpp"
#include "../tlv.hpp"

#include <algorithm>

namespace qmisim::voice
{

namespace
{

struct CallListIds {
    std::uint8_t info;
    std::uint8_t number;
    std::uint8_t end_reason;
};

// All Call Status: 0x01, 0x10, 0x14. Get All Call Info: 0x10, 0x11, 0x18.
constexpr CallListIds kIndicationIds{0x01, 0x10, 0x14};
constexpr CallListIds kResponseIds{0x10, 0x11, 0x18};

QmiVoiceCallState qmi_state(CallState state)
{
    switch (state) {
    case CallState::Origination:
        return QMI_VOICE_CALL_STATE_ORIGINATION;
    case CallState::Alerting:
        return QMI_VOICE_CALL_STATE_ALERTING;
    case CallState::Active:
        return QMI_VOICE_CALL_STATE_CONVERSATION;
    case CallState::Held:
        return QMI_VOICE_CALL_STATE_HOLD;
    case CallState::Incoming:
        return QMI_VOICE_CALL_STATE_INCOMING;
    case CallState::Waiting:
        return QMI_VOICE_CALL_STATE_WAITING;
    case CallState::Disconnecting:
        return QMI_VOICE_CALL_STATE_DISCONNECTING;
    case CallState::Ended:
        return QMI_VOICE_CALL_STATE_END;
    }
    return QMI_VOICE_CALL_STATE_UNKNOWN;
}

QmiVoicePresentation qmi_presentation(CallPresentation presentation)
{
    switch (presentation) {
    case CallPresentation::Allowed:
        return QMI_VOICE_PRESENTATION_ALLOWED;
    case CallPresentation::Restricted:
        return QMI_VOICE_PRESENTATION_RESTRICTED;
    case CallPresentation::Unavailable:
        return QMI_VOICE_PRESENTATION_UNAVAILABLE;
    case CallPresentation::Payphone:
        return QMI_VOICE_PRESENTATION_PAYPHONE;
    }
    return QMI_VOICE_PRESENTATION_UNAVAILABLE;
}

std::u16string to_utf16(std::string_view utf8)
{
    glong units = 0;
    Owned<gunichar2, g_free> utf16{
        g_utf8_to_utf16(utf8.data(), static_cast<glong>(utf8.size()), nullptr, &units, nullptr)};
    if (!utf16)
        return {};
    return {reinterpret_cast<const char16_t *>(utf16.get()), static_cast<std::size_t>(units)};
}

} // namespace

void write_call_list(QmiMessage *message, CallListKind kind, const std::vector<Call> &calls)
{
    const CallListIds &ids = kind == CallListKind::Indication ? kIndicationIds : kResponseIds;
    const auto n = static_cast<std::uint8_t>(calls.size());

    TlvWriter info{message, ids.info};
    info.u8(n);
    for (const Call &call : calls)
        info.u8(call.id)
            .u8(qmi_state(call.state))
            .u8(call.emergency ? QMI_VOICE_CALL_TYPE_EMERGENCY : QMI_VOICE_CALL_TYPE_VOICE)
            .u8(call.direction == CallDirection::Outgoing ? QMI_VOICE_CALL_DIRECTION_MO
                                                          : QMI_VOICE_CALL_DIRECTION_MT)
            .u8(call.mode)
            .u8(call.multiparty ? 1 : 0)
            .u8(QMI_VOICE_ALS_LINE_1);
    info.done();

    // The number goes out only when its presentation is allowed.
    TlvWriter numbers{message, ids.number};
    numbers.u8(n);
    for (const Call &call : calls) {
        const bool shown = call.presentation == CallPresentation::Allowed ||
                           call.direction == CallDirection::Outgoing;
        numbers.u8(call.id)
            .u8(qmi_presentation(call.presentation))
            .string8(shown ? call.number : "");
    }
    numbers.done();

    const auto ended = static_cast<std::uint8_t>(std::count_if(
        calls.begin(), calls.end(), [](const Call &c) { return c.state == CallState::Ended; }));
    if (ended == 0)
        return;
    TlvWriter reasons{message, ids.end_reason};
    reasons.u8(ended);
    for (const Call &call : calls)
        if (call.state == CallState::Ended)
            reasons.u8(call.id).u16(call.end_reason);
    reasons.done();
}

std::optional<std::string> read_string_tlv(QmiMessage *message, std::uint8_t type)
{
    ErrorSlot error;
    const gsize init = qmi_message_tlv_read_init(message, type, nullptr, error.out());
    if (!init)
        return std::nullopt;
    gsize offset = 0;
    gchar *raw = nullptr;
    if (!qmi_message_tlv_read_string(message, init, &offset, 0, 0, &raw, error.out()))
        return std::nullopt;
    GCharPtr owned{raw};
    return std::string{raw};
}

std::optional<UssData> read_uss_data(QmiMessage *message, std::uint8_t type)
{
    TlvReader reader{message, type};
    const auto coding = reader.u8();
    const auto length = reader.u8();
    if (!coding || !length)
        return std::nullopt;
    auto data = reader.bytes(*length);
    if (!data)
        return std::nullopt;
    return UssData{*coding, std::move(*data)};
}

void write_uss_data(QmiMessage *message, std::uint8_t type, const UssData &uss)
{
    TlvWriter{message, type}
        .u8(uss.coding)
        .u8(static_cast<std::uint8_t>(uss.data.size()))
        .bytes(uss.data)
        .done();
}

void write_uss_utf16(QmiMessage *message, std::uint8_t type, std::string_view utf8)
{
    const std::u16string units = to_utf16(utf8);
    TlvWriter writer{message, type};
    writer.u8(static_cast<std::uint8_t>(units.size()));
    for (const char16_t unit : units)
        writer.u16(unit);
    writer.done();
}

std::optional<std::string> decode_uss(const UssData &uss)
{
    switch (uss.coding) {
    case QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII:
        if (std::any_of(uss.data.begin(), uss.data.end(), [](std::uint8_t b) { return b > 0x7F; }))
            return std::nullopt;
        return std::string{uss.data.begin(), uss.data.end()};
    case QMI_VOICE_USS_DATA_CODING_SCHEME_8BIT: {
        std::string out;
        for (const std::uint8_t b : uss.data) {
            char buf[6];
            out.append(buf, static_cast<std::size_t>(g_unichar_to_utf8(b, buf)));
        }
        return out;
    }
    case QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2: {
        if (uss.data.size() % 2)
            return std::nullopt;
        std::u16string units;
        for (std::size_t i = 0; i < uss.data.size(); i += 2)
            units += static_cast<char16_t>(uss.data[i] << 8 | uss.data[i + 1]);
        GCharPtr utf8{g_utf16_to_utf8(reinterpret_cast<const gunichar2 *>(units.data()),
                                      static_cast<glong>(units.size()), nullptr, nullptr, nullptr)};
        if (!utf8)
            return std::nullopt;
        return std::string{utf8.get()};
    }
    default:
        return std::nullopt;
    }
}

UssData encode_uss(std::string_view utf8)
{
    if (std::all_of(utf8.begin(), utf8.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return {QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII, Bytes{utf8.begin(), utf8.end()}};
    UssData uss{QMI_VOICE_USS_DATA_CODING_SCHEME_UCS2, {}};
    for (const char16_t unit : to_utf16(utf8)) {
        uss.data.push_back(static_cast<std::uint8_t>(unit >> 8));
        uss.data.push_back(static_cast<std::uint8_t>(unit & 0xFF));
    }
    return uss;
}

void write_supported_messages(QmiMessage *message, const std::vector<std::uint16_t> &ids)
{
    Bytes mask;
    for (const std::uint16_t id : ids) {
        if (mask.size() <= id / 8u)
            mask.resize(id / 8u + 1, 0);
        mask[id / 8u] |= static_cast<std::uint8_t>(1u << (id % 8));
    }
    TlvWriter{message, 0x10}.u16(static_cast<std::uint16_t>(mask.size())).bytes(mask).done();
}

} // namespace qmisim::voice
