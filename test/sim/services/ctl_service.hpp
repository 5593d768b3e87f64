// CTL (service 0): version info and client id allocation.
#pragma once

#include "service.hpp"

namespace qmisim
{

class CtlService final : public Service
{
  public:
    explicit CtlService(ServiceHost &host);

  private:
    MessagePtr get_version_info(QmiMessage *request);
    MessagePtr allocate_cid(QmiMessage *request);
    MessagePtr release_cid(QmiMessage *request);
    MessagePtr set_data_format(QmiMessage *request);
    MessagePtr sync(QmiMessage *request);
    MessagePtr internal_proxy_open(QmiMessage *request);

    bool is_enabled(QmiService service);
};

} // namespace qmisim
