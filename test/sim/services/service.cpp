#include "service.hpp"

namespace qmisim
{

MessagePtr Service::handle(QmiMessage *request)
{
    const auto it = handlers_.find(qmi_message_get_message_id(request));
    if (it == handlers_.end())
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_QMI_COMMAND);
    return it->second(request);
}

MessagePtr Service::success(QmiMessage *request)
{
    return MessagePtr{qmi_message_response_new(request, QMI_PROTOCOL_ERROR_NONE)};
}

MessagePtr Service::failure(QmiMessage *request, QmiProtocolError error)
{
    return MessagePtr{qmi_message_response_new(request, error)};
}

std::map<std::uint8_t, ClientInfo> &Service::clients()
{
    return state().clients[id_];
}

void Service::notify(const std::string &subscription, std::uint16_t message_id,
                     const std::function<void(QmiMessage *)> &fill)
{
    for (const auto &[cid, info] : clients())
        if (info.subscriptions.contains(subscription))
            send_to(cid, message_id, fill);
}

void Service::send_to(std::uint8_t cid, std::uint16_t message_id,
                      const std::function<void(QmiMessage *)> &fill)
{
    MessagePtr indication = make_indication(id_, cid, message_id);
    fill(indication.get());
    host_.send_indication(std::move(indication));
}

} // namespace qmisim
