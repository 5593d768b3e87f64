// WDA (service 0x1A, wireless data administrative): the data format of the
// network interface (link layer, aggregation), and its "wda.*" keys. The
// format lives in ModemState::wds.wda (wds_sessions.hpp).
#pragma once

#include "service.hpp"

namespace qmisim
{

class WdaService final : public Service
{
  public:
    explicit WdaService(ServiceHost &host);

    std::vector<StateKey> state_keys() override;
    void on_boot() override;

  private:
    MessagePtr set_data_format(QmiMessage *request);
    MessagePtr get_data_format(QmiMessage *request);

    WdaState &wda() { return state().wds.wda; }
};

} // namespace qmisim
