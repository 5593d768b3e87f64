#include "voicecall.hpp"

#include "core/errors.hpp"
#include "core/join.hpp"
#include "core/qmi_call.hpp"
#include "core/raw_messages.hpp"
#include "core/wire_enum.hpp"
#include "translate/voice.hpp"

#include <ofono/log.h>

#include <cstring>

namespace qmi
{
namespace
{

constexpr unsigned kToneMs = 150; // each DTMF digit sounds this long
constexpr unsigned kToneGapMs = 60;

// Call Information + Remote Party Number, from the indication and from Get
// All Call Info alike (same layout, different libqmi types).
template <typename InfoElement, typename NumberElement>
std::vector<VoicecallAtom::ModemCall> extract_calls(GArray *info, GArray *numbers)
{
    std::vector<VoicecallAtom::ModemCall> calls;
    for (guint i = 0; info && i < info->len; ++i) {
        const auto &c = g_array_index(info, InfoElement, i);
        VoicecallAtom::ModemCall call;
        call.id = c.id;
        call.state = wire(c.state);
        call.direction = wire(c.direction);
        call.multiparty = c.multipart_indicator;
        calls.push_back(call);
    }
    for (guint i = 0; numbers && i < numbers->len; ++i) {
        const auto &n = g_array_index(numbers, NumberElement, i);
        for (auto &call : calls)
            if (call.id == n.id) {
                call.number = n.type ? n.type : "";
                call.presentation = wire(n.presentation_indicator);
            }
    }
    return calls;
}

ofono_call to_ofono_call(const VoicecallAtom::ModemCall &m, int status)
{
    ofono_call call;
    ofono_call_init(&call);
    call.id = static_cast<unsigned>(m.id);
    call.type = 0; // voice
    call.direction = to_direction(m.direction);
    call.status = status;
    std::string number = m.number;
    call.phone_number.type = 129;
    if (!number.empty() && number[0] == '+') {
        number.erase(0, 1);
        call.phone_number.type = 145;
    }
    std::strncpy(call.phone_number.number, number.c_str(), OFONO_MAX_PHONE_NUMBER_LENGTH);
    call.clip_validity = m.presentation < 0 ? kClipNotAvailable : to_clip_validity(m.presentation);
    if (call.clip_validity == kClipValid && number.empty())
        call.clip_validity = kClipNotAvailable;
    call.cnap_validity = kClipNotAvailable;
    return call;
}

bool same(const ofono_call &a, const ofono_call &b)
{
    return a.status == b.status && a.direction == b.direction &&
           a.clip_validity == b.clip_validity &&
           std::strcmp(a.phone_number.number, b.phone_number.number) == 0;
}

} // namespace

VoicecallAtom::VoicecallAtom(ofono_voicecall *atom, Device &device) : atom_(atom), device_(device)
{
    device_.on_loss(life_, [this] { on_modem_lost(); });
    device_.allocate(life_, QMI_SERVICE_VOICE,
                     [this](QmiClient *client, const GError *) { on_client(client); });
}

VoicecallAtom::~VoicecallAtom()
{
    life_.end();
}

void VoicecallAtom::on_client(QmiClient *client)
{
    if (!client) {
        ofono_error("voicecall: no VOICE client; calls unavailable");
        return ofono_voicecall_remove(atom_); // deletes this
    }
    voice_ = GRef<QmiClientVoice>::ref(QMI_CLIENT_VOICE(client));
    call_status_signal_ =
        connect_signal<&VoicecallAtom::on_all_call_status, QmiIndicationVoiceAllCallStatusOutput *>(
            voice_.get(), "all-call-status", this);
    // libqmi 1.32 does not decode the end reasons: read them off the frame.
    raw_indication_signal_ = connect_signal<&VoicecallAtom::on_raw_indication, QmiMessage *>(
        device_.raw(), QMI_DEVICE_SIGNAL_INDICATION, this);

    auto input = QMI_INPUT(voice, indication_register);
    qmi_message_voice_indication_register_input_set_call_notification_events(input.get(), TRUE,
                                                                             nullptr);
    Join both(2, [this] { ofono_voicecall_register(atom_); });
    call(life_, voice_.get(), QMI_REQUEST(voice, indication_register), input.get(),
         [both](Reply<QmiMessageVoiceIndicationRegisterOutput> r) {
             if (!r.ok())
                 ofono_warn("voicecall: Indication Register: %s", describe(r.error()).c_str());
             both();
         });
    // Calls that exist already (ofonod restarted during a call).
    read_calls([both] { both(); });
    // A call whose indication was lost while the host was waking up.
    device_.power().watch(life_, {{}, [this] { read_calls([] {}); }});
}

void VoicecallAtom::read_calls(MoveFunction<void()> then)
{
    call(life_, voice_.get(), QMI_REQUEST(voice, get_all_call_info), nullptr,
         [this, then = std::move(then)](Reply<QmiMessageVoiceGetAllCallInfoOutput> r) mutable {
             then();
             GArray *info = nullptr, *numbers = nullptr;
             if (!r.ok())
                 return ofono_warn("voicecall: Get All Call Info: %s", describe(r.error()).c_str());
             qmi_message_voice_get_all_call_info_output_get_call_information(r.get(), &info,
                                                                             nullptr);
             qmi_message_voice_get_all_call_info_output_get_remote_party_number(r.get(), &numbers,
                                                                                nullptr);
             apply(extract_calls<QmiMessageVoiceGetAllCallInfoOutputCallInformationCall,
                                 QmiMessageVoiceGetAllCallInfoOutputRemotePartyNumberCall>(
                 info, numbers));
         });
}

void VoicecallAtom::on_modem_lost()
{
    // oFono drops the calls of a removed atom without a word (no
    // CallRemoved, no DisconnectReason): a phone UI must hear they ended.
    if (tones_) {
        auto tones = std::move(*tones_);
        tones_.reset();
        tones.cb.fail();
    }
    const auto calls = std::move(calls_);
    calls_.clear();
    local_hangup_.clear();
    end_reasons_.clear();
    for (const auto &[id, call] : calls) {
        DBG("voicecall: call %d ended with the modem", id);
        ofono_voicecall_disconnected(atom_, id, OFONO_DISCONNECT_REASON_ERROR, nullptr);
    }
}

void VoicecallAtom::on_raw_indication(QmiMessage *message)
{
    const guint8 cid = qmi_message_get_client_id(message);
    if (!voice_ || (cid != qmi_client_get_cid(QMI_CLIENT(voice_.get())) && cid != 0xFF))
        return;
    for (const auto &[id, reason] : voice_call_end_reasons(message))
        end_reasons_[id] = reason;
}

void VoicecallAtom::on_all_call_status(QmiIndicationVoiceAllCallStatusOutput *out)
{
    GArray *info = nullptr, *numbers = nullptr;
    // The call list is optional to libqmi; an indication without it is not
    // "no calls" (that would end every call): it says nothing.
    if (!qmi_indication_voice_all_call_status_output_get_call_information(out, &info, nullptr)) {
        ofono_warn("voicecall: All Call Status without the call list; ignored");
        return;
    }
    qmi_indication_voice_all_call_status_output_get_remote_party_number(out, &numbers, nullptr);
    auto calls =
        extract_calls<QmiIndicationVoiceAllCallStatusOutputCallInformationCall,
                      QmiIndicationVoiceAllCallStatusOutputRemotePartyNumberCall>(info, numbers);
    // The raw copy of this indication (end reasons) may be dispatched after
    // this typed one: act once both have been seen.
    life_.defer([this, calls = std::move(calls)] { apply(calls); });
}

void VoicecallAtom::apply(const std::vector<ModemCall> &calls)
{
    auto disconnect = [this](int id) {
        const auto reason_it = end_reasons_.find(id);
        const int qmi_reason = reason_it == end_reasons_.end() ? -1 : reason_it->second;
        const bool local = local_hangup_.erase(id) > 0;
        DBG("voicecall: call %d ended (%s)", id,
            qmi_reason < 0 ? "no reason given"
                           : qmi_voice_call_end_reason_get_string(
                                 static_cast<QmiVoiceCallEndReason>(qmi_reason)));
        ofono_voicecall_disconnected(
            atom_, id,
            static_cast<ofono_disconnect_reason>(to_disconnect_reason(qmi_reason, local)), nullptr);
        calls_.erase(id);
        end_reasons_.erase(id);
    };

    std::set<int> present;
    unsigned mpty = 0;
    for (const auto &m : calls) {
        const auto status = to_call_status(m.state);
        if (!status) {
            if (calls_.count(m.id))
                disconnect(m.id);
            continue;
        }
        present.insert(m.id);
        if (m.multiparty && m.id < 32)
            mpty |= 1u << m.id;
        const ofono_call call = to_ofono_call(m, *status);
        auto it = calls_.find(m.id);
        if (it != calls_.end() && same(it->second, call))
            continue;
        calls_[m.id] = call;
        ofono_voicecall_notify(atom_, &call);
    }
    // A call the modem no longer lists has ended without an "end" entry.
    std::vector<int> gone;
    for (const auto &[id, call] : calls_)
        if (!present.count(id))
            gone.push_back(id);
    for (int id : gone)
        disconnect(id);
    if (mpty)
        ofono_voicecall_mpty_hint(atom_, mpty);
}

std::vector<int> VoicecallAtom::ids_in(std::initializer_list<int> statuses) const
{
    std::vector<int> ids;
    for (const auto &[id, call] : calls_)
        for (int s : statuses)
            if (call.status == s)
                ids.push_back(id);
    return ids;
}

// ---- requests -------------------------------------------------------------------

void VoicecallAtom::dial(const ofono_phone_number *number, ofono_clir_option clir, Cb cb)
{
    const auto digits = number ? dial_string(number->number, number->type, clir) : std::nullopt;
    if (!digits) {
        ofono_warn("voicecall: refusing to dial a malformed number");
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    }
    auto input = QMI_INPUT(voice, dial_call);
    qmi_message_voice_dial_call_input_set_calling_number(input.get(), digits->c_str(), nullptr);
    call(life_, voice_.get(), QMI_REQUEST(voice, dial_call), input.get(),
         [cb = std::move(cb)](Reply<QmiMessageVoiceDialCallOutput> r) mutable {
             if (!r.ok()) {
                 ofono_warn("voicecall: Dial Call: %s", describe(r.error()).c_str());
                 return cb.fail(to_ofono_error(r.error()));
             }
             cb.succeed();
         });
}

void VoicecallAtom::answer(Cb cb)
{
    const auto incoming = ids_in({call_status::kIncoming});
    if (incoming.empty())
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    auto input = QMI_INPUT(voice, answer_call);
    qmi_message_voice_answer_call_input_set_call_id(input.get(),
                                                    static_cast<guint8>(incoming.front()), nullptr);
    call(life_, voice_.get(), QMI_REQUEST(voice, answer_call), input.get(),
         [cb = std::move(cb)](Reply<QmiMessageVoiceAnswerCallOutput> r) mutable {
             if (!r.ok())
                 return cb.fail(to_ofono_error(r.error()));
             cb.succeed();
         });
}

void VoicecallAtom::end_calls(std::vector<int> ids, Cb cb)
{
    if (ids.empty())
        return life_.defer([cb = std::move(cb)]() mutable { cb.succeed(); });
    const int id = ids.back();
    ids.pop_back();
    local_hangup_.insert(id);
    auto input = QMI_INPUT(voice, end_call);
    qmi_message_voice_end_call_input_set_call_id(input.get(), static_cast<guint8>(id), nullptr);
    call(life_, voice_.get(), QMI_REQUEST(voice, end_call), input.get(),
         [this, ids = std::move(ids),
          cb = std::move(cb)](Reply<QmiMessageVoiceEndCallOutput> r) mutable {
             if (!r.ok()) {
                 ofono_warn("voicecall: End Call: %s", describe(r.error()).c_str());
                 return cb.fail(to_ofono_error(r.error()));
             }
             end_calls(std::move(ids), std::move(cb));
         });
}

void VoicecallAtom::hangup_active(Cb cb)
{
    end_calls(ids_in({call_status::kActive, call_status::kDialing, call_status::kAlerting,
                      call_status::kIncoming}),
              std::move(cb));
}

void VoicecallAtom::hangup_all(Cb cb)
{
    end_calls(ids_in({call_status::kActive, call_status::kDialing, call_status::kAlerting,
                      call_status::kIncoming, call_status::kHeld}),
              std::move(cb));
}

void VoicecallAtom::manage(int service, std::optional<int> call_id, Cb cb)
{
    auto input = QMI_INPUT(voice, manage_calls);
    qmi_message_voice_manage_calls_input_set_service_type(
        input.get(), static_cast<QmiVoiceSupplementaryServiceType>(service), nullptr);
    if (call_id)
        qmi_message_voice_manage_calls_input_set_call_id(input.get(), static_cast<guint8>(*call_id),
                                                         nullptr);
    call(life_, voice_.get(), QMI_REQUEST(voice, manage_calls), input.get(),
         [service, cb = std::move(cb)](Reply<QmiMessageVoiceManageCallsOutput> r) mutable {
             if (!r.ok()) {
                 ofono_warn("voicecall: Manage Calls (%s): %s",
                            qmi_voice_supplementary_service_type_get_string(
                                static_cast<QmiVoiceSupplementaryServiceType>(service)),
                            describe(r.error()).c_str());
                 return cb.fail(to_ofono_error(r.error()));
             }
             cb.succeed();
         });
}

void VoicecallAtom::hold_all_active(Cb cb)
{
    manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_HOLD_ACTIVE_ACCEPT_WAITING_OR_HELD, std::nullopt,
           std::move(cb));
}

void VoicecallAtom::release_all_held(Cb cb)
{
    for (int id : ids_in({call_status::kHeld}))
        local_hangup_.insert(id);
    manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_RELEASE_HELD_OR_WAITING, std::nullopt,
           std::move(cb));
}

void VoicecallAtom::set_udub(Cb cb)
{
    for (int id : ids_in({call_status::kWaiting}))
        local_hangup_.insert(id);
    manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_RELEASE_HELD_OR_WAITING, std::nullopt,
           std::move(cb));
}

void VoicecallAtom::release_all_active(Cb cb)
{
    for (int id : ids_in({call_status::kActive}))
        local_hangup_.insert(id);
    manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_RELEASE_ACTIVE_ACCEPT_HELD_OR_WAITING, std::nullopt,
           std::move(cb));
}

// End Call reaches a held call too, which 22.030's 1X is not sure to.
void VoicecallAtom::release_specific(int id, Cb cb)
{
    end_calls({id}, std::move(cb));
}

void VoicecallAtom::private_chat(int id, Cb cb)
{
    manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_HOLD_ALL_EXCEPT_SPECIFIED_CALL, id, std::move(cb));
}

void VoicecallAtom::create_multiparty(Cb cb)
{
    manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_MAKE_CONFERENCE_CALL, std::nullopt, std::move(cb));
}

void VoicecallAtom::transfer(Cb cb)
{
    manage(QMI_VOICE_SUPPLEMENTARY_SERVICE_TYPE_EXPLICIT_CALL_TRANSFER, std::nullopt,
           std::move(cb));
}

void VoicecallAtom::swap_without_accept(Cb cb)
{
    // QMI's swap also accepts a waiting call: refuse rather than answer it.
    if (!ids_in({call_status::kWaiting}).empty())
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    hold_all_active(std::move(cb));
}

// ---- DTMF ---------------------------------------------------------------------

void VoicecallAtom::send_tones(const char *tones, Cb cb)
{
    const auto digits = dtmf_digits(tones ? tones : "");
    const auto active = ids_in({call_status::kActive});
    if (!digits || active.empty() || tones_) {
        ofono_warn("voicecall: cannot send DTMF \"%s\"%s", tones ? tones : "",
                   active.empty() ? " without an active call" : "");
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    }
    tones_ = Tones{active.front(), *digits, std::move(cb)};
    next_tone();
}

void VoicecallAtom::next_tone()
{
    if (tones_->digits.empty()) {
        Cb cb = std::move(tones_->cb);
        tones_.reset();
        return cb.succeed();
    }
    const char digit = tones_->digits.front();
    tones_->digits.erase(0, 1);
    const auto id = static_cast<guint8>(tones_->call_id);
    auto start = QMI_INPUT(voice, start_continuous_dtmf);
    qmi_message_voice_start_continuous_dtmf_input_set_data(start.get(), id,
                                                           static_cast<guint8>(digit), nullptr);
    call(life_, voice_.get(), QMI_REQUEST(voice, start_continuous_dtmf), start.get(),
         [this, id](Reply<QmiMessageVoiceStartContinuousDtmfOutput> r) {
             if (!r.ok()) {
                 ofono_warn("voicecall: DTMF: %s", describe(r.error()).c_str());
                 Cb cb = std::move(tones_->cb);
                 tones_.reset();
                 return cb.fail(to_ofono_error(r.error()));
             }
             life_.after(kToneMs, [this, id] {
                 auto stop = QMI_INPUT(voice, stop_continuous_dtmf);
                 qmi_message_voice_stop_continuous_dtmf_input_set_data(stop.get(), id, nullptr);
                 call(life_, voice_.get(), QMI_REQUEST(voice, stop_continuous_dtmf), stop.get(),
                      [this](Reply<QmiMessageVoiceStopContinuousDtmfOutput>) {
                          life_.after(kToneGapMs, [this] { next_tone(); });
                      });
             });
         });
}

} // namespace qmi
