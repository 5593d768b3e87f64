// plugins/qrtr_bus_source against the real libqrtr-glib on this machine.
// Where the kernel has no AF_QIPCRTR (CI, USB-only machines) it must give up
// quietly: one debug line, no warning, no events, nothing after it is
// destroyed. Where QRTR exists it must start watching without a warning.
#include "qrtr_bus_source.hpp"
#include "qrtr_discovery.hpp"

#include <catch2/catch.hpp>

#include <glib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#ifndef AF_QIPCRTR
#define AF_QIPCRTR 42
#endif

namespace
{

using qmi::QrtrBusSource;
using qmi::QrtrLogLevel;

bool kernel_has_qrtr()
{
    const int fd = socket(AF_QIPCRTR, SOCK_DGRAM, 0);
    if (fd >= 0) {
        close(fd);
        return true;
    }
    return errno != EAFNOSUPPORT;
}

struct Logs {
    std::vector<std::pair<QrtrLogLevel, std::string>> lines;
    qmi::QrtrLog sink()
    {
        return [this](QrtrLogLevel level, const std::string &text) {
            lines.emplace_back(level, text);
        };
    }
    std::size_t count(QrtrLogLevel level) const
    {
        std::size_t n = 0;
        for (const auto &l : lines)
            n += l.first == level;
        return n;
    }
};

struct Recorder final : qmi::QrtrNodeEvents {
    int events = 0;
    void node_added(std::uint32_t) override { events++; }
    void node_removed(std::uint32_t) override { events++; }
    void service_added(std::uint32_t, std::uint32_t) override { events++; }
    void service_removed(std::uint32_t, std::uint32_t) override { events++; }
};

// Runs the default main context until done() or ms have passed.
template <typename Done> void spin(Done done, unsigned ms)
{
    const gint64 end = g_get_monotonic_time() + gint64(ms) * 1000;
    while (!done() && g_get_monotonic_time() < end) {
        if (!g_main_context_iteration(nullptr, FALSE))
            g_usleep(1000);
    }
}

} // namespace

TEST_CASE("qrtr bus source: starts and stops quietly on this machine", "[qrtr]")
{
    Logs logs;
    Recorder recorder;
    auto source = std::make_unique<QrtrBusSource>(logs.sink(), 500);
    CHECK(source->state() == QrtrBusSource::State::Idle);
    source->start(recorder);
    spin([&] { return source->state() != QrtrBusSource::State::Starting; }, 3000);
    if (!kernel_has_qrtr()) {
        INFO("this kernel has no AF_QIPCRTR");
        CHECK(source->state() == QrtrBusSource::State::Unavailable);
        REQUIRE(logs.lines.size() == 1);
        CHECK(logs.lines[0].first == QrtrLogLevel::Debug);
        CHECK(logs.lines[0].second.find("no QRTR bus") != std::string::npos);
        CHECK(recorder.events == 0);
    } else {
        CHECK(source->state() == QrtrBusSource::State::Running);
    }
    CHECK(logs.count(QrtrLogLevel::Warning) == 0);
    CHECK(logs.count(QrtrLogLevel::Info) == 0);
    source.reset();
    const auto lines = logs.lines.size();
    spin([] { return false; }, 50);
    CHECK(logs.lines.size() == lines);
}

TEST_CASE("qrtr bus source: destroyed while starting, nothing runs afterwards", "[qrtr]")
{
    Logs logs;
    Recorder recorder;
    auto source = std::make_unique<QrtrBusSource>(logs.sink(), 200);
    source->start(recorder);
    source->start(recorder); // a second start is ignored
    source.reset();          // before qrtr_bus_new has answered
    spin([] { return false; }, 400);
    CHECK(logs.lines.empty());
    CHECK(recorder.events == 0);
}

TEST_CASE("qrtr discovery over the real bus: no QRTR here, no modem, no noise", "[qrtr]")
{
    if (kernel_has_qrtr()) {
        WARN("this kernel has AF_QIPCRTR: skipped (it would look at the real bus)");
        return;
    }
    int created = 0;
    qmi::ModemRegistry registry(
        [&](const qmi::ModemConfig &) -> ofono_modem * {
            created++;
            return reinterpret_cast<ofono_modem *>(1);
        },
        [](ofono_modem *) {});
    Logs logs;
    qmi::QrtrDiscovery::Hooks hooks;
    hooks.log = logs.sink();
    bool timer_asked = false;
    hooks.after = [&](unsigned, std::function<void()>) { timer_asked = true; };
    auto source = std::make_unique<QrtrBusSource>(logs.sink(), 500);
    auto *raw = source.get();
    qmi::QrtrDiscovery discovery(registry, std::move(source), std::move(hooks));
    discovery.start();
    spin([&] { return raw->state() != QrtrBusSource::State::Starting; }, 3000);
    CHECK(raw->state() == QrtrBusSource::State::Unavailable);
    CHECK(created == 0);
    CHECK_FALSE(timer_asked);
    CHECK(logs.count(QrtrLogLevel::Warning) == 0);
    CHECK(logs.count(QrtrLogLevel::Info) == 0);
}
