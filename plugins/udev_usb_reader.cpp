#include "udev_usb_reader.hpp"

#include "udev_ptr.hpp"

#include <cstdlib>

namespace qmi
{
namespace
{

std::string text(const char *value)
{
    return value ? std::string(value) : std::string();
}

std::string sysattr(udev_device *dev, const char *name)
{
    return text(udev_device_get_sysattr_value(dev, name));
}

// bInterfaceNumber is two hex digits ("04").
int interface_number(udev_device *usb_interface)
{
    const std::string value = sysattr(usb_interface, "bInterfaceNumber");
    if (value.empty())
        return -1;
    char *end = nullptr;
    const long n = std::strtol(value.c_str(), &end, 16);
    return end != value.c_str() && n >= 0 && n < 256 ? static_cast<int>(n) : -1;
}

UsbPort read_port(udev_device *dev)
{
    UsbPort port;
    port.subsystem = text(udev_device_get_subsystem(dev));
    port.sysname = text(udev_device_get_sysname(dev));
    port.devnode = text(udev_device_get_devnode(dev));
    port.syspath = text(udev_device_get_syspath(dev));
    if (udev_device *usb_interface =
            udev_device_get_parent_with_subsystem_devtype(dev, "usb", "usb_interface")) {
        port.interface_driver = text(udev_device_get_driver(usb_interface));
        port.interface_number = interface_number(usb_interface);
    }
    return port;
}

} // namespace

udev_device *usb_device_above(udev_device *dev)
{
    return udev_device_get_parent_with_subsystem_devtype(dev, "usb", "usb_device");
}

UsbDevice read_usb_device(udev *context, udev_device *usb_device)
{
    UsbDevice device;
    device.syspath = text(udev_device_get_syspath(usb_device));
    device.vendor_id = sysattr(usb_device, "idVendor");
    device.product_id = sysattr(usb_device, "idProduct");
    device.manufacturer = sysattr(usb_device, "manufacturer");
    device.product = sysattr(usb_device, "product");

    UdevEnumeratePtr children(udev_enumerate_new(context));
    if (!children)
        return device;
    udev_enumerate_add_match_parent(children.get(), usb_device);
    for (const char *subsystem : {"usbmisc", "net", "tty"})
        udev_enumerate_add_match_subsystem(children.get(), subsystem);
    udev_enumerate_scan_devices(children.get());
    udev_list_entry *entry = nullptr;
    udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(children.get()))
    {
        UdevDevicePtr dev(udev_device_new_from_syspath(context, udev_list_entry_get_name(entry)));
        if (dev)
            device.ports.push_back(read_port(dev.get()));
    }
    return device;
}

} // namespace qmi
