#include "modem_state.hpp"

namespace qmisim
{

namespace
{
// 0 is "no client" and 0xFF is broadcast in QMUX.
constexpr unsigned kMaxCid = 0xFE;
} // namespace

std::optional<std::uint8_t> ModemState::allocate_client(QmiService service)
{
    auto &in_use = clients[service];
    unsigned cid = last_cid[service];
    for (unsigned tries = 0; tries < kMaxCid; tries++) {
        cid = cid % kMaxCid + 1;
        if (!in_use.contains(static_cast<std::uint8_t>(cid))) {
            last_cid[service] = static_cast<std::uint8_t>(cid);
            in_use.emplace(static_cast<std::uint8_t>(cid), ClientInfo{});
            return static_cast<std::uint8_t>(cid);
        }
    }
    return std::nullopt;
}

bool ModemState::release_client(QmiService service, std::uint8_t cid)
{
    const auto it = clients.find(service);
    return it != clients.end() && it->second.erase(cid) > 0;
}

ClientInfo *ModemState::client(QmiService service, std::uint8_t cid)
{
    const auto it = clients.find(service);
    if (it == clients.end())
        return nullptr;
    const auto client = it->second.find(cid);
    return client == it->second.end() ? nullptr : &client->second;
}

std::size_t ModemState::client_count(std::optional<QmiService> service) const
{
    std::size_t n = 0;
    for (const auto &[id, cids] : clients)
        if (!service || *service == id)
            n += cids.size();
    return n;
}

void ModemState::boot()
{
    clients.clear();
    last_cid.clear();
    operating_mode = QMI_DMS_OPERATING_MODE_LOW_POWER;
    nas.camp = Camp{};
    nas.preferences = nas.persistent_preferences;
    card.power_up(sim_init_delay_ms > 0);
}

} // namespace qmisim
