#include "sim_uim.hpp"

#include "core/errors.hpp"
#include "core/join.hpp"
#include "core/qmi_call.hpp"
#include "core/raw_messages.hpp"

#include <ofono/log.h>

#include <cstring>
#include <memory>

namespace qmi
{
namespace
{

constexpr unsigned kFileStatusValid = 0x01; // oFono's SIM_FILE_STATUS_VALID
constexpr int kAccessAlways = 0, kAccessPin1 = 1, kAccessPin2 = 2, kAccessAdm = 4,
              kAccessNever = 15;

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
        if (cards->len > 0 &&
            g_array_index(cards, CardsElement, 0).card_state == QMI_UIM_CARD_STATE_PRESENT)
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
    return extract_card_status<
        QmiMessageUimGetCardStatusOutputCardStatusCardsElement,
        QmiMessageUimGetCardStatusOutputCardStatusCardsElementApplicationsElement>(
        out, qmi_message_uim_get_card_status_output_get_card_status);
}

CardStatus extract(QmiIndicationUimCardStatusOutput *out)
{
    return extract_card_status<
        QmiIndicationUimCardStatusOutputCardStatusCardsElement,
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
    set_file(input, static_cast<guint16>(fileid), byte_array(path).get(), nullptr);
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

UimSim::UimSim(ofono_sim *atom, Device &device) : SimAtom(atom), device_(device)
{
    device_.allocate(life_, QMI_SERVICE_UIM,
                     [this](QmiClient *client, const GError *) { on_client(client); });
}

UimSim::~UimSim()
{
    life_.end();
}

bool UimSim::usim() const
{
    return !status().app || status().app->type != QMI_UIM_CARD_APPLICATION_TYPE_SIM;
}

void UimSim::on_client(QmiClient *client)
{
    if (!client) {
        ofono_error("sim: no UIM client; SIM unavailable");
        return ofono_sim_remove(atom_); // deletes this
    }
    uim_ = GRef<QmiClientUim>::ref(QMI_CLIENT_UIM(client));
    card_status_signal_ =
        connect_signal<&UimSim::on_card_status_indication, QmiIndicationUimCardStatusOutput *>(
            uim_.get(), "card-status", this);

    // Event registration and the first card status are independent.
    auto first = std::make_shared<CardStatus>();
    Join both(2, [this, first] {
        apply(*first);
        register_atom();
    });
    auto ev = QMI_INPUT(uim, register_events);
    qmi_message_uim_register_events_input_set_event_registration_mask(
        ev.get(), QMI_UIM_EVENT_REGISTRATION_FLAG_CARD_STATUS, nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, register_events), ev.get(),
         [both](Reply<QmiMessageUimRegisterEventsOutput> r) {
             if (!r.ok())
                 ofono_warn("sim: no card status events: %s", describe(r.error()).c_str());
             both();
         });
    call(life_, uim_.get(), QMI_REQUEST(uim, get_card_status), nullptr,
         [first, both](Reply<QmiMessageUimGetCardStatusOutput> r) {
             if (r.ok())
                 *first = extract(r.get());
             else
                 ofono_warn("sim: Get Card Status failed: %s", describe(r.error()).c_str());
             both();
         });
}

void UimSim::on_card_status_indication(QmiIndicationUimCardStatusOutput *out)
{
    apply(extract(out));
}

void UimSim::refresh_status(Done then)
{
    call(life_, uim_.get(), QMI_REQUEST(uim, get_card_status), nullptr,
         [this, then = std::move(then)](Reply<QmiMessageUimGetCardStatusOutput> r) mutable {
             if (r.ok())
                 apply(extract(r.get()));
             then(r.ok() ? nullptr : r.error());
         });
}

void UimSim::read_file_info(int fileid, const unsigned char *path, unsigned int path_len,
                            OfonoCallback<ofono_sim_file_info_cb_t> cb)
{
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    auto input = QMI_INPUT(uim, get_file_attributes);
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
void UimSim::read_transparent(int fileid, int start, int length, const unsigned char *path,
                              unsigned int path_len, F &&on_reply)
{
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    auto input = QMI_INPUT(uim, read_transparent);
    set_session_and_file(input.get(), qmi_message_uim_read_transparent_input_set_session,
                         qmi_message_uim_read_transparent_input_set_file, fileid, qpath);
    qmi_message_uim_read_transparent_input_set_read_information(
        input.get(), static_cast<guint16>(start), static_cast<guint16>(length), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, read_transparent), input.get(),
         std::forward<F>(on_reply));
}

void UimSim::read_file_transparent(int fileid, int start, int length, const unsigned char *path,
                                   unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    read_transparent(fileid, start, length, path, path_len,
                     [cb = std::move(cb)](Reply<QmiMessageUimReadTransparentOutput> r) mutable {
                         answer_read(r, qmi_message_uim_read_transparent_output_get_read_result,
                                     cb);
                     });
}

void UimSim::read_record(int fileid, int record, int length, const unsigned char *path,
                         unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    auto input = QMI_INPUT(uim, read_record);
    set_session_and_file(input.get(), qmi_message_uim_read_record_input_set_session,
                         qmi_message_uim_read_record_input_set_file, fileid, qpath);
    qmi_message_uim_read_record_input_set_record(input.get(), static_cast<guint16>(record),
                                                 static_cast<guint16>(length), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, read_record), input.get(),
         [cb = std::move(cb)](Reply<QmiMessageUimReadRecordOutput> r) mutable {
             answer_read(r, qmi_message_uim_read_record_output_get_read_result, cb);
         });
}

void UimSim::read_file_linear(int fileid, int record, int length, const unsigned char *path,
                              unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    read_record(fileid, record, length, path, path_len, std::move(cb));
}

void UimSim::read_file_cyclic(int fileid, int record, int length, const unsigned char *path,
                              unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    read_record(fileid, record, length, path, path_len, std::move(cb));
}

namespace
{
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

void UimSim::write_file_transparent(int fileid, int start, int length, const unsigned char *value,
                                    const unsigned char *path, unsigned int path_len,
                                    OfonoCallback<ofono_sim_write_cb_t> cb)
{
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    uim_write_transparent(life_, device_.raw(), QMI_CLIENT(uim_.get()), file_ref(fileid, qpath),
                          static_cast<std::uint16_t>(start),
                          std::vector<std::uint8_t>(value, value + length),
                          write_done(std::move(cb)));
}

void UimSim::write_file_linear(int fileid, int record, int length, const unsigned char *value,
                               const unsigned char *path, unsigned int path_len,
                               OfonoCallback<ofono_sim_write_cb_t> cb)
{
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    uim_write_record(life_, device_.raw(), QMI_CLIENT(uim_.get()), file_ref(fileid, qpath),
                     static_cast<std::uint16_t>(record),
                     std::vector<std::uint8_t>(value, value + length), write_done(std::move(cb)));
}

void UimSim::write_file_cyclic(int fileid, int length, const unsigned char *value,
                               const unsigned char *path, unsigned int path_len,
                               OfonoCallback<ofono_sim_write_cb_t> cb)
{
    // A cyclic file is updated at its "previous" record (record 0 here).
    const auto qpath = to_qmi_path(path, path_len, fileid, usim());
    uim_write_record(life_, device_.raw(), QMI_CLIENT(uim_.get()), file_ref(fileid, qpath), 0,
                     std::vector<std::uint8_t>(value, value + length), write_done(std::move(cb)));
}

void UimSim::read_imsi(OfonoCallback<ofono_sim_imsi_cb_t> cb)
{
    constexpr int kEfImsi = 0x6F07;
    read_transparent(kEfImsi, 0, 0, nullptr, 0,
                     [cb = std::move(cb)](Reply<QmiMessageUimReadTransparentOutput> r) mutable {
                         GArray *data = nullptr;
                         if (!r.ok() || !qmi_message_uim_read_transparent_output_get_read_result(
                                            r.get(), &data, nullptr))
                             return cb.fail(to_ofono_error(r.error()));
                         auto *bytes = reinterpret_cast<const std::uint8_t *>(data->data);
                         auto imsi =
                             decode_imsi(std::vector<std::uint8_t>(bytes, bytes + data->len));
                         if (!imsi) {
                             ofono_warn("sim: EF-IMSI is malformed");
                             return cb.fail();
                         }
                         cb.succeed(imsi->c_str());
                     });
}

namespace
{
QmiUimPinId pin_id(SimAtom::Pin which)
{
    return which == SimAtom::Pin::Pin2 ? QMI_UIM_PIN_ID_PIN2 : QMI_UIM_PIN_ID_PIN1;
}

template <typename Input>
void set_gw_session(Input *input,
                    gboolean (*set_session)(Input *, QmiUimSessionType, GArray *, GError **))
{
    GArray *aid = g_array_new(FALSE, FALSE, 1);
    set_session(input, QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING, aid, nullptr);
    g_array_unref(aid);
}

} // namespace

void UimSim::verify_pin(const std::string &pin, Done done)
{
    auto input = QMI_INPUT(uim, verify_pin);
    set_gw_session(input.get(), qmi_message_uim_verify_pin_input_set_session);
    qmi_message_uim_verify_pin_input_set_info(input.get(), QMI_UIM_PIN_ID_PIN1, pin.c_str(),
                                              nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, verify_pin), input.get(),
         only_status<QmiMessageUimVerifyPinOutput>(std::move(done)));
}

void UimSim::unblock_pin(const std::string &puk, const std::string &pin, Done done)
{
    auto input = QMI_INPUT(uim, unblock_pin);
    set_gw_session(input.get(), qmi_message_uim_unblock_pin_input_set_session);
    qmi_message_uim_unblock_pin_input_set_info(input.get(), QMI_UIM_PIN_ID_PIN1, puk.c_str(),
                                               pin.c_str(), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, unblock_pin), input.get(),
         only_status<QmiMessageUimUnblockPinOutput>(std::move(done)));
}

void UimSim::change_pin(Pin which, const std::string &old_pin, const std::string &new_pin,
                        Done done)
{
    auto input = QMI_INPUT(uim, change_pin);
    set_gw_session(input.get(), qmi_message_uim_change_pin_input_set_session);
    qmi_message_uim_change_pin_input_set_info(input.get(), pin_id(which), old_pin.c_str(),
                                              new_pin.c_str(), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, change_pin), input.get(),
         only_status<QmiMessageUimChangePinOutput>(std::move(done)));
}

void UimSim::set_pin_protection(Pin which, bool enable, const std::string &pin, Done done)
{
    auto input = QMI_INPUT(uim, set_pin_protection);
    set_gw_session(input.get(), qmi_message_uim_set_pin_protection_input_set_session);
    qmi_message_uim_set_pin_protection_input_set_info(input.get(), pin_id(which), enable,
                                                      pin.c_str(), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, set_pin_protection), input.get(),
         only_status<QmiMessageUimSetPinProtectionOutput>(std::move(done)));
}

} // namespace qmi
