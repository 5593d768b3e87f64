// AtChannel (at/channel.hpp) against a scripted AT peer on a pty: the channel
// opens the pty's slave by its path, as it opens /dev/ttyUSB2 on a modem,
// and the peer on the master side answers commands, sends URCs, echoes,
// stays silent or hangs up.
#include "at/channel.hpp"

#include <catch2/catch.hpp>
#include <glib-unix.h>

#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using qmi::AtChannel;
using qmi::AtResult;
using qmi::Lifetime;
using Status = AtResult::Status;
using Lines = std::vector<std::string>;

namespace
{

// Runs the main loop until done() or timeout_ms (a guard, not a measurement).
bool run_until(const std::function<bool()> &done, unsigned timeout_ms = 3000)
{
    bool expired = false;
    const guint timer = g_timeout_add(
        timeout_ms,
        [](gpointer flag) -> gboolean {
            *static_cast<bool *>(flag) = true;
            return G_SOURCE_REMOVE;
        },
        &expired);
    while (!done() && !expired)
        g_main_context_iteration(nullptr, TRUE);
    if (!expired)
        g_source_remove(timer);
    return done();
}

void run_for(unsigned ms)
{
    run_until([] { return false; }, ms);
}

class AtPeer
{
  public:
    struct Answer {
        std::string bytes;
        unsigned delay_ms = 0;
        std::size_t piece = 0; // > 0: written this many bytes at a time, 5 ms apart
    };
    // The answer to a command line, or to a PDU (given as "PDU:<text>");
    // nullopt: silence. An answer ending in "> " makes the next input a PDU.
    std::function<std::optional<Answer>(const std::string &)> script;
    bool echo = false;
    Lines received;
    int overlaps = 0; // commands that came while an answer was still due

    AtPeer()
    {
        char name[128];
        REQUIRE(openpty(&master_, &slave_, name, nullptr, nullptr) == 0);
        path_ = name;
        fcntl(master_, F_SETFL, fcntl(master_, F_GETFL) | O_NONBLOCK);
        watch_ = g_unix_fd_add(master_, G_IO_IN, on_input, this);
    }
    ~AtPeer()
    {
        for (auto &t : timers_)
            if (t.id)
                g_source_remove(t.id);
        hang_up();
    }
    AtPeer(const AtPeer &) = delete;
    AtPeer &operator=(const AtPeer &) = delete;

    const std::string &path() const { return path_; }

    void send(const std::string &bytes)
    {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(master_, bytes.data() + done, bytes.size() - done);
            REQUIRE(n > 0);
            done += static_cast<std::size_t>(n);
        }
    }

    void hang_up()
    {
        if (watch_)
            g_source_remove(watch_);
        watch_ = 0;
        for (int *fd : {&master_, &slave_})
            if (*fd >= 0)
                ::close(*fd);
        master_ = slave_ = -1;
    }

  private:
    struct Timer {
        AtPeer *self;
        std::function<void()> fn;
        guint id = 0;
    };

    void later(unsigned ms, std::function<void()> fn)
    {
        auto &t = timers_.emplace_back(Timer{this, std::move(fn)});
        t.id = g_timeout_add(
            ms,
            [](gpointer data) -> gboolean {
                auto *timer = static_cast<Timer *>(data);
                timer->id = 0;
                timer->fn();
                return G_SOURCE_REMOVE;
            },
            &t);
    }

    static gboolean on_input(int fd, GIOCondition, gpointer data)
    {
        auto *self = static_cast<AtPeer *>(data);
        char buffer[256];
        ssize_t n;
        while ((n = ::read(fd, buffer, sizeof buffer)) > 0)
            for (ssize_t i = 0; i < n; i++)
                self->on_byte(buffer[i]);
        return G_SOURCE_CONTINUE;
    }

    void on_byte(char c)
    {
        if (awaiting_pdu_) {
            if (c != '\x1a')
                return input_.push_back(c);
            awaiting_pdu_ = false;
            if (echo)
                send(input_ + "\x1a");
            return take("PDU:" + std::exchange(input_, {}));
        }
        if (c == '\n')
            return;
        if (c != '\r')
            return input_.push_back(c);
        if (echo)
            send(input_ + "\r");
        take(std::exchange(input_, {}));
    }

    void take(const std::string &line)
    {
        received.push_back(line);
        if (due_ > 0)
            overlaps++;
        const auto answer = script ? script(line) : std::nullopt;
        if (!answer)
            return;
        awaiting_pdu_ = answer->bytes.ends_with("> ");
        due_++;
        later(answer->delay_ms, [this, a = *answer] { write_answer(a.bytes, a.piece); });
    }

    void write_answer(std::string bytes, std::size_t piece)
    {
        if (master_ < 0)
            return;
        if (piece == 0 || bytes.size() <= piece) {
            due_--;
            return send(bytes);
        }
        send(bytes.substr(0, piece));
        later(5, [this, rest = bytes.substr(piece), piece] { write_answer(rest, piece); });
    }

    std::string path_;
    int master_ = -1;
    int slave_ = -1;
    guint watch_ = 0;
    std::string input_;
    bool awaiting_pdu_ = false;
    int due_ = 0;
    std::list<Timer> timers_;
};

struct Outcome {
    std::vector<AtResult> results;
    Lines order; // commands in the order their results came

    AtChannel::Done record(std::string name)
    {
        return [this, name = std::move(name)](AtResult r) {
            order.push_back(name);
            results.push_back(std::move(r));
        };
    }
};

AtPeer::Answer reply(std::string bytes, unsigned delay_ms = 0)
{
    return {std::move(bytes), delay_ms, 0};
}

void open_on(AtChannel &channel, const AtPeer &peer)
{
    std::string error;
    REQUIRE(channel.open(peer.path(), error));
    REQUIRE(channel.is_open());
}

} // namespace

TEST_CASE("AT commands are answered in order, one on the wire at a time", "[at-channel]")
{
    AtPeer peer;
    peer.script = [](const std::string &cmd) -> std::optional<AtPeer::Answer> {
        if (cmd == "ATE0")
            return reply("\r\nOK\r\n", 20);
        if (cmd == "AT+QDAI?")
            return reply("\r\n+QDAI: 1,1,0,1,0,0,1,1\r\n\r\nOK\r\n", 20);
        if (cmd == "AT+CMEE=9")
            return reply("\r\n+CME ERROR: 3\r\n", 10);
        return reply("\r\nERROR\r\n");
    };
    Lifetime life;
    AtChannel channel;
    open_on(channel, peer);
    Outcome out;
    channel.send(life, "ATE0", "", out.record("ATE0"));
    channel.send(life, "AT+QDAI?", "+QDAI:", out.record("AT+QDAI?"));
    channel.send(life, "AT+CMEE=9", "", out.record("AT+CMEE=9"));
    channel.send(life, "AT+BAD", "", out.record("AT+BAD"));
    CHECK(out.results.empty()); // never from inside send()
    REQUIRE(run_until([&] { return out.results.size() == 4; }));

    CHECK(peer.received == Lines{"ATE0", "AT+QDAI?", "AT+CMEE=9", "AT+BAD"});
    CHECK(peer.overlaps == 0);
    CHECK(out.order == peer.received);
    CHECK(out.results[0].ok());
    CHECK(out.results[0].lines.empty());
    CHECK(out.results[1].ok());
    CHECK(out.results[1].lines == Lines{"+QDAI: 1,1,0,1,0,0,1,1"});
    CHECK(out.results[2].status == Status::Failed);
    REQUIRE(out.results[2].final);
    CHECK(out.results[2].final->kind == qmi::AtFinalKind::CmeError);
    CHECK(out.results[2].final->code == 3);
    CHECK(out.results[2].describe() == "+CME ERROR: 3");
    CHECK(out.results[3].status == Status::Failed);
    CHECK(out.results[3].describe() == "ERROR");
}

TEST_CASE("URCs between and inside responses go to their handlers, the rest to on_unknown",
          "[at-channel]")
{
    AtPeer peer;
    peer.script = [](const std::string &cmd) -> std::optional<AtPeer::Answer> {
        if (cmd == "AT+CSQ")
            return reply("\r\n+QIND: \"csq\",20,99\r\n\r\n+CSQ: 20,99\r\n\r\n+QUSIM: 1\r\n"
                         "\r\nOK\r\n");
        return std::nullopt;
    };
    Lifetime life;
    AtChannel channel;
    open_on(channel, peer);
    Lines qind, ring, unknown;
    channel.on_unsolicited(life, "+QIND:", [&](const std::string &l) { qind.push_back(l); });
    channel.on_unsolicited(life, "RING", [&](const std::string &l) { ring.push_back(l); });
    channel.on_unknown = [&](const std::string &l) { unknown.push_back(l); };

    Outcome out;
    channel.send(life, "AT+CSQ", "+CSQ:", out.record("AT+CSQ"));
    REQUIRE(run_until([&] { return out.results.size() == 1; }));
    CHECK(out.results[0].ok());
    CHECK(out.results[0].lines == Lines{"+CSQ: 20,99"});
    CHECK(qind == Lines{"+QIND: \"csq\",20,99"});
    CHECK(unknown == Lines{"+QUSIM: 1"});

    peer.send("\r\nRING\r\n\r\n+QIND: SMS DONE\r\n\r\n+CLIP: \"+441234\",145\r\n");
    REQUIRE(run_until([&] { return unknown.size() == 2; }));
    CHECK(ring == Lines{"RING"});
    CHECK(qind == Lines{"+QIND: \"csq\",20,99", "+QIND: SMS DONE"});
    CHECK(unknown.back() == "+CLIP: \"+441234\",145");

    // A handler whose owner ended is not called; its lines become unknown.
    {
        Lifetime short_lived;
        channel.on_unsolicited(short_lived, "RING",
                               [&](const std::string &l) { ring.push_back("late " + l); });
    }
    peer.send("\r\nRING\r\n");
    REQUIRE(run_until([&] { return unknown.size() == 3; }));
    CHECK(ring == Lines{"RING"});
    CHECK(unknown.back() == "RING");
}

TEST_CASE("with echo on, the command's echo is not part of its response", "[at-channel]")
{
    AtPeer peer;
    peer.echo = true;
    peer.script = [](const std::string &) -> std::optional<AtPeer::Answer> {
        return reply("\r\n+CSQ: 20,99\r\n\r\nOK\r\n");
    };
    Lifetime life;
    AtChannel channel;
    open_on(channel, peer);
    Lines unknown;
    channel.on_unknown = [&](const std::string &l) { unknown.push_back(l); };
    Outcome out;
    channel.send(life, "AT+CSQ", "", out.record("AT+CSQ"));
    REQUIRE(run_until([&] { return out.results.size() == 1; }));
    CHECK(out.results[0].ok());
    CHECK(out.results[0].lines == Lines{"+CSQ: 20,99"});
    CHECK(unknown.empty());
}

TEST_CASE("a response that arrives in pieces is put together", "[at-channel]")
{
    AtPeer peer;
    peer.script = [](const std::string &) -> std::optional<AtPeer::Answer> {
        return AtPeer::Answer{"\r\n+QDAI: 1,1,0,1,0,0,1,1\r\n\r\nOK\r\n", 0, 3};
    };
    Lifetime life;
    AtChannel channel;
    open_on(channel, peer);
    Outcome out;
    channel.send(life, "AT+QDAI?", "+QDAI:", out.record("AT+QDAI?"));
    REQUIRE(run_until([&] { return out.results.size() == 1; }));
    CHECK(out.results[0].ok());
    CHECK(out.results[0].lines == Lines{"+QDAI: 1,1,0,1,0,0,1,1"});
}

TEST_CASE("a command that gets no answer times out, and the next one still works", "[at-channel]")
{
    AtPeer peer;
    peer.script = [](const std::string &cmd) -> std::optional<AtPeer::Answer> {
        if (cmd == "AT+SILENT")
            return std::nullopt;
        if (cmd == "AT+SLOW")
            return reply("\r\nOK\r\n", 400);
        return reply("\r\nOK\r\n");
    };
    Lifetime life;
    AtChannel channel;
    open_on(channel, peer);
    Lines unknown;
    channel.on_unknown = [&](const std::string &l) { unknown.push_back(l); };
    Outcome out;
    channel.send(life, "AT+SILENT", "", out.record("AT+SILENT"), 150);
    channel.send(life, "AT", "", out.record("AT"));
    REQUIRE(run_until([&] { return out.results.size() == 2; }));
    CHECK(out.order == Lines{"AT+SILENT", "AT"});
    CHECK(out.results[0].status == Status::TimedOut);
    CHECK(out.results[0].describe() == "no final result before the timeout");
    CHECK(out.results[1].ok());

    // An answer that comes after its command timed out is nobody's.
    channel.send(life, "AT+SLOW", "", out.record("AT+SLOW"), 100);
    REQUIRE(run_until([&] { return out.results.size() == 3; }));
    CHECK(out.results[2].status == Status::TimedOut);
    REQUIRE(run_until([&] { return !unknown.empty(); }));
    CHECK(unknown == Lines{"OK"});
    channel.send(life, "AT", "", out.record("AT"));
    REQUIRE(run_until([&] { return out.results.size() == 4; }));
    CHECK(out.results[3].ok());
}

TEST_CASE("a command whose owner is gone is never called back, nor sent if still queued",
          "[at-channel]")
{
    AtPeer peer;
    peer.script = [](const std::string &) -> std::optional<AtPeer::Answer> {
        return reply("\r\nOK\r\n", 50);
    };
    Lifetime life;
    AtChannel channel;
    open_on(channel, peer);
    bool called = false;
    {
        Lifetime owner;
        channel.send(owner, "AT+ONWIRE", "", [&](AtResult) { called = true; });
        channel.send(owner, "AT+QUEUED", "", [&](AtResult) { called = true; });
        REQUIRE(run_until([&] { return !peer.received.empty(); }));
    } // the owner goes while its first command is on the wire
    Outcome out;
    channel.send(life, "AT", "", out.record("AT"));
    REQUIRE(run_until([&] { return out.results.size() == 1; }));
    CHECK(out.results[0].ok());
    CHECK_FALSE(called);
    CHECK(peer.received == Lines{"AT+ONWIRE", "AT"});
}

TEST_CASE("the channel destroyed with commands pending calls nothing", "[at-channel]")
{
    AtPeer peer;
    peer.script = [](const std::string &) -> std::optional<AtPeer::Answer> {
        return reply("\r\nOK\r\n\r\n+QIND: x\r\n", 30);
    };
    Lifetime life;
    bool called = false;
    auto channel = std::make_unique<AtChannel>();
    open_on(*channel, peer);
    channel->on_unsolicited(life, "+QIND:", [&](const std::string &) { called = true; });
    channel->on_unknown = [&](const std::string &) { called = true; };
    channel->send(life, "AT", "", [&](AtResult) { called = true; });
    channel->send(life, "AT+NEXT", "", [&](AtResult) { called = true; });
    REQUIRE(run_until([&] { return !peer.received.empty(); }));
    channel.reset();
    run_for(100);
    CHECK_FALSE(called);
}

TEST_CASE("a callback may destroy the channel", "[at-channel]")
{
    AtPeer peer;
    peer.script = [](const std::string &) -> std::optional<AtPeer::Answer> {
        return reply("\r\nOK\r\n\r\n+QIND: a\r\n+QIND: b\r\n");
    };
    Lifetime life;
    auto channel = std::make_unique<AtChannel>();
    open_on(*channel, peer);
    int results = 0, urcs = 0;
    channel->on_unsolicited(life, "+QIND:", [&](const std::string &) { urcs++; });
    channel->send(life, "AT", "", [&](AtResult) {
        results++;
        channel.reset(); // from inside: the rest of the read is dropped
    });
    channel->send(life, "AT+NEXT", "", [&](AtResult) { results++; });
    REQUIRE(run_until([&] { return results > 0; }));
    run_for(50);
    CHECK(results == 1);
    CHECK(urcs == 0);

    // The same from a URC handler with more lines behind it.
    channel = std::make_unique<AtChannel>();
    open_on(*channel, peer);
    channel->on_unsolicited(life, "+QIND:", [&](const std::string &) {
        urcs++;
        channel.reset();
    });
    peer.send("\r\n+QIND: a\r\n+QIND: b\r\n");
    REQUIRE(run_until([&] { return urcs > 0; }));
    run_for(50);
    CHECK(urcs == 1);
}

TEST_CASE("a command with a PDU gets it written after the > prompt", "[at-channel]")
{
    AtPeer peer;
    peer.echo = true;
    peer.script = [](const std::string &cmd) -> std::optional<AtPeer::Answer> {
        if (cmd == "AT+CMGS=5")
            return reply("\r\n> ");
        if (cmd == "PDU:0011000B91")
            return reply("\r\n+CMGS: 7\r\n\r\nOK\r\n");
        return reply("\r\nERROR\r\n");
    };
    Lifetime life;
    AtChannel channel;
    open_on(channel, peer);
    Lines unknown;
    channel.on_unknown = [&](const std::string &l) { unknown.push_back(l); };
    Outcome out;
    channel.send_with_pdu(life, "AT+CMGS=5", "0011000B91", "+CMGS:", out.record("AT+CMGS"));
    REQUIRE(run_until([&] { return out.results.size() == 1; }));
    CHECK(peer.received == Lines{"AT+CMGS=5", "PDU:0011000B91"});
    CHECK(out.results[0].ok());
    CHECK(out.results[0].lines == Lines{"+CMGS: 7"});
    CHECK(unknown.empty());
}

TEST_CASE("the port hanging up fails what is pending and says why", "[at-channel]")
{
    AtPeer peer;
    peer.script = [](const std::string &) -> std::optional<AtPeer::Answer> { return std::nullopt; };
    Lifetime life;
    AtChannel channel;
    open_on(channel, peer);
    std::vector<std::string> closed;
    channel.on_closed = [&](const std::string &why) { closed.push_back(why); };
    Outcome out;
    channel.send(life, "AT+SILENT", "", out.record("AT+SILENT"));
    channel.send(life, "AT+QUEUED", "", out.record("AT+QUEUED"));
    REQUIRE(run_until([&] { return !peer.received.empty(); }));
    peer.hang_up();
    REQUIRE(run_until([&] { return out.results.size() == 2 && !closed.empty(); }));
    CHECK(out.results[0].status == Status::Closed);
    CHECK(out.results[1].status == Status::Closed);
    CHECK(out.results[0].describe() == "port closed");
    CHECK(closed.size() == 1);
    CHECK_FALSE(channel.is_open());

    // Closed: a command fails, from the main loop.
    channel.send(life, "AT", "", out.record("AT"));
    CHECK(out.results.size() == 2);
    REQUIRE(run_until([&] { return out.results.size() == 3; }));
    CHECK(out.results[2].status == Status::Closed);
}

TEST_CASE("close() fails pending commands from the main loop; the channel reopens", "[at-channel]")
{
    AtPeer peer;
    peer.script = [](const std::string &cmd) -> std::optional<AtPeer::Answer> {
        if (cmd == "AT+SILENT")
            return std::nullopt;
        return reply("\r\nOK\r\n");
    };
    Lifetime life;
    AtChannel channel;
    open_on(channel, peer);
    bool closed_called = false;
    channel.on_closed = [&](const std::string &) { closed_called = true; };
    Outcome out;
    channel.send(life, "AT+SILENT", "", out.record("AT+SILENT"));
    REQUIRE(run_until([&] { return !peer.received.empty(); }));
    channel.close();
    CHECK_FALSE(channel.is_open());
    CHECK(out.results.empty());
    REQUIRE(run_until([&] { return out.results.size() == 1; }));
    CHECK(out.results[0].status == Status::Closed);
    CHECK_FALSE(closed_called); // only for a port that hangs up by itself

    open_on(channel, peer);
    channel.send(life, "AT", "", out.record("AT"));
    REQUIRE(run_until([&] { return out.results.size() == 2; }));
    CHECK(out.results[1].ok());
}

TEST_CASE("a port that cannot be opened says why", "[at-channel]")
{
    AtChannel channel;
    std::string error;
    CHECK_FALSE(channel.open("/nonexistent/ttyUSB2", error));
    CHECK(error == g_strerror(ENOENT));
    CHECK_FALSE(channel.is_open());
}
