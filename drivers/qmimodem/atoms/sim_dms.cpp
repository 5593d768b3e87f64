#include "sim_dms.hpp"

#include "core/errors.hpp"
#include "core/join.hpp"
#include "core/qmi_call.hpp"
#include "core/wire_enum.hpp"
#include "translate/nas.hpp"

#include <ofono/log.h>

#include <memory>
#include <optional>

namespace qmi
{
namespace
{

constexpr int kEfIccid = 0x2FE2;
constexpr int kEfAd = 0x6FAD;
constexpr int kEfAdSize = 4;
constexpr int kEfIccidSize = 10;
constexpr unsigned kFileStatusValid = 0x01; // oFono's SIM_FILE_STATUS_VALID

QmiDmsUimPinId pin_id(SimAtom::Pin which)
{
    return which == SimAtom::Pin::Pin2 ? QMI_DMS_UIM_PIN_ID_PIN2 : QMI_DMS_UIM_PIN_ID_PIN;
}

std::optional<DmsPinStatus> pin_status(QmiMessageDmsUimGetPinStatusOutput *out,
                                       gboolean (*get)(QmiMessageDmsUimGetPinStatusOutput *,
                                                       QmiDmsUimPinStatus *, guint8 *, guint8 *,
                                                       GError **))
{
    QmiDmsUimPinStatus status;
    guint8 verify = 0, unblock = 0;
    if (!out || !get(out, &status, &verify, &unblock, nullptr))
        return std::nullopt;
    return DmsPinStatus{wire(status), verify, unblock};
}

// oFono reads at most what it asked for; the part of `file` from start.
void answer_part(OfonoCallback<ofono_sim_read_cb_t> &cb, const std::vector<std::uint8_t> &file,
                 int start, int length)
{
    const auto from = static_cast<std::size_t>(std::max(start, 0));
    if (from >= file.size())
        return cb.fail();
    const std::size_t left = file.size() - from;
    const std::size_t count = length > 0 ? std::min(static_cast<std::size_t>(length), left) : left;
    cb.succeed(file.data() + from, static_cast<int>(count));
}

} // namespace

DmsSim::DmsSim(ofono_sim *atom, Device &device) : SimAtom(atom), device_(device)
{
    device_.allocate(life_, QMI_SERVICE_DMS,
                     [this](QmiClient *client, const GError *) { on_client(client); });
}

DmsSim::~DmsSim()
{
    life_.end();
}

void DmsSim::on_client(QmiClient *client)
{
    if (!client) {
        ofono_error("sim: no DMS client; SIM unavailable");
        return ofono_sim_remove(atom_); // deletes this
    }
    dms_ = GRef<QmiClientDms>::ref(QMI_CLIENT_DMS(client));
    event_report_signal_ =
        connect_signal<&DmsSim::on_event_report, QmiIndicationDmsEventReportOutput *>(
            dms_.get(), "event-report", this);

    // Reporting changes only the report kinds named, so the modem's own
    // operating-mode reporting on this shared client stays on.
    Join both(2, [this] { register_atom(); });
    auto ev = QMI_INPUT(dms, set_event_report);
    qmi_message_dms_set_event_report_input_set_uim_state_reporting(ev.get(), TRUE, nullptr);
    call(life_, dms_.get(), QMI_REQUEST(dms, set_event_report), ev.get(),
         [both](Reply<QmiMessageDmsSetEventReportOutput> r) {
             if (!r.ok())
                 ofono_warn("sim: no UIM state events: %s", describe(r.error()).c_str());
             both();
         });
    refresh_status([both](const GError *error) {
        if (error)
            ofono_warn("sim: DMS UIM state unknown: %s", describe(error).c_str());
        both();
    });
}

void DmsSim::on_event_report(QmiIndicationDmsEventReportOutput *out)
{
    QmiDmsUimState state;
    if (!qmi_indication_dms_event_report_output_get_uim_state(out, &state, nullptr))
        return;
    DBG("sim: DMS UIM state %d", wire(state));
    // The PIN state and counters come with Get PIN Status, not the event.
    refresh_status([](const GError *) {});
}

void DmsSim::refresh_status(Done then)
{
    struct Pending {
        std::optional<int> state;
        std::optional<DmsPinStatus> pin1, pin2;
        ErrorPtr error;
    };
    auto pending = std::make_shared<Pending>();
    Join both(2, [this, pending, then = std::move(then)]() mutable {
        if (pending->state)
            apply(card_status_from_dms(*pending->state, pending->pin1, pending->pin2));
        then(pending->state ? nullptr : pending->error.get());
    });
    call(life_, dms_.get(), QMI_REQUEST(dms, uim_get_state), nullptr,
         [pending, both](Reply<QmiMessageDmsUimGetStateOutput> r) {
             QmiDmsUimState state;
             if (r.ok() && qmi_message_dms_uim_get_state_output_get_state(r.get(), &state, nullptr))
                 pending->state = wire(state);
             else if (!r.ok())
                 pending->error.reset(g_error_copy(r.error()));
             both();
         });
    // Without a card this fails (uim-uninitialized): no PIN state then.
    call(life_, dms_.get(), QMI_REQUEST(dms, uim_get_pin_status), nullptr,
         [pending, both](Reply<QmiMessageDmsUimGetPinStatusOutput> r) {
             if (r.ok()) {
                 pending->pin1 =
                     pin_status(r.get(), qmi_message_dms_uim_get_pin_status_output_get_pin1_status);
                 pending->pin2 =
                     pin_status(r.get(), qmi_message_dms_uim_get_pin_status_output_get_pin2_status);
             }
             both();
         });
}

void DmsSim::read_file_info(int fileid, const unsigned char *path, unsigned int path_len,
                            OfonoCallback<ofono_sim_file_info_cb_t> cb)
{
    if (fileid != kEfIccid && fileid != kEfAd)
        return SimAtom::read_file_info(fileid, path, path_len, std::move(cb));
    // Transparent, readable always (ICCID) or with PIN1 (AD), never updated.
    static const unsigned char iccid_access[3] = {0x0F, 0xFF, 0xFF};
    static const unsigned char ad_access[3] = {0x1F, 0xFF, 0xFF};
    const bool iccid = fileid == kEfIccid;
    life_.defer([cb = std::move(cb), iccid]() mutable {
        cb.succeed(iccid ? kEfIccidSize : kEfAdSize, OFONO_SIM_FILE_STRUCTURE_TRANSPARENT, 0,
                   iccid ? iccid_access : ad_access, static_cast<unsigned char>(kFileStatusValid));
    });
}

void DmsSim::read_file_transparent(int fileid, int start, int length, const unsigned char *path,
                                   unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    if (fileid == kEfIccid)
        return read_iccid(start, length, std::move(cb));
    if (fileid == kEfAd)
        return read_ad(start, length, std::move(cb));
    SimAtom::read_file_transparent(fileid, start, length, path, path_len, std::move(cb));
}

void DmsSim::read_iccid(int start, int length, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    call(life_, dms_.get(), QMI_REQUEST(dms, uim_get_iccid), nullptr,
         [start, length, cb = std::move(cb)](Reply<QmiMessageDmsUimGetIccidOutput> r) mutable {
             const gchar *iccid = nullptr;
             if (!r.ok() ||
                 !qmi_message_dms_uim_get_iccid_output_get_iccid(r.get(), &iccid, nullptr))
                 return cb.fail(to_ofono_error(r.error()));
             const auto ef = encode_iccid(iccid ? iccid : "");
             if (!ef) {
                 ofono_warn("sim: the modem's ICCID is malformed");
                 return cb.fail();
             }
             answer_part(cb, *ef, start, length);
         });
}

// EF-AD (TS 31.102 4.2.18): normal operation, no extra info, MNC length.
void DmsSim::read_ad(int start, int length, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    device_.allocate(
        life_, QMI_SERVICE_NAS,
        [this, start, length, cb = std::move(cb)](QmiClient *nas, const GError *error) mutable {
            if (!nas)
                return cb.fail(to_ofono_error(error));
            call(life_, QMI_CLIENT_NAS(nas), QMI_REQUEST(nas, get_home_network), nullptr,
                 [start, length,
                  cb = std::move(cb)](Reply<QmiMessageNasGetHomeNetworkOutput> r) mutable {
                     guint16 mcc = 0, mnc = 0;
                     const gchar *name = nullptr;
                     gboolean is_3gpp = FALSE, pcs = FALSE;
                     if (!r.ok() || !qmi_message_nas_get_home_network_output_get_home_network(
                                        r.get(), &mcc, &mnc, &name, nullptr))
                         return cb.fail(to_ofono_error(r.error()));
                     qmi_message_nas_get_home_network_output_get_home_network_3gpp_mnc(
                         r.get(), &is_3gpp, &pcs, nullptr);
                     const auto digits = format_mnc(mnc, pcs || mnc > 99).size();
                     const std::vector<std::uint8_t> ad{0x00, 0x00, 0x00,
                                                        static_cast<std::uint8_t>(digits)};
                     answer_part(cb, ad, start, length);
                 });
        });
}

void DmsSim::read_imsi(OfonoCallback<ofono_sim_imsi_cb_t> cb)
{
    call(life_, dms_.get(), QMI_REQUEST(dms, uim_get_imsi), nullptr,
         [cb = std::move(cb)](Reply<QmiMessageDmsUimGetImsiOutput> r) mutable {
             const gchar *imsi = nullptr;
             if (!r.ok() ||
                 !qmi_message_dms_uim_get_imsi_output_get_imsi(r.get(), &imsi, nullptr) || !imsi)
                 return cb.fail(to_ofono_error(r.error()));
             cb.succeed(imsi);
         });
}

void DmsSim::verify_pin(const std::string &pin, Done done)
{
    auto input = QMI_INPUT(dms, uim_verify_pin);
    qmi_message_dms_uim_verify_pin_input_set_info(input.get(), QMI_DMS_UIM_PIN_ID_PIN, pin.c_str(),
                                                  nullptr);
    call(life_, dms_.get(), QMI_REQUEST(dms, uim_verify_pin), input.get(),
         only_status<QmiMessageDmsUimVerifyPinOutput>(std::move(done)));
}

void DmsSim::unblock_pin(const std::string &puk, const std::string &pin, Done done)
{
    auto input = QMI_INPUT(dms, uim_unblock_pin);
    qmi_message_dms_uim_unblock_pin_input_set_info(input.get(), QMI_DMS_UIM_PIN_ID_PIN, puk.c_str(),
                                                   pin.c_str(), nullptr);
    call(life_, dms_.get(), QMI_REQUEST(dms, uim_unblock_pin), input.get(),
         only_status<QmiMessageDmsUimUnblockPinOutput>(std::move(done)));
}

void DmsSim::change_pin(Pin which, const std::string &old_pin, const std::string &new_pin,
                        Done done)
{
    auto input = QMI_INPUT(dms, uim_change_pin);
    qmi_message_dms_uim_change_pin_input_set_info(input.get(), pin_id(which), old_pin.c_str(),
                                                  new_pin.c_str(), nullptr);
    call(life_, dms_.get(), QMI_REQUEST(dms, uim_change_pin), input.get(),
         only_status<QmiMessageDmsUimChangePinOutput>(std::move(done)));
}

void DmsSim::set_pin_protection(Pin which, bool enable, const std::string &pin, Done done)
{
    auto input = QMI_INPUT(dms, uim_set_pin_protection);
    qmi_message_dms_uim_set_pin_protection_input_set_info(input.get(), pin_id(which), enable,
                                                          pin.c_str(), nullptr);
    call(life_, dms_.get(), QMI_REQUEST(dms, uim_set_pin_protection), input.get(),
         only_status<QmiMessageDmsUimSetPinProtectionOutput>(std::move(done)));
}

} // namespace qmi
