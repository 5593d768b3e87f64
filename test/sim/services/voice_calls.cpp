#include "voice_calls.hpp"

#include <algorithm>

namespace qmisim
{

CallResult CallModel::add(Call call)
{
    const auto id = free_id();
    if (!id)
        return {CallError::NoFreeId};
    call.id = *id;
    const auto at =
        std::find_if(calls_.begin(), calls_.end(), [&](const Call &c) { return c.id > call.id; });
    calls_.insert(at, std::move(call));
    return {CallError::None, *id};
}

CallResult CallModel::dial(std::string number, bool emergency, std::uint8_t mode)
{
    const Call *ringing = ringing_call();
    if (setup_call() || (ringing && ringing->state == CallState::Incoming))
        return {CallError::WrongState};
    const auto active = in_state(CallState::Active);
    if (!active.empty() && !in_state(CallState::Held).empty())
        return {CallError::WrongState};
    if (!free_id())
        return {CallError::NoFreeId};
    set_state(active, CallState::Held);
    Call call;
    call.state = CallState::Origination;
    call.direction = CallDirection::Outgoing;
    call.number = std::move(number);
    call.emergency = emergency;
    call.mode = mode;
    return add(std::move(call));
}

CallResult CallModel::incoming(std::string number, CallPresentation presentation, std::uint8_t mode)
{
    if (ringing_call())
        return {CallError::WrongState};
    Call call;
    call.state = any_live() ? CallState::Waiting : CallState::Incoming;
    call.direction = CallDirection::Incoming;
    call.number = std::move(number);
    call.presentation = presentation;
    call.mode = mode;
    return add(std::move(call));
}

CallError CallModel::alert(std::uint8_t id)
{
    Call *call = live_call(id);
    if (!call)
        return CallError::NoSuchCall;
    if (call->state != CallState::Origination)
        return CallError::WrongState;
    call->state = CallState::Alerting;
    return CallError::None;
}

CallError CallModel::remote_answer(std::uint8_t id)
{
    Call *call = live_call(id);
    if (!call)
        return CallError::NoSuchCall;
    if (!call->setting_up())
        return CallError::WrongState;
    call->state = CallState::Active;
    return CallError::None;
}

CallError CallModel::remote_release(std::uint8_t id, std::uint16_t reason)
{
    Call *call = live_call(id);
    if (!call)
        return CallError::NoSuchCall;
    end(*call, reason, false);
    fix_multiparty();
    return CallError::None;
}

CallError CallModel::answer(std::uint8_t id)
{
    Call *call = live_call(id);
    if (!call)
        return CallError::NoSuchCall;
    if (!call->ringing())
        return CallError::WrongState;
    if (call->state == CallState::Waiting) {
        const auto active = in_state(CallState::Active);
        if (setup_call() || (!active.empty() && !in_state(CallState::Held).empty()))
            return CallError::WrongState;
        set_state(active, CallState::Held);
    }
    call->state = CallState::Active;
    return CallError::None;
}

CallError CallModel::release(std::uint8_t id, std::uint16_t reason)
{
    Call *call = live_call(id);
    if (!call)
        return CallError::NoSuchCall;
    end(*call, reason, true);
    fix_multiparty();
    return CallError::None;
}

CallError CallModel::hold(CallHold op, std::optional<std::uint8_t> id, std::uint16_t reason)
{
    const auto active = in_state(CallState::Active);
    const auto held = in_state(CallState::Held);
    Call *ringing = ringing_call();
    Call *setup = setup_call();
    auto end_all_of = [&](const std::vector<Call *> &calls) {
        for (Call *call : calls)
            end(*call, reason, true);
    };

    switch (op) {
    case CallHold::ReleaseHeldOrWaiting:
        if (ringing)
            end(*ringing, reason, true);
        else if (!held.empty())
            end_all_of(held);
        else
            return CallError::WrongState;
        break;

    case CallHold::ReleaseActiveAcceptOther:
        if (active.empty() && !setup && !ringing && held.empty())
            return CallError::WrongState;
        end_all_of(active);
        if (setup)
            end(*setup, reason, true);
        if (ringing)
            ringing->state = CallState::Active;
        else
            set_state(held, CallState::Active);
        break;

    case CallHold::ReleaseSpecific: {
        Call *call = id ? live_call(*id) : nullptr;
        if (!call)
            return CallError::NoSuchCall;
        end(*call, reason, true);
        break;
    }

    case CallHold::HoldActiveAcceptOther:
        if (setup)
            return CallError::WrongState;
        if (ringing) {
            if (!active.empty() && !held.empty())
                return CallError::WrongState;
            set_state(active, CallState::Held);
            ringing->state = CallState::Active;
        } else {
            if (active.empty() && held.empty())
                return CallError::WrongState;
            set_state(active, CallState::Held);
            set_state(held, CallState::Active);
        }
        break;

    case CallHold::HoldAllExceptSpecific: {
        Call *call = id ? live_call(*id) : nullptr;
        if (!call)
            return CallError::NoSuchCall;
        if (call->state != CallState::Active || !call->multiparty || !held.empty())
            return CallError::WrongState;
        for (Call *other : active)
            if (other != call)
                other->state = CallState::Held;
        call->multiparty = false;
        break;
    }

    case CallHold::Conference:
        if (active.empty() || held.empty())
            return CallError::WrongState;
        if (active.size() + held.size() > kMaxParties)
            return CallError::TooManyParties;
        for (Call *call : active)
            call->multiparty = true;
        for (Call *call : held) {
            call->state = CallState::Active;
            call->multiparty = true;
        }
        break;

    case CallHold::ExplicitTransfer: {
        // The other leg: the active call, or an MO call the remote party hears ringing.
        Call *other = nullptr;
        if (active.size() == 1)
            other = active[0];
        else if (active.empty() && setup && setup->state == CallState::Alerting)
            other = setup;
        if (held.size() != 1 || !other)
            return CallError::WrongState;
        end(*held[0], reason, true);
        end(*other, reason, true);
        break;
    }

    case CallHold::ReleaseAll:
        if (!any_live())
            return CallError::WrongState;
        for (Call &call : calls_)
            if (call.live())
                end(call, reason, true);
        break;
    }
    fix_multiparty();
    return CallError::None;
}

void CallModel::end_all(std::uint16_t reason)
{
    for (Call &call : calls_)
        if (call.live())
            end(call, reason, false);
}

bool CallModel::finish_disconnecting()
{
    bool moved = false;
    for (Call &call : calls_) {
        if (call.state == CallState::Disconnecting) {
            call.state = CallState::Ended;
            moved = true;
        }
    }
    return moved;
}

void CallModel::forget_ended()
{
    std::erase_if(calls_, [](const Call &call) { return call.state == CallState::Ended; });
}

const Call *CallModel::find(std::uint8_t id) const
{
    const auto it =
        std::find_if(calls_.begin(), calls_.end(), [id](const Call &c) { return c.id == id; });
    return it == calls_.end() ? nullptr : &*it;
}

std::optional<std::uint8_t> CallModel::active_call() const
{
    for (const Call &call : calls_)
        if (call.state == CallState::Active)
            return call.id;
    return std::nullopt;
}

bool CallModel::any_live() const
{
    return std::any_of(calls_.begin(), calls_.end(), [](const Call &c) { return c.live(); });
}

Call *CallModel::live_call(std::uint8_t id)
{
    for (Call &call : calls_)
        if (call.id == id && call.live())
            return &call;
    return nullptr;
}

std::vector<Call *> CallModel::in_state(CallState state)
{
    std::vector<Call *> found;
    for (Call &call : calls_)
        if (call.state == state)
            found.push_back(&call);
    return found;
}

Call *CallModel::ringing_call()
{
    for (Call &call : calls_)
        if (call.ringing())
            return &call;
    return nullptr;
}

Call *CallModel::setup_call()
{
    for (Call &call : calls_)
        if (call.setting_up())
            return &call;
    return nullptr;
}

std::optional<std::uint8_t> CallModel::free_id() const
{
    for (std::uint8_t id = 1; id <= kMaxId; id++)
        if (!find(id))
            return id;
    return std::nullopt;
}

void CallModel::end(Call &call, std::uint16_t reason, bool local)
{
    call.state = local ? CallState::Disconnecting : CallState::Ended;
    call.end_reason = reason;
    call.multiparty = false;
}

void CallModel::set_state(std::vector<Call *> calls, CallState state)
{
    for (Call *call : calls)
        call->state = state;
}

void CallModel::fix_multiparty()
{
    for (const CallState state : {CallState::Active, CallState::Held}) {
        const auto group = in_state(state);
        const auto parties =
            std::count_if(group.begin(), group.end(), [](const Call *c) { return c->multiparty; });
        if (parties == 1)
            for (Call *call : group)
                call->multiparty = false;
    }
}

bool VoiceSettings::is_emergency(std::string_view number) const
{
    return number == "112" || number == "911" || emergency_numbers.contains(std::string{number});
}

std::string call_state_name(CallState state)
{
    switch (state) {
    case CallState::Origination:
        return "origination";
    case CallState::Alerting:
        return "alerting";
    case CallState::Active:
        return "active";
    case CallState::Held:
        return "held";
    case CallState::Incoming:
        return "incoming";
    case CallState::Waiting:
        return "waiting";
    case CallState::Disconnecting:
        return "disconnecting";
    case CallState::Ended:
        return "ended";
    }
    return "unknown";
}

std::optional<CallPresentation> parse_presentation(std::string_view text)
{
    if (text == "allowed")
        return CallPresentation::Allowed;
    if (text == "restricted")
        return CallPresentation::Restricted;
    if (text == "unavailable")
        return CallPresentation::Unavailable;
    if (text == "payphone")
        return CallPresentation::Payphone;
    return std::nullopt;
}

std::string describe_calls(const std::vector<Call> &calls)
{
    std::string out;
    for (const Call &call : calls) {
        if (!out.empty())
            out += ' ';
        out += std::to_string(call.id) + ':' + call_state_name(call.state) + ':' +
               (call.direction == CallDirection::Outgoing ? "mo" : "mt") + ':' + call.number;
        if (call.multiparty)
            out += ":mpty";
    }
    return out;
}

} // namespace qmisim
