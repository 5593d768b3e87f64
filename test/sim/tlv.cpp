#include "tlv.hpp"

#include "glib_ptr.hpp"

#include <algorithm>

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

TlvWriter &TlvWriter::i8(std::int8_t value)
{
    GError *error = nullptr;
    if (ok_)
        check(qmi_message_tlv_write_gint8(message_, value, &error), error);
    return *this;
}

TlvWriter &TlvWriter::i16(std::int16_t value)
{
    GError *error = nullptr;
    if (ok_)
        check(qmi_message_tlv_write_gint16(message_, QMI_ENDIAN_LITTLE, value, &error), error);
    return *this;
}

TlvWriter &TlvWriter::i32(std::int32_t value)
{
    GError *error = nullptr;
    if (ok_)
        check(qmi_message_tlv_write_gint32(message_, QMI_ENDIAN_LITTLE, value, &error), error);
    return *this;
}

TlvWriter &TlvWriter::u64(std::uint64_t value)
{
    GError *error = nullptr;
    if (ok_)
        check(qmi_message_tlv_write_guint64(message_, QMI_ENDIAN_LITTLE, value, &error), error);
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

TlvWriter &TlvWriter::string8(std::string_view value)
{
    GError *error = nullptr;
    if (ok_)
        check(qmi_message_tlv_write_string(message_, 1, value.data(),
                                           static_cast<gssize>(value.size()), &error),
              error);
    return *this;
}

TlvWriter &TlvWriter::fixed_string(std::string_view value, std::size_t size, char pad)
{
    std::string padded{value.substr(0, std::min(value.size(), size))};
    padded.resize(size, pad);
    return string(padded);
}

TlvWriter &TlvWriter::bytes8(std::string_view value)
{
    u8(static_cast<std::uint8_t>(value.size()));
    for (const char c : value)
        u8(static_cast<std::uint8_t>(c));
    return *this;
}

TlvWriter &TlvWriter::bytes(std::span<const std::uint8_t> value)
{
    for (const std::uint8_t b : value)
        u8(b);
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

TlvReader::TlvReader(QmiMessage *message, std::uint8_t type) : message_(message)
{
    ErrorSlot error;
    init_ = qmi_message_tlv_read_init(message_, type, nullptr, error.out());
}

std::optional<std::uint8_t> TlvReader::u8()
{
    guint8 value = 0;
    if (!init_ || !qmi_message_tlv_read_guint8(message_, init_, &offset_, &value, nullptr))
        return std::nullopt;
    return value;
}

std::optional<std::int8_t> TlvReader::i8()
{
    gint8 value = 0;
    if (!init_ || !qmi_message_tlv_read_gint8(message_, init_, &offset_, &value, nullptr))
        return std::nullopt;
    return value;
}

std::optional<std::uint16_t> TlvReader::u16()
{
    guint16 value = 0;
    if (!init_ || !qmi_message_tlv_read_guint16(message_, init_, &offset_, QMI_ENDIAN_LITTLE,
                                                &value, nullptr))
        return std::nullopt;
    return value;
}

std::optional<std::int16_t> TlvReader::i16()
{
    gint16 value = 0;
    if (!init_ ||
        !qmi_message_tlv_read_gint16(message_, init_, &offset_, QMI_ENDIAN_LITTLE, &value, nullptr))
        return std::nullopt;
    return value;
}

std::optional<std::uint32_t> TlvReader::u32()
{
    guint32 value = 0;
    if (!init_ || !qmi_message_tlv_read_guint32(message_, init_, &offset_, QMI_ENDIAN_LITTLE,
                                                &value, nullptr))
        return std::nullopt;
    return value;
}

std::optional<std::int32_t> TlvReader::i32()
{
    gint32 value = 0;
    if (!init_ ||
        !qmi_message_tlv_read_gint32(message_, init_, &offset_, QMI_ENDIAN_LITTLE, &value, nullptr))
        return std::nullopt;
    return value;
}

std::optional<std::uint64_t> TlvReader::u64()
{
    guint64 value = 0;
    if (!init_ || !qmi_message_tlv_read_guint64(message_, init_, &offset_, QMI_ENDIAN_LITTLE,
                                                &value, nullptr))
        return std::nullopt;
    return value;
}

std::optional<std::vector<std::uint8_t>> TlvReader::bytes(std::size_t n)
{
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i < n; i++) {
        const auto b = u8();
        if (!b)
            return std::nullopt;
        out.push_back(*b);
    }
    return out;
}

std::optional<std::string> TlvReader::string8()
{
    const auto length = u8();
    if (!length)
        return std::nullopt;
    const auto raw = bytes(*length);
    if (!raw)
        return std::nullopt;
    return std::string{raw->begin(), raw->end()};
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
