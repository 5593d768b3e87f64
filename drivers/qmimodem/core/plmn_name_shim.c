#include "plmn_name_shim.h"

#include <libqmi-glib.h>

gchar *qmi_shim_decode_plmn_name(int encoding, const GArray *encoded)
{
    if (!encoded || encoded->len == 0)
        return NULL;
    return qmi_nas_read_string_from_plmn_encoded_array((QmiNasPlmnEncodingScheme)encoding, encoded);
}
