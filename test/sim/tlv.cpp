#include "tlv.hpp"

#include "glib_ptr.hpp"

namespace qmisim
{

TlvWriter::TlvWriter(QmiMessage *message, std::uint8_t type) : message_(message), type_(type)
{
    GError *error = nullptr;
    offset_ = qmi_message_tlv_write_init(message_, type_, &error);
    ok_ = true;
    check(offset_ != 0, error);
}

void TlvWriter::check(gboolean ok, GError *error)
{
    if (ok)
        return;
    if (ok_)
        g_warning("qmi-sim: cannot write TLV 0x%02x: %s", type_, error ? error->message : "?");
    if (error)
        g_error_free(error);
    ok_ = false;
}

TlvWriter &TlvWriter::u8(std::uint8_t value)
{
    GError *error = nullptr;
    if (ok_)
        check(qmi_message_tlv_write_guint8(message_, value, &error), error);
    return *this;
}

TlvWriter &TlvWriter::u16(std::uint16_t value)
{
    GError *error = nullptr;
    if (ok_)
        check(qmi_message_tlv_write_guint16(message_, QMI_ENDIAN_LITTLE, value, &error), error);
    return *this;
}

TlvWriter &TlvWriter::u32(std::uint32_t value)
{
    GError *error = nullptr;
    if (ok_)
        check(qmi_message_tlv_write_guint32(message_, QMI_ENDIAN_LITTLE, value, &error), error);
    return *this;
}

TlvWriter &TlvWriter::string(std::string_view value)
{
    GError *error = nullptr;
    if (ok_)
        check(qmi_message_tlv_write_string(message_, 0, value.data(),
                                           static_cast<gssize>(value.size()), &error),
              error);
    return *this;
}

void TlvWriter::done()
{
    GError *error = nullptr;
    if (ok_)
        check(qmi_message_tlv_write_complete(message_, offset_, &error), error);
    else if (offset_)
        qmi_message_tlv_write_reset(message_, offset_);
}

void write_string_tlv(QmiMessage *message, std::uint8_t type, std::string_view value)
{
    TlvWriter{message, type}.string(value).done();
}

void write_u8_tlv(QmiMessage *message, std::uint8_t type, std::uint8_t value)
{
    TlvWriter{message, type}.u8(value).done();
}

std::optional<std::uint8_t> read_u8_tlv(QmiMessage *message, std::uint8_t type)
{
    ErrorSlot error;
    const gsize init = qmi_message_tlv_read_init(message, type, nullptr, error.out());
    gsize offset = 0;
    guint8 value = 0;
    if (!init || !qmi_message_tlv_read_guint8(message, init, &offset, &value, error.out()))
        return std::nullopt;
    return value;
}

std::optional<std::uint16_t> read_u16_tlv(QmiMessage *message, std::uint8_t type)
{
    ErrorSlot error;
    const gsize init = qmi_message_tlv_read_init(message, type, nullptr, error.out());
    gsize offset = 0;
    guint16 value = 0;
    if (!init || !qmi_message_tlv_read_guint16(message, init, &offset, QMI_ENDIAN_LITTLE, &value,
                                               error.out()))
        return std::nullopt;
    return value;
}

std::optional<std::pair<std::uint8_t, std::uint8_t>> read_u8_pair_tlv(QmiMessage *message,
                                                                      std::uint8_t type)
{
    ErrorSlot error;
    const gsize init = qmi_message_tlv_read_init(message, type, nullptr, error.out());
    gsize offset = 0;
    guint8 first = 0;
    guint8 second = 0;
    if (!init || !qmi_message_tlv_read_guint8(message, init, &offset, &first, error.out()) ||
        !qmi_message_tlv_read_guint8(message, init, &offset, &second, error.out()))
        return std::nullopt;
    return std::pair{first, second};
}

} // namespace qmisim
