#include "ctl_service.hpp"

#include "../tlv.hpp"

namespace qmisim
{

namespace
{
constexpr std::uint8_t kTlvServiceInfo = 0x01;
constexpr std::uint8_t kTlvDataLinkProtocol = 0x10;
constexpr std::uint16_t kLinkProtocol8023 = 0x0001;
} // namespace

CtlService::CtlService(ServiceHost &host) : Service(QMI_SERVICE_CTL, {1, 5}, host)
{
    on(0x0021, &CtlService::get_version_info);
    on(0x0022, &CtlService::allocate_cid);
    on(0x0023, &CtlService::release_cid);
    on(0x0026, &CtlService::set_data_format);
    on(0x0027, &CtlService::sync);
    on(0xFF00, &CtlService::internal_proxy_open);
}

bool CtlService::is_enabled(QmiService service)
{
    for (const Service *s : host().enabled_services())
        if (s->id() == service && service != QMI_SERVICE_CTL)
            return true;
    return false;
}

MessagePtr CtlService::get_version_info(QmiMessage *request)
{
    const auto services = host().enabled_services();
    MessagePtr response = success(request);
    TlvWriter tlv{response.get(), kTlvServiceInfo};
    tlv.u8(static_cast<std::uint8_t>(services.size()));
    for (const Service *s : services)
        tlv.u8(static_cast<std::uint8_t>(s->id())).u16(s->version().major).u16(s->version().minor);
    tlv.done();
    return response;
}

MessagePtr CtlService::allocate_cid(QmiMessage *request)
{
    const auto service_byte = read_u8_tlv(request, kTlvServiceInfo);
    if (!service_byte)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto service = static_cast<QmiService>(*service_byte);
    if (!is_enabled(service))
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_SERVICE_TYPE);
    const auto cid = state().allocate_client(service);
    if (!cid)
        return failure(request, QMI_PROTOCOL_ERROR_CLIENT_IDS_EXHAUSTED);
    host().client_allocated(service, *cid);
    MessagePtr response = success(request);
    TlvWriter{response.get(), kTlvServiceInfo}.u8(*service_byte).u8(*cid).done();
    return response;
}

MessagePtr CtlService::release_cid(QmiMessage *request)
{
    const auto info = read_u8_pair_tlv(request, kTlvServiceInfo);
    if (!info)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto [service, cid] = *info;
    if (!state().release_client(static_cast<QmiService>(service), cid))
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_CLIENT_ID);
    MessagePtr response = success(request);
    TlvWriter{response.get(), kTlvServiceInfo}.u8(service).u8(cid).done();
    return response;
}

MessagePtr CtlService::set_data_format(QmiMessage *request)
{
    // The response must carry the link protocol; echo what the host asked for.
    const auto protocol = read_u16_tlv(request, kTlvDataLinkProtocol).value_or(kLinkProtocol8023);
    MessagePtr response = success(request);
    TlvWriter{response.get(), kTlvDataLinkProtocol}.u16(protocol).done();
    return response;
}

MessagePtr CtlService::sync(QmiMessage *request)
{
    state().clients.clear();
    return success(request);
}

MessagePtr CtlService::internal_proxy_open(QmiMessage *request)
{
    // Sent by libqmi when it talks through qmi-proxy; nothing to do here.
    return success(request);
}

} // namespace qmisim
