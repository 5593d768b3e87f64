// Which USB devices are QMI modems, and their ports: a pure function of what
// udev says about the devices below one USB device (no libudev calls here,
// so unit tests give it fixtures; plugins/udev_usb_reader.cpp fills it in
// from libudev). See doc/hardware.md, "Discovery".
#pragma once

#include "config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace qmi
{

// One device below a USB device that discovery cares about: a cdc-wdm port
// (subsystem "usbmisc"), a network interface ("net") or a serial port
// ("tty"), with the USB interface it hangs off.
struct UsbPort {
    std::string subsystem;        // "usbmisc", "net", "tty"
    std::string sysname;          // "cdc-wdm0", "wwan0", "ttyUSB2"
    std::string devnode;          // "/dev/cdc-wdm0", "/dev/ttyUSB2"; "" for net
    std::string syspath;          // the port's own sysfs path
    std::string interface_driver; // driver of its USB interface: "qmi_wwan", "cdc_mbim", "option"
    int interface_number = -1;    // bInterfaceNumber of that interface; -1 unknown
};

// A USB device (devtype usb_device) and the ports below it.
struct UsbDevice {
    std::string syspath;    // sysfs path: the modem's key in the registry
    std::string vendor_id;  // sysfs idVendor, e.g. "2c7c"
    std::string product_id; // sysfs idProduct, e.g. "0125"
    std::string manufacturer;
    std::string product;
    std::vector<UsbPort> ports;
};

struct UsbModem {
    std::string key; // UsbDevice::syspath
    ModemConfig config;
    std::string control_syspath; // sysfs path of the chosen cdc-wdm port
    int control_interface = -1;  // its USB interface number
    std::string description;     // for the log: "2c7c:0125 Quectel EG25-G"
    // What the device is still expected to grow: "network interface",
    // "AT port". Hot-plug waits a little for them (udev reports one device
    // at a time); empty when complete.
    std::vector<std::string> missing;
};

// The AT port's USB interface for a product whose layout is documented
// (doc/hardware.md), or -1. driver: the serial driver expected on it.
struct KnownAtInterface {
    int interface_number = -1;
    const char *driver = nullptr;
};
KnownAtInterface known_at_interface(const std::string &vendor_id, const std::string &product_id);

// "qmi_<vendor>_<product>", lower-case hex digits only (a D-Bus path
// element); "qmi_usb" when the ids are unusable.
std::string usb_modem_name(const std::string &vendor_id, const std::string &product_id);

// The QMI modem on this USB device, if any: its cdc-wdm port bound to
// qmi_wwan (the lowest interface number when there are several; cdc_mbim
// ports speak MBIM and are never taken), the network interface on the same
// USB interface, and the AT port when the product's layout is known.
std::optional<UsbModem> classify_usb_device(const UsbDevice &device);

} // namespace qmi
