#include "uim_service.hpp"

#include "uim_tlv.hpp"

namespace qmisim
{

using namespace uim;

namespace
{

const std::string kCardStatusSubscription = "card-status";

// Event registration bits this simulation accepts; SAP connection events are
// accepted but never raised.
constexpr std::uint32_t kSupportedEvents =
    QMI_UIM_EVENT_REGISTRATION_FLAG_CARD_STATUS | QMI_UIM_EVENT_REGISTRATION_FLAG_SAP_CONNECTION;

} // namespace

UimService::UimService(ServiceHost &host)
    : Service(QMI_SERVICE_UIM, {1, 46}, host), last_status_(state().card.status())
{
    on(kReset, &UimService::reset);
    on(kReadTransparent, &UimService::read_transparent);
    on(kReadRecord, &UimService::read_record);
    on(kWriteTransparent, &UimService::write_transparent);
    on(kWriteRecord, &UimService::write_record);
    on(kGetFileAttributes, &UimService::get_file_attributes);
    on(kSetPinProtection, &UimService::set_pin_protection);
    on(kVerifyPin, &UimService::verify_pin);
    on(kUnblockPin, &UimService::unblock_pin);
    on(kChangePin, &UimService::change_pin);
    on(kRegisterEvents, &UimService::register_events);
    on(kGetCardStatus, &UimService::get_card_status);
}

void UimService::on_card_changed()
{
    const CardStatus status = card().status();
    if (status == last_status_)
        return;
    last_status_ = status;
    notify(kCardStatusSubscription, kCardStatusIndication,
           [&status](QmiMessage *indication) { write_card_status(indication, status); });
}

void UimService::on_boot()
{
    init_timer_.reset();
    last_status_ = card().status();
    start_initialization();
}

void UimService::start_initialization()
{
    init_timer_.reset();
    if (!card().initializing())
        return;
    init_timer_.reset(add_timeout(state().sim_init_delay_ms, [this] {
        init_timer_.forget();
        card().finish_initialization();
        host().card_changed();
    }));
}

std::optional<QmiProtocolError> UimService::refuse(QmiMessage *request)
{
    const auto session = read_session(request);
    if (!session)
        return TlvReader{request, kTlvSession}.present() ? QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE
                                                         : QMI_PROTOCOL_ERROR_MISSING_ARGUMENT;
    switch (session->type) {
    case QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING:
    case QMI_UIM_SESSION_TYPE_CARD_SLOT_1:
        break;
    case QMI_UIM_SESSION_TYPE_NONPROVISIONING_SLOT_1:
        if (session->aid != kUsimAid)
            return QMI_PROTOCOL_ERROR_INVALID_ARGUMENT;
        break;
    default:
        // No CDMA application, no second slot.
        return QMI_PROTOCOL_ERROR_INVALID_ARGUMENT;
    }
    if (!card().available())
        return QMI_PROTOCOL_ERROR_DEVICE_NOT_READY;
    return std::nullopt;
}

MessagePtr UimService::file_response(QmiMessage *request, const FileResult &result)
{
    MessagePtr response =
        result.error == QMI_PROTOCOL_ERROR_NONE ? success(request) : failure(request, result.error);
    write_card_result(response.get(), kTlvCardResult, result.sw);
    return response;
}

MessagePtr UimService::reset(QmiMessage *request)
{
    if (ClientInfo *client = state().client(id(), qmi_message_get_client_id(request)))
        client->subscriptions.clear();
    return success(request);
}

MessagePtr UimService::read_transparent(QmiMessage *request)
{
    if (const auto error = refuse(request))
        return failure(request, *error);
    const auto where = read_file(request);
    const auto info = read_access_info(request, false);
    if (!where || !info)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const FileResult result = card().read_transparent(*where, info->first, info->second);
    MessagePtr response = file_response(request, result);
    if (result.error == QMI_PROTOCOL_ERROR_NONE)
        write_bytes16(response.get(), kTlvReadResult, result.data);
    return response;
}

MessagePtr UimService::read_record(QmiMessage *request)
{
    if (const auto error = refuse(request))
        return failure(request, *error);
    const auto where = read_file(request);
    const auto info = read_access_info(request, false);
    if (!where || !info)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const FileResult result = card().read_record(*where, info->first, info->second);
    if (result.error != QMI_PROTOCOL_ERROR_NONE)
        return file_response(request, result);
    // TLV 0x10 "last record": the records after the first go into 0x12.
    Bytes additional;
    const std::uint16_t last = read_u16_tlv(request, 0x10).value_or(info->first);
    for (unsigned record = info->first + 1u; record <= last; record++) {
        const FileResult next =
            card().read_record(*where, static_cast<std::uint16_t>(record), info->second);
        if (next.error != QMI_PROTOCOL_ERROR_NONE)
            return file_response(request, next);
        additional.insert(additional.end(), next.data.begin(), next.data.end());
    }
    MessagePtr response = file_response(request, result);
    write_bytes16(response.get(), kTlvReadResult, result.data);
    if (!additional.empty())
        write_bytes16(response.get(), kTlvAdditionalRead, additional);
    return response;
}

MessagePtr UimService::write_transparent(QmiMessage *request)
{
    if (const auto error = refuse(request))
        return failure(request, *error);
    const auto where = read_file(request);
    const auto info = read_access_info(request, true);
    if (!where || !info)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    return file_response(request, card().write_transparent(*where, info->first, info->data));
}

MessagePtr UimService::write_record(QmiMessage *request)
{
    if (const auto error = refuse(request))
        return failure(request, *error);
    const auto where = read_file(request);
    const auto info = read_access_info(request, true);
    if (!where || !info)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    return file_response(request, card().write_record(*where, info->first, info->data));
}

MessagePtr UimService::get_file_attributes(QmiMessage *request)
{
    if (const auto error = refuse(request))
        return failure(request, *error);
    const auto where = read_file(request);
    if (!where)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const FileResult result = card().select(*where);
    MessagePtr response = file_response(request, result);
    if (result.error == QMI_PROTOCOL_ERROR_NONE)
        write_file_attributes(response.get(), *result.file,
                              fcp_template(*result.file, card().lock(PinId::Pin1).enabled,
                                           card().lock(PinId::Pin2).enabled));
    return response;
}

MessagePtr UimService::pin_command(QmiMessage *request, PinOp op)
{
    if (const auto error = refuse(request))
        return failure(request, *error);
    TlvReader info{request, kTlvPinInfo};
    if (!info.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto raw_id = info.u8();
    if (!raw_id)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    const auto id = pin_id(*raw_id);
    if (!id)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_PIN_ID);
    const auto result = run_pin_command(card(), op, *id, info);
    if (!result)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    MessagePtr response = result->error == QMI_PROTOCOL_ERROR_NONE
                              ? success(request)
                              : failure(request, result->error);
    write_retries(response.get(), result->retries, result->unblock_retries);
    write_card_result(response.get(), kTlvPinCardResult, result->sw);
    host().card_changed();
    return response;
}

MessagePtr UimService::set_pin_protection(QmiMessage *request)
{
    return pin_command(request, PinOp::SetProtection);
}

MessagePtr UimService::verify_pin(QmiMessage *request)
{
    return pin_command(request, PinOp::Verify);
}

MessagePtr UimService::unblock_pin(QmiMessage *request)
{
    return pin_command(request, PinOp::Unblock);
}

MessagePtr UimService::change_pin(QmiMessage *request)
{
    return pin_command(request, PinOp::Change);
}

MessagePtr UimService::register_events(QmiMessage *request)
{
    const auto mask = TlvReader{request, 0x01}.u32();
    if (!mask)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    ClientInfo *client = state().client(id(), qmi_message_get_client_id(request));
    if (!client)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_CLIENT_ID);
    if (*mask & QMI_UIM_EVENT_REGISTRATION_FLAG_CARD_STATUS)
        client->subscriptions.insert(kCardStatusSubscription);
    else
        client->subscriptions.erase(kCardStatusSubscription);
    MessagePtr response = success(request);
    TlvWriter{response.get(), 0x10}.u32(*mask & kSupportedEvents).done();
    return response;
}

MessagePtr UimService::get_card_status(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_card_status(response.get(), card().status());
    return response;
}

} // namespace qmisim
