// The AT line parser of the auxiliary AT port: bytes from the port in,
// classified lines out. Pure (no I/O, no main loop, no oFono), so the unit
// tests and the fuzz target drive it directly; AtChannel (channel.hpp) feeds
// it what it reads and tells it which command is on the wire.
//
// What a line is depends on that command: its echo is dropped, a final
// result (OK, ERROR, +CME ERROR: n, ...) ends it, a line starting with its
// expected prefix ("+QDAI:") is part of its response. Lines that start with
// a prefix the caller registered ("+QIND:", "RING") are unsolicited result
// codes; the rest belongs to nobody.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace qmi
{

enum class AtFinalKind {
    Ok,
    Error,
    CmeError,
    CmsError,
    NoCarrier,
    Busy,
    NoAnswer,
    NoDialtone,
    Connect
};

struct AtFinal {
    AtFinalKind kind = AtFinalKind::Error;
    int code = -1;    // the n of +CME ERROR: n / +CMS ERROR: n; -1 when the modem sent text
    std::string line; // as received: "CONNECT 115200", "+CME ERROR: SIM not inserted"

    // The command did what it was asked (CONNECT: a data call is up).
    bool ok() const { return kind == AtFinalKind::Ok || kind == AtFinalKind::Connect; }
};

// A final result code of V.250 / 27.007 / 27.005 in verbose form, or nothing.
std::optional<AtFinal> classify_final(std::string_view line);

struct AtEvent {
    enum class Kind {
        Intermediate, // a line of the current command's response
        Final,        // the current command's final result: the command is over
        Prompt,       // "> ": the current command waits for its PDU
        Unsolicited,  // starts with a registered prefix (`prefix`)
        Unknown,      // nobody's: no command asked for it and no prefix matches
    };
    Kind kind = Kind::Unknown;
    std::string line;
    AtFinal final{};    // Kind::Final
    std::string prefix; // Kind::Unsolicited: the registered prefix it matched
};

class AtParser
{
  public:
    // Longer lines are cut here (and reported as Unknown): a port spewing
    // bytes without line ends must not grow memory.
    static constexpr std::size_t kMaxLine = 4096;

    void add_unsolicited(std::string prefix);
    void remove_unsolicited(std::string_view prefix);

    // `command` (without its "\r") is on the wire. `prefix` selects its
    // intermediate lines ("+CSQ:"); empty: every line that is neither a final
    // result nor unsolicited. `wants_prompt`: a "> " prompt is expected
    // (AT+CMGS), reported once as Prompt.
    void begin(std::string command, std::string prefix, bool wants_prompt = false);
    // The PDU answering the prompt was sent: its echo is not a response line.
    void pdu_sent(std::string pdu);
    // The command on the wire is given up (it timed out): what comes next is
    // nobody's until the next begin().
    void abandon();
    bool busy() const { return busy_; }
    // Forgets partial input and the command (the port was reopened).
    void reset();

    std::vector<AtEvent> feed(std::string_view bytes);

  private:
    void end_of_line(std::vector<AtEvent> &out);
    void classify(std::string line, std::vector<AtEvent> &out);
    const std::string *unsolicited_prefix(std::string_view line) const;
    bool is_echo(std::string_view line) const;

    std::vector<std::string> unsolicited_;
    std::string partial_;
    bool overlong_ = false;

    bool busy_ = false;
    std::string command_;
    std::string prefix_;
    std::string pdu_;
    bool wants_prompt_ = false;
};

// A line as it may be logged: printable ASCII as is, anything else as \xNN.
std::string printable(std::string_view line);

} // namespace qmi
