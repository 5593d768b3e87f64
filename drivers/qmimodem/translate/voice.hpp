// Pure translation between QMI VOICE values and oFono's voicecall values.
// No I/O: covered by test/unit/test_voice.cpp.
#pragma once

#include <optional>
#include <string>

namespace qmi
{

// oFono's call status (its core's enum call_status, which is 27.007 +CLCC
// <stat> plus "disconnected"); not exported in oFono's public headers.
namespace call_status
{
inline constexpr int kActive = 0, kHeld = 1, kDialing = 2, kAlerting = 3, kIncoming = 4,
                     kWaiting = 5, kDisconnected = 6;
}
// oFono's call direction and CLIP validity (27.007 +CLCC <dir>, +CLIP).
inline constexpr int kDirectionOriginated = 0, kDirectionTerminated = 1;
inline constexpr int kClipValid = 0, kClipWithheld = 1, kClipNotAvailable = 2;

// QmiVoiceCallState -> call status; nullopt for "end" and unknown states
// (the call is gone, or not yet worth showing).
std::optional<int> to_call_status(int qmi_state);
int to_direction(int qmi_direction);
int to_clip_validity(int qmi_presentation);

// QmiVoiceCallEndReason -> enum ofono_disconnect_reason. `local` says the
// user asked to end this call (End Call / Manage Calls from oFono).
int to_disconnect_reason(int qmi_end_reason, bool local);

// What goes into Dial Call's number: '+' for international numbers, and the
// 22.030 CLIR prefix (#31# hide, *31# show) since libqmi 1.32's Dial Call
// has no CLIR field. nullopt for an empty or non-dialable number.
std::optional<std::string> dial_string(const std::string &number, int type, int clir_option);

// A DTMF string oFono passes (0-9 * # A-D, pauses already handled by the
// core): nullopt if it holds anything else.
std::optional<std::string> dtmf_digits(const std::string &tones);

} // namespace qmi
