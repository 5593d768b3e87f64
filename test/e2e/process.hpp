// A child process for tests: spawned with its output in a file, stopped
// with SIGTERM (then SIGKILL) when the owner goes away.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace e2e {

class Process {
public:
    Process() = default;
    Process(const std::vector<std::string> &argv, const std::map<std::string, std::string> &env,
            const std::string &output_file);
    ~Process();
    Process(Process &&o) noexcept;
    Process &operator=(Process &&o) noexcept;

    bool running();
    // SIGTERM, wait up to timeout, then SIGKILL. Returns the exit status
    // (as from waitpid) or -1.
    int stop(int timeout_ms = 5000);
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int status_ = -1;
};

// Runs a command to completion; returns its exit code, output in *out.
int run(const std::vector<std::string> &argv, const std::map<std::string, std::string> &env,
        std::string *out, int timeout_ms = 30000);

std::string read_file(const std::string &path);

} // namespace e2e
