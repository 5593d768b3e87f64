// Thin wrappers over libqmi's TLV reader/writer for the handful of field types
// the simulator needs. Writes only fail on 64 KiB overflow, which is a bug
// here, so failures are reported as GLib warnings rather than propagated.
#pragma once

#include <libqmi-glib.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace qmisim
{

// Builds one TLV: TlvWriter{msg, 0x01}.u8(a).u16(b).done();
class TlvWriter
{
  public:
    TlvWriter(QmiMessage *message, std::uint8_t type);
    TlvWriter(const TlvWriter &) = delete;
    TlvWriter &operator=(const TlvWriter &) = delete;

    TlvWriter &u8(std::uint8_t value);
    TlvWriter &i8(std::int8_t value);
    TlvWriter &u16(std::uint16_t value);
    TlvWriter &i16(std::int16_t value);
    TlvWriter &u32(std::uint32_t value);
    TlvWriter &i32(std::int32_t value);
    TlvWriter &u64(std::uint64_t value);
    // A string that fills the rest of the TLV (no length prefix).
    TlvWriter &string(std::string_view value);
    // A string inside a struct: u8 length prefix, then the bytes.
    TlvWriter &string8(std::string_view value);
    // Exactly `size` bytes: the value cut or padded with `pad`.
    TlvWriter &fixed_string(std::string_view value, std::size_t size, char pad);
    // A byte array with a u8 element count prefix.
    TlvWriter &bytes8(std::string_view value);
    // Raw bytes, no prefix.
    TlvWriter &bytes(std::span<const std::uint8_t> value);
    void done();

  private:
    void check(gboolean ok, GError *error);

    QmiMessage *message_;
    std::uint8_t type_;
    gsize offset_;
    bool ok_;
};

// Reads one TLV field by field: TlvReader r{msg, 0x10}; auto a = r.u8(); ...
// Each read returns nullopt once the TLV is absent or exhausted.
class TlvReader
{
  public:
    TlvReader(QmiMessage *message, std::uint8_t type);
    TlvReader(const TlvReader &) = delete;
    TlvReader &operator=(const TlvReader &) = delete;

    bool present() const { return init_ != 0; }
    std::optional<std::uint8_t> u8();
    std::optional<std::int8_t> i8();
    std::optional<std::uint16_t> u16();
    std::optional<std::int16_t> i16();
    std::optional<std::uint32_t> u32();
    std::optional<std::int32_t> i32();
    std::optional<std::uint64_t> u64();
    // `n` raw bytes.
    std::optional<std::vector<std::uint8_t>> bytes(std::size_t n);
    // A string with a u8 length prefix.
    std::optional<std::string> string8();

  private:
    QmiMessage *message_;
    gsize init_ = 0;
    gsize offset_ = 0;
};

// Convenience for single-field TLVs.
void write_string_tlv(QmiMessage *message, std::uint8_t type, std::string_view value);
void write_u8_tlv(QmiMessage *message, std::uint8_t type, std::uint8_t value);

// Single-field readers: nullopt when the TLV is absent or too short.
std::optional<std::uint8_t> read_u8_tlv(QmiMessage *message, std::uint8_t type);
std::optional<std::uint16_t> read_u16_tlv(QmiMessage *message, std::uint8_t type);

// Reads a TLV made of two u8 fields (e.g. CTL {service, cid}).
std::optional<std::pair<std::uint8_t, std::uint8_t>> read_u8_pair_tlv(QmiMessage *message,
                                                                      std::uint8_t type);

} // namespace qmisim
