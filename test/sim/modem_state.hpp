// The simulated modem's state, shared by all services. Plain data plus client
// bookkeeping; services own the behaviour.
#pragma once

#include "card.hpp"
#include "nas_state.hpp"
#include "services/voice_calls.hpp"
#include "services/wds_sessions.hpp"
#include "wms_state.hpp"

#include <libqmi-glib.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace qmisim
{

// Survives resets and re-plugs: it is burnt into the device.
struct DmsIdentity {
    std::string manufacturer = "QUALCOMM INCORPORATED";
    std::string model = "QMI-SIM EG25";
    std::string revision = "EG25GGBR07A08M2G";
    std::string imei = "867698040123456";
    std::string esn;
    std::string meid;
    std::string hardware_revision = "10000";
    std::string msisdn; // empty: not provisioned
};

// One allocated client id. `subscriptions` holds the indications the client
// registered for, named by the service ("operating-mode", ...).
struct ClientInfo {
    std::set<std::string> subscriptions;
    NasClientConfig nas; // NAS clients only
};

struct ModemState {
    DmsIdentity dms;
    QmiDmsOperatingMode operating_mode = QMI_DMS_OPERATING_MODE_LOW_POWER;
    NasState nas;
    // The SIM in the slot. It stays across resets; a reset powers it up again.
    Card card;
    // Power-up to application ready; 0 skips the "detected" phase.
    unsigned sim_init_delay_ms = 0;
    // SMS storage, routes and the network's pending messages (wms_state.hpp).
    WmsState wms;

    // Calls, voice settings and what the host dialled (services/voice_calls.hpp).
    VoiceState voice;

    // Profiles, the packet network, data sessions and WDA's data format
    // (services/wds_sessions.hpp).
    WdsState wds;

    // Services besides CTL that the modem advertises and accepts.
    std::set<QmiService> enabled_services{QMI_SERVICE_DMS, QMI_SERVICE_NAS, QMI_SERVICE_UIM};

    std::map<QmiService, std::map<std::uint8_t, ClientInfo>> clients;
    std::map<QmiService, std::uint8_t> last_cid;

    // Sequential per service from 1, skipping ids in use; nullopt when exhausted.
    std::optional<std::uint8_t> allocate_client(QmiService service);
    bool release_client(QmiService service, std::uint8_t cid);
    ClientInfo *client(QmiService service, std::uint8_t cid);
    std::size_t client_count(std::optional<QmiService> service = std::nullopt) const;

    // Fresh boot: no clients, low-power, not camped, NAS preferences back to
    // their persistent values, the SIM powered up again (PINs unverified);
    // identity, the NAS world, the SIM's data and enabled services are kept.
    void boot();
};

} // namespace qmisim
