// QMUX framing: incoming frame reassembly with resync, indication building,
// and small accessors over libqmi's QmiMessage.
#pragma once

#include "glib_ptr.hpp"

#include <libqmi-glib.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qmisim
{

using MessagePtr = Owned<QmiMessage, qmi_message_unref>;

// Reassembles QMUX frames from a byte stream. Garbage before a frame marker is
// skipped; a frame that libqmi rejects costs one byte, then we resync on the
// next 0x01, so one bad frame cannot swallow the good ones behind it.
class FrameParser
{
  public:
    void feed(const std::uint8_t *data, std::size_t len);

    // Next complete, valid message, or nullptr when more bytes are needed.
    MessagePtr next();

    // Give up on the partial frame at the head (its length field may be bogus).
    void drop_head_byte();

    std::size_t pending() const { return buffer_.size(); }
    // Bytes thrown away so far (garbage and rejected frames).
    std::size_t discarded() const { return discarded_; }

  private:
    void drop(std::size_t n);

    std::vector<std::uint8_t> buffer_;
    std::size_t discarded_ = 0;
};

// New indication message. libqmi has no public constructor for indications, so
// this is the one place that builds a request and patches its header flags.
MessagePtr make_indication(QmiService service, std::uint8_t client_id, std::uint16_t message_id);

// Result TLV (0x02) of a response: the protocol error, or nullopt if absent.
std::optional<QmiProtocolError> response_error(QmiMessage *response);

// Message name as libqmi prints it ("Get IDs"), or "unknown".
std::string message_name(QmiMessage *message);

std::vector<std::uint8_t> raw_bytes(QmiMessage *message);

} // namespace qmisim
