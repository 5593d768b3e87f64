// The simulated cdc-wdm port: a raw pty whose slave end is published through a
// symlink. Outgoing bytes are queued and written either one whole frame per
// host read (paced) or as a randomly split and merged stream.
#pragma once

#include "glib_ptr.hpp"
#include "log.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace qmisim
{

enum class Framing {
    Paced,  // like cdc-wdm: the next frame only after the host read the previous one
    Stream, // no pacing; frames split and merged at random
};

class PtyTransport
{
  public:
    using DataHandler = std::function<void(const std::uint8_t *data, std::size_t len)>;

    PtyTransport(std::string link, Framing framing, std::uint32_t seed, Log &log,
                 DataHandler on_data);
    PtyTransport(const PtyTransport &) = delete;
    PtyTransport &operator=(const PtyTransport &) = delete;
    ~PtyTransport();

    // Creates a fresh pty and points the link at it.
    bool open(std::string &error);
    // Unplug: closes both pty ends, drops queued bytes, removes the link.
    void close();
    bool is_open() const { return master_ >= 0; }

    const std::string &slave_path() const { return slave_path_; }
    const std::string &link() const { return link_; }

    // Queues one unit (a frame, or a junk burst) for the host.
    void send(std::vector<std::uint8_t> bytes);

  private:
    bool create_link(std::string &error);
    void remove_link();
    bool host_drained() const;
    void pump();
    bool take_next_chunk();
    void retry_later();
    void wait_writable();
    void on_readable();

    std::string link_;
    Framing framing_;
    Log &log_;
    DataHandler on_data_;
    std::mt19937 random_;

    int master_ = -1;
    // Held open so the master never sees a hangup when the host closes, and so
    // we can ask how much the host has not read yet.
    int slave_ = -1;
    std::string slave_path_;

    std::deque<std::vector<std::uint8_t>> queue_;
    std::vector<std::uint8_t> chunk_; // being written
    std::size_t chunk_offset_ = 0;
    bool pause_before_next_ = false; // stream mode: let the reader see a split

    SourceId read_watch_;
    SourceId write_watch_;
    // A timerfd, for retries finer than GLib's millisecond timeouts.
    int retry_fd_ = -1;
    SourceId retry_watch_;
    bool retry_armed_ = false;
};

} // namespace qmisim
