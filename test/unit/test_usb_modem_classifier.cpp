// plugins/usb_modem_classifier: which USB devices are QMI modems and which
// of their ports the oFono modem gets.
//
// The fixtures below are written by hand from the devices' documented
// interface layouts (doc/hardware.md: the kernel's qmi_wwan, option and
// qcserial device tables, ModemManager's port hints) and the kernel's
// naming (cdc-wdmN, wwanN, ttyUSBN, sysfs paths of the form
// <usb device>:1.<interface>); they were not recorded from real hardware.
#include "modem_registry.hpp"
#include "usb_modem_classifier.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using qmi::classify_usb_device;
using qmi::UsbDevice;
using qmi::UsbPort;

namespace
{

// A port as the kernel lays it out below interface `number` of `usb`.
UsbPort port(const std::string &usb, const std::string &subsystem, const std::string &sysname,
             const std::string &driver, int number)
{
    UsbPort p;
    p.subsystem = subsystem;
    p.sysname = sysname;
    p.interface_driver = driver;
    p.interface_number = number;
    const std::string interface =
        usb + "/" + usb.substr(usb.rfind('/') + 1) + ":1." + std::to_string(number);
    if (subsystem == "usbmisc") {
        p.syspath = interface + "/usbmisc/" + sysname;
        p.devnode = "/dev/" + sysname;
    } else if (subsystem == "net") {
        p.syspath = interface + "/net/" + sysname;
    } else {
        p.syspath = interface + "/" + sysname + "/tty/" + sysname;
        p.devnode = "/dev/" + sysname;
    }
    return p;
}

UsbDevice device(const std::string &syspath, const std::string &vid, const std::string &pid,
                 const std::string &manufacturer, const std::string &product)
{
    UsbDevice d;
    d.syspath = syspath;
    d.vendor_id = vid;
    d.product_id = pid;
    d.manufacturer = manufacturer;
    d.product = product;
    return d;
}

// Quectel EG25-G (PinePhone): option on 0 DM, 1 NMEA, 2 AT, 3 AT;
// qmi_wwan on 4.
UsbDevice eg25(const std::string &syspath = "/sys/devices/platform/soc/1c1b000.usb/usb2/2-1",
               int first_tty = 0, int wdm = 0, int wwan = 0)
{
    auto d = device(syspath, "2c7c", "0125", "Quectel", "EG25-G");
    for (int i = 0; i < 4; i++)
        d.ports.push_back(
            port(syspath, "tty", "ttyUSB" + std::to_string(first_tty + i), "option", i));
    d.ports.push_back(port(syspath, "usbmisc", "cdc-wdm" + std::to_string(wdm), "qmi_wwan", 4));
    d.ports.push_back(port(syspath, "net", "wwan" + std::to_string(wwan), "qmi_wwan", 4));
    return d;
}

// Sierra MC7455: qcserial on 0 DM, 2 NMEA, 3 AT; qmi_wwan on 8 and 10.
// The second RmNet port is listed first: the order udev enumerates in is
// not the order of the interfaces.
UsbDevice mc7455()
{
    const std::string usb = "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-3";
    auto d = device(usb, "1199", "9071", "Sierra Wireless, Incorporated", "MC7455");
    d.ports.push_back(port(usb, "usbmisc", "cdc-wdm1", "qmi_wwan", 10));
    d.ports.push_back(port(usb, "net", "wwan1", "qmi_wwan", 10));
    d.ports.push_back(port(usb, "tty", "ttyUSB0", "qcserial", 0));
    d.ports.push_back(port(usb, "tty", "ttyUSB1", "qcserial", 2));
    d.ports.push_back(port(usb, "tty", "ttyUSB2", "qcserial", 3));
    d.ports.push_back(port(usb, "usbmisc", "cdc-wdm0", "qmi_wwan", 8));
    d.ports.push_back(port(usb, "net", "wwan0", "qmi_wwan", 8));
    return d;
}

// Telit LN940 in its QMI composition: qmi_wwan on 1, option on the others
// (which option port is AT is not documented here).
UsbDevice ln940()
{
    const std::string usb = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4";
    auto d = device(usb, "1bc7", "1900", "Telit", "LN940");
    d.ports.push_back(port(usb, "tty", "ttyUSB0", "option", 0));
    d.ports.push_back(port(usb, "usbmisc", "cdc-wdm0", "qmi_wwan", 1));
    d.ports.push_back(port(usb, "net", "wwan0", "qmi_wwan", 1));
    d.ports.push_back(port(usb, "tty", "ttyUSB1", "option", 2));
    d.ports.push_back(port(usb, "tty", "ttyUSB2", "option", 3));
    return d;
}

} // namespace

TEST_CASE("classifier: Quectel EG25-G gets its QMI port, wwan0 and the AT port", "[usb]")
{
    const auto d = eg25();
    const auto modem = classify_usb_device(d);
    REQUIRE(modem);
    CHECK(modem->key == d.syspath);
    CHECK(modem->config.name == "qmi_2c7c_0125");
    CHECK(modem->config.device == "/dev/cdc-wdm0");
    CHECK(modem->config.network_interface == "wwan0");
    CHECK(modem->config.at_port == "/dev/ttyUSB2");
    CHECK_FALSE(modem->config.proxy);
    CHECK(modem->config.quectel_dai.empty());
    CHECK(modem->control_interface == 4);
    CHECK(modem->control_syspath == d.syspath + "/2-1:1.4/usbmisc/cdc-wdm0");
    CHECK(modem->description == "2c7c:0125 Quectel EG25-G");
    CHECK(modem->missing.empty());
}

TEST_CASE("classifier: Sierra MC7455 takes the RmNet port on the lowest interface", "[usb]")
{
    const auto modem = classify_usb_device(mc7455());
    REQUIRE(modem);
    CHECK(modem->config.name == "qmi_1199_9071");
    CHECK(modem->config.device == "/dev/cdc-wdm0");
    CHECK(modem->control_interface == 8);
    CHECK(modem->config.network_interface == "wwan0");
    CHECK(modem->config.at_port == "/dev/ttyUSB2"); // qcserial interface 3
    CHECK(modem->missing.empty());

    // By interface number, not by name: interface 8's port may well be
    // cdc-wdm1 when interface 10 was probed first.
    auto swapped = mc7455();
    for (auto &p : swapped.ports) {
        if (p.subsystem == "usbmisc") {
            p.sysname = p.interface_number == 8 ? "cdc-wdm1" : "cdc-wdm0";
            p.devnode = "/dev/" + p.sysname;
        }
        if (p.subsystem == "net")
            p.sysname = p.interface_number == 8 ? "wwan1" : "wwan0";
    }
    const auto other = classify_usb_device(swapped);
    REQUIRE(other);
    CHECK(other->config.device == "/dev/cdc-wdm1");
    CHECK(other->config.network_interface == "wwan1");
    CHECK(other->control_interface == 8);
}

TEST_CASE("classifier: Telit LN940 has no documented AT interface, so no AtPort", "[usb]")
{
    const auto modem = classify_usb_device(ln940());
    REQUIRE(modem);
    CHECK(modem->config.name == "qmi_1bc7_1900");
    CHECK(modem->config.device == "/dev/cdc-wdm0");
    CHECK(modem->config.network_interface == "wwan0");
    CHECK(modem->config.at_port.empty());
    CHECK(modem->missing.empty());
    CHECK(qmi::known_at_interface("1bc7", "1900").interface_number == -1);
}

TEST_CASE("classifier: an MBIM-only device is not claimed", "[usb]")
{
    // Sierra EM7455 in an MBIM composition: cdc_mbim makes a cdc-wdm port
    // and a wwan interface too, but they speak MBIM.
    const std::string usb = "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-3";
    auto d = device(usb, "1199", "9079", "Sierra Wireless, Incorporated", "EM7455");
    d.ports.push_back(port(usb, "tty", "ttyUSB0", "qcserial", 0));
    d.ports.push_back(port(usb, "tty", "ttyUSB1", "qcserial", 2));
    d.ports.push_back(port(usb, "tty", "ttyUSB2", "qcserial", 3));
    d.ports.push_back(port(usb, "usbmisc", "cdc-wdm0", "cdc_mbim", 12));
    d.ports.push_back(port(usb, "net", "wwan0", "cdc_mbim", 12));
    CHECK_FALSE(classify_usb_device(d));

    // A QMI port next to an MBIM one: the QMI port, even on a higher interface.
    d.ports.push_back(port(usb, "usbmisc", "cdc-wdm1", "qmi_wwan", 14));
    d.ports.push_back(port(usb, "net", "wwan1", "qmi_wwan", 14));
    const auto modem = classify_usb_device(d);
    REQUIRE(modem);
    CHECK(modem->config.device == "/dev/cdc-wdm1");
    CHECK(modem->config.network_interface == "wwan1");
}

TEST_CASE("classifier: devices without a qmi_wwan cdc-wdm port are not modems", "[usb]")
{
    const std::string usb = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2";
    auto d = device(usb, "0403", "6001", "FTDI", "FT232R USB UART");
    d.ports.push_back(port(usb, "tty", "ttyUSB0", "ftdi_sio", 0));
    CHECK_FALSE(classify_usb_device(d));

    // qmi_wwan's network interface alone (no control port yet): not yet.
    auto eg = eg25();
    std::erase_if(eg.ports, [](const UsbPort &p) { return p.subsystem == "usbmisc"; });
    CHECK_FALSE(classify_usb_device(eg));

    // A port without a device node (udev has not named it) is not usable.
    auto no_node = eg25();
    for (auto &p : no_node.ports)
        if (p.subsystem == "usbmisc")
            p.devnode.clear();
    CHECK_FALSE(classify_usb_device(no_node));
}

TEST_CASE("classifier: a device whose network interface has not appeared", "[usb]")
{
    auto d = eg25();
    std::erase_if(d.ports, [](const UsbPort &p) { return p.subsystem == "net"; });
    const auto modem = classify_usb_device(d);
    REQUIRE(modem);
    CHECK(modem->config.device == "/dev/cdc-wdm0");
    CHECK(modem->config.network_interface.empty());
    CHECK(modem->missing == std::vector<std::string>{"network interface"});

    // A net device on another interface is not this port's.
    d.ports.push_back(port(d.syspath, "net", "usb0", "cdc_ether", 5));
    const auto again = classify_usb_device(d);
    REQUIRE(again);
    CHECK(again->config.network_interface.empty());
}

TEST_CASE("classifier: the AT port only where its interface is known and present", "[usb]")
{
    // option not loaded: no ttys at all.
    auto d = eg25();
    std::erase_if(d.ports, [](const UsbPort &p) { return p.subsystem == "tty"; });
    auto modem = classify_usb_device(d);
    REQUIRE(modem);
    CHECK(modem->config.at_port.empty());
    CHECK(modem->missing == std::vector<std::string>{"AT port"});

    // A tty on interface 2 from another driver is not the documented port.
    d.ports.push_back(port(d.syspath, "tty", "ttyACM0", "cdc_acm", 2));
    modem = classify_usb_device(d);
    REQUIRE(modem);
    CHECK(modem->config.at_port.empty());

    // ttyUSB numbers follow whatever else is plugged in: the node is taken
    // from interface 2, not assumed to be ttyUSB2.
    const auto shifted = classify_usb_device(eg25("/sys/devices/x/usb1/1-1", 4));
    REQUIRE(shifted);
    CHECK(shifted->config.at_port == "/dev/ttyUSB6");
}

TEST_CASE("classifier: two identical modems get their own keys, names suffixed", "[usb]")
{
    const auto first = classify_usb_device(eg25("/sys/devices/pci0000:00/usb1/1-1", 0, 0, 0));
    const auto second = classify_usb_device(eg25("/sys/devices/pci0000:00/usb1/1-2", 4, 1, 1));
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->key != second->key);
    CHECK(first->config.name == second->config.name);
    CHECK(second->config.device == "/dev/cdc-wdm1");
    CHECK(second->config.network_interface == "wwan1");
    CHECK(second->config.at_port == "/dev/ttyUSB6");

    // The registry keeps both, the second with a suffix.
    std::vector<std::string> created;
    qmi::ModemRegistry registry(
        [&](const qmi::ModemConfig &cfg) {
            created.push_back(cfg.name + " " + cfg.device);
            return reinterpret_cast<ofono_modem *>(created.size());
        },
        [](ofono_modem *) {});
    using Origin = qmi::ModemRegistry::Origin;
    CHECK(registry.add(Origin::Udev, first->key, first->config) == "qmi_2c7c_0125");
    CHECK(registry.add(Origin::Udev, second->key, second->config) == "qmi_2c7c_0125_2");
    CHECK(created ==
          std::vector<std::string>{"qmi_2c7c_0125 /dev/cdc-wdm0", "qmi_2c7c_0125_2 /dev/cdc-wdm1"});
}

TEST_CASE("classifier: modem names are D-Bus path elements", "[usb]")
{
    CHECK(qmi::usb_modem_name("2C7C", "0125") == "qmi_2c7c_0125");
    CHECK(qmi::usb_modem_name("1199", "907b") == "qmi_1199_907b");
    CHECK(qmi::usb_modem_name("", "0125") == "qmi_usb");
    CHECK(qmi::usb_modem_name("2c7c", "01-5") == "qmi_usb");
    CHECK(qmi::usb_modem_name("2c7c0", "0125") == "qmi_usb");
    CHECK(qmi::known_at_interface("2C7C", "0125").interface_number == 2);
    CHECK(qmi::known_at_interface("1199", "9071").interface_number == 3);
    CHECK(qmi::known_at_interface("1bc7", "1050").interface_number == 4);
}
