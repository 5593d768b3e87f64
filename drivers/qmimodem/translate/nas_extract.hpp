// libqmi NAS outputs -> the plain values of nas.hpp. One function serves a
// response and its indication (same TLVs, different libqmi types).
#pragma once

#include "nas.hpp"

#include <libqmi-glib.h>

namespace qmi {

ServingSystem extract_serving_system(QmiMessageNasGetServingSystemOutput *out);
ServingSystem extract_serving_system(QmiIndicationNasServingSystemOutput *out);
SignalInfo extract_signal_info(QmiMessageNasGetSignalInfoOutput *out);
SignalInfo extract_signal_info(QmiIndicationNasSignalInfoOutput *out);
std::optional<NetworkTime> extract_network_time(QmiIndicationNasNetworkTimeOutput *out);

} // namespace qmi
