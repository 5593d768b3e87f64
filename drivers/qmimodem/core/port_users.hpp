// Who else has a QMI port open. Two programs reading one cdc-wdm port take
// each other's replies, yet the kernel lets the second one open it (libqmi's
// O_EXCL means nothing for a character device): the usual culprits are
// oFono's built-in gobi plugin in this very ofonod and ModemManager. So the
// port's other users are looked up in /proc and named in one log line.
// No oFono calls here: Device logs the line (see doc/hardware.md).
#pragma once

#include <glib.h>

#include <optional>
#include <string>
#include <vector>

namespace qmi
{

struct PortUser {
    int pid = 0;
    std::string name; // /proc/<pid>/comm, e.g. "ModemManager", "qmi-proxy"
    int files = 0;    // how many of its open files are the port
};

// Every process with the character device `path` open, read from
// `proc`/<pid>/fd. A process holding the master side of the pty that `path`
// is the slave of is the modem's end (qmi-sim, a socat bridge), not a
// competing client, and is left out. Unreadable entries are skipped; a path
// that is not a character device has no users.
// `scope` narrows the search to the process `pid` or to every other one.
enum class PidScope { All, Only, Others };
std::vector<PortUser> find_port_users(const std::string &path, const std::string &proc = "/proc",
                                      PidScope scope = PidScope::All, int pid = 0);

struct PortState {
    int self_pid = 0;    // this ofonod
    bool opened = false; // our own open succeeded: one of self_pid's files is ours
    bool proxy = false;  // we open through qmi-proxy: the proxy holding the port is expected
    bool busy = false;   // the open failed with EBUSY
};

// The log line naming the likely cause ("port … in use by another QMI
// client (…) — is oFono's gobi plugin or ModemManager running? see
// doc/hardware.md"), or nothing when the port is ours alone.
std::optional<std::string> port_in_use_hint(const std::string &path, const PortState &state,
                                            const std::vector<PortUser> &users);

// For Device::finish_open after a failure: looks at the error and at
// /proc. Nothing for qrtr:// addresses (nor from the two below).
std::optional<std::string> port_in_use_hint(const std::string &path, bool proxy,
                                            const GError *open_error);

// After a successful open, in two halves. First this ofonod's own files on
// the port, at once (one /proc entry: cheap, and a second modem on the same
// port may close its file any moment); then, from a worker thread, every
// other process's (a walk of all of /proc, milliseconds) and the line.
std::vector<PortUser> own_port_users(const std::string &path);
std::optional<std::string> port_shared_hint(const std::string &path, bool proxy,
                                            std::vector<PortUser> own);

} // namespace qmi
