/* libqmi 1.32 declares a few helpers in its qmi-enums-*.h headers without
 * extern "C" (qmi_nas_read_string_from_plmn_encoded_array,
 * qmi_wds_verbose_call_end_reason_get_string), so C++ code cannot link
 * them. This one C translation unit re-exports them with C linkage. */
#pragma once

#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Decodes a NITZ/ONS network name (GSM 7-bit packed or UCS-2 LE) to a
 * newly allocated UTF-8 string (g_free), or NULL. */
gchar *qmi_shim_decode_plmn_name(int encoding, const GArray *encoded);

/* libqmi's name for a WDS verbose call end reason, or NULL. */
const gchar *qmi_shim_wds_verbose_call_end_reason(int type, int reason);

#ifdef __cplusplus
}
#endif
