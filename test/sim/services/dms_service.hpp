// DMS (service 2): device identity, capabilities and operating mode
// (dms_service.cpp), and the old UIM messages on the same SIM (dms_uim.cpp).
#pragma once

#include "pin_command.hpp"
#include "service.hpp"

#include <optional>

namespace qmisim
{

// What DMS UIM Get State and Event Report TLV 0x15 say about the card.
QmiDmsUimState dms_uim_state(const Card &card);

class DmsService final : public Service
{
  public:
    explicit DmsService(ServiceHost &host);

    std::vector<StateKey> state_keys() override;
    void on_card_changed() override;
    void on_boot() override;

    // Changes the mode and tells subscribed clients (from QMI or the control socket).
    void change_operating_mode(QmiDmsOperatingMode mode);

  private:
    MessagePtr set_event_report(QmiMessage *request);
    MessagePtr get_capabilities(QmiMessage *request);
    MessagePtr get_manufacturer(QmiMessage *request);
    MessagePtr get_model(QmiMessage *request);
    MessagePtr get_revision(QmiMessage *request);
    MessagePtr get_msisdn(QmiMessage *request);
    MessagePtr get_ids(QmiMessage *request);
    MessagePtr get_hardware_revision(QmiMessage *request);
    MessagePtr get_operating_mode(QmiMessage *request);
    MessagePtr set_operating_mode(QmiMessage *request);

    MessagePtr string_response(QmiMessage *request, const std::string &value);

    // --- UIM fallback for modems without the UIM service (dms_uim.cpp)
    MessagePtr uim_set_pin_protection(QmiMessage *request);
    MessagePtr uim_verify_pin(QmiMessage *request);
    MessagePtr uim_unblock_pin(QmiMessage *request);
    MessagePtr uim_change_pin(QmiMessage *request);
    MessagePtr uim_get_pin_status(QmiMessage *request);
    MessagePtr uim_get_iccid(QmiMessage *request);
    MessagePtr uim_get_imsi(QmiMessage *request);
    MessagePtr uim_get_state(QmiMessage *request);
    MessagePtr uim_pin_command(QmiMessage *request, PinOp op);

    // The UIM state last reported in Event Report TLV 0x15.
    std::optional<QmiDmsUimState> reported_uim_state_;
};

} // namespace qmisim
