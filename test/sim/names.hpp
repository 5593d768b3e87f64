// Text <-> value conversions shared by the log and the control protocol.
#pragma once

#include <libqmi-glib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qmisim
{

// "dms" <-> QMI_SERVICE_DMS (libqmi's names, case-insensitive).
std::optional<QmiService> parse_service(std::string_view name);
std::string service_name(QmiService service);

// Protocol error by number (decimal or 0x hex) or name ("not-supported",
// "NotSupported", "not_supported" are all accepted).
std::optional<QmiProtocolError> parse_protocol_error(std::string_view text);
// Kebab-case name, e.g. "not-provisioned".
std::string protocol_error_name(QmiProtocolError error);

std::optional<QmiDmsOperatingMode> parse_operating_mode(std::string_view name);
std::string operating_mode_name(QmiDmsOperatingMode mode);

// Unsigned number, decimal or 0x-prefixed hex, that fits in max.
std::optional<std::uint32_t> parse_number(std::string_view text, std::uint32_t max);

} // namespace qmisim
