// netreg atom over NAS: registration status, operator, strength, scan,
// automatic and manual selection, network time. Event driven: after probe
// the modem reports changes through indications (serving system, signal
// info with thresholds, network time); nothing is polled.
#pragma once

#include "core/device.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"
#include "core/signal_connection.hpp"
#include "translate/nas.hpp"

#include <ofono/netreg.h>

#include <map>
#include <string>
#include <optional>
#include <utility>

namespace qmi {

class NetregAtom {
public:
    NetregAtom(ofono_netreg *atom, Device &device);
    ~NetregAtom();

    void registration_status(OfonoCallback<ofono_netreg_status_cb_t> cb);
    void current_operator(OfonoCallback<ofono_netreg_operator_cb_t> cb);
    void list_operators(OfonoCallback<ofono_netreg_operator_list_cb_t> cb);
    void register_auto(OfonoCallback<ofono_netreg_register_cb_t> cb);
    void register_manual(const char *mcc, const char *mnc,
                         OfonoCallback<ofono_netreg_register_cb_t> cb);
    void strength(OfonoCallback<ofono_netreg_strength_cb_t> cb);

    const Lifetime &lifetime() const { return life_; }

private:
    void on_client(QmiClient *client);
    void enable_indications();
    // Suspend: signal and time reports off before sleep, back on (and the
    // registration and strength re-read) after resume.
    void quiet(PowerEvents::Done done);
    void wake();
    void on_serving_system_indication(QmiIndicationNasServingSystemOutput *out);
    void on_signal_info_indication(QmiIndicationNasSignalInfoOutput *out);
    void on_network_time_indication(QmiIndicationNasNetworkTimeOutput *out);
    void on_operator_name_indication(QmiIndicationNasOperatorNameOutput *out);
    // Remembers what the modem said; tells oFono when it changed.
    void update_serving_system(const ServingSystem &ss, bool notify);
    void update_strength(const SignalInfo &info);
    void initiate_register(bool manual, std::uint16_t mcc, std::uint16_t mnc, bool three_digits,
                           OfonoCallback<ofono_netreg_register_cb_t> cb);

    // QMI answers Initiate Network Register at once; oFono (like AT+COPS)
    // expects the answer once the modem is registered there, or refused.
    struct PendingRegistration {
        bool manual;
        std::uint16_t mcc, mnc;
        OfonoCallback<ofono_netreg_register_cb_t> cb;
        unsigned id;
    };
    void check_pending_registration();

    ofono_netreg *atom_;
    std::optional<PendingRegistration> pending_registration_;
    unsigned registration_ids_ = 0;
    Device &device_;
    GRef<QmiClientNas> nas_;
    std::optional<ServingSystem> serving_;
    std::optional<Registration> reported_;
    int reported_strength_ = -1;
    // RAT of each operator seen in the last scan, for manual selection.
    std::map<std::pair<std::uint16_t, std::uint16_t>, int> scanned_rat_;
    // The network's own name (NITZ) for the PLMN it was received on; it
    // wins over the modem's description for that PLMN.
    struct NetworkName {
        std::uint16_t mcc, mnc;
        std::string name;
    };
    std::optional<NetworkName> network_name_;
    SignalConnection serving_system_signal_, signal_info_signal_, network_time_signal_,
        operator_name_signal_;
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
