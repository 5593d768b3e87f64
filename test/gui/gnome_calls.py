"""GNOME Calls (Debian 12: gnome-calls 44~alpha.1) against ofonod + qmi plugin + qmi-sim.

Driven by tools/try-gui-clients (calls | all). Every step is clicked with
xdotool and checked through the simulator's control socket and oFono's
D-Bus; screenshots go to test/gui/screenshots/calls-*.png.

The clicks are window-relative coordinates measured on this version of
GNOME Calls with the main window sized to 720x1000 and the call window at
its natural size (358x638): another version or theme moves the buttons, and
then the simulator checks fail and the screenshots show where the clicks
went.
"""

import time

MAIN_W, MAIN_H = 720, 1000
# Main window: header bar tabs and the dial pad (window-relative).
TAB_RECENT = (246, 28)
TAB_DIALPAD = (472, 28)
DIGITS = {
    '1': (276, 152), '2': (358, 152), '3': (440, 152),
    '4': (276, 228), '5': (358, 228), '6': (440, 228),
    '7': (276, 304), '8': (358, 304), '9': (440, 304),
    '*': (276, 380), '0': (358, 380), '#': (440, 380),
}
DIAL = (358, 472)
ENTRY = (358, 88)
# Call window, pinned to 358x638.
CALL_W, CALL_H = 358, 638
HANGUP = (178, 572)
ANSWER = (254, 526)
DECLINE = (104, 526)
# A second (waiting) call: both buttons sit lower.
WAITING_ANSWER = (254, 572)
HOLD = (78, 454)
CALL_KEYPAD = (178, 454)
KEYPAD = {'1': (94, 338), '2': (178, 338), '3': (260, 338), '#': (260, 568)}
KEYPAD_CLOSE = (178, 232)

MO_NUMBER = '5551230000'
MT_NUMBER = '+15559876543'
MT_NUMBER2 = '+15550002222'
USSD_CLOSE = (43, 26)   # the USSD dialog's Close button


def run(rig):
    print('== GNOME Calls', flush=True)
    rig.sim('set voice.dialled none')
    rig.sim('log-mark gnome-calls start')
    # -vvv: debug log, which names the origins the ofono provider adds.
    rig.app('gnome-calls', ['gnome-calls', '--provider', 'ofono', '-vvv'])
    main = rig.wait_window('^Calls$', timeout=30)
    if not rig.check('GNOME Calls opens its main window', bool(main),
                     'log: ' + rig.dir + '/gnome-calls.log'):
        return
    rig.x('windowmove', main, 0, 0)
    rig.x('windowsize', '--sync', main, MAIN_W, MAIN_H)
    time.sleep(1)

    def at(win, pos):
        x, y, _, _ = rig.geometry(win)
        rig.click(x + pos[0], y + pos[1])

    def call_window():
        for w in rig.windows('--name', '^Calls$'):
            if w != main:
                return w
        return None

    def wait_call_window():
        # The call window keeps the size of the largest page it has shown
        # (an incoming call first: 358x545); pin it to the size the
        # coordinates were measured at.
        w = rig.wait_window('^Calls$', exclude=(main,), timeout=10)
        if w:
            rig.x('windowsize', '--sync', w, CALL_W, CALL_H)
            time.sleep(0.5)
        return w

    def shot(name):
        return rig.shot('calls-' + name, crop=(0, 0, MAIN_W, MAIN_H))

    # a. The modem is an origin.
    origin = rig.wait_log('gnome-calls', 'Adding origin QMI-SIM EG25', 15)
    rig.check('a. GNOME Calls adds the oFono modem /sim0 as an origin', origin,
              '"Adding origin QMI-SIM EG25" in its debug log; no "Can\'t place calls" banner')
    shot('01-started')
    at(main, TAB_DIALPAD)
    time.sleep(1)

    # b. Dial from the dial pad.
    for d in MO_NUMBER:
        at(main, DIGITS[d])
        time.sleep(0.15)
    shot('02-dialpad-number')
    # The remote side answers only when told (call-answer), so that the
    # ringing state can be seen first.
    rig.sim('set voice.auto-answer off')
    at(main, DIAL)
    ok, dialled = rig.wait_sim('get voice.dialled', lambda r: MO_NUMBER in r)
    rig.check('b. the dial pad places the call: the modem gets Dial Call', ok,
              f'get voice.dialled -> {dialled}')
    ok, calls = rig.wait_sim('get voice.calls', lambda r: f'alerting:mo:{MO_NUMBER}' in r, 10)
    rig.check('b. the remote side rings: the call is alerting', ok, f'get voice.calls -> {calls}')
    time.sleep(1.5)
    shot('03-mo-alerting')
    rig.check('b. oFono has the call alerting', any(
        s == 'alerting' and n == MO_NUMBER for _, s, n in rig.ofono_calls()),
        str(rig.ofono_calls()))
    mo_id = calls[3:].split(':')[0] if calls.startswith('OK ') else '1'
    rig.sim(f'call-answer {mo_id}')
    rig.sim('set voice.auto-answer on')
    ok, calls = rig.wait_sim('get voice.calls', lambda r: f'active:mo:{MO_NUMBER}' in r, 10)
    rig.check('b. the remote side answers: the call is active', ok, f'get voice.calls -> {calls}')
    cw = wait_call_window()
    rig.check('b. GNOME Calls shows its call window', bool(cw))
    time.sleep(1.5)
    shot('04-mo-active')
    try:
        rig.check('b. oFono has the call active', any(
            s == 'active' and n == MO_NUMBER for _, s, n in rig.ofono_calls()),
            str(rig.ofono_calls()))
    except Exception as e:
        rig.check('b. oFono has the call active', False, str(e))

    # c. Hang up from the UI.
    if cw:
        at(cw, HANGUP)
    ok, calls = rig.wait_sim('get voice.calls', lambda r: r == 'OK', 10)
    rig.check('c. the hang-up button ends the call on the modem', ok,
              f'get voice.calls -> {calls!r}; sim.log: "End Call"')
    time.sleep(0.5)
    shot('05-mo-ended')
    rig.check('c. oFono has no calls left', rig.ofono_calls() == [], str(rig.ofono_calls()))
    wait_closed(rig, call_window)

    # d. Incoming call, answered from the UI.
    reply = rig.sim(f'call-incoming {MT_NUMBER}')
    call_id = reply[3:] if reply.startswith('OK ') else '1'
    rig.check('d. the network rings: call-incoming', reply.startswith('OK'), reply)
    cw = wait_call_window()
    rig.check('d. GNOME Calls pops up its call window for the incoming call', bool(cw))
    time.sleep(1.5)
    shot('06-mt-incoming')
    rig.check('d. oFono reports the incoming call with the caller id',
              any(s == 'incoming' and n == MT_NUMBER for _, s, n in rig.ofono_calls()),
              str(rig.ofono_calls()))
    if cw:
        at(cw, ANSWER)
    ok, calls = rig.wait_sim('get voice.calls', lambda r: f'active:mt:{MT_NUMBER}' in r, 10)
    rig.check('d. the answer button answers the call on the modem', ok,
              f'get voice.calls -> {calls}')
    time.sleep(1.5)
    shot('07-mt-active')

    # Extra: DTMF from the in-call keypad, and the hold button.
    if cw:
        at(cw, HOLD)
        time.sleep(1.5)
        held = rig.sim('get voice.calls')
        rig.note('the Hold button',
                 f'greyed out in GNOME Calls 44; clicking it: get voice.calls -> {held}, '
                 f'Manage Calls requests to the modem: {rig.sim("requests voice 0x0031")}')
        at(cw, CALL_KEYPAD)
        time.sleep(1)
        for d in '123#':
            at(cw, KEYPAD[d])
            time.sleep(0.6)
        ok, dtmf = rig.wait_sim(f'get voice.dtmf {call_id}', lambda r: r == 'OK 123#', 10)
        rig.check('extra: the in-call keypad sends DTMF 123#', ok, f'get voice.dtmf -> {dtmf}')
        time.sleep(0.5)
        shot('08-mt-dtmf')
        at(cw, KEYPAD_CLOSE)
        time.sleep(1)
        at(cw, HANGUP)
    ok, calls = rig.wait_sim('get voice.calls', lambda r: r == 'OK', 10)
    rig.check('d. the hang-up button ends the answered call', ok, f'get voice.calls -> {calls!r}')
    time.sleep(0.5)
    shot('09-mt-ended')
    wait_closed(rig, call_window)

    # Extra: the network ends a call (remote hang-up).
    reply = rig.sim(f'call-incoming {MT_NUMBER}')
    call_id = reply[3:] if reply.startswith('OK ') else '1'
    cw = wait_call_window()
    time.sleep(1)
    if cw:
        at(cw, ANSWER)
    rig.wait_sim('get voice.calls', lambda r: 'active' in r, 10)
    time.sleep(1)
    rig.sim(f'call-hangup {call_id}')
    gone = wait_until_ofono(rig, lambda calls: calls == [], 10)
    time.sleep(0.5)
    shot('10-remote-hangup')
    rig.check('extra: the network hangs up: oFono drops the call and the UI says so', gone,
              'screenshot calls-10-remote-hangup.png')
    wait_closed(rig, call_window)

    # Extra: decline an incoming call.
    end_calls = rig.sim('requests voice 0x0021')
    reply = rig.sim(f'call-incoming {MT_NUMBER}')
    cw = wait_call_window()
    time.sleep(1)
    if cw:
        at(cw, DECLINE)
    ok, calls = rig.wait_sim('get voice.calls', lambda r: r == 'OK', 10)
    rig.check('extra: the decline button rejects an incoming call (End Call)', ok and
              rig.sim('requests voice 0x0021') != end_calls,
              f'get voice.calls -> {calls!r}; End Call requests {end_calls} -> '
              f'{rig.sim("requests voice 0x0021")}')
    time.sleep(0.5)
    shot('11-declined')
    wait_closed(rig, call_window)

    # Extra: USSD from the dial pad. The ofono provider of GNOME Calls 44
    # has no USSD (it came later), so nothing should reach the modem.
    at(main, TAB_DIALPAD)
    time.sleep(0.5)
    at(main, ENTRY)
    rig.key('ctrl+a', 'BackSpace')
    for d in '*100#':
        at(main, DIGITS[d])
        time.sleep(0.15)
    at(main, DIAL)
    no_ussd = rig.wait_log('gnome-calls', 'No origin with USSD available', 10)
    time.sleep(1)
    shot('12-ussd')
    rig.note('*100# from the dial pad',
             'GNOME Calls 44 logs "No origin with USSD available" ('
             + ('seen' if no_ussd else 'NOT seen') + '); USSD requests to the modem: '
             + rig.sim('get voice.ussd-count'))
    dlg = rig.wait_window('^Calls$', exclude=(main,), timeout=3)
    if dlg:
        at(dlg, USSD_CLOSE)
        time.sleep(0.5)
    at(main, ENTRY)
    rig.key('ctrl+a', 'BackSpace')

    # The history.
    at(main, TAB_RECENT)
    time.sleep(1)
    shot('13-recent')

    # Extra: the modem goes away and comes back while GNOME Calls runs.
    modem = rig.ofono('/sim0', 'org.ofono.Modem')
    import dbus
    modem.SetProperty('Online', dbus.Boolean(False), timeout=60)
    modem.SetProperty('Powered', dbus.Boolean(False), timeout=60)
    removed = rig.wait_log('gnome-calls', 'origins changed: pos=0 rem=1 added=0 total=0', 15)
    time.sleep(1)
    shot('14-modem-off')
    rig.check('extra: Powered=false removes the origin ("Can\'t place calls" banner)', removed)
    modem.SetProperty('Powered', dbus.Boolean(True), timeout=60)
    wait_until_prop(modem, 'Powered')
    modem.SetProperty('Online', dbus.Boolean(True), timeout=60)
    wait_until_prop(modem, 'Online')
    added = wait_log_count(rig, 'gnome-calls', 'rem=0 added=1 total=1', 2, 20)
    time.sleep(2)
    shot('15-modem-back')
    rig.check('extra: Powered=true, Online=true brings the origin back', added)
    at(main, TAB_DIALPAD)
    time.sleep(0.5)
    rig.sim('set voice.dialled none')
    # The entry still holds the earlier number: clear it, then dial again.
    at(main, ENTRY)
    rig.key('ctrl+a', 'BackSpace')
    for d in MO_NUMBER:
        at(main, DIGITS[d])
        time.sleep(0.15)
    at(main, DIAL)
    ok, dialled = rig.wait_sim('get voice.dialled', lambda r: r == 'OK ' + MO_NUMBER, 10)
    rig.check('extra: dialling works again after the power cycle', ok,
              f'get voice.dialled -> {dialled}')
    cw = wait_call_window()
    time.sleep(1.5)
    shot('16-after-power-cycle-call')
    if cw:
        at(cw, HANGUP)
    rig.wait_sim('get voice.calls', lambda r: r == 'OK', 10)
    wait_closed(rig, call_window)

    # Extra, last because GNOME Calls 44 does not survive it: call waiting.
    # GNOME Calls answers a waiting call with VoiceCall.Answer, which oFono
    # only accepts for an incoming call.
    reply = rig.sim(f'call-incoming {MT_NUMBER}')
    first = reply[3:] if reply.startswith('OK ') else '1'
    cw = wait_call_window()
    time.sleep(1)
    if cw:
        at(cw, ANSWER)
    rig.wait_sim('get voice.calls', lambda r: f'active:mt:{MT_NUMBER}' in r, 10)
    reply = rig.sim(f'call-incoming {MT_NUMBER2}')
    second = reply[3:] if reply.startswith('OK ') else '2'
    ok = wait_until_ofono(rig, lambda c: any(s == 'waiting' and n == MT_NUMBER2
                                             for _, s, n in c), 10)
    rig.check('extra: a second call is waiting in oFono (State "waiting")', ok,
              str(rig.ofono_calls()))
    time.sleep(1.5)
    shot('17-waiting')
    answers = rig.sim('requests voice 0x0022')
    if cw:
        at(cw, WAITING_ANSWER)
    refused = rig.wait_log('gnome-calls', f"Error answering oFono voice call to `{MT_NUMBER2}'", 10)
    time.sleep(1)
    shot('18-waiting-answer-refused')
    rig.note('answering the waiting call from GNOME Calls',
             f'GNOME Calls calls VoiceCall.Answer, oFono answers org.ofono.Error.Failed '
             f'({"seen" if refused else "NOT seen"} in gnome-calls.log); Answer Call requests '
             f'to the modem {answers} -> {rig.sim("requests voice 0x0022")}; '
             f'get voice.calls -> {rig.sim("get voice.calls")}')
    rig.sim(f'call-hangup {second}')
    time.sleep(2)
    alive = rig.app_running('gnome-calls')
    rig.note('the network ends the waiting call',
             'GNOME Calls ' + ('keeps running' if alive else
                               f'exited with status {rig.app_status("gnome-calls")}: ' + ' | '.join(
                 l.strip() for l in rig.app_log('gnome-calls').splitlines()
                 if 'ERROR' in l or 'Bail out' in l)[:300]))
    rig.sim(f'call-hangup {first}')
    rig.wait_sim('get voice.calls', lambda r: r == 'OK', 10)
    time.sleep(1)
    rig.stop_app('gnome-calls')
    print('   GNOME Calls warnings:', flush=True)
    for line in rig.app_log('gnome-calls').splitlines():
        if 'WARNING' in line or 'CRITICAL' in line:
            print('     ' + line.strip(), flush=True)


def wait_closed(rig, call_window, timeout=15):
    from_time = time.monotonic()
    while call_window() and time.monotonic() - from_time < timeout:
        time.sleep(0.3)


def wait_until_ofono(rig, pred, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if pred(rig.ofono_calls()):
                return True
        except Exception:
            pass
        time.sleep(0.2)
    return False


def wait_until_prop(iface, name, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if bool(iface.GetProperties().get(name)):
            return True
        time.sleep(0.2)
    return False


def wait_log_count(rig, name, text, count, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if rig.app_log(name).count(text) >= count:
            return True
        time.sleep(0.2)
    return False
