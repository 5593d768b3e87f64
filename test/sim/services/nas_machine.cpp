// The NAS registration machine: reacts to the operating mode, preferences and
// control-socket changes, runs the register and scan timers, and sends each
// client the indications it registered for.
#include "nas_service.hpp"

#include "../tlv.hpp"
#include "nas_ids.hpp"

#include <cstdlib>

namespace qmisim
{

using namespace nas;

namespace
{
Camp searching_camp()
{
    Camp camp;
    camp.phase = CampPhase::Searching;
    return camp;
}
} // namespace

NasService::Snapshot NasService::snapshot()
{
    RegistrationView registration = make_registration_view(nas());
    SignalView signal = make_signal_view(nas(), registration);
    return {std::move(registration), signal, nas().preferences};
}

void NasService::change(const std::function<void()> &mutate)
{
    const Snapshot before = snapshot();
    mutate();
    reevaluate();
    emit_changes(before, snapshot());
}

void NasService::set_preferences(const NasPreferences &prefs, bool permanent)
{
    change([&] {
        nas().preferences = prefs;
        if (permanent)
            nas().persistent_preferences = prefs;
    });
}

void NasService::on_operating_mode_changed()
{
    if (!online())
        abort_scans();
    change([] {});
}

void NasService::on_boot()
{
    register_timer_.reset();
    pending_.reset();
    scans_.clear();
    nas().camp = Camp{};
}

// Searching -> (register delay) -> camped on the target. A new target on the
// network already camped on is a handover: no searching in between.
void NasService::reevaluate()
{
    Camp &camp = nas().camp;
    auto stop_registering = [this] {
        pending_.reset();
        register_timer_.reset();
    };
    if (!online()) {
        camp = Camp{};
        stop_registering();
        return;
    }
    const auto target = choose_target(nas());
    if (!target) {
        camp = searching_camp();
        stop_registering();
        return;
    }
    if (camp.phase == CampPhase::Camped && camp.plmn == target->plmn) {
        camp.rat = target->rat;
        camp.denied = target->denied;
        stop_registering();
        return;
    }
    if (register_timer_ && pending_ && pending_->plmn == target->plmn) {
        pending_ = target; // same network, maybe another RAT: keep the timer
        return;
    }
    camp = searching_camp();
    pending_ = target;
    register_timer_.reset(add_timeout(nas().world.register_delay_ms, [this] {
        register_timer_.forget();
        on_register_timer();
    }));
}

void NasService::on_register_timer()
{
    change([this] {
        if (!pending_)
            return;
        nas().camp = Camp{CampPhase::Camped, pending_->plmn, pending_->rat, pending_->denied};
        pending_.reset();
    });
}

void NasService::emit_changes(const Snapshot &before, const Snapshot &after)
{
    if (before.registration != after.registration) {
        notify(kSubServingSystem, kServingSystem, [&](QmiMessage *indication) {
            write_serving_system(indication, after.registration, ServingSystemKind::Indication);
        });
        notify(kSubSystemInfo, kSystemInfoIndication,
               [&](QmiMessage *indication) { write_system_info(indication, after.registration); });
    }
    emit_signal_changes(before.signal, after.signal);
    if (before.preferences != after.preferences) {
        notify(kSubSystemSelection, kSystemSelectionPreference, [&](QmiMessage *indication) {
            write_system_selection_preference(indication, after.preferences);
        });
    }
}

void NasService::emit_signal_changes(const SignalView &before, const SignalView &after)
{
    if (before == after)
        return;
    const bool same_rat = before.rat == after.rat;
    for (auto &[cid, client] : clients()) {
        NasClientConfig &config = client.nas;

        // Signal Info: on a RAT change always; otherwise on every change until
        // Config Signal Info set thresholds, then only when one is crossed.
        if (client.subscriptions.contains(kSubSignalInfo)) {
            const bool crossed = crosses(config.rssi_thresholds, before.rssi, after.rssi) ||
                                 crosses(config.ecio_thresholds, before.ecio, after.ecio) ||
                                 crosses(config.snr_thresholds, before.snr, after.snr) ||
                                 crosses(config.rsrq_thresholds, before.rsrq, after.rsrq) ||
                                 crosses(config.rsrp_thresholds, before.rsrp, after.rsrp);
            if (!same_rat || !config.signal_thresholds_set || crossed)
                send_to(cid, kSignalInfoIndication,
                        [&](QmiMessage *indication) { write_signal_info(indication, after); });
        }

        // Event Report: only while camped, and only for what the client asked.
        if (after.rat == Rat::None || before.rat == Rat::None)
            continue;
        const bool strength = config.report_signal_strength &&
                              crosses(config.strength_thresholds, before.rssi, after.rssi);
        const bool rssi =
            config.rssi_delta &&
            unsigned(std::abs(after.rssi - config.rssi_baseline)) >= config.rssi_delta;
        const bool lte = after.rat == Rat::Lte;
        const bool rsrp =
            lte && config.rsrp_delta &&
            unsigned(std::abs(after.rsrp - config.rsrp_baseline)) >= config.rsrp_delta;
        const bool snr = lte && config.snr_delta &&
                         unsigned(std::abs(after.snr - config.snr_baseline)) >= config.snr_delta;
        if (!strength && !rssi && !rsrp && !snr)
            continue;
        if (rssi)
            config.rssi_baseline = after.rssi;
        if (rsrp)
            config.rsrp_baseline = after.rsrp;
        if (snr)
            config.snr_baseline = after.snr;
        send_to(cid, kEventReport, [&](QmiMessage *indication) {
            if (strength)
                write_event_signal_strength(indication, after);
            if (rssi)
                write_event_rssi(indication, after);
            if (snr)
                write_event_lte_snr(indication, after);
            if (rsrp)
                write_event_lte_rsrp(indication, after);
        });
    }
}

void NasService::start_scan(QmiMessage *request)
{
    auto &scan = scans_.emplace_back();
    scan.request.reset(qmi_message_ref(request));
    scan.cid = qmi_message_get_client_id(request);
    scan.transaction = qmi_message_get_transaction_id(request);
    scan.network_types = read_u8_tlv(request, 0x10).value_or(0);
    const auto it = std::prev(scans_.end());
    scan.timer.reset(add_timeout(nas().world.scan_delay_ms, [this, it] {
        it->timer.forget();
        finish_scan(it);
    }));
}

void NasService::finish_scan(std::list<PendingScan>::iterator scan)
{
    // A client released meanwhile gets nothing, as on real firmware.
    if (state().client(QMI_SERVICE_NAS, scan->cid)) {
        MessagePtr response = success(scan->request.get());
        write_scan_results(response.get(), scan_entries(scan->network_types));
        host().send_deferred_response(std::move(response));
    }
    scans_.erase(scan);
}

void NasService::abort_scans()
{
    for (auto &scan : scans_)
        if (state().client(QMI_SERVICE_NAS, scan.cid))
            host().send_deferred_response(failure(scan.request.get(), QMI_PROTOCOL_ERROR_ABORTED));
    scans_.clear();
}

std::vector<ScanEntry> NasService::scan_entries(std::uint8_t network_types)
{
    auto wanted = [&](Rat rat) {
        const std::uint8_t type = rat == Rat::Gsm    ? QMI_NAS_NETWORK_SCAN_TYPE_GSM
                                  : rat == Rat::Umts ? QMI_NAS_NETWORK_SCAN_TYPE_UMTS
                                                     : QMI_NAS_NETWORK_SCAN_TYPE_LTE;
        return (network_types == 0 || (network_types & type)) &&
               (nas().preferences.mode_preference & mode_bit(rat));
    };
    const RegistrationView view = snapshot().registration;
    const NasWorld &world = nas().world;
    // One entry per network and RAT, like real firmware.
    std::vector<ScanEntry> entries;
    for (const auto &op : world.operators) {
        for (const Rat rat : {Rat::Lte, Rat::Umts, Rat::Gsm}) {
            if (!op.rats.contains(rat) || !wanted(rat))
                continue;
            const bool serving = view.registered() && view.plmn == op.plmn && view.rat == rat;
            const bool home = op.plmn == world.home;
            const bool forbidden = op.status == OperatorStatus::Forbidden;
            std::uint8_t status =
                serving ? QMI_NAS_NETWORK_STATUS_CURRENT_SERVING : QMI_NAS_NETWORK_STATUS_AVAILABLE;
            status |= home ? QMI_NAS_NETWORK_STATUS_HOME : QMI_NAS_NETWORK_STATUS_ROAMING;
            status |=
                forbidden ? QMI_NAS_NETWORK_STATUS_FORBIDDEN : QMI_NAS_NETWORK_STATUS_NOT_FORBIDDEN;
            status |=
                home ? QMI_NAS_NETWORK_STATUS_PREFERRED : QMI_NAS_NETWORK_STATUS_NOT_PREFERRED;
            entries.push_back({op.plmn, op.name, status, rat});
        }
    }
    return entries;
}

OperatorNames NasService::operator_names()
{
    const NasWorld &world = nas().world;
    return {world.home_name, world.network_name, world.network_short_name};
}

} // namespace qmisim
