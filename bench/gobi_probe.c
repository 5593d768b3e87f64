/*
 * gobi_probe: a test-only oFono plugin (never installed) for the benchmark.
 * When QMI_BENCH_GOBI_DEVICE names a QMI port (the simulator's symlink), it
 * creates one modem of type "gobi", so that oFono 1.31's built-in QMI
 * driver (the gobi modem driver with its qmimodem atoms, compiled into
 * Debian's ofonod) drives that port. Without the variable it does nothing.
 *
 * oFono 1.31's gobi driver reads "Device" (the QMI char device, opened in
 * gobi_enable) and the optional booleans "AlwaysOnline" and
 * "ForceSimLegacy"; its probe needs nothing. Later oFono versions also read
 * NetworkInterface, Bus and friends; they are set too, harmless for 1.31.
 */
#define OFONO_API_SUBJECT_TO_CHANGE
#include <errno.h>
#include <stdlib.h>

#include <ofono/log.h>
#include <ofono/modem.h>
#include <ofono/plugin.h>
#include <ofono/version.h>

static struct ofono_modem *bench_modem;

static int gobi_probe_init(void)
{
    const char *device = getenv("QMI_BENCH_GOBI_DEVICE");
    const char *name = getenv("QMI_BENCH_GOBI_NAME");

    if (device == NULL || *device == '\0')
        return 0;
    if (name == NULL || *name == '\0')
        name = "gobi0";

    bench_modem = ofono_modem_create(name, "gobi");
    if (bench_modem == NULL) {
        ofono_error("gobi-probe: oFono refused modem %s", name);
        return -EIO;
    }
    ofono_modem_set_string(bench_modem, "Device", device);
    ofono_modem_set_string(bench_modem, "NetworkInterface", "wwan0");
    ofono_modem_set_string(bench_modem, "Bus", "usb");
    if (ofono_modem_register(bench_modem) < 0) {
        ofono_error("gobi-probe: registering modem %s (driver gobi) failed", name);
        ofono_modem_remove(bench_modem);
        bench_modem = NULL;
        return -ENODEV;
    }
    ofono_info("gobi-probe: modem /%s, driver gobi, device %s", name, device);
    return 0;
}

static void gobi_probe_exit(void)
{
    if (bench_modem != NULL)
        ofono_modem_remove(bench_modem);
    bench_modem = NULL;
}

/*
 * Low priority: plugins are initialised in priority order, so the built-in
 * gobi plugin (default priority) has registered its modem driver before
 * ofono_modem_register looks it up.
 */
OFONO_PLUGIN_DEFINE(gobi_probe, "test-only: a gobi modem for the benchmark", OFONO_VERSION,
                    OFONO_PLUGIN_PRIORITY_LOW, gobi_probe_init, gobi_probe_exit)
