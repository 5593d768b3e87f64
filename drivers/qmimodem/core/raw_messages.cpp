#include "raw_messages.hpp"

#include "gobject_ptr.hpp"
#include "pending_requests.hpp"

#include <memory>

namespace qmi
{
namespace
{

constexpr guint kTimeoutSeconds = 10;
constexpr guint16 kUimWriteTransparent = 0x0022;
constexpr guint16 kUimWriteRecord = 0x0023;
constexpr guint16 kWmsGetSmscAddress = 0x0034;
constexpr guint16 kWmsSetSmscAddress = 0x0035;
constexpr guint16 kWmsGetDomainPreference = 0x0040;
constexpr guint16 kWmsSetDomainPreference = 0x0041;

using MessagePtr = std::unique_ptr<QmiMessage, CFree<qmi_message_unref>>;

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
    // One ErrorOut per statement: each stores its error when the statement
    // ends, so an earlier one in the same expression would overwrite a later
    // one's error with nullptr.
    gsize init = qmi_message_tlv_read_init(reply, 0x02, nullptr, ErrorOut(error));
    if (error)
        return;
    if (!qmi_message_tlv_read_guint16(reply, init, &offset, QMI_ENDIAN_LITTLE, &status,
                                      ErrorOut(error)))
        return;
    if (!qmi_message_tlv_read_guint16(reply, init, &offset, QMI_ENDIAN_LITTLE, &code,
                                      ErrorOut(error)))
        return;
    if (status != 0) {
        const char *name = qmi_protocol_error_get_string(static_cast<QmiProtocolError>(code));
        error.reset(g_error_new(QMI_PROTOCOL_ERROR, code, "%s", name ? name : "QMI error"));
    }
}

// The reply (nullptr on error) with its result already folded into the error.
using ReplyDone = MoveFunction<void(QmiMessage *reply, const GError *)>;

// One raw request; like call() in qmi_call.hpp, listed with the device so
// a lost modem ends it at once (pending_requests.hpp).
struct RawClosure final : PendingRequest {
    RawClosure(Token o, ReplyDone d) : owner(std::move(o)), done(std::move(d)) {}

    Token owner;
    ReplyDone done;
    PendingRegistration registration;
    bool aborted = false;

    void abort(const GError *error) override
    {
        registration.reset();
        aborted = true;
        if (!owner.expired())
            done(nullptr, error);
    }

    static void finish(GObject *source, GAsyncResult *res, gpointer data)
    {
        std::unique_ptr<RawClosure> self(static_cast<RawClosure *>(data));
        self->registration.reset();
        ErrorPtr error;
        MessagePtr reply(qmi_device_command_full_finish(QMI_DEVICE(source), res, ErrorOut(error)));
        if (self->aborted || self->owner.expired())
            return;
        if (reply)
            read_result(reply.get(), error);
        self->done(error ? nullptr : reply.get(), error.get());
    }
};

void send(const Lifetime &life, QmiDevice *device, MessagePtr message, ReplyDone done)
{
    auto *closure = new RawClosure(life.token(), std::move(done));
    closure->registration = PendingRegistration(device, closure);
    qmi_device_command_full(device, message.get(), nullptr, kTimeoutSeconds, life.cancellable(),
                            &RawClosure::finish, closure);
}

void send(const Lifetime &life, QmiDevice *device, MessagePtr message, RawDone done)
{
    send(life, device, std::move(message),
         ReplyDone(
             [done = std::move(done)](QmiMessage *, const GError *error) mutable { done(error); }));
}

MessagePtr new_request(QmiClient *client, guint16 id)
{
    return MessagePtr(qmi_message_new(qmi_client_get_service(client), qmi_client_get_cid(client),
                                      qmi_client_get_next_transaction_id(client), id));
}

void write_bytes_tlv(QmiMessage *m, guint8 type, const std::string &bytes)
{
    gsize init = qmi_message_tlv_write_init(m, type, nullptr);
    for (char c : bytes)
        qmi_message_tlv_write_guint8(m, static_cast<guint8>(c), nullptr);
    qmi_message_tlv_write_complete(m, init, nullptr);
}

// `count` bytes at offset of TLV `init` as a string.
bool read_chars(QmiMessage *reply, gsize init, gsize &offset, std::size_t count, std::string &out,
                GError **error)
{
    out.clear();
    for (std::size_t i = 0; i < count; ++i) {
        guint8 c = 0;
        if (!qmi_message_tlv_read_guint8(reply, init, &offset, &c, error))
            return false;
        out.push_back(static_cast<char>(c));
    }
    return true;
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

// TLV 0x01 {char type[3], u8 length, address}.
void wms_get_smsc_address(const Lifetime &life, QmiDevice *device, QmiClient *wms, SmscDone done)
{
    send(life, device, new_request(wms, kWmsGetSmscAddress),
         ReplyDone([done = std::move(done)](QmiMessage *reply, const GError *error) mutable {
             if (error)
                 return done(error, {}, {});
             ErrorPtr parse;
             std::string type, address;
             gsize offset = 0;
             guint8 length = 0;
             // One ErrorOut per statement (see read_result).
             const gsize init = qmi_message_tlv_read_init(reply, 0x01, nullptr, ErrorOut(parse));
             bool ok = !parse;
             if (ok)
                 ok = read_chars(reply, init, offset, 3, type, ErrorOut(parse));
             if (ok)
                 ok = qmi_message_tlv_read_guint8(reply, init, &offset, &length, ErrorOut(parse));
             if (ok)
                 read_chars(reply, init, offset, length, address, ErrorOut(parse));
             done(parse.get(), type, address);
         }));
}

// TLV 0x01 the address, 0x10 its type, both as bare characters.
void wms_set_smsc_address(const Lifetime &life, QmiDevice *device, QmiClient *wms,
                          const std::string &address, const std::string &type, RawDone done)
{
    auto m = new_request(wms, kWmsSetSmscAddress);
    write_bytes_tlv(m.get(), 0x01, address);
    if (!type.empty())
        write_bytes_tlv(m.get(), 0x10, type);
    send(life, device, std::move(m), std::move(done));
}

void wms_get_domain_preference(const Lifetime &life, QmiDevice *device, QmiClient *wms,
                               DomainDone done)
{
    send(life, device, new_request(wms, kWmsGetDomainPreference),
         ReplyDone([done = std::move(done)](QmiMessage *reply, const GError *error) mutable {
             if (error)
                 return done(error, -1);
             ErrorPtr parse;
             gsize offset = 0;
             guint8 domain = 0;
             const gsize init = qmi_message_tlv_read_init(reply, 0x01, nullptr, ErrorOut(parse));
             if (!parse)
                 qmi_message_tlv_read_guint8(reply, init, &offset, &domain, ErrorOut(parse));
             done(parse.get(), parse ? -1 : domain);
         }));
}

void wms_set_domain_preference(const Lifetime &life, QmiDevice *device, QmiClient *wms, int domain,
                               RawDone done)
{
    auto m = new_request(wms, kWmsSetDomainPreference);
    gsize init = qmi_message_tlv_write_init(m.get(), 0x01, nullptr);
    qmi_message_tlv_write_guint8(m.get(), static_cast<guint8>(domain), nullptr);
    qmi_message_tlv_write_complete(m.get(), init, nullptr);
    send(life, device, std::move(m), std::move(done));
}

std::map<int, int> voice_call_end_reasons(QmiMessage *indication)
{
    constexpr guint16 kAllCallStatus = 0x002E;
    constexpr guint8 kEndReasonTlv = 0x14;
    std::map<int, int> reasons;
    if (!indication || qmi_message_get_service(indication) != QMI_SERVICE_VOICE ||
        qmi_message_get_message_id(indication) != kAllCallStatus)
        return reasons;
    gsize offset = 0;
    guint8 count = 0;
    const gsize init = qmi_message_tlv_read_init(indication, kEndReasonTlv, nullptr, nullptr);
    if (!init || !qmi_message_tlv_read_guint8(indication, init, &offset, &count, nullptr))
        return reasons;
    for (guint8 i = 0; i < count; ++i) {
        guint8 id = 0;
        guint16 reason = 0;
        if (!qmi_message_tlv_read_guint8(indication, init, &offset, &id, nullptr) ||
            !qmi_message_tlv_read_guint16(indication, init, &offset, QMI_ENDIAN_LITTLE, &reason,
                                          nullptr))
            break; // truncated: keep what was whole
        reasons[id] = reason;
    }
    return reasons;
}

} // namespace qmi
