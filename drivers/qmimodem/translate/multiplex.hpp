// Pure decisions for QMAP multiplexing (several data contexts at once, one
// network link each): whether to ask the modem for QMAP, whether its answer
// allows it, which data endpoint the WDS clients bind to, and what a failed
// link creation means. No I/O: test/unit/test_multiplex.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace qmi
{

// qmi.conf's Multiplex= key.
enum class Multiplex { Auto, On, Off };

// "auto", "on", "off" (also true/false, yes/no, 1/0 for on/off).
std::optional<Multiplex> parse_multiplex(const std::string &text);
const char *multiplex_name(Multiplex m);

// What the plugin knows about the modem and the kernel before asking it.
struct LinkFacts {
    bool qrtr = false;           // Device=qrtr://N: an SoC modem behind IPA (QMAP only)
    bool has_wda = false;        // the modem lists the WDA service
    std::string interface;       // NetworkInterface=, may be empty
    bool kernel_add_mux = false; // /sys/class/net/<if>/qmi/add_mux exists (qmi_wwan)
};

struct MultiplexChoice {
    bool request_qmap = false; // ask WDA Set Data Format for QMAP aggregation
    std::string why;           // for the log: why (not)
};

// Off: never. No WDA or no NetworkInterface=: never (there is nothing to
// negotiate or to put links on). On: always (a kernel without support then
// fails the first activation, which reports it and falls back). Auto: QRTR
// modems, and USB modems whose qmi_wwan offers add_mux.
MultiplexChoice choose_multiplex(Multiplex setting, const LinkFacts &facts);

// WDA's answer (QmiWdaDataAggregationProtocol values): multiplexing needs
// QMAP (any version) both ways.
bool accepts_qmap(std::uint32_t uplink, std::uint32_t downlink);

// The data endpoint WDS Bind Mux Data Port and WDA name
// (QmiDataEndpointType values): embedded, interface 1, for QRTR/IPA; HS-USB
// and the net interface's USB interface number for qmi_wwan.
struct Endpoint {
    std::uint32_t type = 0;
    std::uint32_t interface_number = 0;
};
// usb_interface_number: bInterfaceNumber of the net device's USB interface
// (sysfs text, hex such as "04\n"); nullopt when unknown.
std::optional<Endpoint> data_endpoint(bool qrtr, const std::string &usb_interface_number);

// Which kernel mechanism libqmi uses to add a link: qmi_wwan's add_mux
// sysfs file when the interface is in raw IP mode (qmi/raw_ip reads Y,
// no pass-through), else rmnet over netlink.
enum class LinkBackend { QmiWwanAddMux, Rmnet };

// A failed qmi_device_add_link() in words that say what the kernel lacks.
// base_exists: whether the base interface exists (if_nametoindex).
// rmnet_present: whether /sys/module/rmnet exists after the attempt (the
// kernel loads the module for a new rmnet link when it has one; libqmi
// drops netlink's errno, so this is how "no rmnet" is told apart).
// detail: libqmi's message.
std::string explain_link_failure(LinkBackend backend, const std::string &interface,
                                 bool base_exists, bool rmnet_present, const std::string &detail);

} // namespace qmi
