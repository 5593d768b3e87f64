/* libqmi 1.32 declares qmi_nas_read_string_from_plmn_encoded_array in
 * qmi-enums-nas.h without extern "C", so C++ code cannot link it. This one
 * C translation unit re-exports it with C linkage for the C++ side. */
#pragma once

#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Decodes a NITZ/ONS network name (GSM 7-bit packed or UCS-2 LE) to a
 * newly allocated UTF-8 string (g_free), or NULL. */
gchar *qmi_shim_decode_plmn_name(int encoding, const GArray *encoded);

#ifdef __cplusplus
}
#endif
