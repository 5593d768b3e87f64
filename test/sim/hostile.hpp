// Hostile QMI input: a seeded mix of malformed, unexpected and excessive
// frames for the host (see doc/simulator.md, `hostile`). Frames are built
// from what the simulator really sent before (its recent responses and
// indications), then broken in one way each, so every kind reaches the
// parsers the host really uses. Pure: no I/O, so the self-test covers it.
#pragma once

#include <libqmi-glib.h>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace qmisim
{

enum class HostileKind {
    MissingTlv,          // a recorded indication without one (or every) TLV
    BadEnum,             // one byte of a TLV value set out of range (0x7F, 0x80, 0xFE, 0xFF, ...)
    ShortTlv,            // one TLV cut short; every length field consistent with the cut
    BadLength,           // QMUX length right, the TLV-area length or the last TLV's wrong
    UnknownService,      // a well-formed indication from a service nobody has a client of
    UnknownMessage,      // a well-formed indication with a message id no service defines
    DuplicateResponse,   // a response sent earlier, sent again unchanged
    UnsolicitedResponse, // a recorded response under a transaction id the host never used
    Flood,               // one recorded indication repeated 10 to 50 times in a row
    TruncatedFrame,      // framing: a frame whose QMUX length claims more than follows
    Garbage,             // framing: 4 to 16 random bytes that are not a QMUX marker
};

std::optional<HostileKind> parse_hostile_kind(std::string_view name);
std::string hostile_kind_name(HostileKind kind);
// Every kind that leaves QMUX framing intact (all but truncated-frame, garbage).
std::set<HostileKind> default_hostile_kinds();
// "default", "all", or a comma list of kind names.
std::optional<std::set<HostileKind>> parse_hostile_kinds(std::string_view list);

struct RawTlv {
    std::uint8_t type = 0;
    std::vector<std::uint8_t> value;
    // The length written in the TLV header, when it must lie.
    std::optional<std::uint16_t> declared_length;
};

// A QMUX frame split into its fields, so malformed variants can be encoded.
struct RawFrame {
    std::uint8_t qmux_flags = 0x80; // sent by the service
    std::uint8_t service = 0;
    std::uint8_t client = 0;
    std::uint8_t qmi_flags = 0; // CTL: 0x01 response, 0x02 indication; others 0x02, 0x04
    std::uint16_t transaction = 0;
    std::uint16_t message_id = 0;
    std::vector<RawTlv> tlvs;
    // Added to the QMI header's TLV-area length (the QMUX length stays true).
    int tlv_area_delta = 0;

    static std::optional<RawFrame> parse(std::span<const std::uint8_t> bytes);
    bool is_ctl() const { return service == QMI_SERVICE_CTL; }
    bool is_indication() const { return qmi_flags & (is_ctl() ? 0x02 : 0x04); }
    bool is_response() const { return qmi_flags & (is_ctl() ? 0x01 : 0x02); }
    std::vector<std::uint8_t> encode() const;
};

// An allocated client the frames may be addressed to.
struct HostileTarget {
    QmiService service;
    std::uint8_t cid;
};

struct HostileBatch {
    // One entry per frame, in sending order, with a log note each.
    std::vector<std::vector<std::uint8_t>> frames;
    std::vector<std::string> notes;
    std::map<HostileKind, std::size_t> counts;
    // "3000 missing-tlv=312 bad-enum=301 ..."
    std::string summary() const;
};

class HostileSource
{
  public:
    // A frame the simulator sent to the host: a template for later batches.
    void record(std::span<const std::uint8_t> frame);
    std::size_t templates() const { return indications_.size() + responses_.size(); }

    // `count` frames of the given kinds, reproducible for one seed and the
    // same recorded frames and targets. With `services`, only frames of
    // those services (CTL included only if listed) are made from recorded
    // ones or addressed to clients; unknown-service frames still come.
    HostileBatch generate(std::size_t count, std::uint32_t seed, const std::set<HostileKind> &kinds,
                          const std::vector<HostileTarget> &targets,
                          const std::optional<std::set<QmiService>> &services = std::nullopt) const;

  private:
    // Latest frame per (service, message id), and the latest responses.
    std::map<std::pair<std::uint8_t, std::uint16_t>, RawFrame> indications_;
    std::deque<RawFrame> responses_;
};

} // namespace qmisim
