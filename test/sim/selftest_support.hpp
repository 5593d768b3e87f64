// Helpers shared by the simulator self-tests: a main-loop driver for async
// libqmi calls, the simulator process with its control socket, and a few
// libqmi host operations (open, allocate, release, DMS operating mode).
#pragma once

#include <catch2/catch.hpp>

#include "glib_ptr.hpp"

#include <gio/gio.h>
#include <libqmi-glib.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

namespace qmisim::selftest
{

inline constexpr int kTimeoutMs = 5000;
inline constexpr guint kQmiTimeoutS = 5;

// ---------------------------------------------------------------------------
// Main-loop helpers

inline bool spin_until(const std::function<bool()> &done, int timeout_ms = kTimeoutMs)
{
    const gint64 deadline = g_get_monotonic_time() + gint64{timeout_ms} * 1000;
    while (!done()) {
        if (g_get_monotonic_time() >= deadline)
            return false;
        g_main_context_iteration(nullptr, FALSE);
        g_usleep(500);
    }
    return true;
}

using ResultSlot = std::shared_ptr<GObjectPtr<GAsyncResult>>;

// Starts an async libqmi/GIO call and spins until its callback ran. The slot
// is shared so a late callback after a timeout writes into live memory.
inline GObjectPtr<GAsyncResult>
wait_async(const std::function<void(GAsyncReadyCallback, gpointer)> &start,
           int timeout_ms = kTimeoutMs)
{
    auto slot = std::make_shared<GObjectPtr<GAsyncResult>>();
    start(
        [](GObject *, GAsyncResult *result, gpointer data) {
            std::unique_ptr<ResultSlot> owner{static_cast<ResultSlot *>(data)};
            (*owner)->reset(G_ASYNC_RESULT(g_object_ref(result)));
        },
        new ResultSlot(slot));
    REQUIRE(spin_until([&] { return slot->get() != nullptr; }, timeout_ms));
    return std::move(*slot);
}

// ---------------------------------------------------------------------------
// The simulator process and its control socket

inline std::string read_file(const std::string &path)
{
    std::ifstream in{path};
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

inline bool exists(const std::string &path)
{
    struct stat st {
    };
    return lstat(path.c_str(), &st) == 0;
}

class SimProcess
{
  public:
    explicit SimProcess(const std::vector<std::string> &extra_args = {})
    {
        const char *binary = std::getenv("QMI_SIM");
        REQUIRE(binary != nullptr);
        ErrorSlot error;
        GCharPtr dir{g_dir_make_tmp("qmi-sim-test-XXXXXX", error.out())};
        REQUIRE(dir);
        dir_ = dir.get();
        link = dir_ + "/cdc-wdm0";
        control_path = dir_ + "/control";
        log_path = dir_ + "/sim.log";

        std::vector<const char *> argv{
            binary,  "--link",        link.c_str(), "--control", control_path.c_str(),
            "--log", log_path.c_str()};
        for (const auto &arg : extra_args)
            argv.push_back(arg.c_str());
        argv.push_back(nullptr);
        process_.reset(g_subprocess_newv(argv.data(), G_SUBPROCESS_FLAGS_STDOUT_PIPE, error.out()));
        REQUIRE(process_);

        GObjectPtr<GDataInputStream> out{
            g_data_input_stream_new(g_subprocess_get_stdout_pipe(process_.get()))};
        auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
            g_data_input_stream_read_line_async(out.get(), G_PRIORITY_DEFAULT, nullptr, cb, data);
        });
        GCharPtr line{
            g_data_input_stream_read_line_finish(out.get(), result.get(), nullptr, error.out())};
        REQUIRE(line);
        const std::string ready{line.get()};
        REQUIRE(ready.rfind("READY /dev/pts/", 0) == 0);
        slave = ready.substr(6);
        connect_control();
    }

    SimProcess(const SimProcess &) = delete;
    SimProcess &operator=(const SimProcess &) = delete;

    ~SimProcess()
    {
        if (std::uncaught_exceptions() > 0)
            std::cerr << "---- simulator log ----\n" << read_file(log_path) << "-----------\n";
        if (process_ && !exited_)
            stop();
        if (control_fd_ >= 0)
            ::close(control_fd_);
        ::unlink(log_path.c_str());
        ::unlink(link.c_str());
        ::unlink(control_path.c_str());
        ::rmdir(dir_.c_str());
    }

    // One request line, one response line.
    std::string command(const std::string &line)
    {
        const std::string request = line + "\n";
        if (::send(control_fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(request.size()))
            return "<send failed>";
        std::string response;
        char c = 0;
        while (::recv(control_fd_, &c, 1, 0) == 1) {
            if (c == '\n')
                return response;
            response += c;
        }
        return "<no response>";
    }

    // Asks the simulator to quit; true if it exited cleanly in time.
    bool stop()
    {
        const bool acked = command("quit") == "OK";
        auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
            g_subprocess_wait_async(process_.get(), nullptr, cb, data);
        });
        exited_ = true;
        return acked && g_subprocess_get_if_exited(process_.get()) &&
               g_subprocess_get_exit_status(process_.get()) == 0;
    }

    std::string log() const { return read_file(log_path); }

    std::string link;
    std::string control_path;
    std::string log_path;
    std::string slave;

  private:
    void connect_control()
    {
        control_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(control_fd_ >= 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, control_path.c_str(), sizeof addr.sun_path - 1);
        REQUIRE(::connect(control_fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);
        timeval tv{5, 0};
        setsockopt(control_fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

    std::string dir_;
    GObjectPtr<GSubprocess> process_;
    int control_fd_ = -1;
    bool exited_ = false;
};

// ---------------------------------------------------------------------------
// libqmi host helpers

inline GObjectPtr<QmiDevice> open_device(const std::string &path)
{
    GObjectPtr<GFile> file{g_file_new_for_path(path.c_str())};
    auto created = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_new(file.get(), nullptr, cb, data);
    });
    ErrorSlot error;
    GObjectPtr<QmiDevice> device{qmi_device_new_finish(created.get(), error.out())};
    INFO(error.message());
    REQUIRE(device);
    auto opened = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_open(device.get(), QMI_DEVICE_OPEN_FLAGS_VERSION_INFO, kQmiTimeoutS, nullptr, cb,
                        data);
    });
    const bool ok = qmi_device_open_finish(device.get(), opened.get(), error.out());
    INFO(error.message());
    REQUIRE(ok);
    return device;
}

inline GObjectPtr<QmiClient> allocate_client(QmiDevice *device, QmiService service)
{
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_allocate_client(device, service, QMI_CID_NONE, kQmiTimeoutS, nullptr, cb, data);
    });
    ErrorSlot error;
    GObjectPtr<QmiClient> client{
        qmi_device_allocate_client_finish(device, result.get(), error.out())};
    INFO(error.message());
    REQUIRE(client);
    return client;
}

inline GObjectPtr<QmiClientDms> allocate_dms(QmiDevice *device)
{
    return GObjectPtr<QmiClientDms>{
        QMI_CLIENT_DMS(allocate_client(device, QMI_SERVICE_DMS).release())};
}

inline void release_client(QmiDevice *device, gpointer client)
{
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_release_client(device, QMI_CLIENT(client),
                                  QMI_DEVICE_RELEASE_CLIENT_FLAGS_RELEASE_CID, kQmiTimeoutS,
                                  nullptr, cb, data);
    });
    ErrorSlot error;
    const bool ok = qmi_device_release_client_finish(device, result.get(), error.out());
    INFO(error.message());
    REQUIRE(ok);
}

inline QmiProtocolError set_operating_mode(QmiClientDms *client, QmiDmsOperatingMode mode)
{
    Owned<QmiMessageDmsSetOperatingModeInput, qmi_message_dms_set_operating_mode_input_unref> input{
        qmi_message_dms_set_operating_mode_input_new()};
    qmi_message_dms_set_operating_mode_input_set_mode(input.get(), mode, nullptr);
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_client_dms_set_operating_mode(client, input.get(), kQmiTimeoutS, nullptr, cb, data);
    });
    ErrorSlot error;
    Owned<QmiMessageDmsSetOperatingModeOutput, qmi_message_dms_set_operating_mode_output_unref>
        output{qmi_client_dms_set_operating_mode_finish(client, result.get(), error.out())};
    REQUIRE(output);
    if (qmi_message_dms_set_operating_mode_output_get_result(output.get(), error.out()))
        return QMI_PROTOCOL_ERROR_NONE;
    REQUIRE(error.get()->domain == QMI_PROTOCOL_ERROR);
    return static_cast<QmiProtocolError>(error.get()->code);
}

// One typed libqmi request run to completion: the output and the protocol
// error, if any (shared by the NAS and UIM self-test hosts).
template <typename Output, auto Unref> struct Reply {
    Owned<Output, Unref> output;
    std::optional<QmiProtocolError> error;
    bool ok() const { return !error; }
};

template <auto Start, auto Finish, auto Result, auto Unref, typename Client, typename Input>
auto qmi_call(Client *client, Input input)
{
    using Output = std::remove_pointer_t<decltype(Finish(nullptr, nullptr, nullptr))>;
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        Start(client, input, kQmiTimeoutS, nullptr, cb, data);
    });
    ErrorSlot error;
    Reply<Output, Unref> reply{Owned<Output, Unref>{Finish(client, result.get(), error.out())}, {}};
    INFO(error.message());
    REQUIRE(reply.output);
    if (!Result(reply.output.get(), error.out())) {
        REQUIRE(error.get()->domain == QMI_PROTOCOL_ERROR);
        reply.error = static_cast<QmiProtocolError>(error.get()->code);
    }
    return reply;
}


} // namespace qmisim::selftest
