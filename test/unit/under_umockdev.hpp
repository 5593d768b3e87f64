// Runs the calling test program under umockdev's preload library, as
// umockdev-wrapper would: umockdev's testbed API (adding devices, sending
// uevents) only reaches its fake sysfs from a process that has the library
// loaded. Call it from a namespace-scope initializer, before main: the
// program re-executes itself once with the library in LD_PRELOAD; in the
// re-executed program LD_PRELOAD is put back as it was, so the processes the
// test starts do not inherit the library.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

namespace test_support
{

inline bool run_under_umockdev_preload(const char *preload_library)
{
    constexpr const char *kMark = "QMI_TEST_UMOCKDEV_REEXEC";
    if (const char *saved = std::getenv(kMark)) {
        if (*saved)
            setenv("LD_PRELOAD", saved + 1, 1); // "=" + the original value
        else
            unsetenv("LD_PRELOAD");
        unsetenv(kMark);
        return true;
    }
    std::ifstream cmdline("/proc/self/cmdline");
    const std::string all{std::istreambuf_iterator<char>(cmdline),
                          std::istreambuf_iterator<char>()};
    std::vector<std::string> args;
    for (size_t pos = 0; pos < all.size();) {
        const size_t end = all.find('\0', pos);
        args.push_back(all.substr(pos, end - pos));
        pos = end == std::string::npos ? all.size() : end + 1;
    }
    std::vector<char *> argv;
    for (auto &arg : args)
        argv.push_back(arg.data());
    argv.push_back(nullptr);
    const char *old = std::getenv("LD_PRELOAD");
    setenv(kMark, old ? (std::string("=") + old).c_str() : "", 1);
    setenv("LD_PRELOAD",
           (std::string(preload_library) + (old ? std::string(" ") + old : "")).c_str(), 1);
    // An ASan build: the preload library comes before ASan's runtime, which
    // ASan would refuse by default; interception still works.
    const char *asan = std::getenv("ASAN_OPTIONS");
    setenv("ASAN_OPTIONS",
           ((asan && *asan ? std::string(asan) + ":" : std::string()) + "verify_asan_link_order=0")
               .c_str(),
           1);
    execv("/proc/self/exe", argv.data());
    std::perror("re-executing under umockdev's preload library");
    std::exit(1);
}

} // namespace test_support
