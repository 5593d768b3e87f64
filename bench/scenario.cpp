#include "scenario.hpp"

#include "sim_log.hpp"
#include "watch.hpp"

#include "testbed.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace bench
{
namespace
{

const char *const kModemIface = "org.ofono.Modem";
const char *const kSimIface = "org.ofono.SimManager";
const char *const kNetregIface = "org.ofono.NetworkRegistration";
const char *const kSmsIface = "org.ofono.MessageManager";

double ms_between(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

// A persistent connection to qmi-sim's control socket: the indication burst
// sends thousands of commands, one connection each would dominate.
class SimControl
{
  public:
    explicit SimControl(const std::string &path)
    {
        fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        path.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
        if (fd_ < 0 || connect(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) < 0)
            throw std::runtime_error("cannot connect to the simulator's control socket " + path);
        timeval tv{30, 0};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    }
    ~SimControl()
    {
        if (fd_ >= 0)
            close(fd_);
    }
    SimControl(const SimControl &) = delete;
    SimControl &operator=(const SimControl &) = delete;

    std::string command(const std::string &line)
    {
        const std::string out = line + "\n";
        size_t sent = 0;
        while (sent < out.size()) {
            const ssize_t n = write(fd_, out.data() + sent, out.size() - sent);
            if (n <= 0)
                throw std::runtime_error("qmi-sim control: write failed");
            sent += static_cast<size_t>(n);
        }
        while (true) {
            if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
                std::string reply = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return reply;
            }
            char chunk[512];
            const ssize_t n = read(fd_, chunk, sizeof(chunk));
            if (n <= 0)
                throw std::runtime_error("qmi-sim control: no reply to " + line);
            buffer_.append(chunk, static_cast<size_t>(n));
        }
    }
    // Throws unless OK; returns the payload.
    std::string ok(const std::string &line)
    {
        const std::string reply = command(line);
        if (reply.rfind("OK", 0) != 0)
            throw std::runtime_error("qmi-sim: " + line + " -> " + reply);
        return reply.size() > 3 ? reply.substr(3) : std::string();
    }
    long count(const std::string &line) { return std::stol(ok(line)); }

  private:
    int fd_ = -1;
    std::string buffer_;
};

// utime + stime of a process, in ms.
std::optional<double> cpu_ms(int pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos)
        return std::nullopt;
    std::istringstream fields(stat.substr(paren + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    // After the command: state is field 3; utime and stime are fields 14, 15.
    for (int i = 3; i <= 15 && fields >> field; i++) {
        if (i == 14)
            utime = std::stoull(field);
        if (i == 15)
            stime = std::stoull(field);
    }
    const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    return static_cast<double>(utime + stime) * 1000.0 / tick;
}

// On-CPU time of every thread of a process, in ms, from the scheduler's
// nanosecond accounting (/proc/<pid>/task/<tid>/schedstat, first field).
std::optional<double> sched_ms(int pid)
{
    const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
    GDir *dir = g_dir_open(tasks.c_str(), 0, nullptr);
    if (!dir)
        return std::nullopt;
    double total_ns = 0;
    bool any = false;
    while (const char *tid = g_dir_read_name(dir)) {
        std::ifstream in(tasks + "/" + tid + "/schedstat");
        double ns = 0;
        if (in >> ns) {
            total_ns += ns;
            any = true;
        }
    }
    g_dir_close(dir);
    if (!any)
        return std::nullopt;
    return total_ns / 1e6;
}

// A "Key:   123 kB" line of /proc/<pid>/status, in KiB.
std::optional<double> status_kib(int pid, const std::string &key)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0)
            return std::stod(line.substr(key.size() + 1));
    }
    return std::nullopt;
}

std::string proc_comm(int pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
    std::string comm;
    std::getline(in, comm);
    return comm;
}

bool has_service(const std::string &list, const std::string &service)
{
    return ("," + list + ",").find("," + service + ",") != std::string::npos;
}

std::vector<std::string> split(const std::string &list, char sep)
{
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(list);
    while (std::getline(in, item, sep))
        if (!item.empty())
            out.push_back(item);
    return out;
}

bool is_string(GVariant *v, const char *expected = nullptr)
{
    if (!g_variant_is_of_type(v, G_VARIANT_TYPE_STRING))
        return false;
    const char *s = g_variant_get_string(v, nullptr);
    return expected ? std::string(s) == expected : *s != '\0';
}

bool has_interface(GVariant *v, const char *iface)
{
    if (!g_variant_is_of_type(v, G_VARIANT_TYPE_STRING_ARRAY))
        return false;
    gsize n = 0;
    const gchar **strv = g_variant_get_strv(v, &n);
    bool found = false;
    for (gsize i = 0; i < n && !found; i++)
        found = std::string(strv[i]) == iface;
    g_free(strv);
    return found;
}

class Run
{
  public:
    explicit Run(const RunConfig &config) : config_(config) {}

    RunResult execute()
    {
        try {
            for (auto phase : {&Run::bring_up_bed, &Run::bring_up, &Run::idle, &Run::idle_rss,
                               &Run::burst, &Run::sms, &Run::data, &Run::finish}) {
                (this->*phase)();
                if (interrupted())
                    throw std::runtime_error("interrupted");
            }
        } catch (const std::exception &e) {
            fail_rest(e.what());
        }
        analyse_log();
        return result_;
    }

  private:
    void log(const std::string &text)
    {
        if (config_.verbose)
            std::fprintf(stderr, "    [%s %d ms] %s\n", driver_name(config_.driver),
                         config_.latency_ms, text.c_str());
    }

    void set(const std::string &key, double value) { result_.values[key] = {value, {}}; }
    void set_na(const std::string &key, const std::string &why)
    {
        result_.values[key] = {std::nullopt, why};
    }
    void fail_rest(const std::string &why)
    {
        log("failed: " + why);
        result_.warnings.push_back(why);
        for (const char *key :
             {"powered.ms", "sim.ms", "online.ms", "registered.ms", "idle.req", "burst.cpu_ms",
              "burst.sched_ms", "burst.wall_ms", "burst.indications", "burst.req", "sms.send_ms",
              "sms.receive_ms", "data.ms", "rss_idle.kib", "anon_idle.kib", "rss.kib"})
            if (!result_.values.count(key))
                set_na(key, why);
    }

    void bring_up_bed()
    {
        e2e::TestBedOptions options;
        options.start_ofono = false;
        options.sim_args = {"--services", config_.services, "--latency",
                            std::to_string(config_.latency_ms)};
        if (config_.driver == Driver::Gobi) {
            // The qmi plugin is loaded but creates no modem.
            options.config = "# benchmark: oFono's built-in gobi driver has the modem\n";
        }
        bed_ = std::make_unique<e2e::TestBed>(options);
        if (config_.driver == Driver::Gobi) {
            setenv("QMI_BENCH_GOBI_DEVICE", bed_->modem_device().c_str(), 1);
            modem_ = "/gobi0";
        } else {
            unsetenv("QMI_BENCH_GOBI_DEVICE");
            modem_ = "/sim0";
        }
        // Room for the whole receive burst, whichever driver leaves messages
        // stored: both get the same storage.
        bed_->sim_ok("set wms.nv-capacity 1000");
        // Part of every registration's lower bound (report.cpp, bound_table).
        try {
            set("sim.register_delay_ms", std::stod(bed_->sim_ok("get nas.register-delay-ms")));
        } catch (const std::exception &) {
        }
        bed_->start_ofono();
        unsetenv("QMI_BENCH_GOBI_DEVICE");
        auto has_modem = [&] {
            for (const auto &m : bed_->bus().modems())
                if (m == modem_)
                    return true;
            return false;
        };
        if (!e2e::wait_until(has_modem, 15000))
            throw std::runtime_error("ofonod shows no modem " + modem_);
        for (const auto &m : bed_->bus().modems())
            if (m != modem_)
                throw std::runtime_error("ofonod shows an extra modem " + m);
        watch_ = std::make_unique<Watch>("unix:path=" + bed_->dir() + "/bus");
        pid_ = watch_->owner_pid("org.ofono");
        if (pid_ <= 0 || proc_comm(pid_) != "ofonod")
            throw std::runtime_error("cannot find ofonod's pid");
        control_ = std::make_unique<SimControl>(bed_->dir() + "/sim.sock");
        log("ofonod pid " + std::to_string(pid_) + ", modem " + modem_);
    }

    // Powered=true, then SIM ready (SubscriberIdentity), Online=true as soon
    // as the SIM is ready, then registered. Each milestone gets a log mark.
    void bring_up()
    {
        control_->ok("log-mark start");
        const auto t0 = Clock::now();
        std::map<std::string, Clock::time_point> seen;
        auto powered =
            watch_->set_property(modem_, kModemIface, "Powered", g_variant_new_boolean(TRUE));
        std::shared_ptr<Reply> online;
        std::string error;
        auto reached = [&](const char *key, Clock::time_point at) {
            seen[key] = at;
            control_->ok(std::string("log-mark ") + key);
            log(std::string(key) + " after " + std::to_string(ms_between(t0, at)) + " ms");
        };
        auto step = [&] {
            if (!seen.count("powered") && powered->done) {
                if (!powered->error.empty()) {
                    error = "Powered=true: " + powered->error;
                    return true;
                }
                reached("powered", powered->at);
            }
            if (!seen.count("sim")) {
                const auto at = watch_->property_changed(modem_, kSimIface, "SubscriberIdentity",
                                                         [](GVariant *v) { return is_string(v); });
                if (at != Clock::time_point{})
                    reached("sim", at);
            }
            if (seen.count("powered") && seen.count("sim") && !online)
                online = watch_->set_property(modem_, kModemIface, "Online",
                                              g_variant_new_boolean(TRUE));
            if (online && online->done && !seen.count("online")) {
                if (!online->error.empty()) {
                    error = "Online=true: " + online->error;
                    return true;
                }
                reached("online", online->at);
            }
            if (!seen.count("registered")) {
                const auto at =
                    watch_->property_changed(modem_, kNetregIface, "Status", [](GVariant *v) {
                        return is_string(v, "registered");
                    });
                if (at != Clock::time_point{} && seen.count("online"))
                    reached("registered", at);
            }
            return seen.size() == 4;
        };
        const bool done = watch_->run_until(step, 60000);
        for (const auto &m : milestones()) {
            const std::string key = m.key;
            if (seen.count(key))
                set(key + ".ms", ms_between(t0, seen[key]));
        }
        if (!error.empty())
            throw std::runtime_error(error);
        if (!done) {
            std::string missing;
            for (const auto &m : milestones())
                if (!seen.count(m.key))
                    missing += std::string(" ") + m.key;
            throw std::runtime_error("bring-up timed out (60 s) waiting for" + missing);
        }
    }

    void pause(int ms)
    {
        watch_->run_until([] { return false; }, ms);
    }

    // Requests while registered and left alone, after 1 s to settle.
    void idle()
    {
        pause(1000);
        control_->ok("log-mark idle-start");
        log("idle for " + std::to_string(config_.idle_s) + " s");
        pause(config_.idle_s * 1000);
        control_->ok("log-mark idle-end");
    }

    // Signal changes that cross every threshold a driver may set (RSSI
    // alternating between -105 and -55 dBm) and, every 50th change, a new
    // cell id (a Serving System change).
    void burst()
    {
        watch_->clear();
        pause(200);
        const long ind0 = control_->count("indications");
        const auto cpu0 = cpu_ms(pid_);
        const auto sched0 = sched_ms(pid_);
        control_->ok("log-mark burst-start");
        const auto t0 = Clock::now();
        for (int i = 0; i < config_.burst_changes && !interrupted(); i++) {
            if (i % 50 == 49) {
                control_->ok(std::string("set nas.cell-id ") +
                             ((i / 50) % 2 ? "0x01ABCDEF" : "0x01ABCDF0"));
                continue;
            }
            control_->ok(std::string("set nas.rssi ") + (i % 2 ? "-55" : "-105"));
        }
        // Done when the simulator hands nothing more over and ofonod has
        // stopped working through what it got: for 0.5 s neither the
        // indication counter nor ofonod's on-CPU time (schedstat) moves.
        long last = -1;
        double last_sched = -1;
        auto busy_until = Clock::now();
        for (int quiet = 0;
             quiet < 25 && ms_between(t0, Clock::now()) < 120000 && !interrupted();) {
            pause(20);
            const long now = control_->count("indications");
            const double sched = sched_ms(pid_).value_or(0);
            const bool moved = now != last || sched - last_sched > 0.2;
            if (moved)
                busy_until = Clock::now();
            quiet = moved ? 0 : quiet + 1;
            last = now;
            last_sched = sched;
        }
        set("burst.wall_ms", ms_between(t0, busy_until));
        control_->ok("log-mark burst-end");
        const auto cpu1 = cpu_ms(pid_);
        const auto sched1 = sched_ms(pid_);
        if (!cpu0 || !cpu1)
            throw std::runtime_error("cannot read /proc/" + std::to_string(pid_) + "/stat");
        set("burst.cpu_ms", *cpu1 - *cpu0);
        if (sched0 && sched1)
            set("burst.sched_ms", *sched1 - *sched0);
        else
            set_na("burst.sched_ms", "no /proc/<pid>/task/*/schedstat");
        set("burst.indications", static_cast<double>(last - ind0));
        log("burst: " + std::to_string(*cpu1 - *cpu0) + " ms CPU, " + std::to_string(last - ind0) +
            " indications");
    }

    void sms()
    {
        if (!has_service(config_.services, "wms")) {
            set_na("sms.send_ms", "the simulator runs without WMS (--services)");
            set_na("sms.receive_ms", "the simulator runs without WMS (--services)");
            return;
        }
        const bool has_sms = e2e::wait_until(
            [&] {
                auto p = bed_->bus().properties(modem_, kModemIface);
                auto it = p.find("Interfaces");
                return it != p.end() && has_interface(it->second.get(), kSmsIface);
            },
            5000);
        if (!has_sms) {
            set_na("sms.send_ms", "no MessageManager on the modem");
            set_na("sms.receive_ms", "no MessageManager on the modem");
            return;
        }
        sms_send();
        sms_receive();
    }

    void sms_send()
    {
        const long sent0 = control_->count("get wms.sent");
        const long target = sent0 + config_.sms_send;
        std::vector<std::shared_ptr<Reply>> replies;
        const auto t0 = Clock::now();
        for (int i = 0; i < config_.sms_send; i++)
            replies.push_back(watch_->call(
                modem_, kSmsIface, "SendMessage",
                g_variant_new("(ss)", "+15557654321",
                              ("benchmark message " + std::to_string(i + 1)).c_str())));
        long sent = sent0;
        std::string error;
        const bool ok = watch_->run_until(
            [&] {
                for (const auto &r : replies)
                    if (r->done && !r->error.empty()) {
                        error = r->error;
                        return true;
                    }
                sent = control_->count("get wms.sent");
                return sent >= target;
            },
            60000, 1);
        const auto t1 = Clock::now();
        if (!error.empty()) {
            set_na("sms.send_ms", "SendMessage failed: " + error);
            return;
        }
        if (!ok) {
            set_na("sms.send_ms", "the modem got " + std::to_string(sent - sent0) + " of " +
                                      std::to_string(config_.sms_send) + " in 60 s");
            return;
        }
        set("sms.send_ms", ms_between(t0, t1));
        // Let the last submit's response and oFono's bookkeeping finish.
        watch_->run_until(
            [&] {
                for (const auto &r : replies)
                    if (!r->done)
                        return false;
                return true;
            },
            10000);
        pause(500);
    }

    // Distinct texts of the IncomingMessage signals so far, and when the
    // n-th distinct one arrived.
    size_t distinct_incoming(size_t n, Clock::time_point *nth_at) const
    {
        std::set<std::string> texts;
        for (const auto &s : watch_->signals()) {
            if (s.iface != kSmsIface || s.member != "IncomingMessage" ||
                !g_variant_is_of_type(s.args, G_VARIANT_TYPE("(sa{sv})")))
                continue;
            const gchar *text = nullptr;
            g_variant_get_child(s.args, 0, "&s", &text);
            if (texts.insert(text).second && texts.size() == n && nth_at)
                *nth_at = s.at;
        }
        return texts.size();
    }

    void sms_receive()
    {
        watch_->clear();
        const size_t target = static_cast<size_t>(config_.sms_receive);
        const auto t0 = Clock::now();
        for (int i = 0; i < config_.sms_receive; i++)
            control_->ok("sms-text +15551234567 gsm7 none benchmark incoming " +
                         std::to_string(i + 1));
        // Until all have come, or nothing has come for 5 s (a message the
        // driver missed never comes), at most 60 s.
        size_t seen = 0;
        auto progress = Clock::now();
        const bool ok = watch_->run_until(
            [&] {
                const size_t n = distinct_incoming(target, nullptr);
                if (n != seen) {
                    seen = n;
                    progress = Clock::now();
                }
                return n >= target || ms_between(progress, Clock::now()) > 5000;
            },
            60000, 100);
        Clock::time_point last{};
        const size_t got = distinct_incoming(target, &last);
        const size_t signals = watch_->count(kSmsIface, "IncomingMessage");
        if (signals != got)
            result_.warnings.push_back(std::to_string(signals) + " IncomingMessage signals for " +
                                       std::to_string(got) + " distinct messages");
        if (!ok || got < target) {
            const std::string stored = control_->ok("get wms.storage nv");
            const std::string missing = std::to_string(target - got) + " of " +
                                        std::to_string(target) + " messages never signalled";
            result_.warnings.push_back("SMS receive: " + missing + " (" +
                                       (ok ? "nothing more for 5 s" : "60 s") +
                                       "); the modem's NV store then held " +
                                       stored.substr(0, stored.find(' ')) + " message(s)");
            set_na("sms.receive_ms", missing);
            return;
        }
        set("sms.receive_ms", ms_between(t0, last));
    }

    // ConnectionContext Active=true -> Settings, on an "internet" context.
    void data()
    {
        const char *gprs = "org.ofono.ConnectionManager";
        const char *context_iface = "org.ofono.ConnectionContext";
        if (!has_service(config_.services, "wds")) {
            set_na("data.ms", "the simulator runs without WDS (--services)");
            return;
        }
        const bool attached = e2e::wait_until(
            [&] {
                auto p = bed_->bus().properties(modem_, gprs);
                return e2e::prop_bool(p, "Attached").value_or(false);
            },
            15000);
        if (!attached) {
            const bool race =
                bed_->ofono_log().find("activated before atom registered") != std::string::npos;
            set_na("data.ms",
                   std::string("ConnectionManager never Attached in 15 s") +
                       (race ? "; ofonod: \"cid 1 activated before atom registered\"" : ""));
            return;
        }
        const std::string context = bed_->bus().context_of_type(modem_, "internet");
        if (context.empty()) {
            set_na("data.ms", "no internet context (AddContext failed)");
            return;
        }
        e2e::CallResult r;
        // oFono 1.31's built-in driver activates the LTE default bearer on
        // attach: the context is already active. Start from inactive.
        if (e2e::prop_bool(bed_->bus().properties(context, context_iface), "Active")
                .value_or(false)) {
            r = bed_->bus().set_property(context, context_iface, "Active",
                                         g_variant_new_boolean(FALSE));
            if (!r.ok()) {
                set_na("data.ms", "Active=false on the auto-activated context: " + r.error_name);
                return;
            }
            result_.warnings.push_back("data: the context was active after attach (LTE default "
                                       "bearer); deactivated before timing Active=true");
        }
        r = bed_->bus().set_property(context, context_iface, "AccessPointName",
                                     g_variant_new_string("internet"));
        if (!r.ok()) {
            set_na("data.ms", "AccessPointName: " + r.error_name);
            return;
        }
        watch_->clear();
        control_->ok("log-mark data-start");
        const auto t0 = Clock::now();
        auto active =
            watch_->set_property(context, context_iface, "Active", g_variant_new_boolean(TRUE));
        auto settings_at = [&] {
            return watch_->property_changed(context, context_iface, "Settings", [](GVariant *v) {
                return g_variant_is_of_type(v, G_VARIANT_TYPE("a{sv}")) &&
                       g_variant_n_children(v) > 0;
            });
        };
        const bool ok = watch_->run_until(
            [&] {
                return settings_at() != Clock::time_point{} ||
                       (active->done && !active->error.empty());
            },
            60000);
        control_->ok("log-mark data-end");
        if (active->done && !active->error.empty()) {
            set_na("data.ms", "Active=true: " + active->error);
            return;
        }
        if (!ok) {
            set_na("data.ms", "no Settings within 60 s");
            return;
        }
        set("data.ms", ms_between(t0, settings_at()));
        watch_->run_until([&] { return active->done; }, 10000);
        auto off =
            watch_->set_property(context, context_iface, "Active", g_variant_new_boolean(FALSE));
        watch_->run_until([&] { return off->done; }, 10000);
    }

    // Memory once registered and idle, before the bursts: what the modem
    // costs a phone all day.
    void idle_rss()
    {
        if (auto rss = status_kib(pid_, "VmRSS"))
            set("rss_idle.kib", *rss);
        else
            set_na("rss_idle.kib", "no VmRSS in /proc/<pid>/status");
        // Pages of its own (heap, stacks), without the libraries' code.
        if (auto anon = status_kib(pid_, "RssAnon"))
            set("anon_idle.kib", *anon);
        else
            set_na("anon_idle.kib", "no RssAnon in /proc/<pid>/status");
    }

    void finish()
    {
        pause(200);
        if (auto hwm = status_kib(pid_, "VmHWM"))
            set("rss.kib", *hwm);
        else
            set_na("rss.kib", "no VmHWM in /proc/<pid>/status");
        // Cross-check: the log's request lines against the control socket.
        long total = 0;
        for (const auto &svc : split("ctl," + config_.services, ','))
            total += control_->count("requests " + svc);
        control_total_ = total;
    }

    void analyse_log()
    {
        if (!bed_)
            return;
        const SimLog log = parse_sim_log(bed_->sim_log());
        for (const auto &m : milestones()) {
            const std::string key = m.key;
            if (!result_.values.count(key + ".ms") || !result_.values[key + ".ms"].value)
                continue;
            set(key + ".req", requests_between(log, "start", key));
            set(key + ".answered", answered_between(log, "start", key));
            const Chain chain = longest_chain(log, "start", key);
            set(key + ".rt", chain.round_trips);
            result_.chains[key] = chain.steps;
        }
        if (log.marks.count("idle-end"))
            set("idle.req", requests_between(log, "idle-start", "idle-end"));
        if (log.marks.count("burst-end"))
            set("burst.req", requests_between(log, "burst-start", "burst-end"));
        if (log.marks.count("data-end") && result_.values["data.ms"].value) {
            set("data.req", requests_between(log, "data-start", "data-end"));
            set("data.rt", longest_chain(log, "data-start", "data-end").round_trips);
        }
        const long logged = static_cast<long>(log.requests.size());
        if (control_total_ >= 0 && control_total_ != logged)
            result_.warnings.push_back("the log shows " + std::to_string(logged) +
                                       " requests, the control socket counts " +
                                       std::to_string(control_total_) +
                                       " (ignored requests count there only)");
    }

    RunConfig config_;
    RunResult result_;
    std::unique_ptr<e2e::TestBed> bed_;
    std::unique_ptr<Watch> watch_;
    std::unique_ptr<SimControl> control_;
    std::string modem_;
    int pid_ = -1;
    long control_total_ = -1;
};

} // namespace

const char *driver_name(Driver d)
{
    return d == Driver::Qmi ? "qmi" : "gobi";
}

const std::vector<Milestone> &milestones()
{
    static const std::vector<Milestone> list = {
        {"powered", "Powered=true done"},
        {"sim", "SIM ready (SubscriberIdentity)"},
        {"online", "Online=true done"},
        {"registered", "registered (Status)"},
    };
    return list;
}

RunResult run_once(const RunConfig &config)
{
    try {
        return Run(config).execute();
    } catch (const std::exception &e) {
        RunResult r;
        r.warnings.push_back(e.what());
        return r;
    }
}

} // namespace bench
