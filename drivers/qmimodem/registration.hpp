// The only place that knows how oFono finds drivers. oFono 1.x (Debian 12,
// Sailfish, Ubuntu Touch) takes external drivers through
// ofono_*_driver_register; an oFono 2.x build would replace this file with
// OFONO_ATOM_DRIVER_BUILTIN tables, leaving the atoms untouched.
#pragma once

namespace qmi {

inline constexpr const char *kDriverName = "qmi";

int register_drivers();
void unregister_drivers();

} // namespace qmi
