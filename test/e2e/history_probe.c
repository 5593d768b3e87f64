/*
 * history_probe: a test-only oFono plugin (never installed) that writes
 * what oFono's history API hears to the log, so end-to-end tests can see
 * what a call-log or messaging app would be told: SMS send status
 * (delivery reports) and ended or missed calls.
 */
#define OFONO_API_SUBJECT_TO_CHANGE
#include <time.h>

#include <ofono/history.h>
#include <ofono/log.h>
#include <ofono/plugin.h>
#include <ofono/types.h>
#include <ofono/version.h>

static int probe(struct ofono_history_context *context) { return 0; }
static void remove_context(struct ofono_history_context *context) {}

static void call_ended(struct ofono_history_context *context, const struct ofono_call *call,
                       time_t start, time_t end)
{
    ofono_info("history-probe: call %u ended, number %s", call->id, call->phone_number.number);
}

static void call_missed(struct ofono_history_context *context, const struct ofono_call *call,
                        time_t when)
{
    ofono_info("history-probe: call %u missed, number %s", call->id, call->phone_number.number);
}

static void sms_send_pending(struct ofono_history_context *context, const struct ofono_uuid *uuid,
                             const char *to, time_t when, const char *text)
{
    ofono_info("history-probe: sms %s pending to %s", ofono_uuid_to_str(uuid), to);
}

static void sms_send_status(struct ofono_history_context *context, const struct ofono_uuid *uuid,
                            time_t when, enum ofono_history_sms_status status)
{
    static const char *const names[] = {"pending",   "submitted", "submit-failed",
                                        "cancelled", "delivered", "deliver-failed"};
    const char *name = (unsigned)status < sizeof(names) / sizeof(names[0]) ? names[status] : "?";
    ofono_info("history-probe: sms %s status %s", ofono_uuid_to_str(uuid), name);
}

static struct ofono_history_driver driver = {
    .name = "history-probe",
    .probe = probe,
    .remove = remove_context,
    .call_ended = call_ended,
    .call_missed = call_missed,
    .sms_send_pending = sms_send_pending,
    .sms_send_status = sms_send_status,
};

static int history_probe_init(void) { return ofono_history_driver_register(&driver); }
static void history_probe_exit(void) { ofono_history_driver_unregister(&driver); }

OFONO_PLUGIN_DEFINE(history_probe, "test-only history probe", OFONO_VERSION,
                    OFONO_PLUGIN_PRIORITY_DEFAULT, history_probe_init, history_probe_exit)
