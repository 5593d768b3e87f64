// Reads what the classifier (usb_modem_classifier.hpp) needs about one USB
// device from libudev: its ids and the cdc-wdm, net and tty devices below it.
#pragma once

#include "usb_modem_classifier.hpp"

#include <libudev.h>

namespace qmi
{

// The USB device (subsystem usb, devtype usb_device) above dev; borrowed
// from dev (valid while dev is), nullptr if dev is not on USB.
udev_device *usb_device_above(udev_device *dev);

UsbDevice read_usb_device(udev *context, udev_device *usb_device);

} // namespace qmi
