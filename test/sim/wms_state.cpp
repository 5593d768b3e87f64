#include "wms_state.hpp"

namespace qmisim
{

std::optional<std::uint32_t> MessageStore::lowest_free() const
{
    for (std::uint32_t index = 0; index < capacity; index++)
        if (!messages.contains(index))
            return index;
    return std::nullopt;
}

std::size_t MessageStore::free_slots() const
{
    std::size_t used = 0;
    for (const auto &entry : messages)
        if (entry.first < capacity)
            used++;
    return capacity - used;
}

std::optional<std::uint32_t> MessageStore::add(StoredMessage message)
{
    const auto index = lowest_free();
    if (index)
        messages[*index] = std::move(message);
    return index;
}

std::map<QmiWmsMessageClass, WmsRoute> WmsState::default_routes()
{
    std::map<QmiWmsMessageClass, WmsRoute> routes;
    for (const auto c : {QMI_WMS_MESSAGE_CLASS_0, QMI_WMS_MESSAGE_CLASS_1, QMI_WMS_MESSAGE_CLASS_2,
                         QMI_WMS_MESSAGE_CLASS_3, QMI_WMS_MESSAGE_CLASS_NONE})
        routes[c] = WmsRoute{QMI_WMS_MESSAGE_TYPE_POINT_TO_POINT, c, QMI_WMS_STORAGE_TYPE_NV,
                             QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY};
    return routes;
}

MessageStore *WmsState::store(std::uint8_t storage_type)
{
    if (storage_type == QMI_WMS_STORAGE_TYPE_UIM)
        return &uim;
    if (storage_type == QMI_WMS_STORAGE_TYPE_NV)
        return &nv;
    return nullptr;
}

WmsRoute WmsState::route_for(QmiWmsMessageClass message_class) const
{
    const auto it = routes.find(message_class);
    WmsRoute route = it != routes.end() ? it->second : WmsRoute{};
    route.message_class = message_class;
    switch (route_override) {
    case RouteOverride::Store:
        route.action = QMI_WMS_RECEIPT_ACTION_STORE_AND_NOTIFY;
        if (route.storage != QMI_WMS_STORAGE_TYPE_UIM)
            route.storage = QMI_WMS_STORAGE_TYPE_NV;
        break;
    case RouteOverride::Transfer:
        route.action = QMI_WMS_RECEIPT_ACTION_TRANSFER_ONLY;
        route.storage = QMI_WMS_STORAGE_TYPE_NONE;
        break;
    case RouteOverride::None:
        break;
    }
    return route;
}

WmsRoute WmsState::status_report_route() const
{
    if (transfer_status_reports && route_override == RouteOverride::None)
        return WmsRoute{QMI_WMS_MESSAGE_TYPE_POINT_TO_POINT, QMI_WMS_MESSAGE_CLASS_NONE,
                        QMI_WMS_STORAGE_TYPE_NONE, QMI_WMS_RECEIPT_ACTION_TRANSFER_ONLY};
    return route_for(QMI_WMS_MESSAGE_CLASS_NONE);
}

void WmsState::boot()
{
    routes = default_routes();
    transfer_status_reports = false;
    for (PendingMt &pending : unacked) {
        pending.transaction.reset();
        pending.offered_to.clear();
        pending.nacked = false;
    }
}

} // namespace qmisim
