// VOICE (service 0x09): calls, call hold and multiparty, DTMF and USSD.
//
// The class is split over three files:
//   voice_service.cpp - call and DTMF handlers, call progress timers and
//                       the All Call Status indication
//   voice_ussd.cpp    - USSD handlers and the simulated network's answers
//   voice_control.cpp - "voice.*" state keys and the call/USSD commands
// The call rules are in voice_calls.cpp, the TLV layouts in voice_tlv.cpp.
#pragma once

#include "service.hpp"
#include "voice_calls.hpp"

#include <map>
#include <optional>
#include <set>

namespace qmisim
{

class VoiceService final : public Service
{
  public:
    explicit VoiceService(ServiceHost &host);

    std::vector<StateKey> state_keys() override;
    std::vector<CommandSpec> commands() override;
    void on_client_allocated(std::uint8_t cid) override;
    void on_operating_mode_changed() override;
    void on_boot() override;

  private:
    // --- handlers (voice_service.cpp)
    MessagePtr indication_register(QmiMessage *request);
    MessagePtr get_supported_messages(QmiMessage *request);
    MessagePtr get_config(QmiMessage *request);
    MessagePtr dial_call(QmiMessage *request);
    MessagePtr end_call(QmiMessage *request);
    MessagePtr answer_call(QmiMessage *request);
    MessagePtr get_all_call_info(QmiMessage *request);
    MessagePtr manage_calls(QmiMessage *request);
    MessagePtr burst_dtmf(QmiMessage *request);
    MessagePtr start_continuous_dtmf(QmiMessage *request);
    MessagePtr stop_continuous_dtmf(QmiMessage *request);

    // --- calls (voice_service.cpp)
    VoiceState &voice() { return state().voice; }
    CallModel &calls() { return state().voice.calls; }
    bool online() { return state().operating_mode == QMI_DMS_OPERATING_MODE_ONLINE; }
    bool registered();
    // Why a call or a USSD string cannot go to the network now.
    std::optional<QmiProtocolError> network_refusal(bool emergency);
    // QMI call mode of the RAT camped on.
    std::uint8_t call_mode();
    // Sends All Call Status if the calls changed; host releases then end,
    // ended calls are shown once and forgotten.
    void publish();
    void schedule(std::uint8_t id, unsigned delay_ms, void (VoiceService::*step)(std::uint8_t));
    void on_alert_timer(std::uint8_t id);
    void on_answer_timer(std::uint8_t id);
    // The call a DTMF request names (0xFF: the active call), or the error.
    std::pair<const Call *, QmiProtocolError> dtmf_call(std::uint8_t id);
    void record_dtmf(std::uint8_t id, const std::string &digits);

    std::map<std::uint8_t, SourceId> timers_; // per call in setup
    std::vector<Call> published_;
    std::set<std::uint8_t> dtmf_playing_;

    // --- USSD (voice_ussd.cpp)
    MessagePtr originate_ussd(QmiMessage *request);
    MessagePtr originate_ussd_no_wait(QmiMessage *request);
    MessagePtr answer_ussd(QmiMessage *request);
    MessagePtr cancel_ussd(QmiMessage *request);

    enum class UssdKind { Originate, OriginateNoWait, Answer };
    struct PendingUssd {
        UssdKind kind = UssdKind::Originate;
        MessagePtr request; // Originate: answered when the network answers
        std::uint8_t cid = 0;
        std::string text;
        SourceId timer;
    };
    // Decodes and records a host string, or gives the error to answer with.
    std::pair<std::optional<std::string>, QmiProtocolError> take_uss_data(QmiMessage *request);
    MessagePtr start_ussd(QmiMessage *request, UssdKind kind);
    void network_answers();
    void abort_ussd(QmiProtocolError error);
    void send_ussd_indication(QmiVoiceUserAction action, const std::string &text);
    std::string ussd_session() const;

    std::optional<PendingUssd> ussd_;
    bool ussd_awaits_answer_ = false; // the network asked the user

    // --- control socket (voice_control.cpp)
    Outcome require_network();
    Outcome call_incoming(const CommandArgs &args);
    Outcome call_remote(const CommandArgs &args);
    Outcome supplementary_notify(const CommandArgs &args);
    Outcome ussd_reply(const CommandArgs &args);
    Outcome ussd_from_network(const CommandArgs &args, bool request);
};

} // namespace qmisim
