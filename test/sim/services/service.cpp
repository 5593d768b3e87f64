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

void Service::notify(const std::string &subscription, std::uint16_t message_id,
                     const std::function<void(QmiMessage *)> &fill)
{
    const auto clients = state().clients.find(id_);
    if (clients == state().clients.end())
        return;
    for (const auto &[cid, info] : clients->second) {
        if (!info.subscriptions.contains(subscription))
            continue;
        MessagePtr indication = make_indication(id_, cid, message_id);
        fill(indication.get());
        host_.send_indication(std::move(indication));
    }
}

} // namespace qmisim
