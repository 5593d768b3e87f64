#include "port_users.hpp"

#include "gobject_ptr.hpp"

#include "translate/device_path.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <memory>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace qmi
{
namespace
{

// Unix98 pty slaves: majors 136..143, 256 minors each; the master is
// /dev/ptmx (5:2), whose fdinfo says which slave it serves ("tty-index").
constexpr unsigned kPtySlaveMajorFirst = 136;
constexpr unsigned kPtySlaveMajorLast = 143;
constexpr unsigned kPtmxMajor = 5;
constexpr unsigned kPtmxMinor = 2;

using DirPtr = std::unique_ptr<DIR, CFree<closedir>>;

bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

std::string read_link(const std::string &path)
{
    char buf[512];
    const ssize_t n = readlink(path.c_str(), buf, sizeof buf - 1);
    return n < 0 ? std::string() : std::string(buf, static_cast<std::size_t>(n));
}

std::string read_comm(const std::string &pid_dir)
{
    std::ifstream in(pid_dir + "/comm");
    std::string name;
    std::getline(in, name);
    return name.empty() ? "?" : name;
}

// The tty index in a ptmx descriptor's fdinfo, or -1.
long pty_index(const std::string &fdinfo)
{
    std::ifstream in(fdinfo);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("tty-index:", 0) == 0)
            return std::strtol(line.c_str() + 10, nullptr, 10);
    return -1;
}

// The port itself: its device number, and which pty slave it is (-1: none).
struct Target {
    dev_t rdev = 0;
    long slave_index = -1;
};

// Process `pid`'s open files on the port, from <proc>/<pid>/fd; nothing when
// it has none, cannot be read, or holds the pty's master (the modem's end).
std::optional<PortUser> user_of(const std::string &proc, const std::string &pid,
                                const Target &target)
{
    const std::string pid_dir = proc + "/" + pid;
    DirPtr fds(opendir((pid_dir + "/fd").c_str()));
    if (!fds)
        return std::nullopt; // gone, or not ours to read
    int files = 0;
    bool modem_end = false;
    while (const dirent *f = readdir(fds.get())) {
        if (!all_digits(f->d_name))
            continue;
        const std::string fd_path = pid_dir + "/fd/" + f->d_name;
        // Only device nodes are stat()ed: a file on a hung network
        // mount must not block ofonod.
        if (read_link(fd_path).rfind("/dev/", 0) != 0)
            continue;
        struct stat st {
        };
        if (stat(fd_path.c_str(), &st) < 0 || !S_ISCHR(st.st_mode))
            continue;
        if (st.st_rdev == target.rdev)
            files++;
        else if (target.slave_index >= 0 && major(st.st_rdev) == kPtmxMajor &&
                 minor(st.st_rdev) == kPtmxMinor &&
                 pty_index(pid_dir + "/fdinfo/" + f->d_name) == target.slave_index)
            modem_end = true;
    }
    if (files == 0 || modem_end)
        return std::nullopt;
    return PortUser{std::atoi(pid.c_str()), read_comm(pid_dir), files};
}

} // namespace

std::vector<PortUser> find_port_users(const std::string &path, const std::string &proc,
                                      PidScope scope, int pid)
{
    std::vector<PortUser> users;
    struct stat st {
    };
    if (stat(path.c_str(), &st) < 0 || !S_ISCHR(st.st_mode))
        return users;
    Target target;
    target.rdev = st.st_rdev;
    const unsigned major_no = major(st.st_rdev);
    if (major_no >= kPtySlaveMajorFirst && major_no <= kPtySlaveMajorLast)
        target.slave_index =
            static_cast<long>((major_no - kPtySlaveMajorFirst) * 256 + minor(st.st_rdev));

    if (scope == PidScope::Only) {
        // One process: its directory only, not a walk through all of them.
        if (auto user = user_of(proc, std::to_string(pid), target))
            users.push_back(std::move(*user));
        return users;
    }
    DirPtr procdir(opendir(proc.c_str()));
    if (!procdir)
        return users;
    while (const dirent *p = readdir(procdir.get())) {
        if (!all_digits(p->d_name))
            continue;
        if (scope == PidScope::Others && std::atoi(p->d_name) == pid)
            continue;
        if (auto user = user_of(proc, p->d_name, target))
            users.push_back(std::move(*user));
    }
    return users;
}

std::optional<std::string> port_in_use_hint(const std::string &path, const PortState &state,
                                            const std::vector<PortUser> &users)
{
    std::string who;
    auto add = [&who](const std::string &what) { who += (who.empty() ? "" : ", ") + what; };
    for (const auto &u : users) {
        if (u.pid == state.self_pid) {
            const int ours = state.opened && !state.proxy ? 1 : 0;
            if (u.files > ours)
                add("also open elsewhere in this ofonod: oFono's gobi plugin, or another "
                    "qmi.conf group with this Device=");
        } else if (!(state.proxy && u.name == "qmi-proxy")) {
            add("open in " + u.name + ", pid " + std::to_string(u.pid));
        }
    }
    if (who.empty() && state.busy)
        who = "the kernel says it is busy: another program, or its /dev/wwan*qmi* twin, has it";
    if (who.empty())
        return std::nullopt;
    return "port " + path + " in use by another QMI client (" + who +
           ") — is oFono's gobi plugin or ModemManager running? see doc/hardware.md";
}

std::optional<std::string> port_in_use_hint(const std::string &path, bool proxy,
                                            const GError *open_error)
{
    std::uint32_t node = 0;
    if (parse_qrtr_node(path, node))
        return std::nullopt; // a QRTR service has no port to share
    PortState state;
    state.self_pid = static_cast<int>(getpid());
    state.opened = open_error == nullptr;
    state.proxy = proxy;
    // libqmi puts strerror(errno) of its open() into the message.
    state.busy = open_error && open_error->message &&
                 std::strstr(open_error->message, std::strerror(EBUSY)) != nullptr;
    return port_in_use_hint(path, state, find_port_users(path));
}

std::vector<PortUser> own_port_users(const std::string &path)
{
    std::uint32_t node = 0;
    if (parse_qrtr_node(path, node))
        return {};
    return find_port_users(path, "/proc", PidScope::Only, static_cast<int>(getpid()));
}

std::optional<std::string> port_shared_hint(const std::string &path, bool proxy,
                                            std::vector<PortUser> users)
{
    std::uint32_t node = 0;
    if (parse_qrtr_node(path, node))
        return std::nullopt;
    PortState state;
    state.self_pid = static_cast<int>(getpid());
    state.opened = true;
    state.proxy = proxy;
    for (auto &other : find_port_users(path, "/proc", PidScope::Others, state.self_pid))
        users.push_back(std::move(other));
    return port_in_use_hint(path, state, users);
}

} // namespace qmi
