#include "testbed.hpp"

#include <csignal>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace e2e {

bool g_sanitizer_report_seen = false;
bool (*g_current_test_failed)() = nullptr;

namespace {

std::string env_or(const char *name, const std::string &fallback)
{
    const char *v = std::getenv(name);
    return v && *v ? v : fallback;
}

std::string replace_all(std::string s, const std::string &from, const std::string &to)
{
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
    return s;
}

void write_file(const std::string &path, const std::string &text)
{
    std::ofstream out(path);
    out << text;
}

std::string tail(const std::string &text, size_t lines)
{
    if (text.empty())
        return text;
    size_t pos = text.size();
    for (size_t n = 0; n <= lines && pos > 0; n++)
        pos = text.rfind('\n', pos - 1);
    return pos == std::string::npos ? text : text.substr(pos + 1);
}

int connect_unix(const std::string &path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof(addr.sun_path) - 1);
    if (connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) < 0) {
        close(fd);
        return -1;
    }
    timeval tv{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

} // namespace

bool has_sanitizer_report(const std::string &log)
{
    return log.find("ERROR: AddressSanitizer") != std::string::npos ||
           log.find("ERROR: LeakSanitizer") != std::string::npos ||
           log.find("runtime error:") != std::string::npos;
}

TestBed::TestBed(TestBedOptions options) : options_(std::move(options))
{
    char tmpl[] = "/tmp/qmi-e2e-XXXXXX";
    if (!mkdtemp(tmpl))
        throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    start_bus();
    start_sim();
    std::string config = options_.config.empty()
                             ? "[sim0]\nDevice=@DIR@/modem\nNetworkInterface=wwan0\n"
                             : options_.config;
    write_file(dir_ + "/qmi.conf", replace_all(config, "@DIR@", dir_));
    if (options_.start_ofono)
        start_ofono();
}

TestBed::~TestBed()
{
    const bool clean_exit = stop_ofono();
    sim_.stop();
    bus_.reset();
    dbus_.stop();
    const std::string log = ofono_log();
    const bool sanitizer = has_sanitizer_report(log) || has_sanitizer_report(sim_log());
    if (sanitizer)
        g_sanitizer_report_seen = true;
    const bool failed = g_current_test_failed && g_current_test_failed();
    if (sanitizer || failed || !clean_exit) {
        std::cerr << "---- ofonod log (tail) " << dir_ << "\n"
                  << tail(log, sanitizer ? 200 : 60) << "\n---- qmi-sim log (tail)\n"
                  << tail(sim_log(), 40) << "\n----\n";
    }
    if (std::getenv("QMI_E2E_KEEP") == nullptr) {
        std::string out;
        run({"rm", "-rf", dir_}, {}, &out);
    }
}

void TestBed::start_bus()
{
    const std::string socket = dir_ + "/bus";
    const std::string conf = dir_ + "/bus.conf";
    write_file(conf, replace_all(read_file(env_or("QMI_E2E_DIR", ".") + "/dbus-private.conf.in"),
                                 "@SOCKET@", socket));
    dbus_ = Process({"dbus-daemon", "--nofork", "--config-file=" + conf}, {}, dir_ + "/dbus.log");
    // The socket file appears at bind(), a moment before dbus-daemon
    // listens: wait until a connection is accepted.
    if (!wait_until(
            [&] {
                int fd = connect_unix(socket);
                if (fd >= 0)
                    close(fd);
                return fd >= 0;
            },
            10000))
        throw std::runtime_error("dbus-daemon did not start: " + read_file(dir_ + "/dbus.log"));
    bus_address_ = "unix:path=" + socket;
    bus_ = std::make_unique<Bus>(bus_address_);
}

void TestBed::start_sim()
{
    std::vector<std::string> argv{env_or("QMI_SIM", "qmi_sim"), "--link", modem_device(),
                                  "--control", dir_ + "/sim.sock", "--log", dir_ + "/sim.log"};
    argv.insert(argv.end(), options_.sim_args.begin(), options_.sim_args.end());
    sim_ = Process(argv, {}, dir_ + "/sim.out");
    if (!wait_until([&] { return sim("ping") == "OK"; }, 10000))
        throw std::runtime_error("qmi-sim did not start: " + read_file(dir_ + "/sim.out"));
}

void TestBed::start_ofono()
{
    std::map<std::string, std::string> env{
        {"DBUS_SYSTEM_BUS_ADDRESS", bus_address_},
        {"OFONO_QMI_CONFIG", dir_ + "/qmi.conf"},
        {"TMPDIR", dir_},
    };
    if (!options_.discovery.empty())
        env["OFONO_QMI_DISCOVERY"] = options_.discovery;
    std::string preload;
    for (const auto &library : options_.ofono_preload)
        preload += (preload.empty() ? "" : " ") + library;
    if (auto sanitizers = env_or("QMI_E2E_PRELOAD", ""); !sanitizers.empty())
        preload += (preload.empty() ? "" : " ") + sanitizers;
    if (!preload.empty())
        env["QMI_OFONOD_PRELOAD"] = preload;
    std::vector<std::string> argv{env_or("QMI_E2E_DIR", ".") + "/run-ofonod",
                                  env_or("QMI_PLUGIN_BUILD_DIR", "plugins"),
                                  env_or("OFONO_PLUGINDIR", "/usr/lib/ofono/plugins"), "-n", "-d"};
    argv.insert(argv.end(), options_.ofono_args.begin(), options_.ofono_args.end());
    ofono_ = Process(argv, env, dir_ + "/ofonod.log");
    if (!wait_until([&] { return bus_->has_owner("org.ofono"); }, 15000))
        throw std::runtime_error("ofonod did not start:\n" + tail(ofono_log(), 30));
}

bool TestBed::stop_ofono()
{
    if (!ofono_.running() && ofono_.pid() < 0)
        return true;
    int status = ofono_.stop(10000);
    return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void TestBed::signal_ofono(int sig)
{
    if (ofono_.pid() > 0)
        ::kill(ofono_.pid(), sig);
}

void TestBed::kill_ofono()
{
    signal_ofono(SIGKILL);
    ofono_.stop(); // reaps it
}

std::string TestBed::ofono_log() const { return read_file(dir_ + "/ofonod.log"); }
std::string TestBed::sim_log() const { return read_file(dir_ + "/sim.log"); }

std::string TestBed::sim(const std::string &command)
{
    int fd = connect_unix(dir_ + "/sim.sock");
    if (fd < 0)
        return "ERR no control socket";
    std::string line = command + "\n";
    if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
        close(fd);
        return "ERR write failed";
    }
    std::string reply;
    char c;
    while (read(fd, &c, 1) == 1 && c != '\n')
        reply += c;
    close(fd);
    return reply;
}

std::string TestBed::sim_ok(const std::string &command)
{
    std::string reply = sim(command);
    if (reply.rfind("OK", 0) != 0)
        throw std::runtime_error("qmi-sim: " + command + " -> " + reply);
    return reply.size() > 3 ? reply.substr(3) : std::string();
}

std::map<std::string, std::string> TestBed::client_env() const
{
    return {{"DBUS_SYSTEM_BUS_ADDRESS", bus_address_}, {"PYTHONUNBUFFERED", "1"}};
}

int TestBed::run_script(const std::string &name, const std::vector<std::string> &args,
                        std::string *output)
{
    // Run as installed: the scripts' own #!/usr/bin/python3 (Debian's, with
    // python3-dbus), whatever python3 comes first in PATH.
    std::vector<std::string> argv{env_or("OFONO_SCRIPTS", "/usr/share/ofono/scripts") + "/" + name};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, client_env(), output, 60000);
}

bool TestBed::set_modem_property(const std::string &modem, const std::string &name, bool value,
                                 CallResult *result)
{
    auto r = bus_->set_property(modem, "org.ofono.Modem", name, g_variant_new_boolean(value));
    if (result)
        *result = r;
    if (!r.ok())
        return false;
    return wait_until([&] {
        return prop_bool(bus_->properties(modem, "org.ofono.Modem"), name) == value;
    });
}

} // namespace e2e
