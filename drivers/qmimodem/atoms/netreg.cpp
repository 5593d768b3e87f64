#include "netreg.hpp"

#include "core/errors.hpp"
#include "core/join.hpp"
#include "core/libqmi_shim.h"
#include "core/qmi_call.hpp"
#include "core/wire_enum.hpp"
#include "translate/nas_extract.hpp"

#include <ofono/log.h>

#include <array>
#include <cstring>
#include <vector>

namespace qmi
{
namespace
{

constexpr guint kScanTimeoutSeconds = 180; // scans take minutes on some modems
constexpr guint kRegisterTimeoutSeconds = 60;
constexpr unsigned kRegisteredWithinMs = 60 * 1000;

// Reporting thresholds: one per 20 % step of oFono's strength, so the host
// is woken for a change a user could see and not for every dB.
constexpr std::array<gint8, 4> kRssiThresholds{-101, -88, -76, -63};
constexpr std::array<gint16, 4> kRsrpThresholds{-121, -102, -82, -63};

template <typename T, std::size_t N> GArray *to_garray(const std::array<T, N> &values)
{
    GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(T), N);
    g_array_append_vals(a, values.data(), N);
    return a;
}

void fill_operator(ofono_network_operator &op, std::uint16_t mcc, std::uint16_t mnc,
                   bool three_digits, const std::string &name, int status, int tech)
{
    std::memset(&op, 0, sizeof(op));
    g_strlcpy(op.mcc, format_mcc(mcc).c_str(), sizeof(op.mcc));
    g_strlcpy(op.mnc, format_mnc(mnc, three_digits).c_str(), sizeof(op.mnc));
    g_strlcpy(op.name, sanitize_operator_name(name).c_str(), sizeof(op.name));
    op.status = status;
    op.tech = tech;
}

} // namespace

NetregAtom::NetregAtom(ofono_netreg *atom, Device &device) : atom_(atom), device_(device)
{
    device_.allocate(life_, QMI_SERVICE_NAS,
                     [this](QmiClient *client, const GError *) { on_client(client); });
}

NetregAtom::~NetregAtom()
{
    life_.end();
}

void NetregAtom::on_client(QmiClient *client)
{
    if (!client) {
        ofono_error("netreg: no NAS client; network registration unavailable");
        return ofono_netreg_remove(atom_); // deletes this
    }
    nas_ = GRef<QmiClientNas>::ref(QMI_CLIENT_NAS(client));
    serving_system_signal_ =
        connect_signal<&NetregAtom::on_serving_system_indication,
                       QmiIndicationNasServingSystemOutput *>(nas_.get(), "serving-system", this);
    signal_info_signal_ =
        connect_signal<&NetregAtom::on_signal_info_indication, QmiIndicationNasSignalInfoOutput *>(
            nas_.get(), "signal-info", this);
    network_time_signal_ =
        connect_signal<&NetregAtom::on_network_time_indication,
                       QmiIndicationNasNetworkTimeOutput *>(nas_.get(), "network-time", this);
    operator_name_signal_ =
        connect_signal<&NetregAtom::on_operator_name_indication,
                       QmiIndicationNasOperatorNameOutput *>(nas_.get(), "operator-name", this);
    enable_indications();
    device_.power().watch(
        life_, {[this](PowerEvents::Done done) { quiet(std::move(done)); }, [this] { wake(); }});
}

void NetregAtom::enable_indications()
{
    // Register Indications and the signal thresholds are independent: send
    // both, register the atom when both have answered. A modem that
    // refuses either still works (oFono then asks for what it needs).
    Join both(2, [this] { ofono_netreg_register(atom_); });

    auto ind = QMI_INPUT(nas, register_indications);
    qmi_message_nas_register_indications_input_set_serving_system_events(ind.get(), TRUE, nullptr);
    qmi_message_nas_register_indications_input_set_signal_info(ind.get(), TRUE, nullptr);
    qmi_message_nas_register_indications_input_set_network_time(ind.get(), TRUE, nullptr);
    // Network-provided names (NITZ) arrive as Operator Name indications.
    qmi_message_nas_register_indications_input_set_current_plmn_name(ind.get(), TRUE, nullptr);
    // Everything we do not use stays off, so it never wakes the host.
    qmi_message_nas_register_indications_input_set_system_info(ind.get(), FALSE, nullptr);
    qmi_message_nas_register_indications_input_set_system_selection_preference(ind.get(), FALSE,
                                                                               nullptr);
    call(life_, nas_.get(), QMI_REQUEST(nas, register_indications), ind.get(),
         [both](Reply<QmiMessageNasRegisterIndicationsOutput> r) {
             if (!r.ok())
                 ofono_warn("netreg: Register Indications failed: %s", describe(r.error()).c_str());
             both();
         });

    auto cfg = QMI_INPUT(nas, config_signal_info);
    GArray *rssi = to_garray(kRssiThresholds);
    GArray *rsrp = to_garray(kRsrpThresholds);
    qmi_message_nas_config_signal_info_input_set_rssi_threshold(cfg.get(), rssi, nullptr);
    qmi_message_nas_config_signal_info_input_set_rsrp_threshold(cfg.get(), rsrp, nullptr);
    g_array_unref(rssi);
    g_array_unref(rsrp);
    call(life_, nas_.get(), QMI_REQUEST(nas, config_signal_info), cfg.get(),
         [both](Reply<QmiMessageNasConfigSignalInfoOutput> r) {
             if (!r.ok())
                 ofono_warn("netreg: Config Signal Info failed: %s", describe(r.error()).c_str());
             both();
         });
}

void NetregAtom::update_serving_system(const ServingSystem &ss, bool notify)
{
    serving_ = ss;
    check_pending_registration();
    const Registration reg = to_registration(ss);
    if (reported_ == reg)
        return;
    reported_ = reg;
    DBG("netreg: status %d lac %d ci %d tech %d", static_cast<int>(reg.status), reg.lac,
        reg.cell_id, static_cast<int>(reg.tech));
    if (notify)
        ofono_netreg_status_notify(atom_, static_cast<int>(reg.status), reg.lac, reg.cell_id,
                                   static_cast<int>(reg.tech));
}

void NetregAtom::on_serving_system_indication(QmiIndicationNasServingSystemOutput *out)
{
    // Every TLV of the indication is optional to libqmi. One without the
    // registration state says nothing about it: keep what we know.
    QmiNasRegistrationState state;
    QmiNasAttachState cs, ps;
    QmiNasNetworkType network;
    GArray *rats = nullptr;
    if (!qmi_indication_nas_serving_system_output_get_serving_system(out, &state, &cs, &ps,
                                                                     &network, &rats, nullptr)) {
        ofono_warn("netreg: Serving System indication without the serving system; ignored");
        return;
    }
    update_serving_system(extract_serving_system(out), true);
}

void NetregAtom::update_strength(const SignalInfo &info)
{
    const int strength = to_strength(info);
    if (strength < 0 || strength == reported_strength_)
        return;
    reported_strength_ = strength;
    ofono_netreg_strength_notify(atom_, strength);
}

void NetregAtom::on_signal_info_indication(QmiIndicationNasSignalInfoOutput *out)
{
    update_strength(extract_signal_info(out));
}

void NetregAtom::on_network_time_indication(QmiIndicationNasNetworkTimeOutput *out)
{
    auto t = extract_network_time(out);
    if (!t)
        return;
    const LocalTime local = to_local_time(*t);
    ofono_network_time info{local.second, local.minute, local.hour,      local.day,
                            local.month,  local.year,   local.dst_hours, local.utc_offset_seconds};
    DBG("netreg: network time %04d-%02d-%02d %02d:%02d:%02d utcoff %d dst %d", info.year, info.mon,
        info.mday, info.hour, info.min, info.sec, info.utcoff, info.dst);
    ofono_netreg_time_notify(atom_, &info);
}

void NetregAtom::on_operator_name_indication(QmiIndicationNasOperatorNameOutput *out)
{
    QmiNasPlmnEncodingScheme encoding;
    QmiNasPlmnNameCountryInitials initials;
    QmiNasPlmnNameSpareBits long_spare, short_spare;
    GArray *long_name = nullptr, *short_name = nullptr;
    if (!serving_ || !serving_->plmn ||
        !qmi_indication_nas_operator_name_output_get_nitz_information(
            out, &encoding, &initials, &long_spare, &short_spare, &long_name, &short_name, nullptr))
        return;
    CharPtr decoded(qmi_shim_decode_plmn_name(wire(encoding), long_name));
    if (!decoded || !*decoded)
        decoded.reset(qmi_shim_decode_plmn_name(wire(encoding), short_name));
    if (!decoded || !*decoded)
        return;
    const auto name = sanitize_operator_name(decoded.get());
    if (name.empty())
        return;
    network_name_ = NetworkName{serving_->plmn->mcc, serving_->plmn->mnc, name};
    DBG("netreg: network name '%s'", name.c_str());
    // A status notify makes oFono ask for the current operator again.
    if (reported_ &&
        (reported_->status == RegStatus::Registered || reported_->status == RegStatus::Roaming))
        ofono_netreg_status_notify(atom_, static_cast<int>(reported_->status), reported_->lac,
                                   reported_->cell_id, static_cast<int>(reported_->tech));
}

void NetregAtom::registration_status(OfonoCallback<ofono_netreg_status_cb_t> cb)
{
    call(life_, nas_.get(), QMI_REQUEST(nas, get_serving_system), nullptr,
         [this, cb = std::move(cb)](Reply<QmiMessageNasGetServingSystemOutput> r) mutable {
             if (!r.ok())
                 return cb.fail(to_ofono_error(r.error()));
             // The reply answers oFono directly; a notify would be redundant.
             update_serving_system(extract_serving_system(r.get()), false);
             const auto &reg = *reported_;
             cb.succeed(static_cast<int>(reg.status), reg.lac, reg.cell_id,
                        static_cast<int>(reg.tech));
         });
}

void NetregAtom::current_operator(OfonoCallback<ofono_netreg_operator_cb_t> cb)
{
    // oFono asks right after a status change, which always comes from a
    // fresh serving-system report: answer from it without a request.
    auto answer = [this](OfonoCallback<ofono_netreg_operator_cb_t> &cb) {
        if (!serving_ || !serving_->plmn)
            return cb.fail();
        const auto &p = *serving_->plmn;
        const bool named =
            network_name_ && network_name_->mcc == p.mcc && network_name_->mnc == p.mnc;
        ofono_network_operator op;
        fill_operator(op, p.mcc, p.mnc, p.three_digit_mnc,
                      named ? network_name_->name : p.description, 2,
                      static_cast<int>(reported_ ? reported_->tech : AccessTech::None));
        cb.succeed(&op);
    };
    if (serving_) {
        life_.defer([answer, cb = std::move(cb)]() mutable { answer(cb); });
        return;
    }
    call(life_, nas_.get(), QMI_REQUEST(nas, get_serving_system), nullptr,
         [this, answer, cb = std::move(cb)](Reply<QmiMessageNasGetServingSystemOutput> r) mutable {
             if (!r.ok())
                 return cb.fail(to_ofono_error(r.error()));
             update_serving_system(extract_serving_system(r.get()), true);
             answer(cb);
         });
}

void NetregAtom::strength(OfonoCallback<ofono_netreg_strength_cb_t> cb)
{
    call(life_, nas_.get(), QMI_REQUEST(nas, get_signal_info), nullptr,
         [this, cb = std::move(cb)](Reply<QmiMessageNasGetSignalInfoOutput> r) mutable {
             if (!r.ok())
                 return cb.fail(to_ofono_error(r.error()));
             const int strength = to_strength(extract_signal_info(r.get()));
             reported_strength_ = strength;
             cb.succeed(strength);
         });
}

void NetregAtom::list_operators(OfonoCallback<ofono_netreg_operator_list_cb_t> cb)
{
    call(
        life_, nas_.get(), QMI_REQUEST(nas, network_scan), nullptr,
        [this, cb = std::move(cb)](Reply<QmiMessageNasNetworkScanOutput> r) mutable {
            if (!r.ok()) {
                ofono_warn("netreg: network scan failed: %s", describe(r.error()).c_str());
                return cb.fail(to_ofono_error(r.error()));
            }
            GArray *info = nullptr, *rats = nullptr, *pcs = nullptr;
            qmi_message_nas_network_scan_output_get_network_information(r.get(), &info, nullptr);
            qmi_message_nas_network_scan_output_get_radio_access_technology(r.get(), &rats,
                                                                            nullptr);
            qmi_message_nas_network_scan_output_get_mnc_pcs_digit_include_status(r.get(), &pcs,
                                                                                 nullptr);
            auto three_digits = [pcs](guint16 mcc, guint16 mnc) {
                for (guint i = 0; pcs && i < pcs->len; i++) {
                    auto &e = g_array_index(
                        pcs, QmiMessageNasNetworkScanOutputMncPcsDigitIncludeStatusElement, i);
                    if (e.mcc == mcc && e.mnc == mnc)
                        return static_cast<bool>(e.includes_pcs_digit);
                }
                return false;
            };
            scanned_rat_.clear();
            std::vector<ofono_network_operator> ops;
            for (guint i = 0; info && i < info->len; i++) {
                auto &n =
                    g_array_index(info, QmiMessageNasNetworkScanOutputNetworkInformationElement, i);
                const int status =
                    scan_status_to_operator_status(static_cast<unsigned>(wire(n.network_status)));
                const std::string name = n.description ? n.description : "";
                bool listed = false;
                // One entry per radio technology: oFono merges them into one
                // operator with a list of technologies.
                for (guint k = 0; rats && k < rats->len; k++) {
                    auto &t = g_array_index(
                        rats, QmiMessageNasNetworkScanOutputRadioAccessTechnologyElement, k);
                    const int rat = wire(t.radio_interface);
                    const AccessTech tech = radio_interface_to_tech(rat);
                    if (t.mcc != n.mcc || t.mnc != n.mnc || tech == AccessTech::None)
                        continue;
                    ops.emplace_back();
                    fill_operator(ops.back(), n.mcc, n.mnc, three_digits(n.mcc, n.mnc), name,
                                  status, static_cast<int>(tech));
                    auto &best = scanned_rat_[{n.mcc, n.mnc}];
                    best = std::max(best, rat);
                    listed = true;
                }
                if (!listed) {
                    ops.emplace_back();
                    fill_operator(ops.back(), n.mcc, n.mnc, three_digits(n.mcc, n.mnc), name,
                                  status, static_cast<int>(AccessTech::None));
                }
            }
            DBG("netreg: scan found %zu entries", ops.size());
            cb.succeed(static_cast<int>(ops.size()), ops.data());
        },
        kScanTimeoutSeconds);
}

void NetregAtom::register_auto(OfonoCallback<ofono_netreg_register_cb_t> cb)
{
    initiate_register(false, 0, 0, false, std::move(cb));
}

void NetregAtom::register_manual(const char *mcc, const char *mnc,
                                 OfonoCallback<ofono_netreg_register_cb_t> cb)
{
    std::uint16_t mcc_value = 0, mnc_value = 0;
    bool three_digits = false;
    if (!parse_mcc_mnc(mcc ? mcc : "", mnc ? mnc : "", mcc_value, mnc_value, three_digits)) {
        ofono_warn("netreg: refusing manual registration on malformed PLMN");
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    }
    initiate_register(true, mcc_value, mnc_value, three_digits, std::move(cb));
}

void NetregAtom::initiate_register(bool manual, std::uint16_t mcc, std::uint16_t mnc,
                                   bool three_digits, OfonoCallback<ofono_netreg_register_cb_t> cb)
{
    auto input = QMI_INPUT(nas, initiate_network_register);
    qmi_message_nas_initiate_network_register_input_set_action(
        input.get(),
        manual ? QMI_NAS_NETWORK_REGISTER_TYPE_MANUAL : QMI_NAS_NETWORK_REGISTER_TYPE_AUTOMATIC,
        nullptr);
    if (manual) {
        // The technology seen in the last scan; unknown lets the modem pick.
        auto it = scanned_rat_.find({mcc, mnc});
        auto rat = it == scanned_rat_.end() ? QMI_NAS_RADIO_INTERFACE_UNKNOWN
                                            : static_cast<QmiNasRadioInterface>(it->second);
        qmi_message_nas_initiate_network_register_input_set_manual_registration_info_3gpp(
            input.get(), mcc, mnc, rat, nullptr);
        qmi_message_nas_initiate_network_register_input_set_mnc_pcs_digit_include_status(
            input.get(), three_digits, nullptr);
    }
    if (pending_registration_)
        std::exchange(pending_registration_, std::nullopt)->cb.fail(); // superseded
    call(
        life_, nas_.get(), QMI_REQUEST(nas, initiate_network_register), input.get(),
        [this, manual, mcc, mnc,
         cb = std::move(cb)](Reply<QmiMessageNasInitiateNetworkRegisterOutput> r) mutable {
            // Already registered that way: nothing to do, not a failure.
            if (is_protocol_error(r.error(), QMI_PROTOCOL_ERROR_NO_EFFECT))
                return cb.succeed();
            if (!r.ok()) {
                ofono_warn("netreg: registration request failed: %s", describe(r.error()).c_str());
                return cb.fail(to_ofono_error(r.error()));
            }
            const unsigned id = ++registration_ids_;
            pending_registration_ = PendingRegistration{manual, mcc, mnc, std::move(cb), id};
            life_.after(kRegisteredWithinMs, [this, id] {
                if (pending_registration_ && pending_registration_->id == id) {
                    ofono_warn("netreg: no registration within %u s", kRegisteredWithinMs / 1000);
                    std::exchange(pending_registration_, std::nullopt)->cb.fail();
                }
            });
            check_pending_registration();
        },
        kRegisterTimeoutSeconds);
}

void NetregAtom::check_pending_registration()
{
    if (!pending_registration_ || !serving_)
        return;
    const auto status = to_registration(*serving_).status;
    const bool registered = status == RegStatus::Registered || status == RegStatus::Roaming;
    const auto &p = *pending_registration_;
    const bool on_target = !p.manual || (serving_->plmn && serving_->plmn->mcc == p.mcc &&
                                         serving_->plmn->mnc == p.mnc);
    if (registered && on_target)
        return std::exchange(pending_registration_, std::nullopt)->cb.succeed();
    if (status == RegStatus::Denied) {
        ofono_warn("netreg: registration denied by the network");
        std::exchange(pending_registration_, std::nullopt)->cb.fail();
    }
}

// ---- suspend and resume --------------------------------------------------------

namespace
{
// The indications that only move the signal bars and the clock: a sleeping
// phone shows neither, so they would only wake it.
void set_display_indications(QmiMessageNasRegisterIndicationsInput *input, bool on)
{
    qmi_message_nas_register_indications_input_set_signal_info(input, on, nullptr);
    qmi_message_nas_register_indications_input_set_network_time(input, on, nullptr);
    qmi_message_nas_register_indications_input_set_current_plmn_name(input, on, nullptr);
}
} // namespace

void NetregAtom::quiet(PowerEvents::Done done)
{
    // Registration changes keep coming: the phone must know when it loses
    // the network, and the gprs atom follows the same reports.
    auto input = QMI_INPUT(nas, register_indications);
    set_display_indications(input.get(), false);
    call(life_, nas_.get(), QMI_REQUEST(nas, register_indications), input.get(),
         [done = std::move(done)](Reply<QmiMessageNasRegisterIndicationsOutput> r) mutable {
             if (!r.ok())
                 ofono_warn("netreg: signal reports stay on during sleep: %s",
                            describe(r.error()).c_str());
             done();
         });
}

void NetregAtom::wake()
{
    auto input = QMI_INPUT(nas, register_indications);
    set_display_indications(input.get(), true);
    call(life_, nas_.get(), QMI_REQUEST(nas, register_indications), input.get(),
         [](Reply<QmiMessageNasRegisterIndicationsOutput> r) {
             if (!r.ok())
                 ofono_warn("netreg: signal reports after resume: %s", describe(r.error()).c_str());
         });
    // What changed while the reports were off (or lost on the way).
    call(life_, nas_.get(), QMI_REQUEST(nas, get_serving_system), nullptr,
         [this](Reply<QmiMessageNasGetServingSystemOutput> r) {
             if (r.ok())
                 update_serving_system(extract_serving_system(r.get()), true);
         });
    call(life_, nas_.get(), QMI_REQUEST(nas, get_signal_info), nullptr,
         [this](Reply<QmiMessageNasGetSignalInfoOutput> r) {
             if (r.ok())
                 update_strength(extract_signal_info(r.get()));
         });
}

} // namespace qmi
