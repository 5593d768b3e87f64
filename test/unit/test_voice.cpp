// QMI VOICE -> oFono voicecall: every call state, direction, presentation
// and end reason, and what goes into Dial Call and DTMF.
#include "translate/voice.hpp"

#include <libqmi-glib.h>
#include <ofono/types.h>

#include <catch2/catch.hpp>

using namespace qmi;

TEST_CASE("call states", "[voice]")
{
    CHECK(to_call_status(QMI_VOICE_CALL_STATE_ORIGINATION) == call_status::kDialing);
    CHECK(to_call_status(QMI_VOICE_CALL_STATE_CC_IN_PROGRESS) == call_status::kDialing);
    CHECK(to_call_status(QMI_VOICE_CALL_STATE_ALERTING) == call_status::kAlerting);
    CHECK(to_call_status(QMI_VOICE_CALL_STATE_INCOMING) == call_status::kIncoming);
    CHECK(to_call_status(QMI_VOICE_CALL_STATE_SETUP) == call_status::kIncoming);
    CHECK(to_call_status(QMI_VOICE_CALL_STATE_WAITING) == call_status::kWaiting);
    CHECK(to_call_status(QMI_VOICE_CALL_STATE_CONVERSATION) == call_status::kActive);
    CHECK(to_call_status(QMI_VOICE_CALL_STATE_HOLD) == call_status::kHeld);
    CHECK(to_call_status(QMI_VOICE_CALL_STATE_DISCONNECTING) == call_status::kActive);
    CHECK_FALSE(to_call_status(QMI_VOICE_CALL_STATE_END));
    CHECK_FALSE(to_call_status(QMI_VOICE_CALL_STATE_UNKNOWN));
    CHECK_FALSE(to_call_status(0x7F));
}

TEST_CASE("direction and caller id validity", "[voice]")
{
    CHECK(to_direction(QMI_VOICE_CALL_DIRECTION_MO) == kDirectionOriginated);
    CHECK(to_direction(QMI_VOICE_CALL_DIRECTION_MT) == kDirectionTerminated);
    CHECK(to_direction(QMI_VOICE_CALL_DIRECTION_UNKNOWN) == kDirectionOriginated);
    CHECK(to_clip_validity(QMI_VOICE_PRESENTATION_ALLOWED) == kClipValid);
    CHECK(to_clip_validity(QMI_VOICE_PRESENTATION_RESTRICTED) == kClipWithheld);
    CHECK(to_clip_validity(QMI_VOICE_PRESENTATION_UNAVAILABLE) == kClipNotAvailable);
    CHECK(to_clip_validity(QMI_VOICE_PRESENTATION_PAYPHONE) == kClipNotAvailable);
}

TEST_CASE("end reasons", "[voice]")
{
    CHECK(to_disconnect_reason(QMI_VOICE_CALL_END_REASON_CLIENT_END, false) ==
          OFONO_DISCONNECT_REASON_LOCAL_HANGUP);
    CHECK(to_disconnect_reason(QMI_VOICE_CALL_END_REASON_NORMAL_CALL_CLEARING, false) ==
          OFONO_DISCONNECT_REASON_REMOTE_HANGUP);
    CHECK(to_disconnect_reason(QMI_VOICE_CALL_END_REASON_NORMAL_CALL_CLEARING, true) ==
          OFONO_DISCONNECT_REASON_LOCAL_HANGUP);
    CHECK(to_disconnect_reason(QMI_VOICE_CALL_END_REASON_USER_BUSY, false) ==
          OFONO_DISCONNECT_REASON_REMOTE_HANGUP);
    CHECK(to_disconnect_reason(QMI_VOICE_CALL_END_REASON_NETWORK_END, false) ==
          OFONO_DISCONNECT_REASON_REMOTE_HANGUP);
    CHECK(to_disconnect_reason(QMI_VOICE_CALL_END_REASON_NO_SERVICE, false) ==
          OFONO_DISCONNECT_REASON_ERROR);
    CHECK(to_disconnect_reason(QMI_VOICE_CALL_END_REASON_FADE, false) ==
          OFONO_DISCONNECT_REASON_ERROR);
    CHECK(to_disconnect_reason(-1, false) == OFONO_DISCONNECT_REASON_UNKNOWN);
    CHECK(to_disconnect_reason(-1, true) == OFONO_DISCONNECT_REASON_LOCAL_HANGUP);
}

TEST_CASE("dial strings", "[voice]")
{
    CHECK(dial_string("15551234", 129, OFONO_CLIR_OPTION_DEFAULT) == "15551234");
    CHECK(dial_string("15551234", 145, OFONO_CLIR_OPTION_DEFAULT) == "+15551234");
    CHECK(dial_string("+15551234", 129, OFONO_CLIR_OPTION_DEFAULT) == "+15551234");
    CHECK(dial_string("15551234", 129, OFONO_CLIR_OPTION_INVOCATION) == "#31#15551234");
    CHECK(dial_string("15551234", 145, OFONO_CLIR_OPTION_SUPPRESSION) == "*31#+15551234");
    CHECK(dial_string("*100#", 129, OFONO_CLIR_OPTION_DEFAULT) == "*100#");
    CHECK_FALSE(dial_string("", 129, OFONO_CLIR_OPTION_DEFAULT));
    CHECK_FALSE(dial_string("+", 145, OFONO_CLIR_OPTION_DEFAULT));
    CHECK_FALSE(dial_string("555-1234", 129, OFONO_CLIR_OPTION_DEFAULT));
    CHECK_FALSE(dial_string(std::string(81, '1'), 129, OFONO_CLIR_OPTION_DEFAULT));
}

TEST_CASE("DTMF digits", "[voice]")
{
    CHECK(dtmf_digits("1234567890*#") == "1234567890*#");
    CHECK(dtmf_digits("abcd") == "ABCD");
    CHECK_FALSE(dtmf_digits(""));
    CHECK_FALSE(dtmf_digits("12p3"));
    CHECK_FALSE(dtmf_digits("E"));
}
