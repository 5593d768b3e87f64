#!/usr/bin/python3
"""Stands in for ConnMan on the private system bus: owns net.connman and
answers net.connman.Manager GetProperties/GetServices/GetTechnologies with
nothing, so that modem-manager-gui's oFono module (which only pairs with the
ConnMan connection-manager module) starts. test/gui/mmgui.py uses it only
when Debian's connmand is not installed; otherwise a real connmand runs in
its own namespaces.
Usage: connman_stub.py BUS_ADDRESS"""
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop
from gi.repository import GLib


class Manager(dbus.service.Object):
    @dbus.service.method('net.connman.Manager', out_signature='a{sv}')
    def GetProperties(self):
        return dbus.Dictionary({'State': 'idle', 'OfflineMode': False}, signature='sv')

    @dbus.service.method('net.connman.Manager', out_signature='a(oa{sv})')
    def GetServices(self):
        return dbus.Array([], signature='(oa{sv})')

    @dbus.service.method('net.connman.Manager', out_signature='a(oa{sv})')
    def GetTechnologies(self):
        return dbus.Array([], signature='(oa{sv})')


def main():
    DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(sys.argv[1])
    name = dbus.service.BusName('net.connman', bus)
    Manager(bus, '/')
    print('net.connman stub ready', flush=True)
    GLib.MainLoop().run()
    del name


if __name__ == '__main__':
    main()
