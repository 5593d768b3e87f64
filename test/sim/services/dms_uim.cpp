// DMS's UIM messages, which modems without the UIM service use for the SIM
// (libqmi data/qmi-service-dms.json). They act on the same card as UIM.
#include "dms_service.hpp"

#include "../tlv.hpp"

namespace qmisim
{

namespace
{

constexpr std::uint8_t kTlvInfo = 0x01;
constexpr std::uint8_t kTlvRetries = 0x10;
constexpr std::uint8_t kTlvPin1Status = 0x11;
constexpr std::uint8_t kTlvPin2Status = 0x12;

// QmiDmsUimPinStatus uses the same numbers as QmiUimPinState for 0-5.
std::uint8_t dms_pin_status(QmiUimPinState state)
{
    return static_cast<std::uint8_t>(state);
}

} // namespace

QmiDmsUimState dms_uim_state(const Card &card)
{
    if (!card.present())
        return QMI_DMS_UIM_STATE_NOT_PRESENT;
    if (card.initializing())
        return QMI_DMS_UIM_STATE_UNKNOWN;
    return card.app_state() == QMI_UIM_CARD_APPLICATION_STATE_READY
               ? QMI_DMS_UIM_STATE_INITIALIZATION_COMPLETED
               : QMI_DMS_UIM_STATE_LOCKED_OR_FAILED;
}

MessagePtr DmsService::uim_pin_command(QmiMessage *request, PinOp op)
{
    TlvReader info{request, kTlvInfo};
    if (!info.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (!state().card.available())
        return failure(request, QMI_PROTOCOL_ERROR_UIM_UNINITIALIZED);
    const auto raw_id = info.u8();
    if (!raw_id)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    const auto id = pin_id(*raw_id);
    if (!id)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_PIN_ID);
    const auto result = run_pin_command(state().card, op, *id, info);
    if (!result)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    MessagePtr response = result->error == QMI_PROTOCOL_ERROR_NONE
                              ? success(request)
                              : failure(request, result->error);
    TlvWriter{response.get(), kTlvRetries}.u8(result->retries).u8(result->unblock_retries).done();
    host().card_changed();
    return response;
}

MessagePtr DmsService::uim_set_pin_protection(QmiMessage *request)
{
    return uim_pin_command(request, PinOp::SetProtection);
}

MessagePtr DmsService::uim_verify_pin(QmiMessage *request)
{
    return uim_pin_command(request, PinOp::Verify);
}

MessagePtr DmsService::uim_unblock_pin(QmiMessage *request)
{
    return uim_pin_command(request, PinOp::Unblock);
}

MessagePtr DmsService::uim_change_pin(QmiMessage *request)
{
    return uim_pin_command(request, PinOp::Change);
}

MessagePtr DmsService::uim_get_pin_status(QmiMessage *request)
{
    const Card &card = state().card;
    if (!card.available())
        return failure(request, QMI_PROTOCOL_ERROR_UIM_UNINITIALIZED);
    MessagePtr response = success(request);
    for (const auto &[tlv, id] :
         {std::pair{kTlvPin1Status, PinId::Pin1}, std::pair{kTlvPin2Status, PinId::Pin2}}) {
        const PinLock &lock = card.lock(id);
        TlvWriter{response.get(), tlv}
            .u8(dms_pin_status(lock.state()))
            .u8(lock.pin.retries)
            .u8(lock.puk.retries)
            .done();
    }
    return response;
}

MessagePtr DmsService::uim_get_iccid(QmiMessage *request)
{
    if (!state().card.available())
        return failure(request, QMI_PROTOCOL_ERROR_UIM_UNINITIALIZED);
    return string_response(request, state().card.profile().iccid);
}

MessagePtr DmsService::uim_get_imsi(QmiMessage *request)
{
    const Card &card = state().card;
    if (!card.available())
        return failure(request, QMI_PROTOCOL_ERROR_UIM_UNINITIALIZED);
    // EF IMSI needs PIN1.
    if (card.app_state() != QMI_UIM_CARD_APPLICATION_STATE_READY)
        return failure(request, QMI_PROTOCOL_ERROR_ACCESS_DENIED);
    return string_response(request, card.profile().imsi);
}

MessagePtr DmsService::uim_get_state(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x01, static_cast<std::uint8_t>(dms_uim_state(state().card)));
    return response;
}

} // namespace qmisim
