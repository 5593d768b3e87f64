#include "raw_messages.hpp"

#include "gobject_ptr.hpp"

namespace qmi {
namespace {

constexpr guint kTimeoutSeconds = 10;
constexpr guint16 kUimWriteTransparent = 0x0022;
constexpr guint16 kUimWriteRecord = 0x0023;

struct MessageUnref {
    void operator()(QmiMessage *m) const { qmi_message_unref(m); }
};
using MessagePtr = std::unique_ptr<QmiMessage, MessageUnref>;

void write_session_and_file(QmiMessage *m, const UimFileRef &file)
{
    gsize init = qmi_message_tlv_write_init(m, 0x01, nullptr);
    qmi_message_tlv_write_guint8(m, static_cast<guint8>(file.session_type), nullptr);
    qmi_message_tlv_write_guint8(m, static_cast<guint8>(file.aid.size()), nullptr);
    for (auto b : file.aid)
        qmi_message_tlv_write_guint8(m, b, nullptr);
    qmi_message_tlv_write_complete(m, init, nullptr);

    init = qmi_message_tlv_write_init(m, 0x02, nullptr);
    qmi_message_tlv_write_guint16(m, QMI_ENDIAN_LITTLE, file.file_id, nullptr);
    qmi_message_tlv_write_guint8(m, static_cast<guint8>(file.path.size()), nullptr);
    for (auto b : file.path)
        qmi_message_tlv_write_guint8(m, b, nullptr);
    qmi_message_tlv_write_complete(m, init, nullptr);
}

void write_data_tlv(QmiMessage *m, std::uint16_t first, const std::vector<std::uint8_t> &data)
{
    gsize init = qmi_message_tlv_write_init(m, 0x03, nullptr);
    qmi_message_tlv_write_guint16(m, QMI_ENDIAN_LITTLE, first, nullptr);
    qmi_message_tlv_write_guint16(m, QMI_ENDIAN_LITTLE, static_cast<guint16>(data.size()), nullptr);
    for (auto b : data)
        qmi_message_tlv_write_guint8(m, b, nullptr);
    qmi_message_tlv_write_complete(m, init, nullptr);
}

// The mandatory Result TLV (0x02): u16 status (0 success), u16 error.
void read_result(QmiMessage *reply, ErrorPtr &error)
{
    gsize offset = 0;
    guint16 status = 0, code = 0;
    gsize init = qmi_message_tlv_read_init(reply, 0x02, nullptr, ErrorOut(error));
    if (error)
        return;
    if (!qmi_message_tlv_read_guint16(reply, init, &offset, QMI_ENDIAN_LITTLE, &status,
                                      ErrorOut(error)) ||
        !qmi_message_tlv_read_guint16(reply, init, &offset, QMI_ENDIAN_LITTLE, &code,
                                      ErrorOut(error)))
        return;
    if (status != 0) {
        const char *name = qmi_protocol_error_get_string(static_cast<QmiProtocolError>(code));
        error.reset(g_error_new(QMI_PROTOCOL_ERROR, code, "%s", name ? name : "QMI error"));
    }
}

void send(const Lifetime &life, QmiDevice *device, MessagePtr message, RawDone done)
{
    auto slot = life.async([done = std::move(done)](GObject *source, GAsyncResult *res) mutable {
        ErrorPtr error;
        MessagePtr reply(qmi_device_command_full_finish(QMI_DEVICE(source), res, ErrorOut(error)));
        if (reply)
            read_result(reply.get(), error);
        done(error.get());
    });
    qmi_device_command_full(device, message.get(), nullptr, kTimeoutSeconds, life.cancellable(),
                            slot.callback, slot.data);
}

MessagePtr new_request(QmiClient *client, guint16 id)
{
    return MessagePtr(qmi_message_new(QMI_SERVICE_UIM, qmi_client_get_cid(client),
                                      qmi_client_get_next_transaction_id(client), id));
}

} // namespace

void uim_write_transparent(const Lifetime &life, QmiDevice *device, QmiClient *uim,
                           const UimFileRef &file, std::uint16_t offset,
                           const std::vector<std::uint8_t> &data, RawDone done)
{
    auto m = new_request(uim, kUimWriteTransparent);
    write_session_and_file(m.get(), file);
    write_data_tlv(m.get(), offset, data);
    send(life, device, std::move(m), std::move(done));
}

void uim_write_record(const Lifetime &life, QmiDevice *device, QmiClient *uim,
                      const UimFileRef &file, std::uint16_t record,
                      const std::vector<std::uint8_t> &data, RawDone done)
{
    auto m = new_request(uim, kUimWriteRecord);
    write_session_and_file(m.get(), file);
    write_data_tlv(m.get(), record, data);
    send(life, device, std::move(m), std::move(done));
}

} // namespace qmi
