#include "multiplex.hpp"

#include <libqmi-glib.h>

#include <algorithm>
#include <cctype>

namespace qmi
{
namespace
{
std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool is_qmap(std::uint32_t protocol)
{
    return protocol >= QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAP &&
           protocol <= QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAPV5;
}
} // namespace

std::optional<Multiplex> parse_multiplex(const std::string &text)
{
    const std::string t = lower(text);
    if (t == "auto")
        return Multiplex::Auto;
    if (t == "on" || t == "true" || t == "yes" || t == "1")
        return Multiplex::On;
    if (t == "off" || t == "false" || t == "no" || t == "0")
        return Multiplex::Off;
    return std::nullopt;
}

const char *multiplex_name(Multiplex m)
{
    switch (m) {
    case Multiplex::On:
        return "on";
    case Multiplex::Off:
        return "off";
    case Multiplex::Auto:
        break;
    }
    return "auto";
}

MultiplexChoice choose_multiplex(Multiplex setting, const LinkFacts &facts)
{
    if (setting == Multiplex::Off)
        return {false, "Multiplex=off"};
    if (!facts.has_wda)
        return {false, "the modem has no WDA service (no data format to negotiate)"};
    if (facts.interface.empty())
        return {false, "no NetworkInterface= to put links on"};
    if (setting == Multiplex::On)
        return {true, "Multiplex=on"};
    if (facts.qrtr)
        return {true, "QRTR modem (IPA carries QMAP only)"};
    if (facts.kernel_add_mux)
        return {true, "qmi_wwan offers /sys/class/net/" + facts.interface + "/qmi/add_mux"};
    return {false, "the kernel offers no /sys/class/net/" + facts.interface +
                       "/qmi/add_mux (qmi_wwan without multiplexing, or another driver)"};
}

bool accepts_qmap(std::uint32_t uplink, std::uint32_t downlink)
{
    return is_qmap(uplink) && is_qmap(downlink);
}

std::optional<Endpoint> data_endpoint(bool qrtr, const std::string &usb_interface_number)
{
    if (qrtr)
        return Endpoint{QMI_DATA_ENDPOINT_TYPE_EMBEDDED, 1};
    std::size_t end = usb_interface_number.find_last_not_of(" \t\r\n");
    if (end == std::string::npos)
        return std::nullopt;
    const std::string digits = usb_interface_number.substr(0, end + 1);
    if (digits.size() > 2 || !std::all_of(digits.begin(), digits.end(),
                                          [](unsigned char c) { return std::isxdigit(c) != 0; }))
        return std::nullopt;
    return Endpoint{QMI_DATA_ENDPOINT_TYPE_HSUSB,
                    static_cast<std::uint32_t>(std::stoul(digits, nullptr, 16))};
}

std::string explain_link_failure(LinkBackend backend, const std::string &interface,
                                 bool base_exists, bool rmnet_present, const std::string &detail)
{
    std::string text;
    if (!base_exists)
        text = "the base interface " + interface + " does not exist";
    else if (backend == LinkBackend::QmiWwanAddMux)
        text = "the kernel's qmi_wwan cannot add QMAP links on " + interface + " (/sys/class/net/" +
               interface + "/qmi/add_mux)";
    else if (!rmnet_present)
        text = "the kernel has no rmnet support (no /sys/module/rmnet; rmnet links cannot be "
               "created on " +
               interface + ")";
    else
        text = "creating an rmnet link on " + interface + " failed";
    if (!detail.empty())
        text += ": " + detail;
    return text;
}

} // namespace qmi
