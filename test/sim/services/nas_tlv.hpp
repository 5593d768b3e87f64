// NAS TLV encoders: each writes the TLVs of one message (response or
// indication) from the NAS views, with libqmi 1.32's ids and layouts
// (data/qmi-service-nas.json).
#pragma once

#include "../nas_state.hpp"

#include <libqmi-glib.h>

#include <cstdint>
#include <string>
#include <vector>

namespace qmisim
{

enum class ServingSystemKind { Response, Indication }; // the TLV ids differ

void write_serving_system(QmiMessage *message, const RegistrationView &view,
                          ServingSystemKind kind);
void write_system_info(QmiMessage *message, const RegistrationView &view);
void write_signal_info(QmiMessage *message, const SignalView &signal);
// Get Signal Strength: TLV 0x01 plus what the request mask asks for.
void write_signal_strength(QmiMessage *message, const SignalView &signal,
                           std::uint16_t request_mask);
// Event Report indication fields.
void write_event_signal_strength(QmiMessage *message, const SignalView &signal);
void write_event_rssi(QmiMessage *message, const SignalView &signal);
void write_event_lte_rsrp(QmiMessage *message, const SignalView &signal);
void write_event_lte_snr(QmiMessage *message, const SignalView &signal);
// Get System Selection Preference and its indication share the TLV ids.
void write_system_selection_preference(QmiMessage *message, const NasPreferences &prefs);
void write_home_network(QmiMessage *message, const Plmn &plmn, const std::string &name);

struct OperatorNames {
    std::string spn;        // service provider name (from the "SIM")
    std::string long_name;  // NITZ full name, may be empty
    std::string short_name; // NITZ short name, may be empty
};
void write_operator_name(QmiMessage *message, const OperatorNames &names);

struct NetworkTime {
    std::uint16_t year;
    std::uint8_t month;
    std::uint8_t day;
    std::uint8_t hour;
    std::uint8_t minute;
    std::uint8_t second;
    std::uint8_t day_of_week; // Monday = 0
    std::int8_t tz_quarter_hours;
    std::uint8_t dst_hours;
    Rat rat;
};
void write_network_time(QmiMessage *message, const NetworkTime &time);

struct ScanEntry {
    Plmn plmn;
    std::string name;
    std::uint8_t status; // QmiNasNetworkStatus bits
    Rat rat;
};
void write_scan_results(QmiMessage *message, const std::vector<ScanEntry> &entries);

} // namespace qmisim
