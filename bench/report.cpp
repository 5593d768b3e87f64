#include "report.hpp"

#include "process.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#ifndef QMI_BENCH_LIBQMI_VERSION
#define QMI_BENCH_LIBQMI_VERSION "?"
#endif
#ifndef QMI_BENCH_SOURCE_ROOT
#define QMI_BENCH_SOURCE_ROOT "."
#endif

namespace bench
{
namespace
{

struct Summary {
    std::optional<double> median;
    size_t runs_with_value = 0;
    size_t runs = 0;
    std::string why; // when no run has a value
};

Summary summarise(const std::vector<RunResult> &runs, const std::string &key)
{
    Summary s;
    s.runs = runs.size();
    std::vector<double> values;
    for (const auto &r : runs) {
        auto it = r.values.find(key);
        if (it == r.values.end())
            continue;
        if (it->second.value)
            values.push_back(*it->second.value);
        else if (s.why.empty())
            s.why = it->second.why;
    }
    s.runs_with_value = values.size();
    if (values.empty()) {
        if (s.why.empty())
            s.why = "not measured";
        return s;
    }
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    s.median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    return s;
}

std::string number(double v, int decimals)
{
    if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals))
        v = 0; // no "-0.0"
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    return buf;
}

// Milliseconds: one decimal below 100 ms.
std::string ms(double v)
{
    return number(v, v < 100 ? 1 : 0);
}

enum class Kind { Ms, Count, RoundTrips, MiB };

struct Row {
    std::string label;
    std::string key;
    Kind kind;
};

std::string cell(const Summary &s, Kind kind, int latency)
{
    if (!s.median)
        return "n/a (" + s.why + ")";
    std::string text;
    switch (kind) {
    case Kind::Ms:
        text = ms(*s.median);
        break;
    case Kind::Count:
        text = number(*s.median, std::floor(*s.median) == *s.median ? 0 : 1);
        break;
    case Kind::RoundTrips:
        text = number(*s.median, std::floor(*s.median) == *s.median ? 0 : 1) + " (≥ " +
               ms(*s.median * latency) + " ms)";
        break;
    case Kind::MiB:
        text = number(*s.median / 1024.0, 1);
        break;
    }
    if (s.runs_with_value < s.runs)
        text += " [" + std::to_string(s.runs_with_value) + "/" + std::to_string(s.runs) + " runs]";
    return text;
}

std::string ratio(const Summary &ours, const Summary &theirs)
{
    if (!ours.median || !theirs.median)
        return "—";
    if (*theirs.median == 0)
        return *ours.median == 0 ? "1.00" : "—";
    return number(*ours.median / *theirs.median, 2);
}

std::vector<Row> rows(const Settings &settings)
{
    std::vector<Row> out;
    for (const auto &m : milestones()) {
        const std::string key = m.key;
        const std::string label = std::string("Powered=true → ") + m.label;
        out.push_back({label + ": time (ms)", key + ".ms", Kind::Ms});
        out.push_back({label + ": QMI requests", key + ".req", Kind::Count});
        out.push_back({label + ": of them answered by then", key + ".answered", Kind::Count});
        out.push_back(
            {label + ": sequential round trips (× latency)", key + ".rt", Kind::RoundTrips});
    }
    const std::string idle = std::to_string(settings.idle_s);
    const std::string burst = std::to_string(settings.burst_changes);
    out.push_back(
        {"QMI requests while idle and registered (" + idle + " s)", "idle.req", Kind::Count});
    out.push_back({"Indication burst (" + burst + " changes): ofonod utime+stime (ms)",
                   "burst.cpu_ms", Kind::Ms});
    out.push_back(
        {"Indication burst: ofonod on-CPU time, schedstat (ms)", "burst.sched_ms", Kind::Ms});
    out.push_back({"Indication burst: until ofonod is idle again (ms)", "burst.wall_ms", Kind::Ms});
    out.push_back(
        {"Indication burst: indications the modem sent", "burst.indications", Kind::Count});
    out.push_back({"Indication burst: QMI requests during it", "burst.req", Kind::Count});
    out.push_back(
        {"Send " + std::to_string(settings.sms_send) + " SMS (ms)", "sms.send_ms", Kind::Ms});
    out.push_back({"Receive a burst of " + std::to_string(settings.sms_receive) + " SMS (ms)",
                   "sms.receive_ms", Kind::Ms});
    out.push_back({"ofonod RSS once registered and idle, VmRSS (MiB)", "rss_idle.kib", Kind::MiB});
    out.push_back({"ofonod private memory once registered and idle, RssAnon (MiB)", "anon_idle.kib",
                   Kind::MiB});
    out.push_back({"ofonod peak RSS, VmHWM at the end (MiB)", "rss.kib", Kind::MiB});
    out.push_back({"Data context Active=true → Settings: time (ms)", "data.ms", Kind::Ms});
    out.push_back({"Data context Active=true → Settings: QMI requests", "data.req", Kind::Count});
    out.push_back({"Data context Active=true → Settings: sequential round trips (× latency)",
                   "data.rt", Kind::RoundTrips});
    return out;
}

std::string shell(const std::vector<std::string> &argv)
{
    std::string out;
    try {
        if (e2e::run(argv, {}, &out, 10000) != 0)
            return "?";
    } catch (...) {
        return "?";
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
        out.pop_back();
    return out;
}

std::string machine()
{
    std::string cpu = "?";
    std::ifstream cpuinfo("/proc/cpuinfo");
    for (std::string line; std::getline(cpuinfo, line);) {
        if (line.rfind("model name", 0) == 0) {
            cpu = line.substr(line.find(':') + 2);
            break;
        }
    }
    std::string mem = "?";
    std::ifstream meminfo("/proc/meminfo");
    for (std::string line; std::getline(meminfo, line);) {
        if (line.rfind("MemTotal:", 0) == 0) {
            mem = number(std::stod(line.substr(9)) / 1024 / 1024, 1) + " GiB";
            break;
        }
    }
    utsname u{};
    uname(&u);
    return cpu + ", " + std::to_string(sysconf(_SC_NPROCESSORS_ONLN)) + " CPUs, " + mem + " RAM; " +
           u.sysname + " " + u.release + " " + u.machine;
}

// "uim Read Record" ×3 -> one entry.
std::vector<std::string> compress(const std::vector<std::string> &steps)
{
    std::vector<std::string> out;
    for (size_t i = 0; i < steps.size();) {
        size_t j = i;
        while (j < steps.size() && steps[j] == steps[i])
            j++;
        out.push_back(steps[i] + (j - i > 1 ? " ×" + std::to_string(j - i) : ""));
        i = j;
    }
    return out;
}

} // namespace

std::string comparison_table(const Settings &settings, const Results &results)
{
    std::ostringstream t;
    t << "| Scenario | Latency | qmi (ours) | gobi (built-in) | ours / built-in |\n"
      << "|---|---|---|---|---|\n";
    for (const auto &row : rows(settings)) {
        for (int latency : settings.latencies) {
            auto runs_of = [&](Driver d) {
                auto it = results.find({latency, d});
                return it == results.end() ? std::vector<RunResult>{} : it->second;
            };
            const Summary ours = summarise(runs_of(Driver::Qmi), row.key);
            const Summary theirs = summarise(runs_of(Driver::Gobi), row.key);
            t << "| " << row.label << " | " << latency << " ms | " << cell(ours, row.kind, latency)
              << " | " << cell(theirs, row.kind, latency) << " | " << ratio(ours, theirs) << " |\n";
        }
    }
    return t.str();
}

std::string slope_table(const Settings &settings, const Results &results)
{
    if (settings.latencies.size() < 2)
        return {};
    const int lo = *std::min_element(settings.latencies.begin(), settings.latencies.end());
    const int hi = *std::max_element(settings.latencies.begin(), settings.latencies.end());
    if (lo == hi)
        return {};
    struct Timed {
        std::string label, key;
        int per; // divide by this many items (SMS), 1 otherwise
    };
    std::vector<Timed> timed;
    for (const auto &m : milestones())
        timed.push_back({std::string("Powered=true → ") + m.label, std::string(m.key) + ".ms", 1});
    timed.push_back({"Send " + std::to_string(settings.sms_send) + " SMS, per message",
                     "sms.send_ms", settings.sms_send});
    timed.push_back({"Receive " + std::to_string(settings.sms_receive) + " SMS, per message",
                     "sms.receive_ms", settings.sms_receive});
    timed.push_back({"Data context Active=true → Settings", "data.ms", 1});
    auto runs_of = [&](int latency, Driver d) {
        auto it = results.find({latency, d});
        return it == results.end() ? std::vector<RunResult>{} : it->second;
    };
    auto slope = [&](Driver d, const Timed &t) -> std::optional<double> {
        const Summary a = summarise(runs_of(lo, d), t.key);
        const Summary b = summarise(runs_of(hi, d), t.key);
        if (!a.median || !b.median || t.per <= 0)
            return std::nullopt;
        return (*b.median - *a.median) / (hi - lo) / t.per;
    };
    std::ostringstream out;
    out << "| Scenario (" << lo << " → " << hi
        << " ms) | qmi (ours) | gobi (built-in) | ours / built-in |\n"
        << "|---|---|---|---|\n";
    for (const auto &t : timed) {
        const auto ours = slope(Driver::Qmi, t);
        const auto theirs = slope(Driver::Gobi, t);
        auto text = [](const std::optional<double> &v) {
            return v ? number(*v, 1) : std::string("n/a");
        };
        out << "| " << t.label << " | " << text(ours) << " | " << text(theirs) << " | "
            << (ours && theirs && *theirs > 0.05 ? number(*ours / *theirs, 2) : "—") << " |\n";
    }
    return out.str();
}

std::string bound_table(const Settings &settings, const Results &results)
{
    std::ostringstream out;
    out << "| Milestone | Latency | round trips needed | lower bound (ms) | qmi (ours) (ms) | "
           "ours / bound |\n"
        << "|---|---|---|---|---|---|\n";
    for (int latency : settings.latencies) {
        auto it = results.find({latency, Driver::Qmi});
        if (it == results.end())
            continue;
        const auto &runs = it->second;
        const Summary sim_rt = summarise(runs, "sim.rt");
        const Summary delay = summarise(runs, "sim.register_delay_ms");
        for (const auto &m : milestones()) {
            const std::string key = m.key;
            const Summary time = summarise(runs, key + ".ms");
            // Registration: the radio goes on at SIM ready (Online=true is sent
            // then, one more round trip), and the network answers after the
            // simulator's registration delay, which no driver shortens; its
            // indication needs no request.
            const bool registered = key == "registered";
            const Summary rt = registered ? sim_rt : summarise(runs, key + ".rt");
            if (!time.median || !rt.median || (registered && !delay.median))
                continue;
            const double bound = *rt.median * latency + (registered ? *delay.median : 0.0);
            out << "| " << m.label << " | " << latency << " ms | "
                << number(*rt.median, std::floor(*rt.median) == *rt.median ? 0 : 1)
                << (registered ? " + " + ms(*delay.median) + " ms registration delay" : "") << " | "
                << ms(bound) << " | " << ms(*time.median) << " | "
                << (bound > 0 ? number(*time.median / bound, 2) : "—") << " |\n";
        }
    }
    return out.str();
}

std::string performance_doc(const Settings &settings, const Results &results,
                            const std::string &table, const std::string &slopes,
                            const std::string &bounds, double wall_s)
{
    char date[64];
    const std::time_t now = std::time(nullptr);
    std::strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
    const char *commit_env = std::getenv("QMI_BENCH_COMMIT");
    const std::string commit =
        commit_env && *commit_env
            ? std::string(commit_env)
            : shell({"git", "-C", QMI_BENCH_SOURCE_ROOT, "rev-parse", "--short", "HEAD"});
    std::string latencies;
    for (int l : settings.latencies)
        latencies += (latencies.empty() ? "" : ", ") + std::to_string(l) + " ms";

    std::ostringstream d;
    d << "# Performance: qmi against oFono's built-in QMI driver\n\n"
      << "Generated by `tools/bench` (`build/bench/qmi-bench`); do not edit by hand, run it "
         "again.\n\n"
      << "## This run\n\n"
      << "- Date: " << date << "\n"
      << "- Machine: " << machine() << "; load average (1 min) " << settings.load_before
      << " at the start, " << settings.load_after
      << " at the end (other work on the machine shares its CPUs with the runs)\n"
      << "- ofonod " << shell({"ofonod", "--version"}) << " (Debian), libqmi-glib "
      << QMI_BENCH_LIBQMI_VERSION << ", source commit " << commit
      << " (plus whatever was uncommitted)\n"
      << "- Command: `" << settings.command_line << "`"
      << (settings.quick ? " — **quick mode**: fewer runs, a shorter idle window and a smaller "
                           "burst; medians are less steady than a full run's"
                         : "")
      << "\n"
      << "- " << settings.runs << " run(s) per driver and latency (the table gives medians), "
      << "response latency " << latencies << ", simulator services `" << settings.services
      << "`, idle window " << settings.idle_s << " s, indication burst " << settings.burst_changes
      << " changes, " << settings.sms_send << " SMS sent, " << settings.sms_receive
      << " received; the whole run took " << number(wall_s / 60, 1) << " min\n\n"
      << "## Results\n\n"
      << "`qmi` is this project's plugin (`qmi.so`, configured through `OFONO_QMI_CONFIG`); "
         "`gobi` is oFono 1.31's built-in QMI driver (the `gobi` modem driver and its "
         "`qmimodem` atoms, compiled into Debian's `ofonod`). Both drive the same simulator "
         "(`qmi-sim`) under the same `ofonod` binary, in the same run. Below 1 in the last "
         "column means ours is smaller (faster, fewer requests, less CPU or memory).\n\n"
      << table << "\n";
    if (!slopes.empty())
        d << "### Round trips on the critical path, from the latency\n\n"
          << "How much longer each timed scenario takes per extra millisecond of response "
             "latency, (median at the highest latency − median at the lowest) / (difference "
             "of the latencies): the number of responses that the scenario waits for one "
             "after the other. Host work, the simulator's fixed delays and the harness's own "
             "overhead do not grow with the latency and cancel out (see Method).\n\n"
          << slopes << "\n";

    if (!bounds.empty())
        d << "### Our bring-up against its round-trip lower bound\n\n"
          << "The round trips our bring-up needs one after the other are the sequential chain "
             "of the table above (its median; see Method for how it is found), each costing at "
             "least one response latency. Registration adds the simulator's registration delay "
             "to the chain up to SIM ready, after which Online=true is sent. The rest is host "
             "work: ofonod, the D-Bus round trip to the harness, and the simulated port, which "
             "hands over one response at a time (as cdc-wdm does). At 2 ms the host work is "
             "most of the time, so the bound says most at 20 ms.\n\n"
          << bounds << "\n";

    // The sequential chains, from the last run at the highest latency.
    const int latency = settings.latencies.empty() ? 0 : settings.latencies.back();
    d << "### The sequential chain to Online=true done (last run at " << latency << " ms)\n\n"
      << "Each step is one request sent only after the previous step's response was written "
         "(see Method). The harness sends Online=true once the SIM is ready, so this is the "
         "whole bring-up; its length times the latency is the least time it could take as it "
         "was carried out. A step off the critical path can slip in where it happened to follow "
         "a response.\n\n";
    for (Driver drv : {Driver::Qmi, Driver::Gobi}) {
        auto it = results.find({latency, drv});
        if (it == results.end() || it->second.empty())
            continue;
        const auto &chains = it->second.back().chains;
        auto chain = chains.find("online");
        if (chain == chains.end())
            continue;
        d << "- **" << driver_name(drv) << "** (" << chain->second.size() << "): ";
        const auto steps = compress(chain->second);
        for (size_t i = 0; i < steps.size(); i++)
            d << (i ? " → " : "") << steps[i];
        d << "\n";
    }

    std::set<std::string> warnings;
    for (const auto &[k, runs] : results)
        for (const auto &r : runs)
            for (const auto &w : r.warnings)
                warnings.insert(std::string(driver_name(k.second)) + ", " +
                                std::to_string(k.first) + " ms: " + w);
    if (!warnings.empty()) {
        d << "\n### Warnings from this run\n\n";
        for (const auto &w : warnings)
            d << "- " << w << "\n";
    }

    d << R"(
## Method

Each run builds a fresh end-to-end bed (`test/e2e/testbed.cpp`): a private
`dbus-daemon`, `qmi-sim` on a pty with `--latency L` (every response is
delayed by L ms; indications are not; like a cdc-wdm port the pty hands
the host one message per read, the next about 250 µs after the host read
the previous one, see doc/simulator.md), and Debian's `ofonod -n -d` started
by `test/e2e/run-ofonod`, whose plugin directory is a scratch directory
holding links to this build's `qmi.so` and to the test-only
`gobi_probe.so` (`bench/gobi_probe.c`). In a `qmi` run `qmi.conf` has the
modem `[sim0]` and `gobi_probe` does nothing. In a `gobi` run `qmi.conf`
has no modem and `gobi_probe`, seeing `QMI_BENCH_GOBI_DEVICE`, creates the
modem `/gobi0` of type `gobi` with `Device=` the simulator's port, which is
all that oFono 1.31's `gobi` driver reads. Both plugins are loaded in both
runs. The runs alternate between the drivers (qmi, gobi, qmi, …) at each
latency, so drift on the machine hits both alike. The simulator's NV
message store is raised to 1000 slots in both runs.

- **Bring-up.** The harness sets `Powered=true` and times, from that call:
  the reply to it; the first `PropertyChanged` of `SimManager`
  `SubscriberIdentity` (SIM ready); the reply to `Online=true`, which it
  sends as soon as both of those have happened; and the first
  `NetworkRegistration` `Status` = `registered`. Every D-Bus message is
  stamped when the harness's GLib main loop dispatches it; the harness
  blocks in that loop, so it wakes when the message arrives. At each
  milestone the harness writes a `log-mark` into the simulator's log. The
  request counts are the request lines (`<<`) between the start mark and
  the milestone's mark: the same requests that `requests <service>`
  counts on the control socket (the harness compares the totals at the
  end of each run and warns if they differ). "Of them answered by then"
  counts those whose response line comes before the milestone's mark: a
  driver that sends requests for the next stage at once (ours) has some
  in flight when a milestone is reached, and the harness's mark, written
  when its D-Bus message arrives, lands after requests that ofonod sent
  just after the milestone.
- **Sequential round trips (table rows "× latency").** From the same log:
  among the requests sent after the start mark whose responses were
  written before the milestone's mark, the longest chain r1, r2, …, rk in
  which each request reached the simulator after the previous one's
  response was written (log order; the simulator writes a response line
  when it hands the frame to the pty, after the latency). Every step
  costs at least one latency, so k × L is a lower bound for the bring-up
  as it was carried out. The chain comes from the observed order, not
  from the code: a request that merely happened to be sent after an
  unrelated response extends it too. So it overestimates the dependency
  chain, most at low latency, where more unrelated sequential work (e.g.
  oFono still reading SIM files) fits into the fixed 100 ms registration
  delay; that is why it can be longer at 2 ms than at 20 ms.
- **Round trips from the latency.** The second table divides the growth
  of each median time between the lowest and the highest latency by the
  difference of the latencies. It counts the responses the scenario
  really waited for one after the other, as the critical path went at
  these latencies; it needs no reading of the log and is not inflated by
  work off the critical path. Noise in the medians carries over (divided
  by the latency difference).
- **Idle.** After registration the harness waits 1 s, then counts the
  requests in the idle window.
- **Indication burst.** ofonod's `utime + stime` (`/proc/<pid>/stat`, pid
  from the bus: `GetConnectionUnixProcessID`) and its threads' on-CPU
  time (`/proc/<pid>/task/*/schedstat`, nanoseconds) are read; then the
  changes go through one control connection: `set nas.rssi`, alternating
  between −105 and −55 dBm so that every change crosses any threshold a
  driver can have set, and every 50th change `set nas.cell-id` instead (a
  Serving System change). The simulator raises whatever indications each
  driver subscribed to (Signal Info, NAS Event Report, Serving System)
  under the thresholds it configured; the table says how many it handed
  over. The harness then polls every 20 ms; once for 0.5 s neither the
  simulator's `indications` counter nor ofonod's schedstat time has moved
  (by more than 0.2 ms), the CPU times are read again. "Until ofonod is
  idle again" is the time from the first change to the last poll that
  saw either move (20 ms resolution): how long ofonod takes to work
  through the burst, waiting included. `utime + stime` has a resolution
  of one clock tick (10 ms); schedstat is exact but also counts time the
  kernel spends on ofonod's behalf in its threads.
- **SMS.** `SendMessage` ×N are issued at once (an app queueing them);
  the time runs until the simulator's `get wms.sent` (polled every 1 ms)
  has grown by N. Then `sms-text` ×M through the control socket (class
  none, default routes: store and notify); the time runs until the M-th
  distinct message text has come in an `IncomingMessage` signal. The
  control commands are part of the time (about 0.1 ms each).
- **Peak RSS** is `VmHWM` from `/proc/<pid>/status` at the end of the run;
  the idle figures are `VmRSS` and `RssAnon` (its own pages: heap and
  stacks, without the shared libraries' code) right after the idle window,
  before the bursts.
- **Data context.** Once `ConnectionManager` is `Attached`, the first
  `internet` context (added if there is none) gets `AccessPointName`
  `internet`; the time runs from `Active=true` to the context's
  `PropertyChanged` `Settings` with a non-empty dictionary, and the
  requests and the sequential chain are counted between two log marks as
  for the bring-up. oFono 1.31's built-in driver activates the LTE default
  bearer by itself on attach; such a context is first set `Active=false`
  (untimed; a run warning says so). The simulator answers Start Network
  after its own session set-up delay, the same for both drivers.

## Caveats

- A simulator is not a modem: real firmware adds its own processing time
  to each response and a USB port adds a little; here the latency is a
  fixed delay per response, the same for every message, and answers to
  requests sent together come back together, one message every ~250 µs.
  A real SIM card answers one command at a time, so on hardware the files
  read ahead concurrently are not all answered after one latency.
- Until 2026-11-24 the simulator looked for the host's read every 1 ms
  instead of 250 µs. That slowed every burst of answers (the read-ahead,
  the 100-SMS burst) for both drivers; figures in older copies of this
  file are not comparable.
- Every scenario runs with the same simulated modem: the services listed
  above (CTL and those), as a real modem with SMS and data would offer.
- The registration time includes the simulator's `nas.register-delay-ms`
  (100 ms from going online to registered), which no driver can shorten.
- The drivers do not do the same work. oFono 1.31's `gobi` creates
  `netmon` and message-waiting atoms as well (the latter reads more SIM
  files), brings up the LTE default bearer on its own, and configures
  different indications and thresholds; request counts and times compare
  each bring-up as a whole.
- CPU figures include the D-Bus signals ofonod emits for what it reports
  (e.g. `Strength`), and the two drivers are handed different numbers of
  indications (see the table).
- Timing noise: the simulator, the bus daemon, ofonod and the harness
  share the machine's CPUs; medians over runs smooth this only partly. One
  short unrecorded warm-up run per driver comes first (cold caches).
- Only Debian 12's ofonod 1.31 is measured; oFono's QMI driver changed a
  lot in later releases (2.x).
)";
    return d.str();
}

} // namespace bench
