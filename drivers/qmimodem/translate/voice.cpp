#include "voice.hpp"

#include <libqmi-glib.h>

#include <algorithm>
#include <cctype>

namespace qmi
{
namespace
{
// enum ofono_disconnect_reason and enum ofono_clir_option (ofono/types.h).
constexpr int kReasonUnknown = 0, kReasonLocal = 1, kReasonRemote = 2, kReasonError = 3;
constexpr int kClirInvocation = 1, kClirSuppression = 2;
constexpr int kTypeInternational = 145;
constexpr std::size_t kMaxDialDigits = 80; // QMI_VOICE_NUMBER_MAX
} // namespace

std::optional<int> to_call_status(int qmi_state)
{
    switch (qmi_state) {
    case QMI_VOICE_CALL_STATE_ORIGINATION:
    case QMI_VOICE_CALL_STATE_CC_IN_PROGRESS:
        return call_status::kDialing;
    case QMI_VOICE_CALL_STATE_ALERTING:
        return call_status::kAlerting;
    case QMI_VOICE_CALL_STATE_INCOMING:
    case QMI_VOICE_CALL_STATE_SETUP:
        return call_status::kIncoming;
    case QMI_VOICE_CALL_STATE_WAITING:
        return call_status::kWaiting;
    case QMI_VOICE_CALL_STATE_CONVERSATION:
        return call_status::kActive;
    case QMI_VOICE_CALL_STATE_HOLD:
        return call_status::kHeld;
    case QMI_VOICE_CALL_STATE_DISCONNECTING:
        // Still there until "end"; keep it where the user left it.
        return call_status::kActive;
    default:
        return std::nullopt;
    }
}

int to_direction(int qmi_direction)
{
    return qmi_direction == QMI_VOICE_CALL_DIRECTION_MT ? kDirectionTerminated
                                                        : kDirectionOriginated;
}

int to_clip_validity(int qmi_presentation)
{
    switch (qmi_presentation) {
    case QMI_VOICE_PRESENTATION_ALLOWED:
        return kClipValid;
    case QMI_VOICE_PRESENTATION_RESTRICTED:
        return kClipWithheld;
    default:
        return kClipNotAvailable;
    }
}

int to_disconnect_reason(int qmi_end_reason, bool local)
{
    switch (qmi_end_reason) {
    case QMI_VOICE_CALL_END_REASON_CLIENT_END:
        return kReasonLocal;
    case QMI_VOICE_CALL_END_REASON_NORMAL_CALL_CLEARING:
    case QMI_VOICE_CALL_END_REASON_NORMAL_UNSPECIFIED:
    case QMI_VOICE_CALL_END_REASON_RELEASE_NORMAL:
    case QMI_VOICE_CALL_END_REASON_NETWORK_END:
    case QMI_VOICE_CALL_END_REASON_USER_BUSY:
        // The network clears a call we released with the same cause.
        return local ? kReasonLocal : kReasonRemote;
    case -1:
        return local ? kReasonLocal : kReasonUnknown;
    default:
        return local ? kReasonLocal : kReasonError;
    }
}

std::optional<std::string> dial_string(const std::string &number, int type, int clir_option)
{
    std::string digits = number;
    bool international = type == kTypeInternational;
    if (!digits.empty() && digits[0] == '+') {
        international = true;
        digits.erase(0, 1);
    }
    const bool dialable = !digits.empty() && digits.size() <= kMaxDialDigits &&
                          std::all_of(digits.begin(), digits.end(), [](char c) {
                              return std::isdigit(static_cast<unsigned char>(c)) || c == '*' ||
                                     c == '#' || c == 'p' || c == 'w' || c == 'P' || c == 'W';
                          });
    if (!dialable)
        return std::nullopt;
    std::string out = international ? "+" + digits : digits;
    if (clir_option == kClirInvocation)
        return "#31#" + out;
    if (clir_option == kClirSuppression)
        return "*31#" + out;
    return out;
}

std::optional<std::string> dtmf_digits(const std::string &tones)
{
    std::string out;
    for (char c : tones) {
        const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (!std::isdigit(static_cast<unsigned char>(u)) && u != '*' && u != '#' &&
            (u < 'A' || u > 'D'))
            return std::nullopt;
        out += u;
    }
    if (out.empty())
        return std::nullopt;
    return out;
}

} // namespace qmi
