#include "registry.hpp"

#include "ctl_service.hpp"
#include "dms_service.hpp"
#include "nas_service.hpp"
#include "uim_service.hpp"
#include "voice_service.hpp"
#include "wda_service.hpp"
#include "wds_service.hpp"
#include "wms_service.hpp"

namespace qmisim
{

std::vector<std::unique_ptr<Service>> make_services(ServiceHost &host)
{
    std::vector<std::unique_ptr<Service>> services;
    services.push_back(std::make_unique<CtlService>(host));
    services.push_back(std::make_unique<DmsService>(host));
    services.push_back(std::make_unique<NasService>(host));
    services.push_back(std::make_unique<UimService>(host));
    services.push_back(std::make_unique<WmsService>(host));
    services.push_back(std::make_unique<VoiceService>(host));
    services.push_back(std::make_unique<WdsService>(host));
    services.push_back(std::make_unique<WdaService>(host));
    // New services (WMS, VOICE, WDS, WDA) are added here.
    return services;
}

} // namespace qmisim
