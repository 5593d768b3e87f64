// WDS message ids and TLV layouts (libqmi 1.32, data/qmi-service-wds.json;
// Reset Profile To Default, which libqmi 1.32 lacks, is oFono's layout).
#pragma once

#include "../qmux.hpp"
#include "wds_sessions.hpp"

#include <libqmi-glib.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace qmisim::wds
{

inline constexpr std::uint16_t kReset = 0x0000;
inline constexpr std::uint16_t kSetEventReport = 0x0001;
inline constexpr std::uint16_t kAbort = 0x0002;
inline constexpr std::uint16_t kStartNetwork = 0x0020;
inline constexpr std::uint16_t kStopNetwork = 0x0021;
inline constexpr std::uint16_t kPacketServiceStatus = 0x0022; // request and indication
inline constexpr std::uint16_t kGetChannelRates = 0x0023;
inline constexpr std::uint16_t kCreateProfile = 0x0027;
inline constexpr std::uint16_t kModifyProfile = 0x0028;
inline constexpr std::uint16_t kDeleteProfile = 0x0029;
inline constexpr std::uint16_t kGetProfileList = 0x002A;
inline constexpr std::uint16_t kGetProfileSettings = 0x002B;
inline constexpr std::uint16_t kGetDefaultSettings = 0x002C;
inline constexpr std::uint16_t kGetCurrentSettings = 0x002D;
inline constexpr std::uint16_t kGetDataBearerTechnology = 0x0037;
inline constexpr std::uint16_t kGetCurrentDataBearerTechnology = 0x0044;
inline constexpr std::uint16_t kGetDefaultProfileNumber = 0x0049;
inline constexpr std::uint16_t kSetDefaultProfileNumber = 0x004A;
inline constexpr std::uint16_t kResetProfileToDefault = 0x004B;
inline constexpr std::uint16_t kSetIpFamily = 0x004D;
inline constexpr std::uint16_t kGetLteAttachParameters = 0x0085;
inline constexpr std::uint16_t kBindMuxDataPort = 0x00A2;

// Call end reason TLVs 0x10 (QmiWdsCallEndReason) and 0x11 verbose {u16
// QmiWdsVerboseCallEndReasonType, i16 reason}: the same ids in the Start
// Network response and the Packet Service Status indication.
struct EndReason {
    std::uint16_t reason = QMI_WDS_CALL_END_REASON_GENERIC_UNSPECIFIED;
    std::uint16_t verbose_type = QMI_WDS_VERBOSE_CALL_END_REASON_TYPE_INTERNAL;
    std::int16_t verbose_reason = QMI_WDS_VERBOSE_CALL_END_REASON_INTERNAL_UNKNOWN_CAUSE;
};
void write_end_reason(QmiMessage *message, const EndReason &reason);

// A string that fills its TLV; nullopt when absent.
std::optional<std::string> read_string_tlv(QmiMessage *message, std::uint8_t type);
std::optional<std::uint32_t> read_u32_tlv(QmiMessage *message, std::uint8_t type);
void write_u32_tlv(QmiMessage *message, std::uint8_t type, std::uint32_t value);

// Start Network's TLVs: 0x14 APN, 0x16 authentication, 0x17 user name,
// 0x18 password, 0x19 IP family, 0x31 3GPP profile.
CallRequest read_call_request(QmiMessage *request);

// Packet Service Status indication: 0x01 {status, reconfiguration required},
// 0x10/0x11 when it ended, 0x12 IP family.
void write_packet_service_status(QmiMessage *indication, bool connected, IpFamily family,
                                 const std::optional<EndReason> &ended);

// Get Current Settings of a connected session, limited to `mask`
// (QmiWdsRequestedSettings).
void write_current_settings(QmiMessage *response, std::uint32_t mask, const Session &session,
                            const WdsProfile *profile, const PacketNetwork &network);

// Create/Modify Profile fields: 0x10 name, 0x11 PDP type, 0x14 APN,
// 0x1B user name, 0x1C password, 0x1D authentication. The others (QoS,
// DNS preferences, ...) are accepted and not kept.
ProfileUpdate read_profile_update(QmiMessage *request);
// Get Profile Settings / Get Default Settings.
void write_profile_settings(QmiMessage *response, const WdsProfile &profile);
// Get Profile List 0x01: u8 count, {u8 type, u8 index, u8-prefixed name}.
void write_profile_list(QmiMessage *response, const std::map<std::uint8_t, WdsProfile> &profiles);
// 0xE0 Extended Error Code (QmiWdsDsProfileError), with `extended-internal`.
MessagePtr profile_error(QmiMessage *request, QmiWdsDsProfileError error);

} // namespace qmisim::wds
