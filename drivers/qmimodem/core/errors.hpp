// The one place where a failed QMI request becomes an ofono_error.
#pragma once

#include <glib.h>
#include <libqmi-glib.h>
#include <ofono/types.h>

#include <string>

namespace qmi
{

using OfonoError = struct ofono_error;

// QMI protocol errors map through a table (errors.cpp); transport errors
// (timeout, device gone, garbage on the wire) are plain failures.
OfonoError to_ofono_error(const GError *error);

bool is_protocol_error(const GError *error, QmiProtocolError code);
// Any error the modem itself answered with (not a timeout or a lost port).
bool is_protocol_error(const GError *error);

// "QMI protocol error 26 (NoEffect)" / "core error: Transaction timed out":
// for log lines, never carrying request contents.
std::string describe(const GError *error);

} // namespace qmi
