#include "sim.hpp"

#include "core/errors.hpp"
#include "core/join.hpp"
#include "core/qmi_call.hpp"
#include "core/raw_messages.hpp"

#include <ofono/log.h>

#include <cstring>

namespace qmi {
namespace {

constexpr unsigned kFileStatusValid = 0x01; // oFono's SIM_FILE_STATUS_VALID
constexpr int kAccessAlways = 0, kAccessPin1 = 1, kAccessPin2 = 2, kAccessAdm = 4,
              kAccessNever = 15;

template <typename T, void (*Unref)(T *)> using InputPtr = std::unique_ptr<T, CFree<Unref>>;

GArray *byte_array(const std::vector<std::uint8_t> &bytes)
{
    GArray *a = g_array_sized_new(FALSE, FALSE, 1, bytes.size());
    g_array_append_vals(a, bytes.data(), bytes.size());
    return a;
}

// Card Status (response and indication share the layout, not the types).
template <typename CardsElement, typename AppElement, typename Out, typename Getter>
CardStatus extract_card_status(Out *out, Getter getter)
{
    CardStatus status;
    guint16 gw_primary = 0xFFFF, x1, gw2, x12;
    GArray *cards = nullptr;
    if (!getter(out, &gw_primary, &x1, &gw2, &x12, &cards, nullptr) || !cards)
        return status;
    const guint card_index = gw_primary >> 8, app_index = gw_primary & 0xFF;
    if (gw_primary == 0xFFFF || card_index >= cards->len) {
        // No provisioning application: report the first card's presence.
        if (cards->len > 0 && g_array_index(cards, CardsElement, 0).card_state ==
                                  QMI_UIM_CARD_STATE_PRESENT)
            status.card = CardStatus::Card::Present;
        return status;
    }
    const auto &card = g_array_index(cards, CardsElement, card_index);
    status.card = card.card_state == QMI_UIM_CARD_STATE_PRESENT ? CardStatus::Card::Present
                  : card.card_state == QMI_UIM_CARD_STATE_ERROR ? CardStatus::Card::Error
                                                                : CardStatus::Card::Absent;
    if (!card.applications || app_index >= card.applications->len)
        return status;
    const auto &a = g_array_index(card.applications, AppElement, app_index);
    UimApp app;
    app.type = a.type;
    app.state = a.state;
    app.upin_replaces_pin1 = a.upin_replaces_pin1;
    app.pin1_state = a.pin1_state;
    app.pin1_retries = a.pin1_retries;
    app.puk1_retries = a.puk1_retries;
    app.pin2_state = a.pin2_state;
    app.pin2_retries = a.pin2_retries;
    app.puk2_retries = a.puk2_retries;
    app.upin_state = card.upin_state;
    app.upin_retries = card.upin_retries;
    app.upuk_retries = card.upuk_retries;
    status.app = app;
    return status;
}

CardStatus extract(QmiMessageUimGetCardStatusOutput *out)
{
    return extract_card_status<QmiMessageUimGetCardStatusOutputCardStatusCardsElement,
                               QmiMessageUimGetCardStatusOutputCardStatusCardsElementApplicationsElement>(
        out, qmi_message_uim_get_card_status_output_get_card_status);
}

CardStatus extract(QmiIndicationUimCardStatusOutput *out)
{
    return extract_card_status<QmiIndicationUimCardStatusOutputCardStatusCardsElement,
                               QmiIndicationUimCardStatusOutputCardStatusCardsElementApplicationsElement>(
        out, qmi_indication_uim_card_status_output_get_card_status);
}

int access_condition(QmiUimSecurityAttributeLogic logic, QmiUimSecurityAttribute attrs)
{
    if (logic == QMI_UIM_SECURITY_ATTRIBUTE_LOGIC_ALWAYS)
        return kAccessAlways;
    if (logic == QMI_UIM_SECURITY_ATTRIBUTE_LOGIC_NEVER)
        return kAccessNever;
    if (attrs & (QMI_UIM_SECURITY_ATTRIBUTE_PIN1 | QMI_UIM_SECURITY_ATTRIBUTE_UPIN))
        return kAccessPin1;
    if (attrs & QMI_UIM_SECURITY_ATTRIBUTE_PIN2)
        return kAccessPin2;
    if (attrs & QMI_UIM_SECURITY_ATTRIBUTE_ADM)
        return kAccessAdm;
    return kAccessAlways;
}

// A UIM request's session + file, as libqmi's typed inputs take them.
template <typename Input>
void set_session_and_file(Input *input,
                          gboolean (*set_session)(Input *, QmiUimSessionType, GArray *, GError **),
                          gboolean (*set_file)(Input *, guint16, GArray *, GError **), int fileid,
                          const std::vector<std::uint8_t> &path)
{
    GArray *aid = g_array_new(FALSE, FALSE, 1);
    set_session(input, static_cast<QmiUimSessionType>(session_for_path(path)), aid, nullptr);
    g_array_unref(aid);
    GArray *p = byte_array(path);
    set_file(input, static_cast<guint16>(fileid), p, nullptr);
    g_array_unref(p);
}

template <typename Output>
void answer_read(Reply<Output> &r, gboolean (*get)(Output *, GArray **, GError **),
                 OfonoCallback<ofono_sim_read_cb_t> &cb)
{
    GArray *data = nullptr;
    if (!r.ok() || !get(r.get(), &data, nullptr) || !data)
        return cb.fail(to_ofono_error(r.error()));
    cb.succeed(reinterpret_cast<const unsigned char *>(data->data), static_cast<int>(data->len));
}

} // namespace

SimAtom::SimAtom(ofono_sim *atom, Device &device) : atom_(atom), device_(device)
{
    device_.allocate(QMI_SERVICE_UIM, [this](QmiClient *client, const GError *) { on_client(client); });
}

SimAtom::~SimAtom() { life_.end(); }

bool SimAtom::usim() const { return !status_.app || status_.app->type != QMI_UIM_CARD_APPLICATION_TYPE_SIM; }

void SimAtom::on_client(QmiClient *client)
{
    if (!client) {
        ofono_error("sim: no UIM client; SIM unavailable");
        return ofono_sim_remove(atom_); // deletes this
    }
    uim_ = GRef<QmiClientUim>::ref(QMI_CLIENT_UIM(client));
    card_status_signal_ =
        connect_signal<&SimAtom::on_card_status_indication, QmiIndicationUimCardStatusOutput *>(
            uim_.get(), "card-status", this);

    // Event registration and the first card status are independent.
    Join both(2, [this] {
        registered_ = true;
        ofono_sim_register(atom_);
        apply(status_);
    });
    InputPtr<QmiMessageUimRegisterEventsInput, qmi_message_uim_register_events_input_unref> ev(
        qmi_message_uim_register_events_input_new());
    qmi_message_uim_register_events_input_set_event_registration_mask(
        ev.get(), QMI_UIM_EVENT_REGISTRATION_FLAG_CARD_STATUS, nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, register_events), ev.get(),
         [both](Reply<QmiMessageUimRegisterEventsOutput> r) {
             if (!r.ok())
                 ofono_warn("sim: no card status events: %s", describe(r.error()).c_str());
             both();
         });
    call(life_, uim_.get(), QMI_REQUEST(uim, get_card_status), nullptr,
         [this, both](Reply<QmiMessageUimGetCardStatusOutput> r) {
             if (r.ok())
                 status_ = extract(r.get());
             else
                 ofono_warn("sim: Get Card Status failed: %s", describe(r.error()).c_str());
             both();
         });
}

void SimAtom::apply(const CardStatus &status)
{
    status_ = status;
    if (!registered_)
        return;
    const bool present = status.card == CardStatus::Card::Present;
    if (present != inserted_) {
        inserted_ = present;
        ready_ = false;
        DBG("sim: card %s", present ? "inserted" : "removed");
        ofono_sim_inserted_notify(atom_, present);
    }
    const bool ready = present && status.app && status.app->state == QMI_UIM_CARD_APPLICATION_STATE_READY;
    if (ready && !ready_) {
        DBG("sim: application ready");
        ofono_sim_initialized_notify(atom_);
    }
    ready_ = ready;
}

void SimAtom::on_card_status_indication(QmiIndicationUimCardStatusOutput *out) { apply(extract(out)); }

template <typename F> void SimAtom::refresh_card_status(F &&then)
{
    call(life_, uim_.get(), QMI_REQUEST(uim, get_card_status), nullptr,
         [this, then = std::forward<F>(then)](Reply<QmiMessageUimGetCardStatusOutput> r) mutable {
             if (r.ok())
                 apply(extract(r.get()));
             then(r.ok() ? nullptr : r.error());
         });
}

void SimAtom::read_file_info(int fileid, const unsigned char *path, unsigned int path_len,
                             OfonoCallback<ofono_sim_file_info_cb_t> cb)
{
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    InputPtr<QmiMessageUimGetFileAttributesInput, qmi_message_uim_get_file_attributes_input_unref>
        input(qmi_message_uim_get_file_attributes_input_new());
    set_session_and_file(input.get(), qmi_message_uim_get_file_attributes_input_set_session,
                         qmi_message_uim_get_file_attributes_input_set_file, fileid, qpath);
    call(life_, uim_.get(), QMI_REQUEST(uim, get_file_attributes), input.get(),
         [cb = std::move(cb)](Reply<QmiMessageUimGetFileAttributesOutput> r) mutable {
             guint16 size = 0, id = 0, record_size = 0, record_count = 0;
             QmiUimFileType type;
             QmiUimSecurityAttributeLogic rlogic, wlogic, ilogic, blogic, ulogic;
             QmiUimSecurityAttribute rattr, wattr, iattr, battr, uattr;
             GArray *raw = nullptr;
             if (!r.ok() || !qmi_message_uim_get_file_attributes_output_get_file_attributes(
                                r.get(), &size, &id, &type, &record_size, &record_count, &rlogic,
                                &rattr, &wlogic, &wattr, &ilogic, &iattr, &blogic, &battr, &ulogic,
                                &uattr, &raw, nullptr))
                 return cb.fail(to_ofono_error(r.error()));
             const int structure = to_file_structure(type);
             if (structure < 0)
                 return cb.fail();
             // TS 51.011 access bytes: read|update, increase|RFU, rehab|invalidate.
             const unsigned char access[3] = {
                 static_cast<unsigned char>((access_condition(rlogic, rattr) << 4) |
                                            access_condition(wlogic, wattr)),
                 static_cast<unsigned char>(access_condition(ilogic, iattr) << 4),
                 static_cast<unsigned char>((access_condition(ulogic, uattr) << 4) |
                                            access_condition(blogic, battr))};
             cb.succeed(static_cast<int>(size), static_cast<ofono_sim_file_structure>(structure),
                        static_cast<int>(record_size), access,
                        static_cast<unsigned char>(kFileStatusValid));
         });
}

template <typename F>
void SimAtom::read_transparent(int fileid, int start, int length, const unsigned char *path,
                               unsigned int path_len, F &&on_reply)
{
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    InputPtr<QmiMessageUimReadTransparentInput, qmi_message_uim_read_transparent_input_unref> input(
        qmi_message_uim_read_transparent_input_new());
    set_session_and_file(input.get(), qmi_message_uim_read_transparent_input_set_session,
                         qmi_message_uim_read_transparent_input_set_file, fileid, qpath);
    qmi_message_uim_read_transparent_input_set_read_information(
        input.get(), static_cast<guint16>(start), static_cast<guint16>(length), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, read_transparent), input.get(),
         std::forward<F>(on_reply));
}

void SimAtom::read_file_transparent(int fileid, int start, int length, const unsigned char *path,
                                    unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    read_transparent(fileid, start, length, path, path_len,
                     [cb = std::move(cb)](Reply<QmiMessageUimReadTransparentOutput> r) mutable {
                         answer_read(r, qmi_message_uim_read_transparent_output_get_read_result, cb);
                     });
}

void SimAtom::read_record(int fileid, int record, int length, const unsigned char *path,
                          unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    InputPtr<QmiMessageUimReadRecordInput, qmi_message_uim_read_record_input_unref> input(
        qmi_message_uim_read_record_input_new());
    set_session_and_file(input.get(), qmi_message_uim_read_record_input_set_session,
                         qmi_message_uim_read_record_input_set_file, fileid, qpath);
    qmi_message_uim_read_record_input_set_record(input.get(), static_cast<guint16>(record),
                                                 static_cast<guint16>(length), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, read_record), input.get(),
         [cb = std::move(cb)](Reply<QmiMessageUimReadRecordOutput> r) mutable {
             answer_read(r, qmi_message_uim_read_record_output_get_read_result, cb);
         });
}

void SimAtom::read_file_linear(int fileid, int record, int length, const unsigned char *path,
                               unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    read_record(fileid, record, length, path, path_len, std::move(cb));
}

void SimAtom::read_file_cyclic(int fileid, int record, int length, const unsigned char *path,
                               unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    read_record(fileid, record, length, path, path_len, std::move(cb));
}

namespace {
UimFileRef file_ref(int fileid, const std::vector<std::uint8_t> &path)
{
    return {session_for_path(path), {}, static_cast<std::uint16_t>(fileid), path};
}

RawDone write_done(OfonoCallback<ofono_sim_write_cb_t> cb)
{
    return [cb = std::move(cb)](const GError *error) mutable {
        if (error)
            cb.fail(to_ofono_error(error));
        else
            cb.succeed();
    };
}
} // namespace

void SimAtom::write_file_transparent(int fileid, int start, int length, const unsigned char *value,
                                     const unsigned char *path, unsigned int path_len,
                                     OfonoCallback<ofono_sim_write_cb_t> cb)
{
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    uim_write_transparent(life_, device_.raw(), QMI_CLIENT(uim_.get()), file_ref(fileid, qpath),
                          static_cast<std::uint16_t>(start),
                          std::vector<std::uint8_t>(value, value + length), write_done(std::move(cb)));
}

void SimAtom::write_file_linear(int fileid, int record, int length, const unsigned char *value,
                                const unsigned char *path, unsigned int path_len,
                                OfonoCallback<ofono_sim_write_cb_t> cb)
{
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    uim_write_record(life_, device_.raw(), QMI_CLIENT(uim_.get()), file_ref(fileid, qpath),
                     static_cast<std::uint16_t>(record),
                     std::vector<std::uint8_t>(value, value + length), write_done(std::move(cb)));
}

void SimAtom::write_file_cyclic(int fileid, int length, const unsigned char *value,
                                const unsigned char *path, unsigned int path_len,
                                OfonoCallback<ofono_sim_write_cb_t> cb)
{
    // A cyclic file is updated at its "previous" record (record 0 here).
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    uim_write_record(life_, device_.raw(), QMI_CLIENT(uim_.get()), file_ref(fileid, qpath), 0,
                     std::vector<std::uint8_t>(value, value + length), write_done(std::move(cb)));
}

void SimAtom::read_imsi(OfonoCallback<ofono_sim_imsi_cb_t> cb)
{
    constexpr int kEfImsi = 0x6F07;
    read_transparent(
        kEfImsi, 0, 0, nullptr, 0,
        [cb = std::move(cb)](Reply<QmiMessageUimReadTransparentOutput> r) mutable {
            GArray *data = nullptr;
            if (!r.ok() ||
                !qmi_message_uim_read_transparent_output_get_read_result(r.get(), &data, nullptr))
                return cb.fail(to_ofono_error(r.error()));
            auto *bytes = reinterpret_cast<const std::uint8_t *>(data->data);
            auto imsi = decode_imsi(std::vector<std::uint8_t>(bytes, bytes + data->len));
            if (!imsi) {
                ofono_warn("sim: EF-IMSI is malformed");
                return cb.fail();
            }
            cb.succeed(imsi->c_str());
        });
}

void SimAtom::query_passwd_state(OfonoCallback<ofono_sim_passwd_cb_t> cb)
{
    refresh_card_status([this, cb = std::move(cb)](const GError *error) mutable {
        if (error)
            return cb.fail(to_ofono_error(error));
        const int type = to_password_type(status_);
        if (type == OFONO_SIM_PASSWORD_INVALID)
            return cb.fail();
        cb.succeed(static_cast<ofono_sim_password_type>(type));
    });
}

void SimAtom::query_pin_retries(OfonoCallback<ofono_sim_pin_retries_cb_t> cb)
{
    refresh_card_status([this, cb = std::move(cb)](const GError *error) mutable {
        if (error)
            return cb.fail(to_ofono_error(error));
        int retries[OFONO_SIM_PASSWORD_INVALID];
        fill_retries(status_, retries, OFONO_SIM_PASSWORD_INVALID);
        cb.succeed(retries);
    });
}

namespace {
QmiUimPinId pin_id_for(ofono_sim_password_type type)
{
    switch (type) {
    case OFONO_SIM_PASSWORD_SIM_PIN2:
    case OFONO_SIM_PASSWORD_SIM_PUK2:
        return QMI_UIM_PIN_ID_PIN2;
    default:
        return QMI_UIM_PIN_ID_PIN1;
    }
}

// PIN requests all answer the same way; after any of them the card status
// (retries, lock) is re-read, so oFono's follow-up queries see the change.
template <typename Output> auto pin_reply(SimAtom *, OfonoCallback<ofono_sim_lock_unlock_cb_t> cb)
{
    return [cb = std::move(cb)](Reply<Output> r) mutable {
        if (r.ok())
            return cb.succeed();
        // Never log the PIN itself; the error says enough.
        ofono_warn("sim: PIN operation refused: %s", describe(r.error()).c_str());
        cb.fail(to_ofono_error(r.error()));
    };
}

template <typename Input>
void set_gw_session(Input *input, gboolean (*set_session)(Input *, QmiUimSessionType, GArray *, GError **))
{
    GArray *aid = g_array_new(FALSE, FALSE, 1);
    set_session(input, QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING, aid, nullptr);
    g_array_unref(aid);
}
} // namespace

void SimAtom::send_passwd(const char *passwd, OfonoCallback<ofono_sim_lock_unlock_cb_t> cb)
{
    const std::string pin = passwd ? passwd : "";
    if (!valid_pin(pin))
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail({OFONO_ERROR_TYPE_CME, 16}); });
    InputPtr<QmiMessageUimVerifyPinInput, qmi_message_uim_verify_pin_input_unref> input(
        qmi_message_uim_verify_pin_input_new());
    set_gw_session(input.get(), qmi_message_uim_verify_pin_input_set_session);
    qmi_message_uim_verify_pin_input_set_info(input.get(), QMI_UIM_PIN_ID_PIN1, pin.c_str(), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, verify_pin), input.get(),
         pin_reply<QmiMessageUimVerifyPinOutput>(this, std::move(cb)));
}

void SimAtom::reset_passwd(const char *puk, const char *passwd,
                           OfonoCallback<ofono_sim_lock_unlock_cb_t> cb)
{
    const std::string p = puk ? puk : "", n = passwd ? passwd : "";
    if (!valid_puk(p) || !valid_pin(n))
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail({OFONO_ERROR_TYPE_CME, 16}); });
    InputPtr<QmiMessageUimUnblockPinInput, qmi_message_uim_unblock_pin_input_unref> input(
        qmi_message_uim_unblock_pin_input_new());
    set_gw_session(input.get(), qmi_message_uim_unblock_pin_input_set_session);
    qmi_message_uim_unblock_pin_input_set_info(input.get(), QMI_UIM_PIN_ID_PIN1, p.c_str(),
                                               n.c_str(), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, unblock_pin), input.get(),
         pin_reply<QmiMessageUimUnblockPinOutput>(this, std::move(cb)));
}

void SimAtom::change_passwd(ofono_sim_password_type type, const char *old_passwd,
                            const char *new_passwd, OfonoCallback<ofono_sim_lock_unlock_cb_t> cb)
{
    const std::string o = old_passwd ? old_passwd : "", n = new_passwd ? new_passwd : "";
    if (!valid_pin(o) || !valid_pin(n))
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail({OFONO_ERROR_TYPE_CME, 16}); });
    InputPtr<QmiMessageUimChangePinInput, qmi_message_uim_change_pin_input_unref> input(
        qmi_message_uim_change_pin_input_new());
    set_gw_session(input.get(), qmi_message_uim_change_pin_input_set_session);
    qmi_message_uim_change_pin_input_set_info(input.get(), pin_id_for(type), o.c_str(), n.c_str(),
                                              nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, change_pin), input.get(),
         pin_reply<QmiMessageUimChangePinOutput>(this, std::move(cb)));
}

void SimAtom::lock(ofono_sim_password_type type, int enable, const char *passwd,
                   OfonoCallback<ofono_sim_lock_unlock_cb_t> cb)
{
    const std::string pin = passwd ? passwd : "";
    if ((type != OFONO_SIM_PASSWORD_SIM_PIN && type != OFONO_SIM_PASSWORD_SIM_PIN2) ||
        !valid_pin(pin))
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail({OFONO_ERROR_TYPE_CME, 4}); });
    InputPtr<QmiMessageUimSetPinProtectionInput, qmi_message_uim_set_pin_protection_input_unref>
        input(qmi_message_uim_set_pin_protection_input_new());
    set_gw_session(input.get(), qmi_message_uim_set_pin_protection_input_set_session);
    qmi_message_uim_set_pin_protection_input_set_info(input.get(), pin_id_for(type), enable != 0,
                                                      pin.c_str(), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, set_pin_protection), input.get(),
         pin_reply<QmiMessageUimSetPinProtectionOutput>(this, std::move(cb)));
}

void SimAtom::query_facility_lock(ofono_sim_password_type type,
                                  OfonoCallback<ofono_query_facility_lock_cb_t> cb)
{
    if (type != OFONO_SIM_PASSWORD_SIM_PIN)
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail({OFONO_ERROR_TYPE_CME, 4}); });
    refresh_card_status([this, cb = std::move(cb)](const GError *error) mutable {
        if (error)
            return cb.fail(to_ofono_error(error));
        cb.succeed(static_cast<ofono_bool_t>(pin1_enabled(status_)));
    });
}

} // namespace qmi
