// Helpers for the UIM self-test: libqmi UIM/DMS calls, the card status as
// the response and the indication decode it, file reads and raw writes, and
// a simulator with a libqmi host holding a DMS and a UIM client.
#pragma once

#include "qmux.hpp"
#include "selftest_support.hpp"
#include "tlv.hpp"

#include <optional>
#include <string>
#include <vector>

namespace qmisim::uimtest
{

using namespace qmisim::selftest;

// ---------------------------------------------------------------------------
// One request: the output and the protocol error, if any.

#define UIM_CALL(name, client, input)                                                              \
    qmi_call<qmi_client_uim_##name, qmi_client_uim_##name##_finish,                                \
             qmi_message_uim_##name##_output_get_result, qmi_message_uim_##name##_output_unref>(   \
        client, input)
#define DMS_CALL(name, client, input)                                                              \
    qmi_call<qmi_client_dms_##name, qmi_client_dms_##name##_finish,                                \
             qmi_message_dms_##name##_output_get_result, qmi_message_dms_##name##_output_unref>(   \
        client, input)

using ByteArray = Owned<GArray, g_array_unref>;
using Bytes = std::vector<guint8>;

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

// DF ids as the File TLV carries them: each u16 little-endian.
inline ByteArray path_array(const std::vector<guint16> &path)
{
    Bytes bytes;
    for (const guint16 id : path) {
        bytes.push_back(static_cast<guint8>(id & 0xFF));
        bytes.push_back(static_cast<guint8>(id >> 8));
    }
    return byte_array(bytes);
}

inline Bytes ascii(const std::string &text)
{
    return {text.begin(), text.end()};
}

inline const std::vector<guint16> kMf{0x3F00};
inline const std::vector<guint16> kAdf{0x3F00, 0x7FFF};
inline const std::vector<guint16> kGsm{0x3F00, 0x7F20};
inline const Bytes kAid{0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF,
                        0x49, 0xFF, 0xFF, 0x89, 0x04, 0x0B, 0x00, 0xFF};

// ---------------------------------------------------------------------------
// Card status, from the response or the indication (same layout, two types).

struct AppView {
    QmiUimCardApplicationType type = QMI_UIM_CARD_APPLICATION_TYPE_UNKNOWN;
    QmiUimCardApplicationState state = QMI_UIM_CARD_APPLICATION_STATE_UNKNOWN;
    Bytes aid;
    QmiUimPinState pin1 = QMI_UIM_PIN_STATE_NOT_INITIALIZED;
    guint8 pin1_retries = 0;
    guint8 puk1_retries = 0;
    QmiUimPinState pin2 = QMI_UIM_PIN_STATE_NOT_INITIALIZED;
};

struct StatusView {
    bool valid = false; // exactly one slot
    guint16 gw_primary = 0;
    QmiUimCardState card_state = QMI_UIM_CARD_STATE_ERROR;
    std::vector<AppView> apps;

    bool app_in(QmiUimCardApplicationState state) const
    {
        return apps.size() == 1 && apps[0].state == state;
    }
};

template <typename Card, typename App> StatusView decode_status(guint16 gw_primary, GArray *cards)
{
    StatusView view;
    view.gw_primary = gw_primary;
    if (!cards || cards->len != 1)
        return view;
    view.valid = true;
    const Card &card = g_array_index(cards, Card, 0);
    view.card_state = card.card_state;
    for (guint i = 0; card.applications && i < card.applications->len; i++) {
        const App &a = g_array_index(card.applications, App, i);
        view.apps.push_back({a.type, a.state, bytes_of(a.application_identifier_value),
                             a.pin1_state, a.pin1_retries, a.puk1_retries, a.pin2_state});
    }
    return view;
}

// No REQUIRE in here: a throw must not cross GLib's C frames.
inline void on_card_status(QmiClientUim *, QmiIndicationUimCardStatusOutput *output, gpointer data)
{
    guint16 gw = 0;
    GArray *cards = nullptr;
    if (!qmi_indication_uim_card_status_output_get_card_status(output, &gw, nullptr, nullptr,
                                                               nullptr, &cards, nullptr)) {
        static_cast<std::vector<StatusView> *>(data)->push_back(StatusView{});
        return;
    }
    static_cast<std::vector<StatusView> *>(data)->push_back(
        decode_status<QmiIndicationUimCardStatusOutputCardStatusCardsElement,
                      QmiIndicationUimCardStatusOutputCardStatusCardsElementApplicationsElement>(
            gw, cards));
}

// ---------------------------------------------------------------------------
// File access

struct FileReply {
    std::optional<QmiProtocolError> error;
    guint8 sw1 = 0;
    guint8 sw2 = 0;
    Bytes data;
};

inline FileReply read_transparent(QmiClientUim *uim, const std::vector<guint16> &path, guint16 id,
                                  guint16 offset = 0, guint16 length = 0)
{
    Owned<QmiMessageUimReadTransparentInput, qmi_message_uim_read_transparent_input_unref> input{
        qmi_message_uim_read_transparent_input_new()};
    const ByteArray no_aid = byte_array({});
    qmi_message_uim_read_transparent_input_set_session(
        input.get(), QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING, no_aid.get(), nullptr);
    qmi_message_uim_read_transparent_input_set_file(input.get(), id, path_array(path).get(),
                                                    nullptr);
    qmi_message_uim_read_transparent_input_set_read_information(input.get(), offset, length,
                                                                nullptr);
    auto reply = UIM_CALL(read_transparent, uim, input.get());
    FileReply out{reply.error, 0, 0, {}};
    qmi_message_uim_read_transparent_output_get_card_result(reply.output.get(), &out.sw1, &out.sw2,
                                                            nullptr);
    GArray *data = nullptr;
    if (qmi_message_uim_read_transparent_output_get_read_result(reply.output.get(), &data, nullptr))
        out.data = bytes_of(data);
    return out;
}

inline FileReply read_record(QmiClientUim *uim, const std::vector<guint16> &path, guint16 id,
                             guint16 record, guint16 length)
{
    Owned<QmiMessageUimReadRecordInput, qmi_message_uim_read_record_input_unref> input{
        qmi_message_uim_read_record_input_new()};
    const ByteArray no_aid = byte_array({});
    qmi_message_uim_read_record_input_set_session(
        input.get(), QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING, no_aid.get(), nullptr);
    qmi_message_uim_read_record_input_set_file(input.get(), id, path_array(path).get(), nullptr);
    qmi_message_uim_read_record_input_set_record(input.get(), record, length, nullptr);
    auto reply = UIM_CALL(read_record, uim, input.get());
    FileReply out{reply.error, 0, 0, {}};
    qmi_message_uim_read_record_output_get_card_result(reply.output.get(), &out.sw1, &out.sw2,
                                                       nullptr);
    GArray *data = nullptr;
    if (qmi_message_uim_read_record_output_get_read_result(reply.output.get(), &data, nullptr))
        out.data = bytes_of(data);
    return out;
}

// libqmi 1.32 has no Write Transparent / Write Record: a raw request with
// TLV 0x01 session, 0x02 file, 0x03 {u16 offset or record, u16 length, data}.
inline FileReply raw_write(QmiDevice *device, QmiClientUim *uim, guint16 message_id,
                           const std::vector<guint16> &path, guint16 id, guint16 first,
                           const Bytes &data)
{
    MessagePtr request{qmi_message_new(QMI_SERVICE_UIM, qmi_client_get_cid(QMI_CLIENT(uim)),
                                       qmi_client_get_next_transaction_id(QMI_CLIENT(uim)),
                                       message_id)};
    TlvWriter{request.get(), 0x01}.u8(0).u8(0).done();
    TlvWriter file{request.get(), 0x02};
    file.u16(id).u8(static_cast<std::uint8_t>(path.size() * 2));
    for (const guint16 df : path)
        file.u16(df);
    file.done();
    TlvWriter{request.get(), 0x03}
        .u16(first)
        .u16(static_cast<std::uint16_t>(data.size()))
        .bytes(data)
        .done();

    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer user) {
        qmi_device_command_full(device, request.get(), nullptr, kQmiTimeoutS, nullptr, cb, user);
    });
    ErrorSlot error;
    MessagePtr response{qmi_device_command_full_finish(device, result.get(), error.out())};
    INFO(error.message());
    REQUIRE(response);
    FileReply out;
    const auto status = response_error(response.get());
    REQUIRE(status);
    if (*status != QMI_PROTOCOL_ERROR_NONE)
        out.error = *status;
    TlvReader card_result{response.get(), 0x10};
    out.sw1 = card_result.u8().value_or(0);
    out.sw2 = card_result.u8().value_or(0);
    return out;
}

// ---------------------------------------------------------------------------
// A simulator (verbose log) with a libqmi host holding a DMS and a UIM client.

class Host
{
  public:
    explicit Host(std::vector<std::string> args = {"--verbose"}) : sim(args)
    {
        device = open_device(sim.link);
        dms = allocate_dms(device.get());
        uim = allocate_uim();
        g_signal_connect(uim.get(), "card-status", G_CALLBACK(on_card_status), &indications);
    }
    Host(const Host &) = delete;
    Host &operator=(const Host &) = delete;
    ~Host()
    {
        if (uim)
            g_signal_handlers_disconnect_by_data(uim.get(), &indications);
    }

    GObjectPtr<QmiClientUim> allocate_uim()
    {
        return GObjectPtr<QmiClientUim>{
            QMI_CLIENT_UIM(allocate_client(device.get(), QMI_SERVICE_UIM).release())};
    }

    StatusView card_status(QmiClientUim *client = nullptr)
    {
        auto reply = UIM_CALL(get_card_status, client ? client : uim.get(), nullptr);
        REQUIRE(reply.ok());
        guint16 gw = 0;
        GArray *cards = nullptr;
        REQUIRE(qmi_message_uim_get_card_status_output_get_card_status(
            reply.output.get(), &gw, nullptr, nullptr, nullptr, &cards, nullptr));
        return decode_status<
            QmiMessageUimGetCardStatusOutputCardStatusCardsElement,
            QmiMessageUimGetCardStatusOutputCardStatusCardsElementApplicationsElement>(gw, cards);
    }

    guint32 register_events(QmiClientUim *client, guint32 mask)
    {
        Owned<QmiMessageUimRegisterEventsInput, qmi_message_uim_register_events_input_unref> input{
            qmi_message_uim_register_events_input_new()};
        qmi_message_uim_register_events_input_set_event_registration_mask(
            input.get(), static_cast<QmiUimEventRegistrationFlag>(mask), nullptr);
        auto reply = UIM_CALL(register_events, client, input.get());
        REQUIRE(reply.ok());
        QmiUimEventRegistrationFlag echoed{};
        REQUIRE(qmi_message_uim_register_events_output_get_event_registration_mask(
            reply.output.get(), &echoed, nullptr));
        return echoed;
    }

    // The next indication after `seen` ones; REQUIREs that it comes.
    StatusView next_indication()
    {
        REQUIRE(spin_until([&] { return indications.size() > seen_; }));
        return indications[seen_++];
    }
    // libqmi hands indications over from an idle callback, which may run
    // after later responses: spin the main loop for a while to see them all.
    void settle(int ms = 150)
    {
        spin_until([] { return false; }, ms);
    }
    std::size_t pending_indications()
    {
        settle();
        return indications.size() - seen_;
    }

    SimProcess sim;
    GObjectPtr<QmiDevice> device;
    GObjectPtr<QmiClientDms> dms;
    GObjectPtr<QmiClientUim> uim;
    std::vector<StatusView> indications;

  private:
    std::size_t seen_ = 0;
};

inline const ByteArray &no_aid()
{
    static const ByteArray empty = byte_array({});
    return empty;
}

struct PinReply {
    std::optional<QmiProtocolError> error;
    guint8 verify_left = 0xFF;
    guint8 unblock_left = 0xFF;
};

// Retries Remaining is only decoded by libqmi on failure.
inline PinReply verify_pin(QmiClientUim *uim, const char *pin)
{
    Owned<QmiMessageUimVerifyPinInput, qmi_message_uim_verify_pin_input_unref> input{
        qmi_message_uim_verify_pin_input_new()};
    qmi_message_uim_verify_pin_input_set_session(input.get(), QMI_UIM_SESSION_TYPE_CARD_SLOT_1,
                                                 no_aid().get(), nullptr);
    qmi_message_uim_verify_pin_input_set_info(input.get(), QMI_UIM_PIN_ID_PIN1, pin, nullptr);
    auto reply = UIM_CALL(verify_pin, uim, input.get());
    PinReply out{reply.error};
    qmi_message_uim_verify_pin_output_get_retries_remaining(reply.output.get(), &out.verify_left,
                                                            &out.unblock_left, nullptr);
    return out;
}

inline PinReply unblock_pin(QmiClientUim *uim, const char *puk, const char *new_pin)
{
    Owned<QmiMessageUimUnblockPinInput, qmi_message_uim_unblock_pin_input_unref> input{
        qmi_message_uim_unblock_pin_input_new()};
    qmi_message_uim_unblock_pin_input_set_session(
        input.get(), QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING, no_aid().get(), nullptr);
    qmi_message_uim_unblock_pin_input_set_info(input.get(), QMI_UIM_PIN_ID_PIN1, puk, new_pin,
                                               nullptr);
    auto reply = UIM_CALL(unblock_pin, uim, input.get());
    PinReply out{reply.error};
    qmi_message_uim_unblock_pin_output_get_retries_remaining(reply.output.get(), &out.verify_left,
                                                             &out.unblock_left, nullptr);
    return out;
}

inline PinReply change_pin(QmiClientUim *uim, const char *old_pin, const char *new_pin)
{
    Owned<QmiMessageUimChangePinInput, qmi_message_uim_change_pin_input_unref> input{
        qmi_message_uim_change_pin_input_new()};
    qmi_message_uim_change_pin_input_set_session(input.get(), QMI_UIM_SESSION_TYPE_CARD_SLOT_1,
                                                 no_aid().get(), nullptr);
    qmi_message_uim_change_pin_input_set_info(input.get(), QMI_UIM_PIN_ID_PIN1, old_pin, new_pin,
                                              nullptr);
    auto reply = UIM_CALL(change_pin, uim, input.get());
    PinReply out{reply.error};
    qmi_message_uim_change_pin_output_get_retries_remaining(reply.output.get(), &out.verify_left,
                                                            &out.unblock_left, nullptr);
    return out;
}

inline PinReply set_pin_protection(QmiClientUim *uim, bool enable, const char *pin)
{
    Owned<QmiMessageUimSetPinProtectionInput, qmi_message_uim_set_pin_protection_input_unref> input{
        qmi_message_uim_set_pin_protection_input_new()};
    qmi_message_uim_set_pin_protection_input_set_session(
        input.get(), QMI_UIM_SESSION_TYPE_CARD_SLOT_1, no_aid().get(), nullptr);
    qmi_message_uim_set_pin_protection_input_set_info(input.get(), QMI_UIM_PIN_ID_PIN1, enable, pin,
                                                      nullptr);
    auto reply = UIM_CALL(set_pin_protection, uim, input.get());
    PinReply out{reply.error};
    qmi_message_uim_set_pin_protection_output_get_retries_remaining(
        reply.output.get(), &out.verify_left, &out.unblock_left, nullptr);
    return out;
}

} // namespace qmisim::uimtest
