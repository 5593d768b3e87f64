// The VOICE state: the calls (a small state machine with the 3GPP TS 22.030
// call-hold rules, independent of QMI), the settings the control socket
// changes, and what the host did (numbers dialled, DTMF, USSD strings).
// Timers and indications live in voice_service.cpp; layouts in voice_tlv.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace qmisim
{

enum class CallState {
    Origination, // MO, being set up
    Alerting,    // MO, the remote party is ringing
    Active,      // conversation
    Held,
    Incoming, // MT, ringing, no other call
    Waiting,  // MT, while another call exists
    Disconnecting,
    Ended,
};

enum class CallDirection { Outgoing, Incoming };
enum class CallPresentation { Allowed, Restricted, Unavailable, Payphone };

struct Call {
    std::uint8_t id = 0;
    CallState state = CallState::Origination;
    CallDirection direction = CallDirection::Outgoing;
    std::string number;
    CallPresentation presentation = CallPresentation::Allowed;
    bool emergency = false;
    bool multiparty = false;
    std::uint8_t mode = 0;        // opaque to the model (the service puts QMI's call mode here)
    std::uint16_t end_reason = 0; // opaque, set when the call ended

    bool live() const { return state != CallState::Disconnecting && state != CallState::Ended; }
    bool ringing() const { return state == CallState::Incoming || state == CallState::Waiting; }
    bool setting_up() const
    {
        return state == CallState::Origination || state == CallState::Alerting;
    }
    bool operator==(const Call &) const = default;
};

enum class CallError {
    None,
    NoSuchCall, // no live call with that id
    WrongState, // the rules do not allow it now
    NoFreeId,   // all 7 ids in use
    TooManyParties,
};

// Supplementary service operations of 3GPP TS 22.030 (AT+CHLD).
enum class CallHold {
    ReleaseHeldOrWaiting,     // 0: reject (UDUB) the waiting call, else release held calls
    ReleaseActiveAcceptOther, // 1: release active calls, accept the waiting or held call
    ReleaseSpecific,          // 1X
    HoldActiveAcceptOther,    // 2: hold active calls, accept the waiting or held call (swap)
    HoldAllExceptSpecific,    // 2X: private chat with X out of a multiparty call
    Conference,               // 3: join active and held calls
    ExplicitTransfer,         // 4: connect the held call to the other one, leave both
    ReleaseAll,
};

struct CallResult {
    CallError error = CallError::None;
    std::uint8_t id = 0;
    bool ok() const { return error == CallError::None; }
};

// The calls of one modem. Ids are 1..7, the lowest free one first. A call
// the host releases goes through Disconnecting (finish_disconnecting()
// ends it), one the network releases is Ended at once; ended calls stay
// until forget_ended(), so that the host sees them once.
class CallModel
{
  public:
    static constexpr std::uint8_t kMaxId = 7;
    static constexpr std::size_t kMaxParties = 5;

    // MO call: active calls are put on hold first. Refused while another
    // MO call is being set up, an incoming call rings, or calls are both
    // active and held.
    CallResult dial(std::string number, bool emergency, std::uint8_t mode);
    // MT call: Incoming, or Waiting when another call exists. Refused while
    // another call rings.
    CallResult incoming(std::string number, CallPresentation presentation, std::uint8_t mode);

    // The network: MO setup progress, remote answer, remote release.
    CallError alert(std::uint8_t id);
    CallError remote_answer(std::uint8_t id);
    CallError remote_release(std::uint8_t id, std::uint16_t reason);

    // The host: answer a ringing call (active calls go on hold), release one
    // call, or a call-hold operation (`id` for 1X and 2X).
    CallError answer(std::uint8_t id);
    CallError release(std::uint8_t id, std::uint16_t reason);
    CallError hold(CallHold op, std::optional<std::uint8_t> id, std::uint16_t reason);

    // Every live call ends at once (radio off).
    void end_all(std::uint16_t reason);
    // Disconnecting -> Ended; true if any call moved.
    bool finish_disconnecting();
    void forget_ended();
    void clear() { calls_.clear(); }

    const std::vector<Call> &calls() const { return calls_; }
    const Call *find(std::uint8_t id) const;
    // The call DTMF goes to when the host names none: the single active
    // call (or the first of a multiparty call).
    std::optional<std::uint8_t> active_call() const;
    bool any_live() const;

  private:
    Call *live_call(std::uint8_t id);
    std::vector<Call *> in_state(CallState state);
    Call *ringing_call();
    Call *setup_call();
    std::optional<std::uint8_t> free_id() const;
    void end(Call &call, std::uint16_t reason, bool local);
    void set_state(std::vector<Call *> calls, CallState state);
    // A multiparty call of one party is an ordinary call.
    void fix_multiparty();
    CallResult add(Call call);

    std::vector<Call> calls_; // sorted by id
};

// Settings from the control socket; they survive resets.
struct VoiceSettings {
    unsigned alert_delay_ms = 100;
    unsigned answer_delay_ms = 1000;
    bool auto_answer = true;
    unsigned ussd_delay_ms = 200;
    bool ussd_utf16 = true;                  // add the UTF-16 TLVs to USSD answers
    std::set<std::string> emergency_numbers; // besides 112 and 911
    std::map<std::string, std::string> ussd_replies{{"*100#", "Your balance is 42.00"}};

    bool is_emergency(std::string_view number) const;
};

// What the host did, for "get voice.*".
struct VoiceRecords {
    std::vector<std::string> dialled;
    std::map<std::uint8_t, std::string> dtmf; // per call id, reset when the id is reused
    std::optional<std::uint8_t> last_dtmf_call;
    unsigned ussd_count = 0;
    std::string ussd_last;
};

struct VoiceState {
    VoiceSettings settings;
    VoiceRecords records;
    CallModel calls;
};

// Names used on the control socket.
std::string call_state_name(CallState state); // "origination", "active", ...
std::optional<CallPresentation> parse_presentation(std::string_view text);
// "1:active:mo:+15551234567[:mpty]" for each call, space-separated.
std::string describe_calls(const std::vector<Call> &calls);

} // namespace qmisim
