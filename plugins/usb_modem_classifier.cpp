#include "usb_modem_classifier.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace qmi
{
namespace
{

struct AtLayout {
    std::string_view vendor_id;
    std::string_view product_id;
    KnownAtInterface at;
};

// The AT (primary) interface of products whose port layout doc/hardware.md
// documents (from the kernel's option/qcserial tables and ModemManager's
// port hints). Anything else gets no AtPort=.
constexpr std::array<AtLayout, 9> kAtLayouts{{
    {"2c7c", "0125", {2, "option"}},   // Quectel EC25 / EG25-G
    {"2c7c", "0512", {2, "option"}},   // Quectel EG12 / EM12
    {"2c7c", "0800", {2, "option"}},   // Quectel RM500Q-GL
    {"1199", "9071", {3, "qcserial"}}, // Sierra MC74xx
    {"1199", "9079", {3, "qcserial"}}, // Sierra EM74xx
    {"1199", "907b", {3, "qcserial"}}, // Sierra EM74xx
    {"413c", "81b6", {3, "qcserial"}}, // Dell DW5811e (Sierra EM7455)
    {"1bc7", "1050", {4, "option"}},   // Telit FN980 (RmNet)
    {"1bc7", "1057", {4, "option"}},   // Telit FN980 (RmNet)
}};

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_usb_id(std::string_view id)
{
    return id.size() == 4 &&
           std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

const UsbPort *find_port(const UsbDevice &device, std::string_view subsystem, int interface_number,
                         const char *driver = nullptr)
{
    for (const auto &port : device.ports) {
        if (port.subsystem == subsystem && port.interface_number == interface_number &&
            (!driver || port.interface_driver == driver))
            return &port;
    }
    return nullptr;
}

} // namespace

KnownAtInterface known_at_interface(const std::string &vendor_id, const std::string &product_id)
{
    const std::string vid = lower(vendor_id);
    const std::string pid = lower(product_id);
    for (const auto &layout : kAtLayouts) {
        if (layout.vendor_id == vid && layout.product_id == pid)
            return layout.at;
    }
    return {};
}

std::string usb_modem_name(const std::string &vendor_id, const std::string &product_id)
{
    if (!is_usb_id(vendor_id) || !is_usb_id(product_id))
        return "qmi_usb";
    return "qmi_" + lower(vendor_id) + "_" + lower(product_id);
}

std::optional<UsbModem> classify_usb_device(const UsbDevice &device)
{
    // The QMI control port: a cdc-wdm character device whose USB interface
    // is bound to qmi_wwan. cdc_mbim also makes cdc-wdm ports; those speak
    // MBIM, which this plugin does not.
    const UsbPort *control = nullptr;
    for (const auto &port : device.ports) {
        if (port.subsystem != "usbmisc" || port.interface_driver != "qmi_wwan" ||
            port.sysname.rfind("cdc-wdm", 0) != 0 || port.devnode.empty())
            continue;
        if (!control ||
            (port.interface_number >= 0 &&
             (control->interface_number < 0 || port.interface_number < control->interface_number)))
            control = &port;
    }
    if (!control)
        return std::nullopt;

    UsbModem modem;
    modem.key = device.syspath;
    modem.control_syspath = control->syspath;
    modem.control_interface = control->interface_number;
    modem.config.name = usb_modem_name(device.vendor_id, device.product_id);
    modem.config.device = control->devnode;

    modem.description = lower(device.vendor_id) + ":" + lower(device.product_id);
    for (const std::string *text : {&device.manufacturer, &device.product}) {
        if (!text->empty())
            modem.description += " " + *text;
    }

    // qmi_wwan registers the network interface on the same USB interface as
    // the control port.
    const UsbPort *net = control->interface_number >= 0
                             ? find_port(device, "net", control->interface_number)
                             : nullptr;
    if (net)
        modem.config.network_interface = net->sysname;
    else
        modem.missing.push_back("network interface");

    const KnownAtInterface at = known_at_interface(device.vendor_id, device.product_id);
    if (at.interface_number >= 0) {
        const UsbPort *tty = find_port(device, "tty", at.interface_number, at.driver);
        if (tty && !tty->devnode.empty())
            modem.config.at_port = tty->devnode;
        else
            modem.missing.push_back("AT port");
    }
    return modem;
}

} // namespace qmi
