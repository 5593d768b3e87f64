// SMS over WMS: the real ofonod with qmi.so, qmi-sim's WMS (storage,
// routes, the network's side). oFono's core encodes and reassembles; these
// tests check that every PDU crosses the driver, both ways, exactly once.
#include "log_scan.hpp"
#include "testbed.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <set>
#include <string>

using namespace e2e;

namespace
{
const std::string kModem = "/sim0";
const std::string kMessages = "org.ofono.MessageManager";

TestBedOptions with_wms(bool start = true)
{
    return with_services("dms,nas,uim,wms", start);
}

Properties sms_props(TestBed &bed)
{
    return bed.bus().properties(kModem, kMessages);
}

// Powers the modem up and online and waits for MessageManager.
void bring_up(TestBed &bed)
{
    REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    REQUIRE(wait_until([&] { return !sms_props(bed).empty(); }, 15000));
}

// Messages waiting in one storage ("2 0:not-read 1:read" -> 2).
int stored(TestBed &bed, const std::string &storage)
{
    const std::string listing = bed.sim_ok("get wms.storage " + storage);
    return std::stoi(listing.substr(0, listing.find(' ')));
}

struct Received {
    std::string text, sender;
};

std::vector<Received> texts(const Bus::Signals &signals)
{
    std::vector<Received> out;
    for (const auto &v : signals.received) {
        const gchar *text = nullptr;
        GVariant *info = nullptr;
        g_variant_get(v.get(), "(&s@a{sv})", &text, &info);
        Properties p = to_properties(info);
        g_variant_unref(info);
        out.push_back({text, prop_string(p, "Sender")});
    }
    return out;
}

CallResult send(TestBed &bed, const std::string &to, const std::string &text)
{
    return bed.bus().call(kModem, kMessages, "SendMessage",
                          g_variant_new("(ss)", to.c_str(), text.c_str()));
}

std::string long_text()
{
    std::string t;
    for (int i = 0; t.size() < 400; ++i)
        t += "part of a long message " + std::to_string(i) + ". ";
    t = t.substr(0, 400);
    t.back() = '.'; // the control line's end is trimmed: no trailing space
    return t;
}
} // namespace

TEST_CASE("SendMessage: the modem gets the PDU; a long text goes as three", "[sms][send]")
{
    TestBed bed(with_wms());
    bring_up(bed);
    auto r = send(bed, "+15557654321", "hello from qmi");
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    REQUIRE(wait_until([&] { return bed.sim_count("get wms.sent") == 1; }));
    CHECK(bed.sim_ok("get wms.sent-text 1") == "+15557654321 hello from qmi");

    const std::string text = long_text();
    REQUIRE(send(bed, "+15557654321", text).ok());
    REQUIRE(wait_until([&] { return bed.sim_count("get wms.sent") == 4; }));
    std::string joined;
    for (int part = 1; part <= 3; ++part) {
        const std::string sent = bed.sim_ok("get wms.sent-text " + std::to_string(part + 1));
        INFO(sent);
        const std::string tag = "part " + std::to_string(part) + "/3] ";
        const auto at = sent.find(tag);
        REQUIRE(at != std::string::npos);
        CHECK(sent.rfind("+15557654321 [ref ", 0) == 0);
        joined += sent.substr(at + tag.size());
    }
    CHECK(joined == text);
}

TEST_CASE("a send the network refuses fails at once with its cause; the next one works",
          "[sms][send]")
{
    TestBed bed(with_wms());
    bring_up(bed);
    auto changes = bed.bus().subscribe("org.ofono.Message", "PropertyChanged");
    auto failed = [&] {
        for (const auto &v : changes->received) {
            const gchar *name = nullptr;
            GVariant *value = nullptr;
            g_variant_get(v.get(), "(&sv)", &name, &value);
            const bool is_failed = std::string(name) == "State" &&
                                   std::string(g_variant_get_string(value, nullptr)) == "failed";
            g_variant_unref(value);
            if (is_failed)
                return true;
        }
        return false;
    };
    bed.sim_ok("sms-send-fail 38"); // network out of order
    REQUIRE(send(bed, "+15557654321", "this one is refused").ok());
    // An RP cause is the network's verdict (a CMS error): oFono does not retry.
    CHECK(wait_until(failed));
    CHECK(bed.sim_count("requests wms 0x20") == 1);
    CHECK(bed.ofono_log().find("RP cause 38") != std::string::npos);

    REQUIRE(send(bed, "+15557654321", "this one goes").ok());
    REQUIRE(wait_until([&] { return bed.sim_count("requests wms 0x20") == 2; }));
    CHECK(wait_until(
        [&] { return bed.sim_log().find("\"Raw Send\" result=success") != std::string::npos; }));
}

TEST_CASE("incoming messages reach the client whole, in both route modes", "[sms][receive]")
{
    const std::string mode = GENERATE(as<std::string>{}, "store", "transfer");
    TestBed bed(with_wms());
    bed.sim_ok("set wms.route-override " + mode);
    bring_up(bed);
    auto incoming = bed.bus().subscribe(kMessages, "IncomingMessage");
    auto immediate = bed.bus().subscribe(kMessages, "ImmediateMessage");
    INFO("route " << mode);

    bed.sim_ok("sms-text +15551112222 gsm7 none Hello from the network");
    REQUIRE(wait_until([&] { return incoming->received.size() == 1; }));
    CHECK(texts(*incoming)[0].text == "Hello from the network");
    CHECK(texts(*incoming)[0].sender == "+15551112222");

    const std::string text = long_text();
    CHECK(bed.sim_ok("sms-text +15553334444 gsm7 none " + text) == "3");
    REQUIRE(wait_until([&] { return incoming->received.size() == 2; }));
    CHECK(texts(*incoming)[1].text == text);

    bed.sim_ok("sms-text +15555556666 ucs2 none Привет, 世界");
    REQUIRE(wait_until([&] { return incoming->received.size() == 3; }));
    CHECK(texts(*incoming)[2].text == "Привет, 世界");

    bed.sim_ok("sms-text +15557778888 gsm7 0 Flash message");
    REQUIRE(wait_until([&] { return immediate->received.size() == 1; }));
    CHECK(texts(*immediate)[0].text == "Flash message");
    CHECK(texts(*immediate)[0].sender == "+15557778888");

    // Nothing is left behind on the modem, nothing waits for an ack.
    CHECK(wait_until([&] { return stored(bed, "nv") == 0 && stored(bed, "uim") == 0; }));
    CHECK(wait_until([&] { return bed.sim_count("get wms.unacked") == 0; }));
    CHECK(incoming->received.size() == 3);
}

TEST_CASE("messages stored while ofonod was away are delivered once at start-up", "[sms][stored]")
{
    TestBed bed(with_wms(false));
    bed.sim_ok("sms-store nv not-read +15559990000 Waiting on the modem");
    bed.sim_ok("sms-store uim not-read +15559990001 Waiting on the SIM");
    bed.sim_ok("sms-store nv read +15559990002 Already read elsewhere");
    bed.start_ofono();
    auto incoming = bed.bus().subscribe(kMessages, "IncomingMessage");
    bring_up(bed);
    REQUIRE(wait_until([&] { return incoming->received.size() == 2; }));
    CHECK(wait_until([&] { return stored(bed, "uim") == 0 && stored(bed, "nv") == 1; }));
    std::set<std::string> got;
    for (const auto &m : texts(*incoming))
        got.insert(m.text);
    CHECK(got == std::set<std::string>{"Waiting on the modem", "Waiting on the SIM"});
    // A message read by someone else is left alone.
    CHECK(bed.sim_ok("get wms.storage nv").find(":read") != std::string::npos);
}

TEST_CASE("a burst of messages: each delivered once, several read at a time", "[sms][burst]")
{
    TestBed bed(with_wms());
    bring_up(bed);
    bed.sim_ok("latency 20"); // reads overlap only if they are sent together
    auto incoming = bed.bus().subscribe(kMessages, "IncomingMessage");
    constexpr int kBurst = 40;
    for (int i = 0; i < kBurst; i++)
        bed.sim_ok("sms-text +15551230000 gsm7 none Burst message " + std::to_string(i));
    REQUIRE(wait_until([&] { return incoming->received.size() >= kBurst; }, 20000));
    CHECK(wait_until([&] { return stored(bed, "nv") == 0; }));
    std::set<std::string> got;
    for (const auto &m : texts(*incoming))
        got.insert(m.text);
    CHECK(got.size() == kBurst);
    CHECK(incoming->received.size() == kBurst);
    const int reads = most_in_flight(bed.sim_log(), "wms", {0x22}); // Raw Read
    INFO("most Raw Reads in flight at once: " << reads);
    CHECK(reads > 32); // up to 128 at once (atoms/sms.cpp)
}

TEST_CASE("no loss: ofonod dies with a new message on the modem", "[sms][stored]")
{
    TestBed bed(with_wms());
    bring_up(bed);
    bed.signal_ofono(SIGSTOP); // frozen: the indication stays unread
    bed.sim_ok("sms-text +15551230000 gsm7 none Do not lose me");
    CHECK(stored(bed, "nv") == 1);
    bed.kill_ofono();

    bed.start_ofono();
    auto incoming = bed.bus().subscribe(kMessages, "IncomingMessage");
    bring_up(bed);
    REQUIRE(wait_until([&] { return incoming->received.size() == 1; }));
    CHECK(texts(*incoming)[0].text == "Do not lose me");
    CHECK(wait_until([&] { return stored(bed, "nv") == 0; }));
    // Once: a later message is the only other one that arrives.
    bed.sim_ok("sms-text +15551230000 gsm7 none After the restart");
    REQUIRE(wait_until([&] { return incoming->received.size() >= 2; }));
    CHECK(texts(*incoming)[1].text == "After the restart");
    CHECK(incoming->received.size() == 2);
}

TEST_CASE("ServiceCenterAddress and Bearer read and write through", "[sms][smsc]")
{
    TestBed bed(with_wms(false));
    bed.sim_ok("set wms.smsc +447700900123");
    bed.start_ofono();
    bring_up(bed);
    REQUIRE(wait_until(
        [&] { return prop_string(sms_props(bed), "ServiceCenterAddress") == "+447700900123"; }));
    auto r = bed.bus().set_property(kModem, kMessages, "ServiceCenterAddress",
                                    g_variant_new_string("+15550001111"));
    INFO(r.error_name << " " << r.error_message);
    REQUIRE(r.ok());
    CHECK(bed.sim_ok("get wms.smsc") == "+15550001111");

    // oFono pushes its stored bearer (cs-preferred by default) to the modem.
    CHECK(wait_until([&] { return bed.sim_ok("get wms.domain") == "0"; }));
    CHECK(prop_string(sms_props(bed), "Bearer") == "cs-preferred");
    r = bed.bus().set_property(kModem, kMessages, "Bearer", g_variant_new_string("cs-only"));
    REQUIRE(r.ok());
    CHECK(bed.sim_ok("get wms.domain") == "2");
    // A malformed address is refused by oFono or by us, and nothing changes.
    r = bed.bus().set_property(kModem, kMessages, "ServiceCenterAddress",
                               g_variant_new_string("+49 170 abc"));
    CHECK_FALSE(r.ok());
    CHECK(bed.sim_ok("get wms.smsc") == "+15550001111");
}

TEST_CASE("a delivery report for a sent message reaches oFono", "[sms][report]")
{
    TestBed bed(with_wms());
    bring_up(bed);
    auto r = bed.bus().set_property(kModem, kMessages, "UseDeliveryReports",
                                    g_variant_new_boolean(TRUE));
    REQUIRE(r.ok());
    REQUIRE(send(bed, "+15557654321", "tell me when it arrives").ok());
    REQUIRE(wait_until([&] { return bed.sim_count("get wms.sent") == 1; }));
    // The report comes back through the modem's storage and is taken off it.
    CHECK(wait_until(
        [&] { return bed.ofono_log().find("sms: status report") != std::string::npos; }));
    CHECK(wait_until([&] { return stored(bed, "nv") == 0; }));
    CHECK(bed.ofono_log().find("handle_sms_status_report") != std::string::npos);
}

TEST_CASE("oFono's SMS scripts work", "[sms][scripts]")
{
    TestBed bed(with_wms());
    bring_up(bed);
    std::string out;
    CHECK(bed.run_script("send-sms", {kModem, "+15551234567", "sent by the script", "0"}, &out) ==
          0);
    INFO(out);
    REQUIRE(wait_until([&] { return bed.sim_count("get wms.sent") == 1; }));
    CHECK(bed.sim_ok("get wms.sent-text 1") == "+15551234567 sent by the script");
    CHECK(bed.run_script("list-messages", {kModem}, &out) == 0);
}
