#include "libqmi_shim.h"

#include <libqmi-glib.h>

gchar *qmi_shim_decode_plmn_name(int encoding, const GArray *encoded)
{
    if (!encoded || encoded->len == 0)
        return NULL;
    return qmi_nas_read_string_from_plmn_encoded_array((QmiNasPlmnEncodingScheme)encoding, encoded);
}

const gchar *qmi_shim_wds_verbose_call_end_reason(int type, int reason)
{
    return qmi_wds_verbose_call_end_reason_get_string((QmiWdsVerboseCallEndReasonType)type,
                                                      (gint16)reason);
}
