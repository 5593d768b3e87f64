// One QMI device (a cdc-wdm char device, a pty, or a QRTR node) and its
// clients, one per QMI service, allocated when first needed and released on
// close. Shared modem state that atoms get lives here.
#pragma once

#include "data_path.hpp"
#include "gobject_ptr.hpp"
#include "lifetime.hpp"
#include "move_function.hpp"
#include "power_events.hpp"
#include "signal_connection.hpp"
#include "translate/device_path.hpp"

#include <libqmi-glib.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace qmi
{

struct DeviceOptions {
    std::string path; // "/dev/cdc-wdm0", a pty, or "qrtr://N"
    bool proxy = false;
    std::string network_interface; // the data interface ("wwan0"), may be empty
};

class Device
{
  public:
    using Done = MoveFunction<void(const GError *)>;
    using ClientDone = MoveFunction<void(QmiClient *, const GError *)>;

    explicit Device(std::string log_name);
    ~Device();
    Device(const Device &) = delete;
    Device &operator=(const Device &) = delete;

    void open(const DeviceOptions &options, Done done);
    // Queries which services the modem has (CTL Get Version Info).
    void query_services(Done done);
    // Calls done from the main loop, never from inside this call.
    void allocate(QmiService service, ClientDone done);
    // The same for a caller that may go away first (an atom): done is
    // dropped once `owner` has ended.
    void allocate(const Lifetime &owner, QmiService service, ClientDone done);
    // A client of the caller's own, not shared (a second WDS client for
    // IPv6, say). The device keeps it to release it on close; release()
    // gives it back earlier.
    void allocate_own(const Lifetime &owner, QmiService service, ClientDone done);
    void release(QmiClient *client);
    // Releases every client (when the port still works) and closes the port.
    void close(MoveFunction<void()> done);
    // Forget everything without talking to the modem (it is gone).
    void drop();
    // The owner learnt that the modem is gone (it announced a reset): the
    // same as when the device finds out itself (on_loss, then on_removed).
    void lose(const char *why) { lost(why); }

    bool is_open() const { return device_ && qmi_device_is_open(device_.get()); }
    bool has_service(QmiService s) const { return services_.count(s) != 0; }
    const std::set<QmiService> &services() const { return services_; }
    QmiClient *client(QmiService s) const;
    QmiDevice *raw() const { return device_.get(); }
    const std::string &name() const { return name_; }
    const std::string &network_interface() const { return options_.network_interface; }
    const std::string &path() const { return options_.path; }
    // The link layer and, when multiplexing, the links (gprs-context atoms).
    DataPath &data_path() { return *data_path_; }
    // Suspend and resume, for the atoms (the modem driver raises them).
    PowerEvents &power() { return power_; }

    // Stored SMS that oFono has taken but whose Delete the modem may not
    // have carried out (lost in between): (storage, index, PDU). It outlives
    // the sms atom and the session, so a message read again after
    // Powered=true is deleted, not delivered twice.
    using HandedOverSms = std::tuple<int, std::uint32_t, std::vector<std::uint8_t>>;
    std::set<HandedOverSms> &handed_over_sms() { return handed_over_sms_; }

    // Called once when the modem is lost while open: the port vanishes or
    // hangs up, the modem restarts (CTL Sync after clients were allocated:
    // their ids are gone), or it stops answering (a request timed out and
    // a CTL probe right after it timed out too). Everything was dropped by then.
    MoveFunction<void()> on_removed;
    // Runs fn once if the modem is lost while `owner` lives: after every
    // request on its way failed, before on_removed (so before oFono removes
    // the atoms). For state the modem's loss ends, such as calls.
    void on_loss(const Lifetime &owner, MoveFunction<void()> fn);

  private:
    void on_device_created(QmiDevice *device, const GError *error);
    void open_created();
    void on_device_removed();
    void on_indication(GByteArray *message);
    void on_consecutive_timeouts(GParamSpec *);
    void probe_liveness();
    // The modem is gone: close, fail every request on its way, tell the
    // loss watchers, then on_removed.
    void lost(const char *why);
    void release_next(MoveFunction<void()> done);
    void finish_open(const GError *error);
    // Names the port's other users in one warning, from a worker thread.
    void look_for_other_users();

  public:
    // Blocks until no such scan runs any more: the plugin's code must stay
    // loaded under them (called as the plugin exits; a scan takes ms).
    static void wait_for_port_scans();

  private:
    struct PendingClient {
        std::vector<ClientDone> waiters;
    };

    std::string name_;
    DeviceOptions options_;
    GRef<QmiDevice> device_;
    std::map<QmiService, GRef<QmiClient>> clients_;
    std::vector<GRef<QmiClient>> own_clients_;
    std::map<QmiService, PendingClient> pending_clients_;
    std::set<QmiService> services_;
    PowerEvents power_;
    std::unique_ptr<DataPath> data_path_;
    std::set<HandedOverSms> handed_over_sms_;
    Done open_done_;
    SignalConnection removed_signal_;
    SignalConnection indication_signal_;
    SignalConnection timeouts_signal_;
    bool probing_ = false;
    std::vector<std::pair<Token, MoveFunction<void()>>> loss_watchers_;
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
