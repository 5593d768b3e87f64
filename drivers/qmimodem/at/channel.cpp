#include "channel.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace qmi
{
namespace
{

// fn runs from the main loop while `owner` lives.
struct Posted {
    Token owner;
    MoveFunction<void()> fn;
};

gboolean run_posted(gpointer data)
{
    auto *posted = static_cast<Posted *>(data);
    try {
        if (!posted->owner.expired())
            posted->fn();
    } catch (...) {
        g_critical("AT channel: exception from a command's callback");
    }
    return G_SOURCE_REMOVE;
}

void free_posted(gpointer data)
{
    delete static_cast<Posted *>(data);
}

void post(Token owner, MoveFunction<void()> fn)
{
    g_idle_add_full(G_PRIORITY_DEFAULT, run_posted, new Posted{std::move(owner), std::move(fn)},
                    free_posted);
}

void fail_later(Token owner, AtChannel::Done done)
{
    if (!done)
        return;
    post(std::move(owner), [done = std::move(done)]() mutable { done(AtResult{}); });
}

// 115200 8N1, raw, no flow control. USB serial ports ignore the speed.
bool make_raw(int fd, std::string &error)
{
    termios t{};
    if (tcgetattr(fd, &t) < 0) {
        error = std::string("tcgetattr: ") + g_strerror(errno);
        return false;
    }
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cflag &= ~CRTSCTS;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, B115200);
    cfsetospeed(&t, B115200);
    if (tcsetattr(fd, TCSANOW, &t) < 0) {
        error = std::string("tcsetattr: ") + g_strerror(errno);
        return false;
    }
    tcflush(fd, TCIOFLUSH); // what an earlier user left unread is not ours
    return true;
}

} // namespace

std::string AtResult::describe() const
{
    switch (status) {
    case Status::Ok:
    case Status::Failed:
        return final ? printable(final->line) : std::string("?");
    case Status::TimedOut:
        return "no final result before the timeout";
    case Status::Closed:
        break;
    }
    return "port closed";
}

AtChannel::AtChannel() = default;

AtChannel::~AtChannel()
{
    life_.end();
    remove_sources();
    // Commands still queued die here without being called: their owner is
    // gone or is destroying us.
}

bool AtChannel::open(const std::string &path, std::string &error)
{
    close();
    const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        error = g_strerror(errno);
        return false;
    }
    if (isatty(fd) && !make_raw(fd, error)) {
        ::close(fd);
        return false;
    }
    channel_.reset(g_io_channel_unix_new(fd));
    g_io_channel_set_close_on_unref(channel_.get(), TRUE);
    g_io_channel_set_encoding(channel_.get(), nullptr, nullptr);
    g_io_channel_set_buffered(channel_.get(), FALSE);
    read_watch_ = g_io_add_watch(
        channel_.get(), static_cast<GIOCondition>(G_IO_IN | G_IO_HUP | G_IO_ERR | G_IO_NVAL),
        on_readable, this);
    parser_.reset();
    return true;
}

void AtChannel::close()
{
    if (!is_open() && queue_.empty())
        return;
    std::deque<Command> pending;
    pending.swap(queue_);
    shut();
    // Not from inside close(): the caller may hold state the callbacks touch.
    for (auto &command : pending)
        fail_later(command.owner, std::move(command.done));
}

void AtChannel::shut()
{
    remove_sources();
    channel_.reset(); // closes the fd (the watch's reference is gone too)
    out_.clear();
    on_wire_ = false;
    parser_.reset();
}

void AtChannel::remove_sources()
{
    for (guint *id : {&read_watch_, &write_watch_, &timer_}) {
        if (*id)
            g_source_remove(*id);
        *id = 0;
    }
}

void AtChannel::send(const Lifetime &owner, std::string command, std::string prefix, Done done,
                     unsigned timeout_ms)
{
    Command c;
    c.owner = owner.token();
    c.text = std::move(command);
    c.prefix = std::move(prefix);
    c.timeout_ms = timeout_ms;
    c.done = std::move(done);
    enqueue(std::move(c));
}

void AtChannel::send_with_pdu(const Lifetime &owner, std::string command, std::string pdu,
                              std::string prefix, Done done, unsigned timeout_ms)
{
    Command c;
    c.owner = owner.token();
    c.text = std::move(command);
    c.prefix = std::move(prefix);
    c.pdu = std::move(pdu);
    c.wants_prompt = true;
    c.timeout_ms = timeout_ms;
    c.done = std::move(done);
    enqueue(std::move(c));
}

void AtChannel::on_unsolicited(const Lifetime &owner, std::string prefix, LineHandler handler)
{
    std::erase_if(urcs_, [&](const Urc &u) { return u.prefix == prefix; });
    parser_.add_unsolicited(prefix);
    urcs_.push_back(
        {std::move(prefix), owner.token(), std::make_shared<LineHandler>(std::move(handler))});
}

void AtChannel::enqueue(Command command)
{
    if (!is_open())
        return fail_later(command.owner, std::move(command.done));
    queue_.push_back(std::move(command));
    if (!on_wire_)
        send_next();
}

void AtChannel::send_next()
{
    // A command whose owner went while it waited is never sent.
    while (!queue_.empty() && queue_.front().owner.expired())
        queue_.pop_front();
    if (queue_.empty() || !is_open() || on_wire_)
        return;
    Command &c = queue_.front();
    on_wire_ = true;
    parser_.begin(c.text, c.prefix, c.wants_prompt);
    timer_ = g_timeout_add(c.timeout_ms, on_timeout, this);
    write(c.text + "\r");
}

void AtChannel::write(std::string bytes)
{
    out_ += bytes;
    // Written from the main loop, so a port that fails never calls back
    // from inside send().
    if (!write_watch_)
        write_watch_ = g_io_add_watch(
            channel_.get(), static_cast<GIOCondition>(G_IO_OUT | G_IO_HUP | G_IO_ERR | G_IO_NVAL),
            on_writable, this);
}

gboolean AtChannel::on_writable(GIOChannel *, GIOCondition condition, gpointer data)
{
    auto *self = static_cast<AtChannel *>(data);
    const Token alive = self->life_.token();
    try {
        if (!(condition & G_IO_OUT)) {
            self->write_watch_ = 0;
            self->hang_up("port hung up");
            return G_SOURCE_REMOVE;
        }
        GError *error = nullptr;
        gsize written = 0;
        const GIOStatus status =
            g_io_channel_write_chars(self->channel_.get(), self->out_.data(),
                                     static_cast<gssize>(self->out_.size()), &written, &error);
        self->out_.erase(0, written);
        if (status == G_IO_STATUS_ERROR) {
            ErrorPtr owned(error);
            self->write_watch_ = 0;
            self->hang_up(std::string("write: ") + (error ? error->message : "failed"));
            return G_SOURCE_REMOVE;
        }
        if (!self->out_.empty())
            return G_SOURCE_CONTINUE;
    } catch (...) {
        g_critical("AT channel: exception while writing");
        if (alive.expired())
            return G_SOURCE_REMOVE;
    }
    self->write_watch_ = 0;
    return G_SOURCE_REMOVE;
}

gboolean AtChannel::on_readable(GIOChannel *, GIOCondition condition, gpointer data)
{
    auto *self = static_cast<AtChannel *>(data);
    const Token alive = self->life_.token();
    const guint watch = self->read_watch_;
    // Still this channel's port: callbacks may close, reopen or destroy it.
    const auto same_port = [&] { return !alive.expired() && self->read_watch_ == watch; };
    try {
        char buffer[1024];
        for (;;) {
            gsize got = 0;
            GError *error = nullptr;
            const GIOStatus status =
                g_io_channel_read_chars(self->channel_.get(), buffer, sizeof buffer, &got, &error);
            ErrorPtr owned(error);
            if (got > 0) {
                self->on_events(self->parser_.feed(std::string_view(buffer, got)));
                if (!same_port())
                    return G_SOURCE_REMOVE;
            }
            if (status == G_IO_STATUS_NORMAL && got > 0)
                continue;
            if (status == G_IO_STATUS_AGAIN || status == G_IO_STATUS_NORMAL)
                break;
            self->read_watch_ = 0;
            self->hang_up(status == G_IO_STATUS_EOF
                              ? std::string("end of file")
                              : std::string("read: ") + (error ? error->message : "failed"));
            return G_SOURCE_REMOVE;
        }
        if (condition & (G_IO_HUP | G_IO_ERR | G_IO_NVAL)) {
            self->read_watch_ = 0;
            self->hang_up("port hung up");
            return G_SOURCE_REMOVE;
        }
    } catch (...) {
        g_critical("AT channel: exception while reading");
        if (!same_port())
            return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

void AtChannel::on_events(std::vector<AtEvent> events)
{
    const Token alive = life_.token();
    const guint watch = read_watch_;
    for (auto &event : events) {
        dispatch(event);
        if (alive.expired() || read_watch_ != watch)
            return; // destroyed, closed or reopened by a callback
    }
}

void AtChannel::dispatch(AtEvent &event)
{
    switch (event.kind) {
    case AtEvent::Kind::Intermediate:
        if (on_wire_)
            queue_.front().lines.push_back(std::move(event.line));
        return;
    case AtEvent::Kind::Final: {
        if (!on_wire_)
            return;
        AtResult result;
        result.status = event.final.ok() ? AtResult::Status::Ok : AtResult::Status::Failed;
        result.final = std::move(event.final);
        result.lines = std::move(queue_.front().lines);
        return finish(std::move(result));
    }
    case AtEvent::Kind::Prompt:
        if (on_wire_ && !queue_.front().pdu.empty()) {
            parser_.pdu_sent(queue_.front().pdu);
            write(queue_.front().pdu + "\x1a"); // Ctrl-Z sends it
        } else {
            write("\x1b"); // ESC: nothing to send after all
        }
        return;
    case AtEvent::Kind::Unsolicited: {
        auto urc = std::find_if(urcs_.begin(), urcs_.end(),
                                [&](const Urc &u) { return u.prefix == event.prefix; });
        if (urc != urcs_.end() && !urc->owner.expired()) {
            // Held while it runs: the handler may replace itself.
            const auto handler = urc->handler;
            return (*handler)(event.line);
        }
        if (urc != urcs_.end()) {
            parser_.remove_unsolicited(urc->prefix);
            urcs_.erase(urc);
        }
        break;
    }
    case AtEvent::Kind::Unknown:
        break;
    }
    call_unknown(event.line);
}

void AtChannel::call_unknown(const std::string &line)
{
    if (!on_unknown)
        return;
    // Moved out while it runs, so it may replace itself or destroy us.
    const Token alive = life_.token();
    LineHandler handler = std::move(on_unknown);
    handler(line);
    if (!alive.expired() && !on_unknown)
        on_unknown = std::move(handler);
}

void AtChannel::finish(AtResult result)
{
    if (timer_) {
        g_source_remove(timer_);
        timer_ = 0;
    }
    Command command = std::move(queue_.front());
    queue_.pop_front();
    on_wire_ = false;
    const Token alive = life_.token();
    if (!command.owner.expired() && command.done)
        command.done(std::move(result));
    if (!alive.expired())
        send_next();
}

gboolean AtChannel::on_timeout(gpointer data)
{
    auto *self = static_cast<AtChannel *>(data);
    self->timer_ = 0;
    try {
        if (!self->on_wire_)
            return G_SOURCE_REMOVE;
        // Whatever it answers later is nobody's (logged as unknown).
        self->parser_.abandon();
        AtResult result;
        result.status = AtResult::Status::TimedOut;
        result.lines = std::move(self->queue_.front().lines);
        self->finish(std::move(result));
    } catch (...) {
        g_critical("AT channel: exception after a timeout");
    }
    return G_SOURCE_REMOVE;
}

void AtChannel::hang_up(const std::string &why)
{
    std::deque<Command> pending;
    pending.swap(queue_);
    shut();
    const Token alive = life_.token();
    for (auto &command : pending) {
        if (!command.owner.expired() && command.done)
            command.done(AtResult{});
        if (alive.expired())
            return;
    }
    if (!on_closed)
        return;
    auto handler = std::move(on_closed);
    handler(why);
    if (!alive.expired() && !on_closed)
        on_closed = std::move(handler);
}

} // namespace qmi
