// Self-test for qmi-sim's NAS service: a libqmi host registers for
// indications, brings the modem online through DMS and follows the network
// registration, signal reports, network scan and network selection.
#include <catch2/catch.hpp>

#include "selftest_support.hpp"

#include <chrono>
#include <dlfcn.h>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace qmisim;
using namespace qmisim::selftest;

namespace
{

// ---------------------------------------------------------------------------
// One NAS request: the output and the protocol error, if any.

#define NAS_CALL(name, client, input)                                                              \
    qmi_call<qmi_client_nas_##name, qmi_client_nas_##name##_finish,                                \
             qmi_message_nas_##name##_output_get_result, qmi_message_nas_##name##_output_unref>(   \
        client, input)

// ---------------------------------------------------------------------------
// Decoded messages

// libqmi 1.32's qmi-enums-nas.h declares qmi_nas_read_string_from_plmn_encoded_array()
// outside extern "C", so C++ code cannot link to it by name; look it up.
gchar *read_plmn_name(QmiNasPlmnEncodingScheme encoding, const GArray *array)
{
    using Reader = gchar *(*)(QmiNasPlmnEncodingScheme, const GArray *);
    static const auto reader = reinterpret_cast<Reader>(
        dlsym(RTLD_DEFAULT, "qmi_nas_read_string_from_plmn_encoded_array"));
    return reader ? reader(encoding, array) : nullptr;
}

struct Serving {
    QmiNasRegistrationState state = QMI_NAS_REGISTRATION_STATE_UNKNOWN;
    std::vector<QmiNasRadioInterface> rats;
    std::optional<std::pair<guint16, guint16>> plmn;
    std::string description;
    std::optional<guint16> lac;
    std::optional<guint32> cid;
    std::optional<guint16> tac;
    std::optional<QmiNasRoamingIndicatorStatus> roaming;
    std::optional<bool> pcs_digit;

    bool on(guint16 mcc, guint16 mnc, QmiNasRadioInterface rat) const
    {
        return state == QMI_NAS_REGISTRATION_STATE_REGISTERED && plmn == std::pair{mcc, mnc} &&
               rats == std::vector{rat};
    }
};

// The response and the indication have the same getters under two prefixes.
#define DECODE_SERVING(prefix, output, s, on_missing)                                              \
    do {                                                                                           \
        GArray *rats = nullptr;                                                                    \
        if (!prefix##_get_serving_system(output, &s.state, nullptr, nullptr, nullptr, &rats,       \
                                         nullptr))                                                 \
            on_missing;                                                                            \
        for (guint i = 0; rats && i < rats->len; i++)                                              \
            s.rats.push_back(g_array_index(rats, QmiNasRadioInterface, i));                        \
        guint16 mcc = 0, mnc = 0, u16 = 0;                                                         \
        guint32 u32 = 0;                                                                           \
        const char *description = nullptr;                                                         \
        gboolean pcs = FALSE;                                                                      \
        auto roaming = QMI_NAS_ROAMING_INDICATOR_STATUS_OFF;                                       \
        if (prefix##_get_current_plmn(output, &mcc, &mnc, &description, nullptr)) {                \
            s.plmn = std::pair{mcc, mnc};                                                          \
            s.description = description;                                                           \
        }                                                                                          \
        if (prefix##_get_lac_3gpp(output, &u16, nullptr))                                          \
            s.lac = u16;                                                                           \
        if (prefix##_get_cid_3gpp(output, &u32, nullptr))                                          \
            s.cid = u32;                                                                           \
        if (prefix##_get_lte_tac(output, &u16, nullptr))                                           \
            s.tac = u16;                                                                           \
        if (prefix##_get_roaming_indicator(output, &roaming, nullptr))                             \
            s.roaming = roaming;                                                                   \
        if (prefix##_get_mnc_pcs_digit_include_status(output, &mcc, &mnc, &pcs, nullptr))          \
            s.pcs_digit = pcs;                                                                     \
    } while (0)

struct LteSignal {
    int rssi = 0, rsrq = 0, rsrp = 0, snr = 0;
};

struct NetworkTime {
    guint16 year = 0;
    guint8 month = 0, day = 0, hour = 0, minute = 0, second = 0;
    QmiNasDayOfWeek day_of_week = QMI_NAS_DAY_OF_WEEK_MONDAY;
    gint8 tz = 0;
    QmiNasDaylightSavingsAdjustment dst = QMI_NAS_DAYLIGHT_SAVINGS_ADJUSTMENT_NONE;
    QmiNasRadioInterface rat = QMI_NAS_RADIO_INTERFACE_NONE;
};

struct LteSystemInfo {
    std::string mcc;
    std::string mnc; // 3 raw bytes
    guint16 tac = 0;
    guint32 cid = 0;
};

// Everything the NAS client signals, in order.
struct Events {
    std::vector<Serving> serving;
    std::vector<LteSystemInfo> lte_system_info;
    int system_info = 0;
    std::vector<LteSignal> lte_signal;
    int signal_info = 0;
    std::vector<std::pair<int, QmiNasRadioInterface>> strength_reports;
    std::vector<NetworkTime> times;
    std::vector<std::string> nitz_long_names;

    static void on_serving(QmiClientNas *, QmiIndicationNasServingSystemOutput *out, gpointer d)
    {
        Serving s;
        DECODE_SERVING(qmi_indication_nas_serving_system_output, out, s, return );
        static_cast<Events *>(d)->serving.push_back(s);
    }
    static void on_system_info(QmiClientNas *, QmiIndicationNasSystemInfoOutput *out, gpointer d)
    {
        auto *self = static_cast<Events *>(d);
        self->system_info++;
        const char *mcc = nullptr;
        const char *mnc = nullptr;
        gboolean tac_valid = FALSE;
        guint16 tac = 0;
        guint32 cid = 0;
        if (qmi_indication_nas_system_info_output_get_lte_system_info_v2(
                out, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                nullptr, nullptr, nullptr, &cid, nullptr, nullptr, nullptr, nullptr, &mcc, &mnc,
                &tac_valid, &tac, nullptr))
            self->lte_system_info.push_back({std::string{mcc, 3}, std::string{mnc, 3}, tac, cid});
    }
    static void on_signal_info(QmiClientNas *, QmiIndicationNasSignalInfoOutput *out, gpointer d)
    {
        auto *self = static_cast<Events *>(d);
        self->signal_info++;
        gint8 rssi = 0, rsrq = 0;
        gint16 rsrp = 0, snr = 0;
        if (qmi_indication_nas_signal_info_output_get_lte_signal_strength(out, &rssi, &rsrq, &rsrp,
                                                                          &snr, nullptr))
            self->lte_signal.push_back({rssi, rsrq, rsrp, snr});
    }
    static void on_event_report(QmiClientNas *, QmiIndicationNasEventReportOutput *out, gpointer d)
    {
        gint8 strength = 0;
        QmiNasRadioInterface rat = QMI_NAS_RADIO_INTERFACE_NONE;
        if (qmi_indication_nas_event_report_output_get_signal_strength(out, &strength, &rat,
                                                                       nullptr))
            static_cast<Events *>(d)->strength_reports.emplace_back(strength, rat);
    }
    static void on_network_time(QmiClientNas *, QmiIndicationNasNetworkTimeOutput *out, gpointer d)
    {
        // No REQUIRE here: a throw must not cross GLib's C frames.
        NetworkTime t;
        if (!qmi_indication_nas_network_time_output_get_universal_time(
                out, &t.year, &t.month, &t.day, &t.hour, &t.minute, &t.second, &t.day_of_week,
                nullptr))
            return;
        qmi_indication_nas_network_time_output_get_timezone_offset(out, &t.tz, nullptr);
        qmi_indication_nas_network_time_output_get_daylight_savings_adjustment(out, &t.dst,
                                                                               nullptr);
        qmi_indication_nas_network_time_output_get_radio_interface(out, &t.rat, nullptr);
        static_cast<Events *>(d)->times.push_back(t);
    }
    static void on_operator_name(QmiClientNas *, QmiIndicationNasOperatorNameOutput *out,
                                 gpointer d)
    {
        QmiNasPlmnEncodingScheme encoding;
        GArray *long_name = nullptr;
        if (!qmi_indication_nas_operator_name_output_get_nitz_information(
                out, &encoding, nullptr, nullptr, nullptr, &long_name, nullptr, nullptr))
            return;
        GCharPtr text{read_plmn_name(encoding, long_name)};
        static_cast<Events *>(d)->nitz_long_names.emplace_back(text ? text.get() : "<bad>");
    }
};

// ---------------------------------------------------------------------------
// A simulator with a libqmi host holding a DMS and a NAS client.

class Modem
{
  public:
    explicit Modem(const std::vector<std::string> &args = {}) : sim(args)
    {
        device = open_device(sim.link);
        dms = allocate_dms(device.get());
        nas.reset(QMI_CLIENT_NAS(allocate_client(device.get(), QMI_SERVICE_NAS).release()));
        connect("serving-system", G_CALLBACK(Events::on_serving));
        connect("system-info", G_CALLBACK(Events::on_system_info));
        connect("signal-info", G_CALLBACK(Events::on_signal_info));
        connect("event-report", G_CALLBACK(Events::on_event_report));
        connect("network-time", G_CALLBACK(Events::on_network_time));
        connect("operator-name", G_CALLBACK(Events::on_operator_name));
    }
    Modem(const Modem &) = delete;
    Modem &operator=(const Modem &) = delete;
    ~Modem() { g_signal_handlers_disconnect_by_data(nas.get(), &events); }

    void go_online()
    {
        REQUIRE(set_operating_mode(dms.get(), QMI_DMS_OPERATING_MODE_ONLINE) ==
                QMI_PROTOCOL_ERROR_NONE);
    }

    // Waits for the next Serving System indication that satisfies `want`;
    // the ones before it are consumed.
    Serving wait_serving(const std::function<bool(const Serving &)> &want)
    {
        const bool found = spin_until([&] {
            for (; serving_seen_ < events.serving.size(); serving_seen_++)
                if (want(events.serving[serving_seen_]))
                    return true;
            return false;
        });
        REQUIRE(found);
        return events.serving[serving_seen_++];
    }

    Serving get_serving()
    {
        auto reply = NAS_CALL(get_serving_system, nas.get(), nullptr);
        REQUIRE(reply.ok());
        Serving s;
        DECODE_SERVING(qmi_message_nas_get_serving_system_output, reply.output.get(), s,
                       FAIL("no Serving System TLV"));
        return s;
    }

    LteSignal get_lte_signal()
    {
        auto reply = NAS_CALL(get_signal_info, nas.get(), nullptr);
        REQUIRE(reply.ok());
        gint8 rssi = 0, rsrq = 0;
        gint16 rsrp = 0, snr = 0;
        REQUIRE(qmi_message_nas_get_signal_info_output_get_lte_signal_strength(
            reply.output.get(), &rssi, &rsrq, &rsrp, &snr, nullptr));
        return {rssi, rsrq, rsrp, snr};
    }

    void register_indications()
    {
        Owned<QmiMessageNasRegisterIndicationsInput,
              qmi_message_nas_register_indications_input_unref>
            input{qmi_message_nas_register_indications_input_new()};
        // Serving System is left alone: it is on by default.
        qmi_message_nas_register_indications_input_set_system_selection_preference(input.get(),
                                                                                   TRUE, nullptr);
        qmi_message_nas_register_indications_input_set_system_info(input.get(), TRUE, nullptr);
        qmi_message_nas_register_indications_input_set_signal_info(input.get(), TRUE, nullptr);
        qmi_message_nas_register_indications_input_set_network_time(input.get(), TRUE, nullptr);
        qmi_message_nas_register_indications_input_set_current_plmn_name(input.get(), TRUE,
                                                                         nullptr);
        REQUIRE(NAS_CALL(register_indications, nas.get(), input.get()).ok());
    }

    std::optional<QmiProtocolError>
    register_network(QmiNasNetworkRegisterType action, guint16 mcc = 0, guint16 mnc = 0,
                     QmiNasRadioInterface rat = QMI_NAS_RADIO_INTERFACE_UNKNOWN)
    {
        Owned<QmiMessageNasInitiateNetworkRegisterInput,
              qmi_message_nas_initiate_network_register_input_unref>
            input{qmi_message_nas_initiate_network_register_input_new()};
        qmi_message_nas_initiate_network_register_input_set_action(input.get(), action, nullptr);
        if (action == QMI_NAS_NETWORK_REGISTER_TYPE_MANUAL)
            qmi_message_nas_initiate_network_register_input_set_manual_registration_info_3gpp(
                input.get(), mcc, mnc, rat, nullptr);
        return NAS_CALL(initiate_network_register, nas.get(), input.get()).error;
    }

    void set_mode_preference(QmiNasRatModePreference modes)
    {
        Owned<QmiMessageNasSetSystemSelectionPreferenceInput,
              qmi_message_nas_set_system_selection_preference_input_unref>
            input{qmi_message_nas_set_system_selection_preference_input_new()};
        qmi_message_nas_set_system_selection_preference_input_set_mode_preference(input.get(),
                                                                                  modes, nullptr);
        REQUIRE(NAS_CALL(set_system_selection_preference, nas.get(), input.get()).ok());
    }

    SimProcess sim;
    GObjectPtr<QmiDevice> device;
    GObjectPtr<QmiClientDms> dms;
    GObjectPtr<QmiClientNas> nas;
    Events events;

  private:
    std::size_t serving_seen_ = 0;

    void connect(const char *signal, GCallback callback)
    {
        g_signal_connect(nas.get(), signal, callback, &events);
    }
};

bool registered_home_lte(const Serving &s)
{
    return s.on(1, 1, QMI_NAS_RADIO_INTERFACE_LTE);
}

std::string indications(SimProcess &sim, const std::string &msgid)
{
    return sim.command("indications nas " + msgid);
}

} // namespace

// ---------------------------------------------------------------------------

TEST_CASE("NAS: registration on the home network, signal and NITZ reports", "[nas]")
{
    Modem m;
    m.register_indications();
    CHECK(m.sim.command("get nas.registration") == "OK not-registered");
    const Serving off = m.get_serving();
    CHECK(off.state == QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED);
    CHECK(off.rats.empty());
    CHECK_FALSE(off.plmn);
    CHECK(NAS_CALL(get_signal_strength, m.nas.get(), nullptr).error ==
          QMI_PROTOCOL_ERROR_NO_NETWORK_FOUND);

    m.go_online();
    const Serving reg = m.wait_serving(registered_home_lte);
    // Searching first, then registered.
    REQUIRE_FALSE(m.events.serving.empty());
    CHECK(m.events.serving.front().state == QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED_SEARCHING);
    CHECK(reg.description == "QMI-SIM Telecom");
    CHECK(reg.tac == 0x5678);
    CHECK(reg.cid == 0x01ABCDEFu);
    CHECK_FALSE(reg.lac); // LTE has a TAC, not a LAC
    CHECK(reg.roaming == QMI_NAS_ROAMING_INDICATOR_STATUS_OFF);
    CHECK(reg.pcs_digit == false);
    CHECK(m.sim.command("get nas.operator") == "OK 001 01");
    CHECK(m.sim.command("get nas.rat") == "OK lte");

    REQUIRE(spin_until([&] { return !m.events.lte_system_info.empty(); }));
    const LteSystemInfo &info = m.events.lte_system_info.back();
    CHECK(info.mcc == "001");
    // A 2-digit MNC goes out padded with 0xFF, like real firmware sends it;
    // libqmi 1.32 keeps only the valid UTF-8 part of the field.
    CHECK(std::string{info.mnc.c_str()} == "01");
    CHECK(info.tac == 0x5678);
    CHECK(info.cid == 0x01ABCDEFu);

    const LteSignal signal = m.get_lte_signal();
    CHECK(signal.rssi == -65);
    CHECK(signal.rsrq == -10);
    CHECK(signal.rsrp == -95);
    CHECK(signal.snr == 100);

    // On UMTS the serving system carries the LAC.
    REQUIRE(m.sim.command("set nas.rat umts") == "OK");
    const Serving umts =
        m.wait_serving([](const Serving &s) { return s.on(1, 1, QMI_NAS_RADIO_INTERFACE_UMTS); });
    CHECK(umts.lac == 0x1234);
    CHECK(umts.cid == 0x01ABCDEFu);
    CHECK_FALSE(umts.tac);
    REQUIRE(m.sim.command("set nas.rat auto") == "OK");
    m.wait_serving(registered_home_lte);

    SECTION("Signal Info indications follow the configured RSRP thresholds")
    {
        Owned<QmiMessageNasConfigSignalInfoInput, qmi_message_nas_config_signal_info_input_unref>
            input{qmi_message_nas_config_signal_info_input_new()};
        Owned<GArray, g_array_unref> thresholds{g_array_new(FALSE, FALSE, sizeof(gint16))};
        for (const gint16 t : {gint16{-100}, gint16{-90}})
            g_array_append_val(thresholds.get(), t);
        qmi_message_nas_config_signal_info_input_set_rsrp_threshold(input.get(), thresholds.get(),
                                                                    nullptr);
        REQUIRE(NAS_CALL(config_signal_info, m.nas.get(), input.get()).ok());

        m.get_lte_signal(); // every earlier indication has been seen after this
        const std::size_t before = m.events.lte_signal.size();
        const std::string sim_before = indications(m.sim, "0x51");
        // -95 -> -97 stays between the thresholds: nothing. The request after
        // it flushes anything the simulator sent before its response.
        REQUIRE(m.sim.command("set nas.rsrp -97") == "OK");
        CHECK(m.get_lte_signal().rsrp == -97);
        CHECK(m.events.lte_signal.size() == before);
        CHECK(indications(m.sim, "0x51") == sim_before);

        // -97 -> -101 crosses -100.
        REQUIRE(m.sim.command("set nas.rsrp -101") == "OK");
        REQUIRE(spin_until([&] { return m.events.lte_signal.size() == before + 1; }));
        CHECK(m.events.lte_signal.back().rsrp == -101);
        CHECK(m.events.lte_signal.back().rssi == -65);

        // RSSI has no thresholds now, so it never triggers.
        REQUIRE(m.sim.command("set nas.rssi -80") == "OK");
        m.get_lte_signal();
        CHECK(m.events.lte_signal.size() == before + 1);
    }

    SECTION("Event Report follows the signal strength thresholds")
    {
        Owned<QmiMessageNasSetEventReportInput, qmi_message_nas_set_event_report_input_unref> input{
            qmi_message_nas_set_event_report_input_new()};
        Owned<GArray, g_array_unref> thresholds{g_array_new(FALSE, FALSE, sizeof(gint8))};
        const gint8 t = -70;
        g_array_append_val(thresholds.get(), t);
        qmi_message_nas_set_event_report_input_set_signal_strength_indicator(
            input.get(), TRUE, thresholds.get(), nullptr);
        REQUIRE(NAS_CALL(set_event_report, m.nas.get(), input.get()).ok());

        REQUIRE(m.sim.command("set nas.rssi -68") == "OK"); // -65 -> -68: no crossing
        m.get_lte_signal();
        CHECK(m.events.strength_reports.empty());
        REQUIRE(m.sim.command("set nas.rssi -75") == "OK"); // crosses -70
        REQUIRE(spin_until([&] { return m.events.strength_reports.size() == 1; }));
        CHECK(m.events.strength_reports[0] == std::pair{-75, QMI_NAS_RADIO_INTERFACE_LTE});
        CHECK(m.sim.command("get nas.rssi") == "OK -75");
    }

    SECTION("NITZ gives Network Time and Operator Name indications")
    {
        REQUIRE(m.sim.command("set nas.network-name QMI-SIM Telecom Long") == "OK");
        REQUIRE(m.sim.command("set nas.network-short-name QSIM") == "OK");
        REQUIRE(m.sim.command("nitz 2024-02-29T12:34:56 8 1") == "OK");
        REQUIRE(spin_until([&] { return !m.events.times.empty(); }));
        const NetworkTime &t = m.events.times[0];
        CHECK(t.year == 2024);
        CHECK(t.month == 2);
        CHECK(t.day == 29);
        CHECK(t.hour == 12);
        CHECK(t.minute == 34);
        CHECK(t.second == 56);
        CHECK(t.day_of_week == QMI_NAS_DAY_OF_WEEK_THURSDAY);
        CHECK(t.tz == 8);
        CHECK(t.dst == QMI_NAS_DAYLIGHT_SAVINGS_ADJUSTMENT_ONE_HOUR);
        CHECK(t.rat == QMI_NAS_RADIO_INTERFACE_LTE);
        REQUIRE(spin_until([&] { return !m.events.nitz_long_names.empty(); }));
        CHECK(m.events.nitz_long_names[0] == "QMI-SIM Telecom Long");
        CHECK(m.sim.command("nitz 2024-02-30T00:00:00 0 0").rfind("ERR", 0) == 0);
    }

    SECTION("low-power drops the registration")
    {
        REQUIRE(set_operating_mode(m.dms.get(), QMI_DMS_OPERATING_MODE_LOW_POWER) ==
                QMI_PROTOCOL_ERROR_NONE);
        const Serving s = m.wait_serving(
            [](const Serving &s) { return s.state == QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED; });
        CHECK(s.rats.empty());
        CHECK(m.sim.command("get nas.registration") == "OK not-registered");
        CHECK(m.sim.command("nitz 2024-02-29T12:34:56 8 1").rfind("ERR", 0) == 0);
    }
}

TEST_CASE("NAS: network scan answers later without blocking", "[nas][scan]")
{
    Modem m;
    REQUIRE(m.sim.command("set nas.scan-delay-ms 400") == "OK");
    m.go_online();
    m.wait_serving(registered_home_lte);

    const auto start = std::chrono::steady_clock::now();
    auto scan = std::make_shared<GObjectPtr<GAsyncResult>>();
    qmi_client_nas_network_scan(
        m.nas.get(), nullptr, 10, nullptr,
        [](GObject *, GAsyncResult *result, gpointer data) {
            std::unique_ptr<ResultSlot> slot{static_cast<ResultSlot *>(data)};
            (*slot)->reset(G_ASYNC_RESULT(g_object_ref(result)));
        },
        new ResultSlot(scan));

    // Answered while the scan is still running.
    CHECK(m.get_serving().on(1, 1, QMI_NAS_RADIO_INTERFACE_LTE));
    CHECK_FALSE(*scan);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(300));

    REQUIRE(spin_until([&] { return *scan != nullptr; }));
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(400));
    ErrorSlot error;
    Owned<QmiMessageNasNetworkScanOutput, qmi_message_nas_network_scan_output_unref> output{
        qmi_client_nas_network_scan_finish(m.nas.get(), scan->get(), error.out())};
    REQUIRE(output);
    REQUIRE(qmi_message_nas_network_scan_output_get_result(output.get(), error.out()));

    using PlmnKey = std::pair<guint16, guint16>;
    GArray *networks = nullptr;
    GArray *rats = nullptr;
    GArray *pcs = nullptr;
    REQUIRE(qmi_message_nas_network_scan_output_get_network_information(output.get(), &networks,
                                                                        nullptr));
    REQUIRE(qmi_message_nas_network_scan_output_get_radio_access_technology(output.get(), &rats,
                                                                            nullptr));
    REQUIRE(qmi_message_nas_network_scan_output_get_mnc_pcs_digit_include_status(output.get(), &pcs,
                                                                                 nullptr));
    REQUIRE(networks->len == rats->len); // one entry per network and RAT
    REQUIRE(pcs->len == rats->len);

    std::map<PlmnKey, std::set<QmiNasRadioInterface>> found;
    std::map<PlmnKey, std::string> names;
    for (guint i = 0; i < networks->len; i++) {
        const auto &net =
            g_array_index(networks, QmiMessageNasNetworkScanOutputNetworkInformationElement, i);
        const auto &rat =
            g_array_index(rats, QmiMessageNasNetworkScanOutputRadioAccessTechnologyElement, i);
        const auto &digit =
            g_array_index(pcs, QmiMessageNasNetworkScanOutputMncPcsDigitIncludeStatusElement, i);
        REQUIRE(PlmnKey{net.mcc, net.mnc} == PlmnKey{rat.mcc, rat.mnc});
        found[{net.mcc, net.mnc}].insert(rat.radio_interface);
        names[{net.mcc, net.mnc}] = net.description;
        CHECK(bool(digit.includes_pcs_digit) == (net.mcc == 310));
        const bool serving = net.network_status & QMI_NAS_NETWORK_STATUS_CURRENT_SERVING;
        CHECK(serving == (PlmnKey{net.mcc, net.mnc} == PlmnKey{1, 1} &&
                          rat.radio_interface == QMI_NAS_RADIO_INTERFACE_LTE));
        CHECK(bool(net.network_status & QMI_NAS_NETWORK_STATUS_FORBIDDEN) ==
              (PlmnKey{net.mcc, net.mnc} == PlmnKey{1, 3}));
    }
    const std::map<PlmnKey, std::set<QmiNasRadioInterface>> expected{
        {{1, 1},
         {QMI_NAS_RADIO_INTERFACE_GSM, QMI_NAS_RADIO_INTERFACE_UMTS, QMI_NAS_RADIO_INTERFACE_LTE}},
        {{1, 2}, {QMI_NAS_RADIO_INTERFACE_GSM, QMI_NAS_RADIO_INTERFACE_UMTS}},
        {{1, 3}, {QMI_NAS_RADIO_INTERFACE_LTE}},
        {{310, 260}, {QMI_NAS_RADIO_INTERFACE_LTE}},
    };
    CHECK(found == expected);
    CHECK(names[{310, 260}] == "US Net");
    CHECK(m.sim.command("requests nas 0x21") == "OK 1");

    SECTION("drop-next applies to the deferred scan response")
    {
        REQUIRE(m.sim.command("set nas.scan-delay-ms 100") == "OK");
        REQUIRE(m.sim.command("drop-next nas 0x21") == "OK");
        auto dropped = std::make_shared<GObjectPtr<GAsyncResult>>();
        qmi_client_nas_network_scan(
            m.nas.get(), nullptr, 1, nullptr,
            [](GObject *, GAsyncResult *result, gpointer data) {
                std::unique_ptr<ResultSlot> slot{static_cast<ResultSlot *>(data)};
                (*slot)->reset(G_ASYNC_RESULT(g_object_ref(result)));
            },
            new ResultSlot(dropped));
        REQUIRE(spin_until([&] { return *dropped != nullptr; }, 3000));
        Owned<QmiMessageNasNetworkScanOutput, qmi_message_nas_network_scan_output_unref> out{
            qmi_client_nas_network_scan_finish(m.nas.get(), dropped->get(), error.out())};
        CHECK_FALSE(out);
        CHECK(error.matches(QMI_CORE_ERROR, QMI_CORE_ERROR_TIMEOUT));
        CHECK(m.sim.log().find("fault: deferred response dropped") != std::string::npos);
    }

    SECTION("cancelling a scan makes libqmi send Abort")
    {
        REQUIRE(m.sim.command("set nas.scan-delay-ms 5000") == "OK");
        GObjectPtr<GCancellable> cancel{g_cancellable_new()};
        auto cancelled = std::make_shared<GObjectPtr<GAsyncResult>>();
        qmi_client_nas_network_scan(
            m.nas.get(), nullptr, 10, cancel.get(),
            [](GObject *, GAsyncResult *result, gpointer data) {
                std::unique_ptr<ResultSlot> slot{static_cast<ResultSlot *>(data)};
                (*slot)->reset(G_ASYNC_RESULT(g_object_ref(result)));
            },
            new ResultSlot(cancelled));
        m.get_serving(); // the scan request has been handled
        g_cancellable_cancel(cancel.get());
        REQUIRE(spin_until([&] { return *cancelled != nullptr; }, 1000));
        REQUIRE(spin_until([&] { return m.sim.command("requests nas 0x0001") == "OK 1"; }, 1000));
        m.get_serving();
        CHECK(m.sim.log().find("\"Abort\" result=success") != std::string::npos);
    }

    SECTION("going low-power aborts a running scan")
    {
        REQUIRE(m.sim.command("set nas.scan-delay-ms 5000") == "OK");
        auto aborted = std::make_shared<GObjectPtr<GAsyncResult>>();
        qmi_client_nas_network_scan(
            m.nas.get(), nullptr, 10, nullptr,
            [](GObject *, GAsyncResult *result, gpointer data) {
                std::unique_ptr<ResultSlot> slot{static_cast<ResultSlot *>(data)};
                (*slot)->reset(G_ASYNC_RESULT(g_object_ref(result)));
            },
            new ResultSlot(aborted));
        m.get_serving(); // the scan request has been handled
        REQUIRE(m.sim.command("set dms.operating-mode low-power") == "OK");
        REQUIRE(spin_until([&] { return *aborted != nullptr; }, 1000));
        Owned<QmiMessageNasNetworkScanOutput, qmi_message_nas_network_scan_output_unref> out{
            qmi_client_nas_network_scan_finish(m.nas.get(), aborted->get(), error.out())};
        REQUIRE(out);
        CHECK_FALSE(qmi_message_nas_network_scan_output_get_result(out.get(), error.out()));
        CHECK(error.matches(QMI_PROTOCOL_ERROR, QMI_PROTOCOL_ERROR_ABORTED));
    }
}

TEST_CASE("NAS: manual and automatic selection, mode preference", "[nas][register]")
{
    Modem m{{"--services", "nas,dms"}};
    m.register_indications();
    REQUIRE(m.sim.command("set nas.register-delay-ms 50") == "OK");
    m.go_online();
    m.wait_serving(registered_home_lte);

    // 001/02 has GSM and UMTS: the best is UMTS. Not home, so roaming.
    CHECK_FALSE(m.register_network(QMI_NAS_NETWORK_REGISTER_TYPE_MANUAL, 1, 2));
    const Serving other =
        m.wait_serving([](const Serving &s) { return s.on(1, 2, QMI_NAS_RADIO_INTERFACE_UMTS); });
    CHECK(other.roaming == QMI_NAS_ROAMING_INDICATOR_STATUS_ON);
    CHECK(other.description == "Other Net");
    CHECK(m.sim.command("get nas.selection") == "OK manual 001 02");
    CHECK(m.sim.command("get nas.rat") == "OK umts");
    CHECK(m.register_network(QMI_NAS_NETWORK_REGISTER_TYPE_MANUAL, 1, 2) ==
          QMI_PROTOCOL_ERROR_NO_EFFECT);
    CHECK(m.register_network(QMI_NAS_NETWORK_REGISTER_TYPE_MANUAL, 1, 2,
                             QMI_NAS_RADIO_INTERFACE_LTE) == QMI_PROTOCOL_ERROR_NO_NETWORK_FOUND);
    CHECK(m.register_network(QMI_NAS_NETWORK_REGISTER_TYPE_MANUAL, 999, 99) ==
          QMI_PROTOCOL_ERROR_NO_NETWORK_FOUND);
    CHECK(m.sim.command("get nas.operator") == "OK 001 02"); // failures change nothing

    // 001/03 is forbidden: accepted, then the network rejects us.
    CHECK_FALSE(m.register_network(QMI_NAS_NETWORK_REGISTER_TYPE_MANUAL, 1, 3));
    const Serving denied = m.wait_serving(
        [](const Serving &s) { return s.state == QMI_NAS_REGISTRATION_STATE_REGISTRATION_DENIED; });
    CHECK(denied.plmn == std::pair<guint16, guint16>{1, 3});
    CHECK(m.sim.command("get nas.registration") == "OK denied");

    // Automatic goes home.
    CHECK_FALSE(m.register_network(QMI_NAS_NETWORK_REGISTER_TYPE_AUTOMATIC));
    m.wait_serving(registered_home_lte);
    CHECK(m.register_network(QMI_NAS_NETWORK_REGISTER_TYPE_AUTOMATIC) ==
          QMI_PROTOCOL_ERROR_NO_EFFECT);
    CHECK(m.sim.command("get nas.selection") == "OK automatic");

    // GSM only: the registration moves to GSM, and the preference reads back.
    const std::string ssp_before = indications(m.sim, "0x34");
    m.set_mode_preference(QMI_NAS_RAT_MODE_PREFERENCE_GSM);
    m.wait_serving([](const Serving &s) { return s.on(1, 1, QMI_NAS_RADIO_INTERFACE_GSM); });
    CHECK(m.sim.command("get nas.mode-preference") == "OK gsm");
    CHECK(indications(m.sim, "0x34") != ssp_before); // System Selection Preference indication
    {
        auto reply = NAS_CALL(get_system_selection_preference, m.nas.get(), nullptr);
        REQUIRE(reply.ok());
        QmiNasRatModePreference modes{};
        REQUIRE(qmi_message_nas_get_system_selection_preference_output_get_mode_preference(
            reply.output.get(), &modes, nullptr));
        CHECK(modes == QMI_NAS_RAT_MODE_PREFERENCE_GSM);
    }
    m.set_mode_preference(static_cast<QmiNasRatModePreference>(QMI_NAS_RAT_MODE_PREFERENCE_GSM |
                                                               QMI_NAS_RAT_MODE_PREFERENCE_UMTS |
                                                               QMI_NAS_RAT_MODE_PREFERENCE_LTE));
    m.wait_serving(registered_home_lte);

    // Control-socket knobs raise the same indications.
    const std::size_t seen = m.events.serving.size();
    REQUIRE(m.sim.command("set nas.registration searching") == "OK");
    m.wait_serving([](const Serving &s) {
        return s.state == QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED_SEARCHING;
    });
    REQUIRE(m.sim.command("set nas.registration registered") == "OK");
    m.wait_serving(registered_home_lte);
    REQUIRE(m.sim.command("set nas.roaming on") == "OK");
    CHECK(m.wait_serving([](const Serving &s) { return s.roaming.has_value(); }).roaming ==
          QMI_NAS_ROAMING_INDICATOR_STATUS_ON);
    CHECK(m.events.serving.size() > seen);
}

TEST_CASE("NAS: can be left out of the service list", "[nas]")
{
    SimProcess sim{{"--services", "dms"}};
    auto device = open_device(sim.link);
    auto result = wait_async([&](GAsyncReadyCallback cb, gpointer data) {
        qmi_device_allocate_client(device.get(), QMI_SERVICE_NAS, QMI_CID_NONE, kQmiTimeoutS,
                                   nullptr, cb, data);
    });
    ErrorSlot error;
    GObjectPtr<QmiClient> client{
        qmi_device_allocate_client_finish(device.get(), result.get(), error.out())};
    CHECK_FALSE(client);
    CHECK(sim.command("clients nas") == "OK 0");
    CHECK(sim.command("get nas.registration") == "OK not-registered");
}
