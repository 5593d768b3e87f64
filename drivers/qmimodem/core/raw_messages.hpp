// The one place for QMI messages libqmi 1.32 has no typed API for. Each is
// built with libqmi's raw message API (qmi_message_new + TLV writers) and
// sent with qmi_device_command_full; the reply's result TLV is read with
// libqmi too. Nothing else in the tree writes TLVs by hand.
#pragma once

#include "lifetime.hpp"
#include "move_function.hpp"

#include <libqmi-glib.h>

#include <cstdint>
#include <vector>

namespace qmi {

struct UimFileRef {
    int session_type = 0;           // QmiUimSessionType
    std::vector<std::uint8_t> aid;  // empty for provisioning/card sessions
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

} // namespace qmi
