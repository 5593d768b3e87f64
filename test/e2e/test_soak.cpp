// Soak: many power and radio cycles in one ofonod must not grow it. Every
// cycle brings the modem all the way up (SIM read, online, registered) and
// down again, so each atom is created, used and removed each time.
#include "testbed.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <string>

using namespace e2e;

namespace
{
const std::string kModem = "/sim0";

long ofonod_pid(TestBed &bed)
{
    auto r = bed.bus().call("/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "GetConnectionUnixProcessID", g_variant_new("(s)", "org.ofono"), 5000,
                            "org.freedesktop.DBus");
    if (!r.ok())
        return -1;
    guint32 pid = 0;
    g_variant_get(r.value.get(), "(u)", &pid);
    return pid;
}

// VmRSS of a process in KiB, or -1.
long rss_kib(long pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

void cycle(TestBed &bed)
{
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(wait_until([&] {
        return !prop_string(bed.bus().properties(kModem, "org.ofono.SimManager"),
                            "SubscriberIdentity")
                    .empty();
    }));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    REQUIRE(wait_until([&] {
        return prop_string(bed.bus().properties(kModem, "org.ofono.NetworkRegistration"),
                           "Status") == "registered";
    }));
    REQUIRE(bed.set_modem_property(kModem, "Online", false));
    REQUIRE(bed.set_modem_property(kModem, "Powered", false));
}
} // namespace

// QMI_SOAK_CYCLES overrides the count (the suite uses the default).
TEST_CASE("enable/online/offline/disable cycles keep ofonod's memory flat", "[soak]")
{
    const char *env = std::getenv("QMI_SOAK_CYCLES");
    const int cycles = env ? std::atoi(env) : 1000;
    const int warm_up = std::min(50, cycles / 10);
    TestBed bed(with_services("dms,nas,uim,wms,voice,wds,wda"));
    REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }));
    const long pid = ofonod_pid(bed);
    REQUIRE(pid > 0);
    long after_warm_up = -1, halfway = -1;
    for (int i = 0; i < cycles; i++) {
        INFO("cycle " << i);
        cycle(bed);
        if (i + 1 == warm_up)
            after_warm_up = rss_kib(pid); // caches and pools have settled
        if (i + 1 == cycles / 2)
            halfway = rss_kib(pid);
    }
    const long at_end = rss_kib(pid);
    INFO("VmRSS after " << warm_up << " cycles: " << after_warm_up << " KiB, after " << cycles / 2
                        << ": " << halfway << " KiB, after " << cycles << ": " << at_end << " KiB");
    REQUIRE(after_warm_up > 0);
    // A leak of 1 KiB per cycle would add about 1 MiB over 1,000 cycles;
    // flat means the second half adds next to nothing.
    CHECK(at_end - after_warm_up < 512);
    CHECK(at_end - halfway < 256);
    CHECK(bed.sim_count("clients") == 0);
    CHECK(bed.ofono_running());
}
