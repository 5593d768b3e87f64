// The quick-start demo: a simulated QMI modem brought up by the real ofonod
// with qmi.so from this build, shown as a phone UI would see it over D-Bus.
#include "testbed.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

using namespace e2e;

namespace
{
const std::string kModem = "/sim0";

void show(const Properties &props, const char *key, const char *label)
{
    auto value = prop_string(props, key);
    std::printf("    %-14s %s\n", label, value.empty() ? "(not reported)" : value.c_str());
}

long elapsed_ms(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 since)
        .count();
}

int run(bool pin_locked)
{
    std::printf("qmi demo: Debian's ofonod + qmi.so from this build + qmi-sim (a simulated "
                "Quectel-like QMI modem on a pty)\n\n");
    TestBedOptions options;
    options.start_ofono = false;
    options.sim_args = {"--services", "dms,nas,uim,wms,voice,wds,wda"};
    TestBed bed(options);
    if (pin_locked) {
        // The card asks for its PIN (1234) from power-up on.
        bed.sim_ok("set sim.pin 1234");
        bed.sim_ok("set sim.pin-enabled true");
        bed.sim_ok("sim remove");
        bed.sim_ok("sim insert");
    }
    bed.start_ofono();
    if (!wait_until([&] { return !bed.bus().modems().empty(); })) {
        std::printf("ofonod created no modem; log:\n%s\n", bed.ofono_log().c_str());
        return 1;
    }
    std::printf("[1] ofonod lists the modem from qmi.conf:\n");
    for (const auto &path : bed.bus().modems()) {
        auto props = bed.bus().properties(path, "org.ofono.Modem");
        std::printf("    %s  Powered=%s  Driver=qmi\n", path.c_str(),
                    prop_bool(props, "Powered").value_or(false) ? "true" : "false");
    }

    std::printf("\n[2] Powered=true (open the QMI port, allocate DMS, radio off):\n");
    auto t0 = std::chrono::steady_clock::now();
    if (!bed.set_modem_property(kModem, "Powered", true)) {
        std::printf("    failed; ofonod log:\n%s\n", bed.ofono_log().c_str());
        return 1;
    }
    std::printf("    powered in %ld ms\n", elapsed_ms(t0));
    wait_until([&] {
        return !prop_string(bed.bus().properties(kModem, "org.ofono.Modem"), "Serial").empty();
    });
    auto props = bed.bus().properties(kModem, "org.ofono.Modem");
    show(props, "Manufacturer", "Manufacturer:");
    show(props, "Model", "Model:");
    show(props, "Revision", "Revision:");
    show(props, "Serial", "Serial (IMEI):");
    std::printf("    Interfaces:    ");
    for (const auto &i : as_strings(props["Interfaces"]))
        std::printf("%s ", i.c_str());
    std::printf("\n");

    std::printf("\n    SIM (UIM card status, EF files):\n");
    const std::string simmgr = "org.ofono.SimManager";
    if (pin_locked) {
        wait_until([&] {
            return prop_string(bed.bus().properties(kModem, simmgr), "PinRequired") == "pin";
        });
        std::printf("    PinRequired=%s: entering the PIN (SimManager.EnterPin)...\n",
                    prop_string(bed.bus().properties(kModem, simmgr), "PinRequired").c_str());
        auto r = bed.bus().call(kModem, simmgr, "EnterPin", g_variant_new("(ss)", "pin", "1234"));
        std::printf("    %s\n", r.ok() ? "unlocked" : ("failed: " + r.error_name).c_str());
    }
    wait_until([&] {
        return !prop_string(bed.bus().properties(kModem, simmgr), "SubscriberIdentity").empty();
    });
    auto sim = bed.bus().properties(kModem, simmgr);
    std::printf("    %-14s %s\n",
                "Present:", prop_bool(sim, "Present").value_or(false) ? "yes" : "no");
    show(sim, "CardIdentifier", "ICCID:");
    show(sim, "SubscriberIdentity", "IMSI:");
    show(sim, "PinRequired", "PIN required:");

    std::printf("\n[3] Online=true (DMS Set Operating Mode):\n");
    t0 = std::chrono::steady_clock::now();
    bool online = bed.set_modem_property(kModem, "Online", true);
    std::printf("    Online=%s in %ld ms; the modem's operating mode is now %s\n",
                online ? "true" : "FAILED", elapsed_ms(t0),
                bed.sim_ok("get dms.operating-mode").c_str());

    std::printf("\n[4] Network registration (NAS serving system, signal info):\n");
    const std::string netreg = "org.ofono.NetworkRegistration";
    wait_until([&] {
        return prop_string(bed.bus().properties(kModem, netreg), "Status") == "registered";
    });
    auto reg = bed.bus().properties(kModem, netreg);
    show(reg, "Status", "Status:");
    std::printf("    %-14s %s (%s %s)\n", "Operator:", prop_string(reg, "Name").c_str(),
                prop_string(reg, "MobileCountryCode").c_str(),
                prop_string(reg, "MobileNetworkCode").c_str());
    show(reg, "Technology", "Technology:");
    show(bed.bus().properties(kModem, simmgr), "ServiceProviderName", "SIM SPN:");
    wait_until([&] { return bed.bus().properties(kModem, netreg).count("Strength") != 0; });
    reg = bed.bus().properties(kModem, netreg);
    if (auto it = reg.find("Strength"); it != reg.end())
        std::printf("    %-14s %u %%\n", "Strength:", g_variant_get_byte(it->second.get()));

    std::printf("\n[5] Scan for operators (NAS Network Scan):\n");
    bed.sim_ok("set nas.scan-delay-ms 500");
    t0 = std::chrono::steady_clock::now();
    auto scan = bed.bus().call(kModem, netreg, "Scan", nullptr, 120000);
    if (scan.ok()) {
        GVariant *array = g_variant_get_child_value(scan.value.get(), 0);
        GVariantIter iter;
        g_variant_iter_init(&iter, array);
        const char *path = nullptr;
        GVariant *dict = nullptr;
        while (g_variant_iter_next(&iter, "(&o@a{sv})", &path, &dict)) {
            GVariant *name = g_variant_lookup_value(dict, "Name", G_VARIANT_TYPE_STRING);
            GVariant *status = g_variant_lookup_value(dict, "Status", G_VARIANT_TYPE_STRING);
            std::printf("    %-18s %s\n", name ? g_variant_get_string(name, nullptr) : "?",
                        status ? g_variant_get_string(status, nullptr) : "?");
            if (name)
                g_variant_unref(name);
            if (status)
                g_variant_unref(status);
            g_variant_unref(dict);
        }
        g_variant_unref(array);
        std::printf("    (scan took %ld ms)\n", elapsed_ms(t0));
    } else {
        std::printf("    scan failed: %s\n", scan.error_name.c_str());
    }

    std::printf("\n[6] SMS (WMS): send one, receive one:\n");
    const std::string messages = "org.ofono.MessageManager";
    wait_until([&] { return !bed.bus().properties(kModem, messages).empty(); });
    auto incoming = bed.bus().subscribe(messages, "IncomingMessage");
    auto sent = bed.bus().call(kModem, messages, "SendMessage",
                               g_variant_new("(ss)", "+15557654321", "Hello from the qmi demo"));
    if (sent.ok() && wait_until([&] { return bed.sim_ok("get wms.sent") == "1"; }))
        std::printf("    sent; the modem transmitted: %s\n",
                    bed.sim_ok("get wms.sent-text 1").c_str());
    else
        std::printf("    sending failed: %s\n", sent.error_name.c_str());
    bed.sim_ok("sms-text +15551112222 gsm7 none Hi! This came in over the simulated network.");
    if (wait_until([&] { return !incoming->received.empty(); })) {
        const gchar *text = nullptr;
        GVariant *info = nullptr;
        g_variant_get(incoming->received[0].get(), "(&s@a{sv})", &text, &info);
        auto sender = to_properties(info);
        g_variant_unref(info);
        std::printf("    IncomingMessage from %s: \"%s\"\n", prop_string(sender, "Sender").c_str(),
                    text);
        std::printf("    messages left on the modem: %s\n",
                    bed.sim_ok("get wms.storage nv").c_str());
    } else {
        std::printf("    no IncomingMessage arrived\n");
    }

    std::printf("\n[7] A call (VOICE): dial, the remote side answers, DTMF, hang up:\n");
    const std::string calls = "org.ofono.VoiceCallManager";
    bed.sim_ok("set voice.answer-delay-ms 500");
    auto dial = bed.bus().call(kModem, calls, "Dial", g_variant_new("(ss)", "+15551230000", ""));
    if (dial.ok()) {
        const gchar *path = nullptr;
        g_variant_get(dial.value.get(), "(&o)", &path);
        const std::string call = path;
        std::string last;
        wait_until([&] {
            const std::string state =
                prop_string(bed.bus().properties(call, "org.ofono.VoiceCall"), "State");
            if (state != last && !state.empty()) {
                std::printf("    %s: %s\n", call.c_str(), state.c_str());
                last = state;
            }
            return state == "active";
        });
        auto tones = bed.bus().call(kModem, calls, "SendTones", g_variant_new("(s)", "1234#"));
        std::printf("    SendTones(\"1234#\") %s; the network heard \"%s\"\n",
                    tones.ok() ? "done" : "failed", bed.sim_ok("get voice.dtmf").c_str());
        bed.bus().call(call, "org.ofono.VoiceCall", "Hangup");
        wait_until([&] { return bed.sim_ok("get voice.calls").empty(); });
        std::printf("    hung up; calls on the modem: none\n");
    } else {
        std::printf("    dial failed: %s\n", dial.error_name.c_str());
    }

    std::printf("\n[8] USSD: *100#\n");
    auto ussd = bed.bus().call(kModem, "org.ofono.SupplementaryServices", "Initiate",
                               g_variant_new("(s)", "*100#"), 30000);
    if (ussd.ok()) {
        const gchar *type = nullptr;
        GVariant *result = nullptr;
        g_variant_get(ussd.value.get(), "(&sv)", &type, &result);
        std::printf("    %s answer: \"%s\"\n", type, g_variant_get_string(result, nullptr));
        g_variant_unref(result);
    } else {
        std::printf("    failed: %s\n", ussd.error_name.c_str());
    }

    std::printf("\n[9] Mobile data (WDS): the internet context:\n");
    const std::string gprs = "org.ofono.ConnectionManager";
    wait_until([&] { return prop_bool(bed.bus().properties(kModem, gprs), "Attached") == true; });
    std::printf("    Attached=%s\n",
                prop_bool(bed.bus().properties(kModem, gprs), "Attached").value_or(false)
                    ? "true"
                    : "false");
    auto added = bed.bus().call(kModem, gprs, "AddContext", g_variant_new("(s)", "internet"));
    if (added.ok()) {
        const gchar *path = nullptr;
        g_variant_get(added.value.get(), "(&o)", &path);
        const std::string ctx = path;
        const std::string cc = "org.ofono.ConnectionContext";
        bed.bus().set_property(ctx, cc, "AccessPointName", g_variant_new_string("internet"));
        auto active = bed.bus().set_property(ctx, cc, "Active", g_variant_new_boolean(TRUE));
        std::printf("    %s Active=true: %s\n", ctx.c_str(),
                    active.ok() ? "ok" : active.error_name.c_str());
        auto cprops = bed.bus().properties(ctx, cc);
        if (auto it = cprops.find("Settings"); it != cprops.end()) {
            auto settings = to_properties(it->second.get());
            for (const char *key : {"Interface", "Method", "Address", "Netmask", "Gateway"})
                std::printf("    %-14s %s\n", (std::string(key) + ":").c_str(),
                            prop_string(settings, key).c_str());
            std::printf("    %-14s ", "DNS:");
            for (const auto &d : as_strings(settings["DomainNameServers"]))
                std::printf("%s ", d.c_str());
            std::printf("\n");
        }
        std::printf("    the modem's session: %s\n", bed.sim_ok("get wds.sessions").c_str());
        bed.bus().set_property(ctx, cc, "Active", g_variant_new_boolean(FALSE));
        wait_until([&] { return bed.sim_ok("get wds.sessions") == "none"; });
        std::printf("    Active=false: sessions on the modem: %s\n",
                    bed.sim_ok("get wds.sessions").c_str());
    } else {
        std::printf("    AddContext failed: %s\n", added.error_name.c_str());
    }

    std::printf("\n[10] Online=false, Powered=false:\n");
    bed.set_modem_property(kModem, "Online", false);
    std::printf("    operating mode: %s\n", bed.sim_ok("get dms.operating-mode").c_str());
    bed.set_modem_property(kModem, "Powered", false);
    wait_until([&] { return bed.sim_ok("clients") == "0"; }, 5000);
    std::printf("    QMI clients still allocated on the modem: %s\n",
                bed.sim_ok("clients").c_str());

    std::printf("\nQMI requests the modem received: CTL %s, DMS %s, NAS %s, UIM %s, WMS %s, "
                "VOICE %s, WDS %s, WDA %s\n",
                bed.sim_ok("requests ctl").c_str(), bed.sim_ok("requests dms").c_str(),
                bed.sim_ok("requests nas").c_str(), bed.sim_ok("requests uim").c_str(),
                bed.sim_ok("requests wms").c_str(), bed.sim_ok("requests voice").c_str(),
                bed.sim_ok("requests wds").c_str(), bed.sim_ok("requests wda").c_str());
    return online ? 0 : 1;
}
} // namespace

int main(int argc, char **argv)
{
    const bool pin_locked = argc > 1 && std::string(argv[1]) == "--pin-locked";
    try {
        return run(pin_locked);
    } catch (const std::exception &e) {
        std::cerr << "demo failed: " << e.what() << "\n";
        return 1;
    }
}
