// Quectel specifics of the auxiliary AT port (EG25-G and its family): what
// their QMI firmware does not offer. Pure, so unit tests cover it.
//
// Call audio: the EG25-G sends a call's audio over its digital audio
// interface (PCM) only as AT+QDAI configured it, and QMI has no message for
// that. The setting is stored in the modem and used after its next
// restart. PinePhone set-ups disagree on the value: eg25-manager (Mobian,
// postmarketOS; data/pine64,pinephone-1.*.toml) keeps 1,1,0,1,0,0,1,1
// (PCM, modem is clock slave, short frame sync, 256 kHz clock, 16-bit
// linear, 8 kHz, 1 slot, slot 1); megi's notes (xnux.eu) use 1,0,0,2,0,1,1,1
// (modem is master, 512 kHz, 16 kHz). So the plugin only sets it when
// qmi.conf says which (QuectelDai=), and otherwise only logs what the modem
// has.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace qmi
{

// eg25-manager's PinePhone value, the one README suggests.
inline constexpr std::string_view kPinePhoneQdai = "1,1,0,1,0,0,1,1";

// DMS Get Manufacturer says "Quectel" (any case, any suffix).
bool is_quectel(std::string_view manufacturer);

// A QuectelDai= value: 1 to 8 comma-separated numbers of at most 4 digits
// (AT+QDAI's io, mode, fsync, clock, format, sample, slots, slot mapping).
bool is_qdai_value(std::string_view value);

// "+QDAI: 1,1,0,1,0,0,1,1" -> "1,1,0,1,0,0,1,1"; nothing if the line is
// not a QDAI report.
std::optional<std::string> qdai_setting(std::string_view line);

} // namespace qmi
