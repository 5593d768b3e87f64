#include "pty_transport.hpp"

#include <glib-unix.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <sys/timerfd.h>
#include <unistd.h>

namespace qmisim
{

namespace
{

// Paced framing looks again this often whether the host has read the last
// frame: about one USB 2.0 control transfer, which is what cdc-wdm spends
// fetching the next response once the host read the previous one.
constexpr long kRetryMicroseconds = 250;
constexpr std::size_t kReadSize = 4096;
// Stream mode chunk sizes: small enough to split most frames, large enough
// to merge short ones.
constexpr std::size_t kMaxStreamChunk = 48;

std::string errno_text(const char *what)
{
    return std::string{what} + ": " + std::strerror(errno);
}

} // namespace

PtyTransport::PtyTransport(std::string link, Framing framing, std::uint32_t seed, Log &log,
                           DataHandler on_data)
    : link_(std::move(link)), framing_(framing), log_(log), on_data_(std::move(on_data)),
      random_(seed)
{
}

PtyTransport::~PtyTransport()
{
    close();
    retry_watch_.reset();
    if (retry_fd_ >= 0)
        ::close(retry_fd_);
}

bool PtyTransport::open(std::string &error)
{
    close();
    master_ = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (master_ < 0) {
        error = errno_text("posix_openpt");
        return false;
    }
    char name[128];
    if (grantpt(master_) < 0 || unlockpt(master_) < 0 || ptsname_r(master_, name, sizeof name)) {
        error = errno_text("pty setup");
        close();
        return false;
    }
    slave_path_ = name;
    slave_ = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (slave_ < 0) {
        error = errno_text("open pty slave");
        close();
        return false;
    }
    // Raw: QMUX is binary, so no echo, no CR/LF mangling, no flow control.
    termios tio{};
    if (tcgetattr(slave_, &tio) < 0) {
        error = errno_text("tcgetattr");
        close();
        return false;
    }
    cfmakeraw(&tio);
    if (tcsetattr(slave_, TCSANOW, &tio) < 0) {
        error = errno_text("tcsetattr");
        close();
        return false;
    }
    if (!create_link(error)) {
        close();
        return false;
    }
    read_watch_.reset(g_unix_fd_add(
        master_, static_cast<GIOCondition>(G_IO_IN | G_IO_HUP | G_IO_ERR),
        [](gint, GIOCondition, gpointer self) -> gboolean {
            static_cast<PtyTransport *>(self)->on_readable();
            return G_SOURCE_CONTINUE;
        },
        this));
    return true;
}

bool PtyTransport::create_link(std::string &error)
{
    struct stat st {
    };
    if (lstat(link_.c_str(), &st) == 0 && !S_ISLNK(st.st_mode)) {
        error = "refusing to replace " + link_ + ": not a symlink";
        return false;
    }
    // Build aside and rename, so the link never points nowhere in between.
    const std::string temp = link_ + ".new." + std::to_string(getpid());
    ::unlink(temp.c_str());
    if (symlink(slave_path_.c_str(), temp.c_str()) < 0) {
        error = errno_text("symlink");
        return false;
    }
    if (rename(temp.c_str(), link_.c_str()) < 0) {
        error = errno_text("rename symlink");
        ::unlink(temp.c_str());
        return false;
    }
    return true;
}

void PtyTransport::remove_link()
{
    // Only remove the link if it is still ours.
    char target[256];
    const ssize_t n = readlink(link_.c_str(), target, sizeof target - 1);
    if (n < 0)
        return;
    target[n] = '\0';
    if (slave_path_ == target)
        ::unlink(link_.c_str());
}

void PtyTransport::close()
{
    read_watch_.reset();
    write_watch_.reset();
    if (retry_armed_) {
        const itimerspec off{};
        timerfd_settime(retry_fd_, 0, &off, nullptr);
        retry_armed_ = false;
    }
    queue_.clear();
    chunk_.clear();
    chunk_offset_ = 0;
    if (master_ >= 0 || slave_ >= 0)
        remove_link();
    if (slave_ >= 0)
        ::close(slave_);
    if (master_ >= 0)
        ::close(master_);
    slave_ = -1;
    master_ = -1;
}

void PtyTransport::on_readable()
{
    std::uint8_t buffer[kReadSize];
    for (;;) {
        const ssize_t n = ::read(master_, buffer, sizeof buffer);
        if (n > 0) {
            on_data_(buffer, static_cast<std::size_t>(n));
            // The handler may have closed the port (e.g. a reset) — stop then.
            if (master_ < 0)
                return;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        // Cannot happen while we hold the slave open; avoid spinning if it does.
        log_.event(n == 0 ? "pty master: EOF" : errno_text("pty master read"));
        read_watch_.reset();
        return;
    }
}

void PtyTransport::send(std::vector<std::uint8_t> bytes)
{
    if (master_ < 0 || bytes.empty())
        return;
    queue_.push_back(std::move(bytes));
    pump();
}

bool PtyTransport::host_drained() const
{
    // poll() first: for a tty it flushes bytes still in flight to the line
    // discipline, which FIONREAD alone would not count yet.
    pollfd pfd{slave_, POLLIN, 0};
    if (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN))
        return false;
    int unread = 0;
    if (ioctl(slave_, FIONREAD, &unread) < 0)
        return true;
    return unread == 0;
}

bool PtyTransport::take_next_chunk()
{
    if (queue_.empty())
        return false;
    if (framing_ == Framing::Paced) {
        if (!host_drained())
            return false;
        chunk_ = std::move(queue_.front());
        queue_.pop_front();
    } else {
        if (pause_before_next_) {
            pause_before_next_ = false;
            return false;
        }
        std::size_t want = std::uniform_int_distribution<std::size_t>{1, kMaxStreamChunk}(random_);
        chunk_.clear();
        while (want > 0 && !queue_.empty()) {
            auto &front = queue_.front();
            const std::size_t n = std::min(want, front.size());
            chunk_.insert(chunk_.end(), front.begin(),
                          front.begin() + static_cast<std::ptrdiff_t>(n));
            front.erase(front.begin(), front.begin() + static_cast<std::ptrdiff_t>(n));
            if (front.empty())
                queue_.pop_front();
            want -= n;
        }
        pause_before_next_ = std::bernoulli_distribution{0.5}(random_);
    }
    chunk_offset_ = 0;
    return true;
}

void PtyTransport::pump()
{
    if (write_watch_ || retry_armed_)
        return; // already waiting; that source will call us again
    while (master_ >= 0) {
        if (chunk_offset_ < chunk_.size()) {
            const ssize_t n =
                ::write(master_, chunk_.data() + chunk_offset_, chunk_.size() - chunk_offset_);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                wait_writable();
                return;
            }
            if (n < 0) {
                log_.event(errno_text("pty master write"));
                chunk_.clear();
                chunk_offset_ = 0;
                return;
            }
            chunk_offset_ += static_cast<std::size_t>(n);
            continue;
        }
        chunk_.clear();
        chunk_offset_ = 0;
        if (queue_.empty())
            return;
        if (!take_next_chunk()) {
            retry_later();
            return;
        }
    }
}

void PtyTransport::retry_later()
{
    if (retry_fd_ < 0) {
        retry_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (retry_fd_ < 0) {
            log_.event(errno_text("timerfd_create"));
            return;
        }
        retry_watch_.reset(g_unix_fd_add(
            retry_fd_, G_IO_IN,
            [](gint fd, GIOCondition, gpointer data) -> gboolean {
                auto *self = static_cast<PtyTransport *>(data);
                std::uint64_t expirations = 0;
                if (::read(fd, &expirations, sizeof expirations) < 0 && errno != EAGAIN)
                    self->log_.event(errno_text("timerfd read"));
                self->retry_armed_ = false;
                self->pump();
                return G_SOURCE_CONTINUE;
            },
            this));
    }
    itimerspec when{};
    when.it_value.tv_nsec = kRetryMicroseconds * 1000;
    if (timerfd_settime(retry_fd_, 0, &when, nullptr) < 0) {
        log_.event(errno_text("timerfd_settime"));
        return;
    }
    retry_armed_ = true;
}

void PtyTransport::wait_writable()
{
    write_watch_.reset(g_unix_fd_add(
        master_, G_IO_OUT,
        [](gint, GIOCondition, gpointer data) -> gboolean {
            auto *self = static_cast<PtyTransport *>(data);
            self->write_watch_.forget();
            self->pump();
            return G_SOURCE_REMOVE;
        },
        this));
}

} // namespace qmisim
