// qmi-bench: the same scenarios against our plugin (qmi) and oFono 1.31's
// built-in QMI driver (gobi + qmimodem), on qmi-sim at fixed response
// latencies, in one run. Prints a table and regenerates doc/performance.md.
// See doc/performance.md ("Method") for what is measured and how.
#include "report.hpp"
#include "scenario.hpp"
#include "watch.hpp"

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef QMI_BENCH_QMI_SO
#define QMI_BENCH_QMI_SO "plugins/qmi.so"
#endif
#ifndef QMI_BENCH_GOBI_PROBE_SO
#define QMI_BENCH_GOBI_PROBE_SO "bench/gobi_probe.so"
#endif
#ifndef QMI_BENCH_SIM
#define QMI_BENCH_SIM "test/sim/qmi_sim"
#endif
#ifndef QMI_BENCH_E2E_DIR
#define QMI_BENCH_E2E_DIR "test/e2e"
#endif
#ifndef QMI_BENCH_OFONO_PLUGINDIR
#define QMI_BENCH_OFONO_PLUGINDIR "/usr/lib/ofono/plugins"
#endif
#ifndef QMI_BENCH_DOC
#define QMI_BENCH_DOC "doc/performance.md"
#endif

using namespace bench;

namespace
{

const char kUsage[] =
    "usage: qmi-bench [options]\n"
    "  --quick            1 run, 5 s idle, 500-change burst (unless given otherwise)\n"
    "  --runs N           runs per driver and latency (default 5)\n"
    "  --latency LIST     response latencies in ms, comma separated (default 2,20)\n"
    "  --idle S           idle window in seconds (default 30)\n"
    "  --burst N          signal changes in the indication burst (default 10000)\n"
    "  --sms-send N       SMS to send (default 20)\n"
    "  --sms-receive N    SMS to receive in one burst (default 100)\n"
    "  --services LIST    the simulator's services (default dms,nas,uim,wms,wds,wda)\n"
    "  --driver D         qmi, gobi or both (default both)\n"
    "  --doc PATH         where to write the report (default: the source tree's\n"
    "                     doc/performance.md)\n"
    "  --no-doc           print the table only\n"
    "  --no-warmup        skip the unrecorded warm-up run of each driver\n"
    "  -v, --verbose      progress of each run on stderr\n"
    "Needs root (ofonod runs in a private mount namespace). Environment overrides:\n"
    "QMI_SIM, QMI_E2E_DIR, OFONO_PLUGINDIR (as for the end-to-end tests),\n"
    "QMI_BENCH_QMI_SO, QMI_BENCH_GOBI_PROBE_SO, QMI_BENCH_COMMIT (the source label\n"
    "in the report).\n";

int to_int(const std::string &s, const char *what)
{
    try {
        size_t end = 0;
        const int v = std::stoi(s, &end);
        if (end == s.size() && v >= 0)
            return v;
    } catch (...) {
    }
    throw std::invalid_argument(std::string("bad value for ") + what + ": " + s);
}

std::string env_or(const char *name, const char *fallback)
{
    const char *v = std::getenv(name);
    return v && *v ? v : fallback;
}

// A scratch plugin directory for run-ofonod: qmi.so and gobi_probe.so.
class PluginDir
{
  public:
    PluginDir()
    {
        char tmpl[] = "/tmp/qmi-bench-plugins-XXXXXX";
        if (!mkdtemp(tmpl))
            throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
        link(env_or("QMI_BENCH_QMI_SO", QMI_BENCH_QMI_SO), "qmi.so");
        link(env_or("QMI_BENCH_GOBI_PROBE_SO", QMI_BENCH_GOBI_PROBE_SO), "gobi_probe.so");
    }
    ~PluginDir()
    {
        for (const auto &name : links_)
            unlink((dir_ + "/" + name).c_str());
        rmdir(dir_.c_str());
    }
    PluginDir(const PluginDir &) = delete;
    PluginDir &operator=(const PluginDir &) = delete;
    const std::string &path() const { return dir_; }

  private:
    void link(const std::string &target, const std::string &name)
    {
        if (access(target.c_str(), R_OK) != 0)
            throw std::runtime_error("missing " + target + " (build it first)");
        if (symlink(target.c_str(), (dir_ + "/" + name).c_str()) != 0)
            throw std::runtime_error("symlink " + name + " failed");
        links_.push_back(name);
    }
    std::string dir_;
    std::vector<std::string> links_;
};

} // namespace

int main(int argc, char **argv)
{
    Settings settings;
    bool runs_given = false, idle_given = false, burst_given = false, write_doc = true,
         verbose = false, warmup = true;
    std::string doc = QMI_BENCH_DOC;
    std::vector<Driver> drivers{Driver::Qmi, Driver::Gobi};
    settings.command_line = "qmi-bench";
    try {
        for (int i = 1; i < argc; i++) {
            const std::string arg = argv[i];
            settings.command_line += " " + arg;
            auto value = [&]() -> std::string {
                if (i + 1 >= argc)
                    throw std::invalid_argument(arg + " needs a value");
                settings.command_line += std::string(" ") + argv[i + 1];
                return argv[++i];
            };
            if (arg == "--quick") {
                settings.quick = true;
            } else if (arg == "--runs") {
                settings.runs = to_int(value(), "--runs");
                runs_given = true;
            } else if (arg == "--latency") {
                settings.latencies.clear();
                std::string list = value();
                for (size_t pos = 0; pos <= list.size();) {
                    size_t comma = list.find(',', pos);
                    if (comma == std::string::npos)
                        comma = list.size();
                    settings.latencies.push_back(
                        to_int(list.substr(pos, comma - pos), "--latency"));
                    pos = comma + 1;
                }
            } else if (arg == "--idle") {
                settings.idle_s = to_int(value(), "--idle");
                idle_given = true;
            } else if (arg == "--burst") {
                settings.burst_changes = to_int(value(), "--burst");
                burst_given = true;
            } else if (arg == "--sms-send") {
                settings.sms_send = to_int(value(), "--sms-send");
            } else if (arg == "--sms-receive") {
                settings.sms_receive = to_int(value(), "--sms-receive");
            } else if (arg == "--services") {
                settings.services = value();
            } else if (arg == "--driver") {
                const std::string d = value();
                if (d == "qmi")
                    drivers = {Driver::Qmi};
                else if (d == "gobi")
                    drivers = {Driver::Gobi};
                else if (d != "both")
                    throw std::invalid_argument("--driver is qmi, gobi or both");
            } else if (arg == "--doc") {
                doc = value();
            } else if (arg == "--no-doc") {
                write_doc = false;
            } else if (arg == "--no-warmup") {
                warmup = false;
            } else if (arg == "-v" || arg == "--verbose") {
                verbose = true;
            } else if (arg == "-h" || arg == "--help") {
                std::fputs(kUsage, stdout);
                return 0;
            } else {
                throw std::invalid_argument("unknown option " + arg);
            }
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "qmi-bench: %s\n%s", e.what(), kUsage);
        return 2;
    }
    if (settings.quick) {
        if (!runs_given)
            settings.runs = 1;
        if (!idle_given)
            settings.idle_s = 5;
        if (!burst_given)
            settings.burst_changes = 500;
    }
    if (settings.runs < 1 || settings.latencies.empty()) {
        std::fprintf(stderr, "qmi-bench: nothing to run\n");
        return 2;
    }
    if (write_doc && drivers.size() != 2) {
        std::fprintf(stderr, "qmi-bench: --driver with one driver implies --no-doc\n");
        write_doc = false;
    }

    // The test bed reads these (test/e2e/testbed.cpp); the build's paths
    // are the defaults.
    setenv("QMI_SIM", QMI_BENCH_SIM, 0);
    setenv("QMI_E2E_DIR", QMI_BENCH_E2E_DIR, 0);
    setenv("OFONO_PLUGINDIR", QMI_BENCH_OFONO_PLUGINDIR, 0);

    std::unique_ptr<PluginDir> plugins;
    try {
        plugins = std::make_unique<PluginDir>();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "qmi-bench: %s\n", e.what());
        return 1;
    }
    setenv("QMI_PLUGIN_BUILD_DIR", plugins->path().c_str(), 1);

    // Ctrl-C: finish tearing down the current bed (ofonod, the simulator
    // and the bus run in their own process groups), then stop.
    struct sigaction sa {
    };
    sa.sa_handler = [](int) { set_interrupted(); };
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);

    auto loadavg = [] {
        std::ifstream in("/proc/loadavg");
        std::string one;
        in >> one;
        return one.empty() ? std::string("?") : one;
    };
    settings.load_before = loadavg();
    const auto started = std::chrono::steady_clock::now();
    if (warmup) {
        // The first ofonod after a build pays for cold caches (dlopen,
        // page cache): one short unrecorded run per driver.
        for (Driver driver : drivers) {
            std::fprintf(stderr, "[warm-up] %s\n", driver_name(driver));
            RunConfig config;
            config.driver = driver;
            config.latency_ms = settings.latencies.front();
            config.services = settings.services;
            config.burst_changes = 0;
            config.idle_s = 0;
            config.sms_send = 1;
            config.sms_receive = 1;
            if (!interrupted())
                run_once(config);
        }
    }
    Results results;
    const int total = settings.runs * static_cast<int>(settings.latencies.size() * drivers.size());
    int done = 0;
    for (int run = 0; run < settings.runs; run++) {
        for (int latency : settings.latencies) {
            for (Driver driver : drivers) {
                if (interrupted())
                    break;
                std::fprintf(stderr, "[%d/%d] %s, latency %d ms, run %d\n", ++done, total,
                             driver_name(driver), latency, run + 1);
                RunConfig config;
                config.driver = driver;
                config.latency_ms = latency;
                config.services = settings.services;
                config.burst_changes = settings.burst_changes;
                config.idle_s = settings.idle_s;
                config.sms_send = settings.sms_send;
                config.sms_receive = settings.sms_receive;
                config.verbose = verbose;
                RunResult r = run_once(config);
                for (const auto &w : r.warnings)
                    std::fprintf(stderr, "    warning: %s\n", w.c_str());
                results[{latency, driver}].push_back(std::move(r));
            }
        }
    }
    if (interrupted()) {
        std::fprintf(stderr, "qmi-bench: interrupted; no report written\n");
        return 130;
    }
    settings.load_after = loadavg();
    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    const std::string table = comparison_table(settings, results);
    const std::string slopes = slope_table(settings, results);
    const std::string bounds = bound_table(settings, results);
    std::printf("%s", table.c_str());
    if (!slopes.empty())
        std::printf("\nSequential round trips implied by the latency (ms of delay per ms of "
                    "latency):\n%s",
                    slopes.c_str());
    std::printf("\nOur bring-up against its round-trip lower bound:\n%s", bounds.c_str());
    std::fflush(stdout);
    if (write_doc) {
        std::ofstream out(doc);
        out << performance_doc(settings, results, table, slopes, bounds, wall_s);
        if (!out) {
            std::fprintf(stderr, "qmi-bench: cannot write %s\n", doc.c_str());
            return 1;
        }
        std::fprintf(stderr, "wrote %s\n", doc.c_str());
    }
    return 0;
}
