#include "device.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "errors.hpp"
#include "join.hpp"
#include "pending_requests.hpp"
#include "port_users.hpp"

#include <ofono/log.h>

namespace qmi
{
namespace
{
constexpr guint kCtlTimeoutSeconds = 10;
constexpr guint kQrtrTimeoutMs = 5000;
// After a request timed out: how long a CTL query may take before the
// modem counts as no longer answering.
constexpr guint kProbeTimeoutSeconds = 5;
// CTL Sync as an indication: the modem restarted, every client id is gone.
constexpr guint16 kCtlSync = 0x0027;

// DBG() keeps a static descriptor per call site; keep it out of headers.
void log_error(const std::string &name, const char *what, const GError *error)
{
    ofono_error("%s: %s failed: %s", name.c_str(), what, describe(error).c_str());
}
} // namespace

Device::Device(std::string log_name)
    : name_(std::move(log_name)), data_path_(std::make_unique<DataPath>(*this))
{
}

Device::~Device()
{
    life_.end();
}

QmiClient *Device::client(QmiService s) const
{
    auto it = clients_.find(s);
    return it == clients_.end() ? nullptr : it->second.get();
}

void Device::open(const DeviceOptions &options, Done done)
{
    drop();
    options_ = options;
    open_done_ = std::move(done);

    auto on_created = [this](GObject *, GAsyncResult *res) {
        ErrorPtr error;
        QmiDevice *device = qmi_device_new_finish(res, ErrorOut(error));
        on_device_created(device, error.get());
    };

    guint32 node = 0;
    if (parse_qrtr_node(options.path, node)) {
#if QMI_QRTR_SUPPORTED
        DBG("%s: waiting for QRTR node %u", name_.c_str(), node);
        auto slot = life_.async(
            [this, node, on_created = std::move(on_created)](GObject *, GAsyncResult *res) mutable {
                ErrorPtr error;
                auto bus = GRef<QrtrBus>::adopt(qrtr_bus_new_finish(res, ErrorOut(error)));
                if (!bus)
                    return finish_open(error.get());
                auto wait = life_.async([this, bus, on_created = std::move(on_created)](
                                            GObject *, GAsyncResult *r) mutable {
                    ErrorPtr err;
                    auto qnode = GRef<QrtrNode>::adopt(
                        qrtr_bus_wait_for_node_finish(bus.get(), r, ErrorOut(err)));
                    if (!qnode)
                        return finish_open(err.get());
                    auto created = life_.async(std::move(on_created));
                    qmi_device_new_from_node(qnode.get(), life_.cancellable(), created.callback,
                                             created.data);
                });
                qrtr_bus_wait_for_node(bus.get(), node, kQrtrTimeoutMs, life_.cancellable(),
                                       wait.callback, wait.data);
            });
        qrtr_bus_new(kQrtrTimeoutMs, life_.cancellable(), slot.callback, slot.data);
#else
        GError *err = g_error_new(QMI_CORE_ERROR, QMI_CORE_ERROR_UNSUPPORTED,
                                  "libqmi was built without QRTR support");
        finish_open(err);
        g_error_free(err);
#endif
        return;
    }

    auto file = GRef<GFile>::adopt(g_file_new_for_path(options.path.c_str()));
    auto slot = life_.async(std::move(on_created));
    qmi_device_new(file.get(), life_.cancellable(), slot.callback, slot.data);
}

void Device::on_device_created(QmiDevice *device, const GError *error)
{
    if (!device)
        return finish_open(error);
    device_ = GRef<QmiDevice>::adopt(device);
    open_created();
}

void Device::open_created()
{
    // Explicit QMI mode: AUTO asks the kernel driver, which only a USB
    // cdc-wdm port has (a pty or a static device would fail).
    auto flags = QMI_DEVICE_OPEN_FLAGS_EXPECT_INDICATIONS;
    if (options_.proxy)
        flags = static_cast<QmiDeviceOpenFlags>(flags | QMI_DEVICE_OPEN_FLAGS_PROXY);
    guint32 node = 0;
    if (parse_qrtr_node(options_.path, node))
        flags = QMI_DEVICE_OPEN_FLAGS_NONE; // QRTR has no QMUX port to configure

    auto slot = life_.async([this](GObject *source, GAsyncResult *res) {
        ErrorPtr error;
        if (!qmi_device_open_finish(QMI_DEVICE(source), res, ErrorOut(error)))
            return finish_open(error.get());
        removed_signal_ = connect_signal<&Device::on_device_removed>(
            device_.get(), QMI_DEVICE_SIGNAL_REMOVED, this);
        indication_signal_ = connect_signal<&Device::on_indication, GByteArray *>(
            device_.get(), QMI_DEVICE_SIGNAL_INDICATION, this);
        timeouts_signal_ = connect_signal<&Device::on_consecutive_timeouts, GParamSpec *>(
            device_.get(), "notify::" QMI_DEVICE_CONSECUTIVE_TIMEOUTS, this);
        finish_open(nullptr);
    });
    qmi_device_open(device_.get(), flags, kCtlTimeoutSeconds, life_.cancellable(), slot.callback,
                    slot.data);
}

void Device::finish_open(const GError *error)
{
    if (error) {
        log_error(name_, ("opening " + options_.path).c_str(), error);
        device_.reset();
        if (auto hint = port_in_use_hint(options_.path, options_.proxy, error))
            ofono_warn("%s: %s", name_.c_str(), hint->c_str());
    } else {
        DBG("%s: %s open", name_.c_str(), options_.path.c_str());
    }
    if (open_done_) {
        auto done = std::move(open_done_);
        done(error);
    }
    // After the first requests are out.
    if (!error)
        look_for_other_users();
}

namespace
{
struct PortScan {
    std::string name; // the modem, for the log line
    std::string path;
    bool proxy = false;
    std::vector<PortUser> own; // this ofonod's files on the port, at open
};

// Scans still running in worker threads: the plugin must not be unloaded
// under them (Device::wait_for_port_scans).
std::mutex scans_mutex;
std::condition_variable scans_done;
int scans_running = 0;
} // namespace

void Device::look_for_other_users()
{
    // Reading every process's open files in /proc takes milliseconds: a
    // worker thread does it while the first requests are on their way. The
    // line is logged even if the modem is gone meanwhile: a port shared by
    // two clients is just what makes it go.
    auto *task = g_task_new(
        nullptr, nullptr,
        [](GObject *, GAsyncResult *res, gpointer) {
            auto *t = G_TASK(res);
            const auto *scan = static_cast<const PortScan *>(g_task_get_task_data(t));
            auto *hint = static_cast<std::string *>(g_task_propagate_pointer(t, nullptr));
            if (hint)
                ofono_warn("%s: %s", scan->name.c_str(), hint->c_str());
            delete hint;
        },
        nullptr);
    g_task_set_task_data(
        task, new PortScan{name_, options_.path, options_.proxy, own_port_users(options_.path)},
        [](gpointer scan) { delete static_cast<PortScan *>(scan); });
    {
        std::lock_guard lock(scans_mutex);
        scans_running++;
    }
    g_task_run_in_thread(task, [](GTask *t, gpointer, gpointer data, GCancellable *) {
        const auto *scan = static_cast<const PortScan *>(data);
        auto hint = port_shared_hint(scan->path, scan->proxy, scan->own);
        g_task_return_pointer(t, hint ? new std::string(std::move(*hint)) : nullptr,
                              [](gpointer text) { delete static_cast<std::string *>(text); });
        std::lock_guard lock(scans_mutex);
        if (--scans_running == 0)
            scans_done.notify_all();
    });
    g_object_unref(task);
}

void Device::wait_for_port_scans()
{
    std::unique_lock lock(scans_mutex);
    scans_done.wait(lock, [] { return scans_running == 0; });
}

void Device::query_services(Done done)
{
    auto slot =
        life_.async([this, done = std::move(done)](GObject *source, GAsyncResult *res) mutable {
            ErrorPtr error;
            GArray *list = qmi_device_get_service_version_info_finish(QMI_DEVICE(source), res,
                                                                      ErrorOut(error));
            if (!list) {
                log_error(name_, "CTL Get Version Info", error.get());
                return done(error.get());
            }
            services_.clear();
            for (guint i = 0; i < list->len; i++) {
                const auto &info = g_array_index(list, QmiDeviceServiceVersionInfo, i);
                services_.insert(info.service);
                DBG("%s: service %s %u.%u", name_.c_str(), qmi_service_get_string(info.service),
                    info.major_version, info.minor_version);
            }
            g_array_unref(list);
            done(nullptr);
        });
    qmi_device_get_service_version_info(device_.get(), kCtlTimeoutSeconds, life_.cancellable(),
                                        slot.callback, slot.data);
}

void Device::allocate(const Lifetime &owner, QmiService service, ClientDone done)
{
    allocate(service, [token = owner.token(), done = std::move(done)](QmiClient *client,
                                                                      const GError *error) mutable {
        if (!token.expired())
            done(client, error);
    });
}

void Device::allocate(QmiService service, ClientDone done)
{
    // Always answer from the main loop: callers are often inside an oFono
    // probe, where the atom must not register itself yet.
    if (client(service)) {
        life_.defer(
            [this, service, done = std::move(done)]() mutable { done(client(service), nullptr); });
        return;
    }
    if (!device_) {
        life_.defer([done = std::move(done)]() mutable {
            GError *error =
                g_error_new(QMI_CORE_ERROR, QMI_CORE_ERROR_WRONG_STATE, "device not open");
            done(nullptr, error);
            g_error_free(error);
        });
        return;
    }
    auto &pending = pending_clients_[service];
    pending.waiters.push_back(std::move(done));
    if (pending.waiters.size() > 1)
        return; // an allocation is already on its way

    auto slot = life_.async([this, service](GObject *source, GAsyncResult *res) {
        ErrorPtr error;
        auto qclient = GRef<QmiClient>::adopt(
            qmi_device_allocate_client_finish(QMI_DEVICE(source), res, ErrorOut(error)));
        if (qclient) {
            DBG("%s: %s client id %u", name_.c_str(), qmi_service_get_string(service),
                qmi_client_get_cid(qclient.get()));
            clients_[service] = qclient;
        } else if (is_protocol_error(error.get(), QMI_PROTOCOL_ERROR_INVALID_SERVICE_TYPE) ||
                   (!services_.empty() && !has_service(service))) {
            // Asked for before the service list came (QmiModem does for UIM
            // and VOICE): a modem without the service refusing it is no error.
            DBG("%s: no %s client: %s", name_.c_str(), qmi_service_get_string(service),
                describe(error.get()).c_str());
        } else {
            log_error(name_, "allocating a client", error.get());
        }
        auto waiters = std::move(pending_clients_[service].waiters);
        pending_clients_.erase(service);
        for (auto &w : waiters)
            w(qclient.get(), error.get());
    });
    qmi_device_allocate_client(device_.get(), service, QMI_CID_NONE, kCtlTimeoutSeconds,
                               life_.cancellable(), slot.callback, slot.data);
}

void Device::close(MoveFunction<void()> done)
{
    if (!device_) {
        drop();
        return done();
    }
    auto device = device_;
    std::vector<GRef<QmiClient>> clients = std::move(own_clients_);
    own_clients_.clear();
    for (auto &[service, qclient] : clients_)
        clients.push_back(qclient);
    clients_.clear();

    // Release every client concurrently, then close the port.
    auto after_release = [this, device, done = std::move(done)]() mutable {
        auto slot =
            life_.async([this, done = std::move(done)](GObject *source, GAsyncResult *res) mutable {
                ErrorPtr error;
                if (!qmi_device_close_finish(QMI_DEVICE(source), res, ErrorOut(error)))
                    DBG("%s: close: %s", name_.c_str(), describe(error.get()).c_str());
                drop();
                done();
            });
        qmi_device_close_async(device.get(), kCtlTimeoutSeconds, life_.cancellable(), slot.callback,
                               slot.data);
    };
    Join released(static_cast<int>(clients.size()), std::move(after_release));
    for (auto &qclient : clients) {
        auto slot = life_.async([this, released](GObject *source, GAsyncResult *res) {
            ErrorPtr error;
            if (!qmi_device_release_client_finish(QMI_DEVICE(source), res, ErrorOut(error)))
                DBG("%s: release: %s", name_.c_str(), describe(error.get()).c_str());
            released();
        });
        qmi_device_release_client(device.get(), qclient.get(),
                                  QMI_DEVICE_RELEASE_CLIENT_FLAGS_RELEASE_CID, kCtlTimeoutSeconds,
                                  life_.cancellable(), slot.callback, slot.data);
    }
}

void Device::allocate_own(const Lifetime &owner, QmiService service, ClientDone done)
{
    if (!device_) {
        return owner.defer([done = std::move(done)]() mutable { done(nullptr, nullptr); });
    }
    auto slot = owner.async(
        [this, service, done = std::move(done)](GObject *source, GAsyncResult *res) mutable {
            ErrorPtr error;
            auto qclient = GRef<QmiClient>::adopt(
                qmi_device_allocate_client_finish(QMI_DEVICE(source), res, ErrorOut(error)));
            if (qclient) {
                DBG("%s: own %s client id %u", name_.c_str(), qmi_service_get_string(service),
                    qmi_client_get_cid(qclient.get()));
                own_clients_.push_back(qclient);
            } else {
                log_error(name_, "allocating a client", error.get());
            }
            done(qclient.get(), error.get());
        });
    qmi_device_allocate_client(device_.get(), service, QMI_CID_NONE, kCtlTimeoutSeconds,
                               owner.cancellable(), slot.callback, slot.data);
}

void Device::release(QmiClient *client)
{
    auto it = std::find_if(own_clients_.begin(), own_clients_.end(),
                           [client](const GRef<QmiClient> &c) { return c.get() == client; });
    if (it == own_clients_.end() || !device_)
        return;
    GRef<QmiClient> owned = *it;
    own_clients_.erase(it);
    // Nobody waits for the answer; the port may even be gone by then.
    qmi_device_release_client(device_.get(), owned.get(),
                              QMI_DEVICE_RELEASE_CLIENT_FLAGS_RELEASE_CID, kCtlTimeoutSeconds,
                              nullptr, nullptr, nullptr);
}

void Device::drop()
{
    life_.renew();
    data_path_->reset();
    probing_ = false;
    removed_signal_.disconnect();
    indication_signal_.disconnect();
    timeouts_signal_.disconnect();
    pending_clients_.clear();
    clients_.clear();
    own_clients_.clear();
    services_.clear();
    loss_watchers_.clear();
    // Requests still in flight keep the QmiDevice alive until they end; its
    // port must not stay open meanwhile, or it would read the frames meant
    // for the next session on the same port.
    if (device_ && qmi_device_is_open(device_.get()))
        qmi_device_close_async(device_.get(), 1, nullptr, nullptr, nullptr);
    // We may be inside one of its signals: let go of it from the main loop.
    if (device_)
        g_idle_add(
            [](gpointer object) {
                g_object_unref(object);
                return G_SOURCE_REMOVE;
            },
            device_.release());
}

void Device::on_loss(const Lifetime &owner, MoveFunction<void()> fn)
{
    loss_watchers_.emplace_back(owner.token(), std::move(fn));
}

void Device::lost(const char *why)
{
    const GRef<QmiDevice> device = device_;
    auto watchers = std::move(loss_watchers_);
    loss_watchers_.clear();
    drop();
    if (device) {
        GError *error = g_error_new(QMI_CORE_ERROR, QMI_CORE_ERROR_FAILED, "modem lost: %s", why);
        abort_pending_requests(device.get(), error);
        g_error_free(error);
    }
    for (auto &[token, fn] : watchers)
        if (!token.expired())
            fn();
    if (on_removed)
        on_removed();
}

void Device::on_device_removed()
{
    ofono_warn("%s: QMI port %s went away", name_.c_str(), options_.path.c_str());
    lost("port gone");
}

void Device::on_indication(GByteArray *raw)
{
    auto *message = reinterpret_cast<QmiMessage *>(raw);
    if (qmi_message_get_service(message) != QMI_SERVICE_CTL ||
        qmi_message_get_message_id(message) != kCtlSync)
        return;
    // Frames arrive in the modem's order: a Sync before our first client
    // id (a restart before we came, or one left unread in the port) costs
    // nothing; after one, every id we hold is gone.
    if (clients_.empty() && own_clients_.empty()) {
        DBG("%s: CTL Sync before any client id; nothing lost", name_.c_str());
        return;
    }
    ofono_warn("%s: modem restarted (CTL Sync): its client ids are gone", name_.c_str());
    lost("modem restarted");
}

void Device::on_consecutive_timeouts(GParamSpec *)
{
    if (!device_ || probing_ || qmi_device_get_consecutive_timeouts(device_.get()) == 0)
        return;
    // Emitted from inside libqmi's timeout handler: ask from the main loop.
    probing_ = true;
    life_.defer([this] { probe_liveness(); });
}

void Device::probe_liveness()
{
    // One request timed out. A lost reply is no reason to give up on the
    // modem; a modem that answers nothing at all is gone for the user.
    DBG("%s: a request timed out; asking the modem whether it still answers", name_.c_str());
    auto slot = life_.async([this](GObject *source, GAsyncResult *res) {
        probing_ = false;
        ErrorPtr error;
        GArray *list =
            qmi_device_get_service_version_info_finish(QMI_DEVICE(source), res, ErrorOut(error));
        if (list)
            g_array_unref(list);
        if (list || !g_error_matches(error.get(), QMI_CORE_ERROR, QMI_CORE_ERROR_TIMEOUT)) {
            DBG("%s: the modem still answers", name_.c_str());
            return;
        }
        ofono_warn("%s: modem stopped answering (a request and a CTL query timed out); "
                   "closing %s",
                   name_.c_str(), options_.path.c_str());
        lost("modem not answering");
    });
    qmi_device_get_service_version_info(device_.get(), kProbeTimeoutSeconds, life_.cancellable(),
                                        slot.callback, slot.data);
}

} // namespace qmi
