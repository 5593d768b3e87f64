// The one place for QMI messages libqmi 1.32 has no typed API for. Each is
// built with libqmi's raw message API (qmi_message_new + TLV writers) and
// sent with qmi_device_command_full; the reply's result TLV is read with
// libqmi too. Nothing else in the tree writes TLVs by hand.
#pragma once

#include "lifetime.hpp"
#include "move_function.hpp"

#include <libqmi-glib.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qmi
{

struct UimFileRef {
    int session_type = 0;          // QmiUimSessionType
    std::vector<std::uint8_t> aid; // empty for provisioning/card sessions
    std::uint16_t file_id = 0;
    std::vector<std::uint8_t> path; // QMI order (little-endian ids)
};

using RawDone = MoveFunction<void(const GError *)>;

// UIM Write Transparent (0x0022) and Write Record (0x0023).
void uim_write_transparent(const Lifetime &life, QmiDevice *device, QmiClient *uim,
                           const UimFileRef &file, std::uint16_t offset,
                           const std::vector<std::uint8_t> &data, RawDone done);
void uim_write_record(const Lifetime &life, QmiDevice *device, QmiClient *uim,
                      const UimFileRef &file, std::uint16_t record,
                      const std::vector<std::uint8_t> &data, RawDone done);

// WMS Get SMSC Address (0x0034): type ("145") and address ("+15550000000").
using SmscDone =
    MoveFunction<void(const GError *, const std::string &type, const std::string &address)>;
void wms_get_smsc_address(const Lifetime &life, QmiDevice *device, QmiClient *wms, SmscDone done);
// WMS Set SMSC Address (0x0035); an empty type leaves the modem's choice.
void wms_set_smsc_address(const Lifetime &life, QmiDevice *device, QmiClient *wms,
                          const std::string &address, const std::string &type, RawDone done);

// WMS Get / Set Domain Preference (0x0040 / 0x0041): the GSM/WCDMA SMS
// bearer, 0 CS preferred, 1 PS preferred, 2 CS only, 3 PS only.
using DomainDone = MoveFunction<void(const GError *, int domain)>;
void wms_get_domain_preference(const Lifetime &life, QmiDevice *device, QmiClient *wms,
                               DomainDone done);
void wms_set_domain_preference(const Lifetime &life, QmiDevice *device, QmiClient *wms, int domain,
                               RawDone done);

// VOICE All Call Status indication (0x002E) TLV 0x14, Call End Reason
// {u8 count, [u8 call id, u16 QmiVoiceCallEndReason]}, which libqmi 1.32
// does not decode: call id -> reason. Empty for any other message.
std::map<int, int> voice_call_end_reasons(QmiMessage *indication);

} // namespace qmi
