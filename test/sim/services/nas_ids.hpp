// NAS message ids and the subscription names that Register Indications sets.
#pragma once

#include <cstdint>
#include <string>

namespace qmisim::nas
{

// Messages (requests, and indications where noted).
inline constexpr std::uint16_t kReset = 0x0000;
inline constexpr std::uint16_t kAbort = 0x0001;
inline constexpr std::uint16_t kEventReport = 0x0002; // Set Event Report + indication
inline constexpr std::uint16_t kRegisterIndications = 0x0003;
inline constexpr std::uint16_t kGetSignalStrength = 0x0020;
inline constexpr std::uint16_t kNetworkScan = 0x0021;
inline constexpr std::uint16_t kInitiateNetworkRegister = 0x0022;
inline constexpr std::uint16_t kServingSystem = 0x0024; // Get + indication
inline constexpr std::uint16_t kGetHomeNetwork = 0x0025;
inline constexpr std::uint16_t kSetTechnologyPreference = 0x002A;
inline constexpr std::uint16_t kGetTechnologyPreference = 0x002B;
inline constexpr std::uint16_t kSetSystemSelectionPreference = 0x0033;
inline constexpr std::uint16_t kSystemSelectionPreference = 0x0034; // Get + indication
inline constexpr std::uint16_t kGetOperatorName = 0x0039;
inline constexpr std::uint16_t kOperatorNameIndication = 0x003A;
inline constexpr std::uint16_t kNetworkTimeIndication = 0x004C;
inline constexpr std::uint16_t kGetSystemInfo = 0x004D;
inline constexpr std::uint16_t kSystemInfoIndication = 0x004E;
inline constexpr std::uint16_t kGetSignalInfo = 0x004F;
inline constexpr std::uint16_t kConfigSignalInfo = 0x0050;
inline constexpr std::uint16_t kSignalInfoIndication = 0x0051;

// ClientInfo::subscriptions entries, one per Register Indications TLV.
inline const std::string kSubSystemSelection = "system-selection-preference"; // 0x10
inline const std::string kSubServingSystem = "serving-system";                // 0x13
inline const std::string kSubNetworkTime = "network-time";                    // 0x17
inline const std::string kSubSystemInfo = "system-info";                      // 0x18
inline const std::string kSubSignalInfo = "signal-info";                      // 0x19
inline const std::string kSubCurrentPlmnName = "current-plmn-name";           // 0x1E

} // namespace qmisim::nas
