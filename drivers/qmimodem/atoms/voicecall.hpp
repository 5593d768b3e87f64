// voicecall atom over QMI VOICE. The modem owns the calls: every change
// arrives as an All Call Status indication (Get All Call Info at start-up
// for calls already there), which is compared with what oFono was told and
// turned into ofono_voicecall_notify / _disconnected. Requests only ask the
// modem (Dial, Answer, End Call, Manage Calls for 22.030 CHLD); their
// effect comes back through the indication. DTMF goes one digit at a time
// with Start/Stop Continuous DTMF.
#pragma once

#include "core/device.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"
#include "core/signal_connection.hpp"

#include <ofono/voicecall.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace qmi
{

class VoicecallAtom
{
  public:
    using Cb = OfonoCallback<ofono_voicecall_cb_t>;

    VoicecallAtom(ofono_voicecall *atom, Device &device);
    ~VoicecallAtom();
    VoicecallAtom(const VoicecallAtom &) = delete;
    VoicecallAtom &operator=(const VoicecallAtom &) = delete;

    void dial(const ofono_phone_number *number, ofono_clir_option clir, Cb cb);
    void answer(Cb cb);
    void hangup_active(Cb cb);
    void hangup_all(Cb cb);
    void hold_all_active(Cb cb);
    void release_all_held(Cb cb);
    void set_udub(Cb cb);
    void release_all_active(Cb cb);
    void release_specific(int id, Cb cb);
    void private_chat(int id, Cb cb);
    void create_multiparty(Cb cb);
    void transfer(Cb cb);
    void swap_without_accept(Cb cb);
    void send_tones(const char *tones, Cb cb);

    const Lifetime &lifetime() const { return life_; }

    // One call as the modem reports it (plain values, QMI enums as ints).
    struct ModemCall {
        int id = 0;
        int state = 0;
        int direction = 0;
        bool multiparty = false;
        std::string number;
        int presentation = -1; // -1: no number reported
    };

  private:
    void on_client(QmiClient *client);
    // Get All Call Info -> apply(), then `then`.
    void read_calls(MoveFunction<void()> then);
    void on_all_call_status(QmiIndicationVoiceAllCallStatusOutput *out);
    void on_raw_indication(QmiMessage *message);
    // The modem is gone (device.hpp, on_loss): every call has ended.
    void on_modem_lost();
    // Brings oFono's view in line with the modem's list of calls.
    void apply(const std::vector<ModemCall> &calls);
    void end_calls(std::vector<int> ids, Cb cb);
    void manage(int service, std::optional<int> call_id, Cb cb);
    std::vector<int> ids_in(std::initializer_list<int> statuses) const;
    void next_tone();

    ofono_voicecall *atom_;
    Device &device_;
    GRef<QmiClientVoice> voice_;
    SignalConnection call_status_signal_;
    SignalConnection raw_indication_signal_;
    std::map<int, ofono_call> calls_; // what oFono was told, by call id
    std::set<int> local_hangup_;      // calls the user asked to end
    std::map<int, int> end_reasons_;  // from the raw indication, by call id
    struct Tones {
        int call_id;
        std::string digits;
        Cb cb;
    };
    std::optional<Tones> tones_;
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
