// Thin wrappers over libqmi's TLV reader/writer for the handful of field types
// the simulator needs. Writes only fail on 64 KiB overflow, which is a bug
// here, so failures are reported as GLib warnings rather than propagated.
#pragma once

#include <libqmi-glib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
    TlvWriter &u16(std::uint16_t value);
    TlvWriter &u32(std::uint32_t value);
    // A string that fills the rest of the TLV (no length prefix).
    TlvWriter &string(std::string_view value);
    void done();

  private:
    void check(gboolean ok, GError *error);

    QmiMessage *message_;
    std::uint8_t type_;
    gsize offset_;
    bool ok_;
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
