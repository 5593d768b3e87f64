#include "errors.hpp"

#include <array>

namespace qmi
{
namespace
{

// 3GPP TS 27.007 +CME ERROR codes oFono understands.
enum Cme : int {
    kCmeNotAllowed = 3,
    kCmeNotSupported = 4,
    kCmeSimNotInserted = 10,
    kCmeSimPinRequired = 11,
    kCmeSimPukRequired = 12,
    kCmeSimFailure = 13,
    kCmeSimBusy = 14,
    kCmeIncorrectPassword = 16,
    kCmeNotFound = 22,
    kCmeTextTooLong = 24,
    kCmeDialStringTooLong = 26,
    kCmeNoNetworkService = 30,
    kCmeNetworkTimeout = 31,
    kCmeEmergencyOnly = 32,
    kCmeUnknown = 100,
};

struct Mapping {
    QmiProtocolError qmi;
    int cme;
};

// Seeded with oFono's own qmimodem mapping (DEVICE_UNSUPPORTED -> 4,
// ACCESS_DENIED -> 32) and extended for the SIM and network cases.
constexpr std::array kProtocolToCme{
    Mapping{QMI_PROTOCOL_ERROR_DEVICE_UNSUPPORTED, kCmeNotSupported},
    Mapping{QMI_PROTOCOL_ERROR_NOT_SUPPORTED, kCmeNotSupported},
    Mapping{QMI_PROTOCOL_ERROR_INVALID_QMI_COMMAND, kCmeNotSupported},
    Mapping{QMI_PROTOCOL_ERROR_ACCESS_DENIED, kCmeEmergencyOnly},
    Mapping{QMI_PROTOCOL_ERROR_INCORRECT_PIN, kCmeIncorrectPassword},
    Mapping{QMI_PROTOCOL_ERROR_PIN_BLOCKED, kCmeSimPukRequired},
    Mapping{QMI_PROTOCOL_ERROR_PIN_ALWAYS_BLOCKED, kCmeSimFailure},
    Mapping{QMI_PROTOCOL_ERROR_UIM_UNINITIALIZED, kCmeSimBusy},
    Mapping{QMI_PROTOCOL_ERROR_NO_SIM, kCmeSimNotInserted},
    Mapping{QMI_PROTOCOL_ERROR_SIM_FILE_NOT_FOUND, kCmeNotFound},
    Mapping{QMI_PROTOCOL_ERROR_NO_NETWORK_FOUND, kCmeNoNetworkService},
    Mapping{QMI_PROTOCOL_ERROR_NETWORK_NOT_READY, kCmeNoNetworkService},
    Mapping{QMI_PROTOCOL_ERROR_ARGUMENT_TOO_LONG, kCmeTextTooLong},
    Mapping{QMI_PROTOCOL_ERROR_INVALID_TRANSITION, kCmeNotAllowed},
    Mapping{QMI_PROTOCOL_ERROR_INCOMPATIBLE_STATE, kCmeNotAllowed},
    Mapping{QMI_PROTOCOL_ERROR_HARDWARE_RESTRICTED, kCmeNotAllowed},
};

} // namespace

OfonoError to_ofono_error(const GError *error)
{
    if (error && error->domain == QMI_PROTOCOL_ERROR) {
        for (const auto &m : kProtocolToCme)
            if (error->code == static_cast<int>(m.qmi))
                return {OFONO_ERROR_TYPE_CME, m.cme};
    }
    return {OFONO_ERROR_TYPE_FAILURE, 0};
}

bool is_protocol_error(const GError *error, QmiProtocolError code)
{
    return error && error->domain == QMI_PROTOCOL_ERROR && error->code == static_cast<int>(code);
}

bool is_protocol_error(const GError *error)
{
    return error && error->domain == QMI_PROTOCOL_ERROR;
}

std::string describe(const GError *error)
{
    if (!error)
        return "no error";
    std::string text = error->domain == QMI_PROTOCOL_ERROR
                           ? "QMI protocol error " + std::to_string(error->code) + ": "
                           : std::string{};
    return text + (error->message ? error->message : "unknown");
}

} // namespace qmi
