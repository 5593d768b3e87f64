"""modem-manager-gui (Debian 12: 0.0.20) with its oFono module against
ofonod + qmi plugin + qmi-sim.

Driven by tools/try-gui-clients (mmgui | all). Screenshots go to
test/gui/screenshots/mmgui-*.png.

modem-manager-gui only starts when it finds a modem-management module and a
connection-management module that name each other as compatible. Its oFono
module (ofono109) pairs only with the ConnMan module (connman112), which
needs the D-Bus name net.connman: without it, it stops with "Unable to find
MMGUI modules. Please check if application installed correctly". So, as on
a phone with oFono, Debian's real connmand (with its oFono plugin) runs on
the private bus, in its own network and mount namespaces like e2e-data's
ConnMan test (tmpfs over /run and /var/lib, a temporary resolv.conf), so it
touches nothing outside. Without connmand, test/gui/connman_stub.py owns
net.connman instead. The modules are chosen on the command line
(-m ofono109 -c connman112; `modem-manager-gui -l` lists them); the choice
can also be made in its preferences (Edit > Preferences > Modules), kept in
~/.config/modem-manager-gui/settings.conf as
modules_preferred_modem_manager / modules_preferred_connection_manager.

The clicks are window-relative coordinates measured on this version with
the main window at its default size (850x600), moved to (0, 0).
"""

import os
import shutil
import time

W, H = 850, 600
TAB_DEVICES = (40, 50)
TAB_SMS = (180, 50)
TAB_USSD = (283, 50)
TAB_INFO = (370, 50)
TAB_SCAN = (497, 50)
SMS_NEW = (52, 94)
SMS_FIRST_INCOMING = (120, 194)   # first message under "Incoming", once expanded
USSD_ENTRY = (400, 96)
SCAN_START = (70, 94)
# "New SMS message" dialog, relative to its own window.
NEW_NUMBER = (230, 66)
NEW_TEXT = (330, 220)
NEW_SEND = (58, 26)

TO = '+15557654321'
TEXT_OUT = 'Hello from modem-manager-gui'
FROM = '+15551112222'
TEXT_IN = 'Hello from the network'


def run(rig):
    print('== modem-manager-gui', flush=True)
    rig.sim('log-mark modem-manager-gui start')
    if shutil.which('connmand'):
        script = ('set -e; ip link set lo up; mount -t tmpfs qmi-gui /run; '
                  'mount -t tmpfs qmi-gui /var/lib; mkdir /var/lib/connman; '
                  ': > "$1/resolv.conf"; mount --bind "$1/resolv.conf" /etc/resolv.conf; '
                  'exec connmand -n -d -r -p ofono,loopback')
        rig.spawn('connmand', ['unshare', '--net', '--mount', '--propagation', 'private',
                               'sh', '-c', script, 'connman-ns', rig.dir], env=rig.env)
        what = 'connmand (own network and mount namespaces) owns net.connman on the private bus'
        cm = 'connmand'
    else:
        stub = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'connman_stub.py')
        rig.spawn('connman-stub', ['/usr/bin/python3', stub, rig.system_bus], env=rig.env)
        what = 'no connmand: the net.connman stand-in owns the name on the private bus'
        cm = 'connman-stub'
    if not rig.check(what, bool(wait_until_owner(rig, 'net.connman', 15)),
                     f'log: {rig.dir}/{cm}.log'):
        return
    rig.env_mmgui = dict(rig.env, G_MESSAGES_DEBUG='all')
    rig.spawn('mmgui', ['modem-manager-gui', '-m', 'ofono109', '-c', 'connman112'],
              env=rig.env_mmgui)
    print(f'   starting modem-manager-gui -m ofono109 -c connman112 (log {rig.dir}/mmgui.log)',
          flush=True)
    main = rig.wait_window('^Modem Manager GUI$', timeout=30)
    if not rig.check('modem-manager-gui opens its main window', bool(main),
                     'log: ' + rig.dir + '/mmgui.log'):
        return
    rig.x('windowmove', '--sync', main, 0, 0)
    time.sleep(1)

    def at(win, pos):
        x, y, _, _ = rig.geometry(win)
        rig.click(x + pos[0], y + pos[1])

    def shot(name):
        rig.x('mousemove', W - 20, H - 10)   # no tooltip over the content
        time.sleep(0.4)
        return rig.shot('mmgui-' + name, crop=(0, 0, W, H), scale='60%')

    log = lambda: rig.app_log('mmgui')
    rig.check('it picks the oFono module and opens the modem',
              rig.wait_log('mmgui', 'Modem manager: oFono >= 1.9', 10) and
              rig.wait_log('mmgui', 'Device successfully opened', 10) and
              rig.wait_log('mmgui', 'Fully functional', 10),
              'mmgui.log: "Modem manager: oFono >= 1.9", "Device successfully opened", '
              '"Fully functional"')
    dev = [line for line in log().splitlines() if 'DEBUG' in line and 'Device: ' in line]
    rig.check('it names the device from oFono\'s Manufacturer/Model/Revision',
              any('QUALCOMM INCORPORATED, QMI-SIM EG25, EG25GGBR07A08M2G' in d for d in dev),
              dev[0].split('DEBUG: ')[-1] if dev else 'no "Device:" line')
    time.sleep(1)
    shot('01-devices')
    at(main, TAB_INFO)
    time.sleep(2)
    shot('02-info')

    # Send an SMS from the SMS page.
    at(main, TAB_SMS)
    time.sleep(1)
    at(main, SMS_NEW)
    dlg = rig.wait_window('^New SMS message$', timeout=10)
    if rig.check('the SMS page opens its "New SMS message" dialog', bool(dlg)):
        at(dlg, NEW_NUMBER)
        rig.key('ctrl+a')
        rig.type(TO)
        at(dlg, NEW_TEXT)
        rig.type(TEXT_OUT)
        time.sleep(0.5)
        shot('03-sms-compose')
        at(dlg, NEW_SEND)
        ok, sent = rig.wait_sim('get wms.sent-text 1', lambda r: r == f'OK {TO} {TEXT_OUT}', 15)
        rig.check('the Send button sends the SMS through the modem', ok,
                  f'get wms.sent-text 1 -> {sent}')
        time.sleep(2)
        shot('04-sms-sent')

    # Receive one. dbus-monitor records what oFono itself announces.
    rig.spawn('dbus-monitor', ['dbus-monitor', '--address', rig.system_bus,
                               "type='signal',interface='org.ofono.MessageManager',"
                               "member='IncomingMessage'"], env=rig.env)
    time.sleep(1)
    reply = rig.sim(f'sms-text {FROM} gsm7 none {TEXT_IN}')
    rig.check('the network delivers an SMS: sms-text', reply.startswith('OK'), reply)
    got = rig.wait_log('mmgui', f'SMS number: {FROM}', 15)
    rig.check('modem-manager-gui receives it from oFono', got,
              f'mmgui.log: "SMS number: {FROM}"')
    mon = rig.app_log('dbus-monitor')
    lines = [l.strip() for l in mon.splitlines()]
    fields = {lines[i][8:-1]: lines[i + 1].split('string ', 1)[-1]
              for i in range(len(lines) - 1) if lines[i].startswith('string "') and
              lines[i + 1].startswith('variant')}
    rig.check('oFono announces it (IncomingMessage on the private bus)',
              f'string "{TEXT_IN}"' in mon and fields.get('Sender') == f'"{FROM}"',
              ', '.join(f'{k}={v}' for k, v in fields.items()) or
              'dbus-monitor.log has no IncomingMessage')
    stamp = [l.split('DEBUG: ')[-1] for l in log().splitlines() if 'SMS timestamp' in l]
    print(f'   modem-manager-gui: {stamp[-1] if stamp else "no SMS timestamp line"}; '
          f'now (UTC) {time.strftime("%H:%M:%S", time.gmtime())}', flush=True)
    time.sleep(1)
    shot('05-sms-received')
    at(main, SMS_FIRST_INCOMING)
    time.sleep(1)
    shot('06-sms-received-open')

    # Extra: USSD and an operator scan.
    at(main, TAB_USSD)
    time.sleep(1)
    at(main, USSD_ENTRY)
    rig.key('ctrl+a')
    rig.type('*100#')
    rig.key('Return')
    ok, last = rig.wait_sim('get voice.ussd-count', lambda r: r == 'OK 1', 10)
    rig.check('extra: the USSD page sends *100#', ok and rig.sim('get voice.ussd-last') == 'OK *100#',
              f'get voice.ussd-count -> {last}; get voice.ussd-last -> {rig.sim("get voice.ussd-last")}')
    time.sleep(2)
    shot('07-ussd')
    at(main, TAB_SCAN)
    time.sleep(1)
    at(main, SCAN_START)
    ok, n = rig.wait_sim('requests nas 0x0021', lambda r: r not in ('OK 0', ''), 10)
    rig.check('extra: the Scan page starts a network scan (NAS Network Scan)', ok,
              f'requests nas 0x0021 -> {n}')
    time.sleep(5)
    shot('08-scan')
    at(main, TAB_DEVICES)
    time.sleep(1)
    rig.stop_app('mmgui')
    rig.stop_app('dbus-monitor')
    rig.stop_app(cm)
    print('   modem-manager-gui warnings:', flush=True)
    for line in log().splitlines():
        if 'WARNING' in line or 'CRITICAL' in line:
            print('     ' + line.strip(), flush=True)


def wait_until_owner(rig, name, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if rig.bus.name_has_owner(name):
                return True
        except Exception:
            pass
        time.sleep(0.2)
    return False
