// WDS (service 0x01): packet data sessions, 3GPP profiles, and what the
// network behind them does.
//
// The class is split over three files:
//   wds_service.cpp  - session handlers (Start/Stop Network, status,
//                      settings, bearer), the connect timer, and how
//                      sessions end (offline, lost registration, SIM,
//                      released clients, watched with a StateWatch)
//   wds_profiles.cpp - profile handlers and the LTE attach parameters
//   wds_control.cpp  - "wds.*" state keys and the wds-disconnect command
// The rules are in wds_sessions.cpp, the TLV layouts in wds_tlv.cpp.
#pragma once

#include "service.hpp"
#include "state_watch.hpp"
#include "wds_tlv.hpp"

#include <map>
#include <memory>
#include <optional>
#include <variant>

namespace qmisim
{

class WdsService final : public Service
{
  public:
    explicit WdsService(ServiceHost &host);

    std::vector<StateKey> state_keys() override;
    std::vector<CommandSpec> commands() override;
    void on_client_allocated(std::uint8_t cid) override;
    void on_operating_mode_changed() override;
    void on_card_changed() override;
    void on_boot() override;

  private:
    // --- sessions (wds_service.cpp)
    MessagePtr reset(QmiMessage *request);
    MessagePtr set_event_report(QmiMessage *request);
    MessagePtr abort(QmiMessage *request);
    MessagePtr set_ip_family(QmiMessage *request);
    MessagePtr start_network(QmiMessage *request);
    MessagePtr stop_network(QmiMessage *request);
    MessagePtr get_packet_service_status(QmiMessage *request);
    MessagePtr get_current_settings(QmiMessage *request);
    MessagePtr get_channel_rates(QmiMessage *request);
    MessagePtr get_data_bearer_technology(QmiMessage *request);
    MessagePtr get_current_data_bearer_technology(QmiMessage *request);
    MessagePtr bind_mux_data_port(QmiMessage *request);

    WdsState &wds() { return state().wds; }
    WdsClient &client_config(std::uint8_t cid) { return wds().clients[cid]; }
    bool online();
    bool registered();
    bool sim_ready();
    // Why no call can be up now (not online, SIM not ready, not registered).
    std::optional<wds::EndReason> radio_refusal(bool starting);
    // The RAT of the connected sessions, if any is connected.
    std::optional<Rat> bearer_rat();

    struct PendingStart {
        MessagePtr request;
        SourceId timer;
    };
    void on_connect_timer(std::uint8_t cid);
    // Ends the client's session: a pending Start Network is answered with
    // `error` (and the reason TLVs if that is call-failed); a connected
    // session sends the client a Packet Service Status with the reason.
    void end_session(std::uint8_t cid, const wds::EndReason &reason,
                     QmiProtocolError error = QMI_PROTOCOL_ERROR_CALL_FAILED);
    void end_all(const wds::EndReason &reason);
    void send_status(std::uint8_t cid, bool connected, IpFamily family,
                     const std::optional<wds::EndReason> &ended);
    bool needs_teardown();
    void teardown();

    std::map<std::uint8_t, PendingStart> pending_;
    std::optional<Rat> last_rat_; // of the last session that connected
    std::unique_ptr<StateWatch> watch_;

    // --- profiles (wds_profiles.cpp)
    MessagePtr create_profile(QmiMessage *request);
    MessagePtr modify_profile(QmiMessage *request);
    MessagePtr delete_profile(QmiMessage *request);
    MessagePtr get_profile_list(QmiMessage *request);
    MessagePtr get_profile_settings(QmiMessage *request);
    MessagePtr get_default_settings(QmiMessage *request);
    MessagePtr get_default_profile_number(QmiMessage *request);
    MessagePtr set_default_profile_number(QmiMessage *request);
    MessagePtr reset_profile_to_default(QmiMessage *request);
    MessagePtr get_lte_attach_parameters(QmiMessage *request);
    // The 3GPP profile that TLV 0x01 {type, index} names, or the response
    // refusing the request.
    std::variant<std::uint8_t, MessagePtr> named_profile(QmiMessage *request);

    // --- control socket (wds_control.cpp)
    Outcome disconnect_command(const CommandArgs &args);
};

} // namespace qmisim
