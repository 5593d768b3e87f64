#include "core/port_users.hpp"

#include <catch2/catch.hpp>

#include "temp_dir.hpp"

#include <algorithm>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <fstream>
#include <pty.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using qmi::port_in_use_hint;
using qmi::PortState;
using qmi::PortUser;

namespace
{

constexpr int kSelf = 500;

PortState state(bool opened, bool proxy = false, bool busy = false)
{
    PortState s;
    s.self_pid = kSelf;
    s.opened = opened;
    s.proxy = proxy;
    s.busy = busy;
    return s;
}

bool contains(const std::optional<std::string> &line, const std::string &part)
{
    return line && line->find(part) != std::string::npos;
}

// A pty whose slave stands in for /dev/cdc-wdm0: a real character device.
struct Pty {
    int master = -1, slave = -1;
    std::string path;
    long index = -1;
    Pty()
    {
        char name[64];
        REQUIRE(openpty(&master, &slave, name, nullptr, nullptr) == 0);
        path = name;
        index = std::strtol(path.c_str() + std::strlen("/dev/pts/"), nullptr, 10);
    }
    ~Pty()
    {
        close(master);
        close(slave);
    }
};

// A stand-in /proc: <pid>/comm, <pid>/fd/<n> links, <pid>/fdinfo/<n>.
struct FakeProc {
    TempDir dir{"proc"};
    std::string root = dir.path.string();
    void process(int pid, const std::string &comm)
    {
        const std::string dir = root + "/" + std::to_string(pid);
        mkdir(dir.c_str(), 0755);
        mkdir((dir + "/fd").c_str(), 0755);
        mkdir((dir + "/fdinfo").c_str(), 0755);
        std::ofstream(dir + "/comm") << comm << "\n";
    }
    void fd(int pid, int n, const std::string &target, const std::string &fdinfo = "")
    {
        const std::string dir = root + "/" + std::to_string(pid);
        REQUIRE(symlink(target.c_str(), (dir + "/fd/" + std::to_string(n)).c_str()) == 0);
        std::ofstream(dir + "/fdinfo/" + std::to_string(n)) << "pos:\t0\n" << fdinfo;
    }
};

} // namespace

TEST_CASE("a port only we hold gives no hint", "[port]")
{
    CHECK_FALSE(port_in_use_hint("/dev/cdc-wdm0", state(true), {}));
    CHECK_FALSE(port_in_use_hint("/dev/cdc-wdm0", state(true), {{kSelf, "ofonod", 1}}));
    CHECK_FALSE(port_in_use_hint("/dev/cdc-wdm0", state(false), {}));
    // Through qmi-proxy: the proxy holds the port, we do not.
    CHECK_FALSE(port_in_use_hint("/dev/cdc-wdm0", state(true, true), {{77, "qmi-proxy", 1}}));
}

TEST_CASE("another program on the port is named with the likely causes", "[port]")
{
    const auto line = port_in_use_hint("/dev/cdc-wdm0", state(true),
                                       {{kSelf, "ofonod", 1}, {812, "ModemManager", 1}});
    REQUIRE(line);
    CHECK(*line == "port /dev/cdc-wdm0 in use by another QMI client (open in ModemManager, "
                   "pid 812) — is oFono's gobi plugin or ModemManager running? see "
                   "doc/hardware.md");
    // qmi-proxy is a competitor unless we use it too.
    CHECK(contains(port_in_use_hint("/dev/cdc-wdm0", state(true), {{77, "qmi-proxy", 1}}),
                   "open in qmi-proxy, pid 77"));
    // Several: one line.
    const auto two = port_in_use_hint("/dev/cdc-wdm0", state(false),
                                      {{812, "ModemManager", 1}, {900, "qmicli", 2}});
    CHECK(contains(two, "(open in ModemManager, pid 812, open in qmicli, pid 900)"));
}

TEST_CASE("a second user inside this ofonod points at the gobi plugin", "[port]")
{
    const std::string same = "also open elsewhere in this ofonod: oFono's gobi plugin";
    // Opened: one of our files is ours, the second is someone else's.
    CHECK(contains(port_in_use_hint("/dev/cdc-wdm0", state(true), {{kSelf, "ofonod", 2}}), same));
    // Open failed, or opened through the proxy: none of them is ours.
    CHECK(contains(port_in_use_hint("/dev/cdc-wdm0", state(false), {{kSelf, "ofonod", 1}}), same));
    CHECK(contains(port_in_use_hint("/dev/cdc-wdm0", state(true, true), {{kSelf, "ofonod", 1}}),
                   same));
}

TEST_CASE("EBUSY with nobody in sight still gets the hint", "[port]")
{
    const auto line = port_in_use_hint("/dev/cdc-wdm0", state(false, false, true), {});
    CHECK(contains(line, "the kernel says it is busy"));
    CHECK(contains(line, "is oFono's gobi plugin or ModemManager running? see doc/hardware.md"));
    // A named user says more than "busy".
    CHECK_FALSE(contains(
        port_in_use_hint("/dev/cdc-wdm0", state(false, false, true), {{812, "ModemManager", 1}}),
        "busy"));
}

TEST_CASE("the open error and the address decide what is checked", "[port]")
{
    CHECK_FALSE(port_in_use_hint("qrtr://0", false, nullptr));
    GError *busy =
        g_error_new(g_quark_from_static_string("test"), 1,
                    "Cannot open device file '/nonexistent/cdc-wdm9': %s", std::strerror(EBUSY));
    CHECK(contains(port_in_use_hint("/nonexistent/cdc-wdm9", false, busy), "busy"));
    g_error_free(busy);
    GError *gone =
        g_error_new(g_quark_from_static_string("test"), 1,
                    "Cannot open device file '/nonexistent/cdc-wdm9': %s", std::strerror(ENOENT));
    CHECK_FALSE(port_in_use_hint("/nonexistent/cdc-wdm9", false, gone));
    g_error_free(gone);
}

TEST_CASE("users are found in /proc by device number; the pty's master side is left out", "[port]")
{
    Pty pty;
    FakeProc proc;
    proc.process(100, "ModemManager");
    proc.fd(100, 3, pty.path);
    proc.process(200, "unrelated");
    proc.fd(200, 0, "/dev/null");
    proc.fd(200, 1, "/tmp");
    proc.fd(200, 2, "socket:[1234]");
    // The simulator: holds the master (tty-index = our slave) and the slave.
    proc.process(300, "qmi_sim");
    proc.fd(300, 4, pty.path);
    proc.fd(300, 5, "/dev/ptmx", "tty-index:\t" + std::to_string(pty.index) + "\n");
    // Another pty's master does not make a process the modem's end.
    proc.process(400, "qmicli");
    proc.fd(400, 7, "/dev/ptmx", "tty-index:\t" + std::to_string(pty.index + 1000) + "\n");
    proc.fd(400, 8, pty.path);
    proc.fd(400, 9, pty.path);
    mkdir((proc.root + "/self").c_str(), 0755);

    auto users = qmi::find_port_users(pty.path, proc.root);
    std::sort(users.begin(), users.end(),
              [](const PortUser &a, const PortUser &b) { return a.pid < b.pid; });
    REQUIRE(users.size() == 2);
    CHECK(users[0].pid == 100);
    CHECK(users[0].name == "ModemManager");
    CHECK(users[0].files == 1);
    CHECK(users[1].pid == 400);
    CHECK(users[1].name == "qmicli");
    CHECK(users[1].files == 2);

    // One process, or all the others (Device looks at its own files at once
    // and at everyone else's from a worker thread).
    const auto only = qmi::find_port_users(pty.path, proc.root, qmi::PidScope::Only, 400);
    REQUIRE(only.size() == 1);
    CHECK(only[0].pid == 400);
    const auto others = qmi::find_port_users(pty.path, proc.root, qmi::PidScope::Others, 400);
    REQUIRE(others.size() == 1);
    CHECK(others[0].pid == 100);

    // Not a character device, or missing: nobody.
    CHECK(qmi::find_port_users(proc.root + "/100/comm", proc.root).empty());
    CHECK(qmi::find_port_users("/nonexistent/cdc-wdm9", proc.root).empty());
}

TEST_CASE("the real /proc: a child holding the port is found, the pty owner is not", "[port]")
{
    Pty pty;
    // This process holds both sides: it is the "modem".
    CHECK(qmi::find_port_users(pty.path).empty());

    int ready[2];
    REQUIRE(pipe(ready) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(pty.master);
        close(ready[0]);
        (void)!write(ready[1], "x", 1);
        pause();
        _exit(0);
    }
    close(ready[1]);
    char c;
    REQUIRE(read(ready[0], &c, 1) == 1);
    close(ready[0]);
    const auto users = qmi::find_port_users(pty.path);
    // Split as Device does: none of our own, the child among the others.
    const auto own = qmi::own_port_users(pty.path);
    const auto hint = qmi::port_shared_hint(pty.path, false, own);
    kill(child, SIGKILL);
    waitpid(child, nullptr, 0);
    REQUIRE(users.size() == 1);
    CHECK(users[0].pid == child);
    CHECK(users[0].files == 1);
    CHECK(own.empty());
    CHECK(contains(hint, "pid " + std::to_string(child)));
}
