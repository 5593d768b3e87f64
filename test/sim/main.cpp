// qmi-sim: a simulated Qualcomm modem speaking QMUX on a pty.
#include "commands.hpp"
#include "control.hpp"
#include "log.hpp"
#include "names.hpp"
#include "simulator.hpp"

#include <glib-unix.h>

#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>

using namespace qmisim;

namespace
{

struct CommandLine {
    std::string link;
    std::string control;
    std::string log;
    SimulatorOptions sim;
    bool verbose = false;
};

// GOption fills plain C storage; this owns it and frees it on scope exit.
struct RawOptions {
    gchar *link = nullptr;
    gchar *control = nullptr;
    gchar *log = nullptr;
    gchar *services = nullptr;
    gint latency = 0;
    gint seed = 1;
    gboolean stream = FALSE;
    gboolean verbose = FALSE;
    ~RawOptions()
    {
        g_free(link);
        g_free(control);
        g_free(log);
        g_free(services);
    }
};

std::optional<CommandLine> parse_command_line(int argc, char **argv)
{
    RawOptions raw;
    const GOptionEntry entries[] = {
        {"link", 'l', 0, G_OPTION_ARG_FILENAME, &raw.link,
         "Symlink to create, pointing at the pty (required)", "PATH"},
        {"control", 'c', 0, G_OPTION_ARG_FILENAME, &raw.control, "Control socket path", "PATH"},
        {"log", 0, 0, G_OPTION_ARG_FILENAME, &raw.log, "Message log (default: stderr)", "FILE"},
        {"latency", 0, 0, G_OPTION_ARG_INT, &raw.latency, "Response latency (default 0)", "MS"},
        {"stream", 0, 0, G_OPTION_ARG_NONE, &raw.stream,
         "Split and merge frames at random instead of one frame per read", nullptr},
        {"seed", 0, 0, G_OPTION_ARG_INT, &raw.seed, "Random seed for --stream and garbage", "N"},
        {"services", 0, 0, G_OPTION_ARG_STRING, &raw.services,
         "Services besides CTL to advertise (default: dms,nas,uim)", "LIST"},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &raw.verbose,
         "Log every message in full, not just one line", nullptr},
        {},
    };
    Owned<GOptionContext, g_option_context_free> context{
        g_option_context_new("- simulated QMI modem on a pty")};
    g_option_context_add_main_entries(context.get(), entries, nullptr);
    ErrorSlot error;
    if (!g_option_context_parse(context.get(), &argc, &argv, error.out())) {
        std::fprintf(stderr, "qmi-sim: %s\n", error.message());
        return std::nullopt;
    }
    if (!raw.link) {
        std::fprintf(stderr, "qmi-sim: --link PATH is required\n");
        return std::nullopt;
    }
    if (raw.latency < 0) {
        std::fprintf(stderr, "qmi-sim: --latency must not be negative\n");
        return std::nullopt;
    }

    CommandLine cmd;
    cmd.link = raw.link;
    cmd.control = raw.control ? raw.control : "";
    cmd.log = raw.log ? raw.log : "";
    cmd.verbose = raw.verbose;
    cmd.sim.link = cmd.link;
    cmd.sim.framing = raw.stream ? Framing::Stream : Framing::Paced;
    cmd.sim.seed = static_cast<std::uint32_t>(raw.seed);
    cmd.sim.latency_ms = static_cast<unsigned>(raw.latency);
    if (raw.services) {
        cmd.sim.services.clear();
        GStrvPtr names{g_strsplit(raw.services, ",", -1)};
        for (gchar **name = names.get(); *name; name++) {
            if (!**name)
                continue;
            const auto service = parse_service(*name);
            if (!service) {
                std::fprintf(stderr, "qmi-sim: unknown service '%s'\n", *name);
                return std::nullopt;
            }
            cmd.sim.services.insert(*service);
        }
    }
    return cmd;
}

gboolean quit_loop(gpointer loop)
{
    g_main_loop_quit(static_cast<GMainLoop *>(loop));
    return G_SOURCE_REMOVE;
}

gboolean quit_on_signal(gpointer loop)
{
    g_main_loop_quit(static_cast<GMainLoop *>(loop));
    return G_SOURCE_CONTINUE; // the SourceId owner removes it
}

} // namespace

int main(int argc, char **argv)
{
    // A control client that hangs up mid-reply must not kill us.
    std::signal(SIGPIPE, SIG_IGN);

    const auto cmd = parse_command_line(argc, argv);
    if (!cmd)
        return 2;

    Log log{cmd->log, cmd->verbose};
    if (!log.ok()) {
        std::fprintf(stderr, "qmi-sim: cannot open log %s\n", cmd->log.c_str());
        return 1;
    }

    Owned<GMainLoop, g_main_loop_unref> loop{g_main_loop_new(nullptr, FALSE)};
    Simulator sim{cmd->sim, log};
    for (const QmiService s : cmd->sim.services) {
        if (!sim.implements(s) || s == QMI_SERVICE_CTL) {
            std::fprintf(stderr, "qmi-sim: no simulation for service %s\n",
                         service_name(s).c_str());
            return 2;
        }
    }
    std::string error;
    if (!sim.start(error)) {
        std::fprintf(stderr, "qmi-sim: %s\n", error.c_str());
        return 1;
    }

    Commands commands{sim, [&loop] { g_idle_add(quit_loop, loop.get()); }};
    std::unique_ptr<ControlServer> control;
    if (!cmd->control.empty()) {
        control = std::make_unique<ControlServer>(
            cmd->control, [&commands](const std::string &line) { return commands.run(line); });
        if (!control->start(error)) {
            std::fprintf(stderr, "qmi-sim: %s\n", error.c_str());
            return 1;
        }
    }

    SourceId sigterm{g_unix_signal_add(SIGTERM, quit_on_signal, loop.get())};
    SourceId sigint{g_unix_signal_add(SIGINT, quit_on_signal, loop.get())};

    log.event("ready: " + sim.slave_path() + " via " + cmd->link);
    std::printf("READY %s\n", sim.slave_path().c_str());
    std::fflush(stdout);

    g_main_loop_run(loop.get());
    log.event("exiting");
    return 0;
}
