#include "modem.hpp"

#include "atoms/gprs_context.hpp"
#include "core/errors.hpp"
#include "core/join.hpp"
#include "core/qmi_call.hpp"
#include "core/wire_enum.hpp"

#include <ofono/devinfo.h>
#include <ofono/log.h>
#include <ofono/netreg.h>
#include <ofono/radio-settings.h>
#include <ofono/sim.h>
#include <ofono/gprs-context.h>
#include <ofono/gprs.h>
#include <ofono/lte.h>
#include <ofono/sms.h>
#include <ofono/ussd.h>
#include <ofono/voicecall.h>

#include <cerrno>
#include <memory>
#include <utility>

namespace qmi
{
namespace
{
// Contexts oFono gets when the modem multiplexes: internet, MMS and IMS at
// once (each may be dual stack: two WDS clients).
constexpr unsigned kMultiplexedContexts = 3;
// From Powered=true until the sleep inhibitor is taken (see finish_enable).
constexpr unsigned kSleepWatchDelayMs = 1000;
} // namespace

QmiModem::QmiModem(ofono_modem *modem) : modem_(modem), device_(ofono_modem_get_path(modem))
{
    device_.on_removed = [this] { on_device_removed(); };
}

QmiModem::~QmiModem()
{
    life_.end();
    pending_online_.dismiss();
}

int QmiModem::enable()
{
    DeviceOptions options;
    if (const char *path = ofono_modem_get_string(modem_, "Device"))
        options.path = path;
    options.proxy = ofono_modem_get_boolean(modem_, "Proxy");
    if (const char *iface = ofono_modem_get_string(modem_, "NetworkInterface"))
        options.network_interface = iface;
    if (const char *multiplex = ofono_modem_get_string(modem_, "Multiplex"))
        multiplex_ = parse_multiplex(multiplex).value_or(Multiplex::Auto);
    if (options.path.empty()) {
        ofono_error("%s: no Device configured", ofono_modem_get_path(modem_));
        return -EINVAL;
    }
    DBG("%s: enabling %s%s", ofono_modem_get_path(modem_), options.path.c_str(),
        options.proxy ? " through qmi-proxy" : "");
    state_ = State::Enabling;
    device_.open(options, [this](const GError *error) { on_device_open(error); });
    return -EINPROGRESS;
}

void QmiModem::on_device_open(const GError *error)
{
    if (error)
        return finish_enable(false);

    // The service list and the DMS client are independent: ask concurrently.
    // So is the UIM client: the SIM is the longest chain of bring-up (client,
    // card status, files), so it is asked for now, before the service list
    // says whether the modem has UIM (a modem without it refuses; see
    // Device::allocate), and the sim atom finds it waiting.
    Join all(3, [this] { on_dms_ready(); });
    // The UIM client counts once: when it comes, or when the service list
    // says there is none (a modem that leaves the request unanswered must
    // not hold Powered=true up until it times out).
    auto uim_counted = std::make_shared<bool>(false);
    auto uim_done = [all, uim_counted] {
        if (!std::exchange(*uim_counted, true))
            all();
    };
    device_.allocate(life_, QMI_SERVICE_UIM,
                     [uim_done](QmiClient *, const GError *) { uim_done(); });
    device_.allocate(life_, QMI_SERVICE_DMS, [this, all](QmiClient *client, const GError *) {
        if (!client)
            return finish_enable(false);
        all();
    });
    device_.query_services([this, all, uim_done](const GError *) {
        if (!device_.services().empty() && !device_.has_service(QMI_SERVICE_UIM))
            uim_done();
        all();
    });
    // Emergency calls should not wait either: the voicecall atom then
    // registers a round trip after Powered=true, before Online=true is done.
    device_.allocate(life_, QMI_SERVICE_VOICE, [](QmiClient *, const GError *) {});
}

void QmiModem::on_dms_ready()
{
    if (state_ != State::Enabling)
        return;
    if (!device_.services().empty() && !device_.has_service(QMI_SERVICE_DMS))
        ofono_warn("%s: modem does not list DMS", ofono_modem_get_path(modem_));
    // The order of these requests is the order of their answers, and a
    // cdc-wdm port hands the host one answer at a time: what the SIM (the
    // longest chain) waits for goes first, what nobody waits for last.
    //
    // oFono expects a powered modem to be offline until Online=true. Setting
    // low power directly (NO_EFFECT if it already is) saves a query.
    set_operating_mode(QMI_DMS_OPERATING_MODE_LOW_POWER, [this](const GError *error) {
        if (error)
            ofono_warn("%s: could not switch the radio off: %s", ofono_modem_get_path(modem_),
                       describe(error).c_str());
    });
    // Powered now, without waiting for that reply: a refusal would be no
    // reason to fail, a lost modem is reported as it goes (on_device_removed),
    // and DMS answers in order, so a later Online=true is carried out after
    // it. pre_sim() creates the atoms: the sim atom asks for the card status.
    finish_enable(true);
    if (state_ != State::On)
        return;
    watch_operating_mode(QMI_CLIENT_DMS(device_.client(QMI_SERVICE_DMS)));
    device_.data_path().on_single_context = [this] { keep_one_context(); };
}

void QmiModem::watch_operating_mode(QmiClientDms *dms)
{
    event_report_signal_ =
        connect_signal<&QmiModem::on_dms_event_report, QmiIndicationDmsEventReportOutput *>(
            dms, "event-report", this);
    auto input = QMI_INPUT(dms, set_event_report);
    qmi_message_dms_set_event_report_input_set_operating_mode_reporting(input.get(), TRUE, nullptr);
    // Runs alongside the first Set Operating Mode: no extra round trip.
    call(life_, dms, QMI_REQUEST(dms, set_event_report), input.get(),
         [this](Reply<QmiMessageDmsSetEventReportOutput> r) {
             if (!r.ok())
                 DBG("%s: no operating-mode reports: %s", ofono_modem_get_path(modem_),
                     describe(r.error()).c_str());
         });
}

void QmiModem::on_dms_event_report(QmiIndicationDmsEventReportOutput *out)
{
    QmiDmsOperatingMode reported;
    if (!qmi_indication_dms_event_report_output_get_operating_mode(out, &reported, nullptr))
        return;
    const int mode = wire(reported);
    DBG("%s: modem reports operating mode %d", ofono_modem_get_path(modem_), mode);
    if (mode != QMI_DMS_OPERATING_MODE_RESET && mode != QMI_DMS_OPERATING_MODE_SHUTTING_DOWN)
        return;
    if (state_ != State::On)
        return;
    ofono_warn("%s: modem is %s on its own; closing the port", ofono_modem_get_path(modem_),
               mode == QMI_DMS_OPERATING_MODE_RESET ? "resetting" : "shutting down");
    // Its client ids die with the reset: drop them without asking.
    event_report_signal_.disconnect();
    device_.lose(mode == QMI_DMS_OPERATING_MODE_RESET ? "modem resetting" : "modem shutting down");
}

void QmiModem::finish_enable(bool ok)
{
    if (state_ != State::Enabling)
        return;
    if (!ok) {
        state_ = State::Off;
        device_.drop();
        ofono_modem_set_powered(modem_, FALSE);
        return;
    }
    state_ = State::On;
    aux_at_.start(modem_, device_);
    // Following logind means a second bus connection and its thread: set up
    // once bring-up is over rather than competing with it.
    life_.after(kSleepWatchDelayMs, [this] {
        if (state_ == State::On && !sleep_watch_)
            watch_sleep();
    });
    ofono_modem_set_powered(modem_, TRUE);
}

void QmiModem::watch_sleep()
{
    const std::string name = ofono_modem_get_path(modem_);
    sleep_watch_ = std::make_unique<SleepWatch>(
        name,
        [this](SleepWatch::Done done) {
            if (state_ != State::On)
                return done();
            device_.power().before_sleep(std::move(done));
        },
        [this] {
            if (state_ == State::On)
                device_.power().after_resume();
        });
}

int QmiModem::disable()
{
    DBG("%s", ofono_modem_get_path(modem_));
    forget_contexts();
    aux_at_.stop();
    if (pending_online_.pending())
        pending_online_.fail();
    if (!device_.client(QMI_SERVICE_DMS)) {
        state_ = State::Off;
        sleep_watch_.reset();
        device_.drop();
        return 0;
    }
    state_ = State::Disabling;
    set_operating_mode(QMI_DMS_OPERATING_MODE_LOW_POWER,
                       [this](const GError *) { close_device(); });
    return -EINPROGRESS;
}

void QmiModem::close_device()
{
    event_report_signal_.disconnect();
    device_.close([this] {
        if (state_ != State::Disabling)
            return;
        state_ = State::Off;
        sleep_watch_.reset();
        ofono_modem_set_powered(modem_, FALSE);
    });
}

void QmiModem::on_device_removed()
{
    forget_contexts();
    event_report_signal_.disconnect();
    ofono_warn("%s: modem gone; reporting it powered off", ofono_modem_get_path(modem_));
    const bool was_up = state_ != State::Off;
    state_ = State::Off;
    sleep_watch_.reset();
    if (pending_online_.pending())
        pending_online_.fail();
    if (was_up)
        ofono_modem_set_powered(modem_, FALSE);
}

void QmiModem::set_online(bool online, OnlineCallback cb)
{
    forget_contexts();
    if (pending_online_.pending())
        return cb.fail(); // oFono serialises these; a second one is a bug upstream
    pending_online_ = std::move(cb);
    auto mode = online ? QMI_DMS_OPERATING_MODE_ONLINE : QMI_DMS_OPERATING_MODE_LOW_POWER;
    set_operating_mode(mode, [this](const GError *error) {
        if (!pending_online_.pending())
            return;
        auto cb = std::move(pending_online_);
        if (error) {
            ofono_warn("%s: switching the radio failed: %s", ofono_modem_get_path(modem_),
                       describe(error).c_str());
            cb.fail(to_ofono_error(error));
        } else
            cb.succeed();
    });
}

void QmiModem::set_operating_mode(QmiDmsOperatingMode mode, MoveFunction<void(const GError *)> done)
{
    auto *dms = QMI_CLIENT_DMS(device_.client(QMI_SERVICE_DMS));
    if (!dms) {
        GError *error = g_error_new(QMI_CORE_ERROR, QMI_CORE_ERROR_WRONG_STATE, "no DMS client");
        done(error);
        g_error_free(error);
        return;
    }
    DBG("%s: operating mode -> %s", ofono_modem_get_path(modem_),
        qmi_dms_operating_mode_get_string(mode));
    std::unique_ptr<QmiMessageDmsSetOperatingModeInput,
                    void (*)(QmiMessageDmsSetOperatingModeInput *)>
        input(qmi_message_dms_set_operating_mode_input_new(),
              qmi_message_dms_set_operating_mode_input_unref);
    qmi_message_dms_set_operating_mode_input_set_mode(input.get(), mode, nullptr);
    call(life_, dms, QMI_REQUEST(dms, set_operating_mode), input.get(),
         [done = std::move(done)](Reply<QmiMessageDmsSetOperatingModeOutput> r) mutable {
             // Already in that mode is not a failure.
             const bool ok = r.ok() || is_protocol_error(r.error(), QMI_PROTOCOL_ERROR_NO_EFFECT);
             done(ok ? nullptr : r.error());
         });
}

bool QmiModem::has_service(QmiService service) const
{
    // A modem that did not answer CTL Get Version Info may still have it.
    return device_.has_service(service) || device_.services().empty();
}

void QmiModem::pre_sim()
{
    DBG("%s", ofono_modem_get_path(modem_));
    // The sim atom reaches the card through UIM, or through DMS on old
    // parts without UIM (see atoms/sim.hpp); DMS is always there. First:
    // its requests start the longest chain of bring-up.
    ofono_sim_create(modem_, 0, "qmi", &device_);
    ofono_devinfo_create(modem_, 0, "qmi", &device_);
    // Before the SIM: emergency calls work without one.
    if (has_service(QMI_SERVICE_VOICE))
        ofono_voicecall_create(modem_, 0, "qmi", &device_);
}

void QmiModem::post_sim()
{
    DBG("%s", ofono_modem_get_path(modem_));
    // Registration and data need NAS and the data link layer only from here
    // on: asked for now, not during bring-up, where they would queue ahead
    // of the SIM's answers. The link layer (and whether to multiplex) is
    // still settled long before a context is activated.
    if (device_.has_service(QMI_SERVICE_NAS))
        device_.allocate(life_, QMI_SERVICE_NAS, [](QmiClient *, const GError *) {});
    if (has_service(QMI_SERVICE_WDS) && !device_.data_path().started())
        device_.data_path().start(multiplex_);
    // Technology preference can be chosen before going online.
    if (has_service(QMI_SERVICE_NAS))
        ofono_radio_settings_create(modem_, 0, "qmi", &device_);
    // oFono keeps SMS fragments and history per SIM (IMSI): after the SIM.
    if (has_service(QMI_SERVICE_WMS))
        ofono_sms_create(modem_, 0, "qmi", &device_);
    if (has_service(QMI_SERVICE_VOICE))
        ofono_ussd_create(modem_, 0, "qmi", &device_);
    // The default attach APN is written before the radio goes on.
    if (has_service(QMI_SERVICE_WDS))
        ofono_lte_create(modem_, 0, "qmi", &device_);
}

void QmiModem::post_online()
{
    DBG("%s", ofono_modem_get_path(modem_));
    if (has_service(QMI_SERVICE_NAS))
        ofono_netreg_create(modem_, 0, "qmi", &device_);
    // Packet data: attach state from NAS, contexts over WDS. Without QMAP
    // multiplexing oFono gets exactly one context to use, with it one per
    // link (the data path may still be negotiating: contexts follow).
    if (has_service(QMI_SERVICE_NAS) && has_service(QMI_SERVICE_WDS)) {
        ofono_gprs *gprs = ofono_gprs_create(modem_, 0, "qmi", &device_);
        if (!gprs)
            return;
        forget_contexts();
        device_.data_path().when_ready(life_, [this, gprs, generation = contexts_generation_] {
            if (generation == contexts_generation_ && ofono_modem_get_online(modem_))
                add_contexts(gprs);
        });
    }
}

void QmiModem::add_contexts(ofono_gprs *gprs)
{
    const unsigned count = device_.data_path().multiplexing() ? kMultiplexedContexts : 1;
    for (unsigned i = 0; i < count; i++) {
        ofono_gprs_context *gc = ofono_gprs_context_create(modem_, 0, "qmi", &device_);
        if (!gc)
            break;
        ofono_gprs_add_context(gprs, gc);
        contexts_.push_back(gc);
    }
    ofono_info("%s: %zu data context(s)", ofono_modem_get_path(modem_), contexts_.size());
}

void QmiModem::keep_one_context()
{
    // Idle contexts go (oFono then offers only what is left); one stays.
    std::vector<ofono_gprs_context *> kept;
    for (ofono_gprs_context *gc : contexts_) {
        auto *atom = static_cast<GprsContextAtom *>(ofono_gprs_context_get_data(gc));
        if (kept.empty() || (atom && atom->busy()))
            kept.push_back(gc);
        else
            ofono_gprs_context_remove(gc);
    }
    contexts_ = std::move(kept);
    ofono_info("%s: %zu data context(s) left", ofono_modem_get_path(modem_), contexts_.size());
}

void QmiModem::forget_contexts()
{
    // Their atoms go with the online state (or the modem): never touched after.
    contexts_generation_++;
    contexts_.clear();
}

} // namespace qmi
