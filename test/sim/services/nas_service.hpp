// NAS (service 3): network registration, signal, network scan, system
// selection preference and their indications.
//
// The class is split over three files:
//   nas_service.cpp  - QMI request handlers
//   nas_machine.cpp  - registration machine: timers, scans, indications
//   nas_control.cpp  - "nas.*" state keys and the operator/nitz commands
// The pure rules (which network, what the host sees) are in ../nas_state.cpp,
// the TLV layouts in nas_tlv.cpp.
#pragma once

#include "nas_tlv.hpp"
#include "service.hpp"

#include <functional>
#include <list>
#include <optional>

namespace qmisim
{

class NasService final : public Service
{
  public:
    explicit NasService(ServiceHost &host);

    std::vector<StateKey> state_keys() override;
    std::vector<CommandSpec> commands() override;
    void on_client_allocated(std::uint8_t cid) override;
    void on_operating_mode_changed() override;
    void on_boot() override;

  private:
    // --- handlers (nas_service.cpp)
    MessagePtr reset(QmiMessage *request);
    MessagePtr abort(QmiMessage *request);
    MessagePtr set_event_report(QmiMessage *request);
    MessagePtr register_indications(QmiMessage *request);
    MessagePtr get_signal_strength(QmiMessage *request);
    MessagePtr network_scan(QmiMessage *request);
    MessagePtr initiate_network_register(QmiMessage *request);
    MessagePtr get_serving_system(QmiMessage *request);
    MessagePtr get_home_network(QmiMessage *request);
    MessagePtr set_technology_preference(QmiMessage *request);
    MessagePtr get_technology_preference(QmiMessage *request);
    MessagePtr set_system_selection_preference(QmiMessage *request);
    MessagePtr get_system_selection_preference(QmiMessage *request);
    MessagePtr get_operator_name(QmiMessage *request);
    MessagePtr get_system_info(QmiMessage *request);
    MessagePtr get_signal_info(QmiMessage *request);
    MessagePtr config_signal_info(QmiMessage *request);

    // --- registration machine (nas_machine.cpp)
    struct Snapshot {
        RegistrationView registration;
        SignalView signal;
        NasPreferences preferences;
    };
    struct PendingScan {
        MessagePtr request;
        std::uint8_t cid = 0;
        std::uint16_t transaction = 0;
        std::uint8_t network_types = 0; // QmiNasNetworkScanType bits, 0: all
        SourceId timer;
    };

    NasState &nas() { return state().nas; }
    bool online() { return state().operating_mode == QMI_DMS_OPERATING_MODE_ONLINE; }
    Snapshot snapshot();
    // Runs `mutate`, moves the machine on and tells the clients what changed.
    void change(const std::function<void()> &mutate);
    void reevaluate();
    void on_register_timer();
    void emit_changes(const Snapshot &before, const Snapshot &after);
    void emit_signal_changes(const SignalView &before, const SignalView &after);
    void start_scan(QmiMessage *request);
    void finish_scan(std::list<PendingScan>::iterator scan);
    void abort_scans();
    // Selection preference to apply "permanently" (also after a reboot) or
    // until the next power cycle only.
    void set_preferences(const NasPreferences &prefs, bool permanent);
    std::vector<ScanEntry> scan_entries(std::uint8_t network_types);
    OperatorNames operator_names();

    std::optional<CampTarget> pending_; // registration in progress
    SourceId register_timer_;
    std::list<PendingScan> scans_;

    // --- control socket (nas_control.cpp)
    StateKey signal_key(std::string name, int SignalLevels::*field, int min, int max);
    Outcome operator_add(const CommandArgs &args);
    Outcome nitz(const CommandArgs &args);
};

} // namespace qmisim
