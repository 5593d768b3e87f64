// DMS (service 2): device identity, capabilities and operating mode.
#pragma once

#include "service.hpp"

namespace qmisim
{

class DmsService final : public Service
{
  public:
    explicit DmsService(ServiceHost &host);

    std::vector<StateKey> state_keys() override;

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
};

} // namespace qmisim
