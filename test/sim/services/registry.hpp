// The one place that knows every simulated service.
#pragma once

#include "service.hpp"

#include <memory>
#include <vector>

namespace qmisim
{

// All implemented services, CTL first. Whether a service is advertised is
// decided at run time by ModemState::enabled_services.
std::vector<std::unique_ptr<Service>> make_services(ServiceHost &host);

} // namespace qmisim
