#include "dms_service.hpp"

#include "../names.hpp"
#include "../tlv.hpp"

#include <array>

namespace qmisim
{

namespace
{

constexpr std::uint16_t kEventReport = 0x0001;
constexpr std::uint8_t kTlvOperatingMode = 0x14; // Set Event Report and Event Report
constexpr std::uint8_t kTlvUimState = 0x15;       // likewise
const std::string kOperatingModeSubscription = "operating-mode";
const std::string kUimStateSubscription = "uim-state";

// A Cat-4 LTE module (EG25-like).
constexpr std::uint32_t kMaxTxRate = 50'000'000;
constexpr std::uint32_t kMaxRxRate = 150'000'000;
constexpr std::array<QmiDmsRadioInterface, 3> kRadioInterfaces{
    QMI_DMS_RADIO_INTERFACE_GSM, QMI_DMS_RADIO_INTERFACE_UMTS, QMI_DMS_RADIO_INTERFACE_LTE};

// Firmware leaves OFFLINE only through a reset (or shutdown).
bool allowed_transition(QmiDmsOperatingMode from, QmiDmsOperatingMode to)
{
    if (from != QMI_DMS_OPERATING_MODE_OFFLINE)
        return true;
    return to == QMI_DMS_OPERATING_MODE_OFFLINE || to == QMI_DMS_OPERATING_MODE_RESET ||
           to == QMI_DMS_OPERATING_MODE_SHUTTING_DOWN;
}

// Delay between answering "reset" and the modem coming back in low-power.
constexpr unsigned kResetDelayMs = 200;

} // namespace

DmsService::DmsService(ServiceHost &host) : Service(QMI_SERVICE_DMS, {1, 14}, host)
{
    on(0x0001, &DmsService::set_event_report);
    on(0x0020, &DmsService::get_capabilities);
    on(0x0021, &DmsService::get_manufacturer);
    on(0x0022, &DmsService::get_model);
    on(0x0023, &DmsService::get_revision);
    on(0x0024, &DmsService::get_msisdn);
    on(0x0025, &DmsService::get_ids);
    on(0x0027, &DmsService::uim_set_pin_protection);
    on(0x0028, &DmsService::uim_verify_pin);
    on(0x0029, &DmsService::uim_unblock_pin);
    on(0x002A, &DmsService::uim_change_pin);
    on(0x002B, &DmsService::uim_get_pin_status);
    on(0x002C, &DmsService::get_hardware_revision);
    on(0x002D, &DmsService::get_operating_mode);
    on(0x002E, &DmsService::set_operating_mode);
    on(0x003C, &DmsService::uim_get_iccid);
    on(0x0043, &DmsService::uim_get_imsi);
    on(0x0044, &DmsService::uim_get_state);
}

std::vector<StateKey> DmsService::state_keys()
{
    auto text_key = [this](std::string name, std::string DmsIdentity::*field) {
        return StateKey{std::move(name), [this, field] { return state().dms.*field; },
                        [this, field](const std::string &value) {
                            state().dms.*field = value;
                            return Outcome::success();
                        }};
    };
    std::vector<StateKey> keys{
        text_key("dms.manufacturer", &DmsIdentity::manufacturer),
        text_key("dms.model", &DmsIdentity::model),
        text_key("dms.revision", &DmsIdentity::revision),
        text_key("dms.imei", &DmsIdentity::imei),
        text_key("dms.esn", &DmsIdentity::esn),
        text_key("dms.meid", &DmsIdentity::meid),
        text_key("dms.hardware-revision", &DmsIdentity::hardware_revision),
        text_key("dms.msisdn", &DmsIdentity::msisdn),
    };
    keys.push_back({"dms.operating-mode",
                    [this] { return operating_mode_name(state().operating_mode); },
                    [this](const std::string &value) {
                        const auto mode = parse_operating_mode(value);
                        if (!mode)
                            return Outcome::failure("unknown operating mode '" + value + "'");
                        change_operating_mode(*mode);
                        return Outcome::success();
                    }});
    return keys;
}

void DmsService::change_operating_mode(QmiDmsOperatingMode mode)
{
    if (state().operating_mode == mode)
        return;
    state().operating_mode = mode;
    notify(kOperatingModeSubscription, kEventReport, [mode](QmiMessage *indication) {
        write_u8_tlv(indication, kTlvOperatingMode, static_cast<std::uint8_t>(mode));
    });
    host().operating_mode_changed();
}

void DmsService::on_card_changed()
{
    const QmiDmsUimState now = dms_uim_state(state().card);
    if (reported_uim_state_ == now)
        return;
    reported_uim_state_ = now;
    notify(kUimStateSubscription, kEventReport, [now](QmiMessage *indication) {
        write_u8_tlv(indication, kTlvUimState, static_cast<std::uint8_t>(now));
    });
}

void DmsService::on_boot() { reported_uim_state_.reset(); }

MessagePtr DmsService::string_response(QmiMessage *request, const std::string &value)
{
    MessagePtr response = success(request);
    write_string_tlv(response.get(), 0x01, value);
    return response;
}

MessagePtr DmsService::set_event_report(QmiMessage *request)
{
    ClientInfo *client = state().client(QMI_SERVICE_DMS, qmi_message_get_client_id(request));
    if (!client)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_CLIENT_ID);
    // Other report kinds (power, PIN, ...) are accepted but never raised.
    const std::pair<std::uint8_t, const std::string &> reports[] = {
        {kTlvOperatingMode, kOperatingModeSubscription}, {kTlvUimState, kUimStateSubscription}};
    for (const auto &[tlv, subscription] : reports) {
        if (const auto enable = read_u8_tlv(request, tlv)) {
            if (*enable)
                client->subscriptions.insert(subscription);
            else
                client->subscriptions.erase(subscription);
        }
    }
    return success(request);
}

MessagePtr DmsService::get_capabilities(QmiMessage *request)
{
    MessagePtr response = success(request);
    TlvWriter info{response.get(), 0x01};
    info.u32(kMaxTxRate)
        .u32(kMaxRxRate)
        .u8(QMI_DMS_DATA_SERVICE_CAPABILITY_NON_SIMULTANEOUS_CS_PS)
        .u8(QMI_DMS_SIM_CAPABILITY_SUPPORTED)
        .u8(static_cast<std::uint8_t>(kRadioInterfaces.size()));
    for (const auto radio : kRadioInterfaces)
        info.u8(static_cast<std::uint8_t>(radio));
    info.done();
    return response;
}

MessagePtr DmsService::get_manufacturer(QmiMessage *request)
{
    return string_response(request, state().dms.manufacturer);
}

MessagePtr DmsService::get_model(QmiMessage *request)
{
    return string_response(request, state().dms.model);
}

MessagePtr DmsService::get_revision(QmiMessage *request)
{
    return string_response(request, state().dms.revision);
}

MessagePtr DmsService::get_msisdn(QmiMessage *request)
{
    if (state().dms.msisdn.empty())
        return failure(request, QMI_PROTOCOL_ERROR_NOT_PROVISIONED);
    return string_response(request, state().dms.msisdn);
}

MessagePtr DmsService::get_ids(QmiMessage *request)
{
    const DmsIdentity &id = state().dms;
    MessagePtr response = success(request);
    if (!id.esn.empty())
        write_string_tlv(response.get(), 0x10, id.esn);
    if (!id.imei.empty())
        write_string_tlv(response.get(), 0x11, id.imei);
    if (!id.meid.empty())
        write_string_tlv(response.get(), 0x12, id.meid);
    return response;
}

MessagePtr DmsService::get_hardware_revision(QmiMessage *request)
{
    return string_response(request, state().dms.hardware_revision);
}

MessagePtr DmsService::get_operating_mode(QmiMessage *request)
{
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x01, static_cast<std::uint8_t>(state().operating_mode));
    write_u8_tlv(response.get(), 0x11, 0); // hardware restricted: no
    return response;
}

MessagePtr DmsService::set_operating_mode(QmiMessage *request)
{
    const auto value = read_u8_tlv(request, 0x01);
    if (!value)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto mode = static_cast<QmiDmsOperatingMode>(*value);
    if (*value > QMI_DMS_OPERATING_MODE_MODE_ONLY_LOW_POWER)
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    if (!allowed_transition(state().operating_mode, mode))
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_TRANSITION);
    change_operating_mode(mode);
    if (mode == QMI_DMS_OPERATING_MODE_RESET)
        host().schedule_modem_reset(kResetDelayMs);
    return success(request);
}

} // namespace qmisim
