// A small AT command channel on a tty (oFono's GAtChat is not exported to
// external plugins): the auxiliary AT port of a QMI modem, for what QMI
// lacks. One command on the wire at a time, the others queued; each command
// ends with its final result, or fails when it hangs longer than its
// timeout (the queue then moves on); unsolicited result codes go to the
// handler registered for their prefix.
//
// Lifetimes follow core/lifetime.hpp: every command and URC handler belongs
// to an owner's Lifetime and is never called once that ended; nothing is
// called after the channel is destroyed, and a callback may destroy the
// channel. A command's done runs exactly once while its owner lives, never
// from inside send(). No exception leaves a GLib callback.
#pragma once

#include "at/parser.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/move_function.hpp"

#include <glib.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace qmi
{

struct AtResult {
    enum class Status {
        Ok,       // OK or CONNECT
        Failed,   // another final result: ERROR, +CME ERROR: n, NO CARRIER, ...
        TimedOut, // no final result within the command's timeout
        Closed,   // the port was closed or hung up, or was never open
    };
    Status status = Status::Closed;
    std::optional<AtFinal> final;   // when the modem sent one
    std::vector<std::string> lines; // intermediate lines, in order

    bool ok() const { return status == Status::Ok; }
    // For log lines: "OK", "+CME ERROR: 10", "no final result within 5000 ms".
    std::string describe() const;
};

class AtChannel
{
  public:
    using Done = MoveFunction<void(AtResult)>;
    using LineHandler = MoveFunction<void(const std::string &line)>;
    static constexpr unsigned kDefaultTimeoutMs = 5000;

    AtChannel();
    ~AtChannel();
    AtChannel(const AtChannel &) = delete;
    AtChannel &operator=(const AtChannel &) = delete;

    // Opens the port (a tty is switched to raw mode, 115200 8N1, no flow
    // control). On failure returns false and says why in `error`.
    bool open(const std::string &path, std::string &error);
    bool is_open() const { return channel_ != nullptr; }
    // Closes the port; commands still queued or on the wire fail with
    // Closed (from the main loop).
    void close();

    // Queues `command` ("AT+QDAI?", without "\r"). `prefix` selects the
    // lines of its response ("+QDAI:"); empty: every line that is neither
    // a final result nor unsolicited. The timeout runs from when it is
    // written.
    void send(const Lifetime &owner, std::string command, std::string prefix, Done done,
              unsigned timeout_ms = kDefaultTimeoutMs);
    // A command answered by a "> " prompt, then `pdu` and Ctrl-Z (AT+CMGS).
    void send_with_pdu(const Lifetime &owner, std::string command, std::string pdu,
                       std::string prefix, Done done, unsigned timeout_ms = kDefaultTimeoutMs);

    // Lines starting with `prefix` ("+QIND:", "RING") go to handler while
    // `owner` lives. One handler per prefix: a second replaces the first.
    void on_unsolicited(const Lifetime &owner, std::string prefix, LineHandler handler);

    // Lines nobody asked for: vendor URCs without a handler, the late
    // answer of a command that timed out, noise.
    LineHandler on_unknown;
    // The port hung up or failed (not called for close()); pending commands
    // have failed with Closed by then.
    MoveFunction<void(const std::string &why)> on_closed;

  private:
    struct Command {
        Token owner;
        std::string text;
        std::string prefix;
        std::string pdu;
        bool wants_prompt = false;
        unsigned timeout_ms = kDefaultTimeoutMs;
        Done done;
        std::vector<std::string> lines;
    };
    struct Urc {
        std::string prefix;
        Token owner;
        std::shared_ptr<LineHandler> handler;
    };
    using ChannelPtr = std::unique_ptr<GIOChannel, CFree<g_io_channel_unref>>;

    void enqueue(Command command);
    void send_next();
    void write(std::string bytes);
    bool flush();
    void on_events(std::vector<AtEvent> events);
    void dispatch(AtEvent &event);
    void call_unknown(const std::string &line);
    void finish(AtResult result);
    void hang_up(const std::string &why);
    void shut(); // closes the port and fails every command (deferred)
    void remove_sources();

    static gboolean on_readable(GIOChannel *, GIOCondition condition, gpointer data);
    static gboolean on_writable(GIOChannel *, GIOCondition condition, gpointer data);
    static gboolean on_timeout(gpointer data);

    ChannelPtr channel_;
    guint read_watch_ = 0;
    guint write_watch_ = 0;
    guint timer_ = 0;
    std::string out_;
    AtParser parser_;
    std::deque<Command> queue_;
    bool on_wire_ = false; // queue_.front() was written
    std::vector<Urc> urcs_;
    Lifetime life_; // last member: ends first
};

} // namespace qmi
