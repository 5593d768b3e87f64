#include "sim_uim.hpp"

#include "core/errors.hpp"
#include "core/join.hpp"
#include "core/qmi_call.hpp"
#include "core/raw_messages.hpp"
#include "core/wire_enum.hpp"

#include <ofono/log.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace qmi
{
namespace
{

constexpr unsigned kFileStatusValid = 0x01; // oFono's SIM_FILE_STATUS_VALID
constexpr int kAccessAlways = 0, kAccessPin1 = 1, kAccessPin2 = 2, kAccessAdm = 4,
              kAccessNever = 15;

// Card Status (response and indication share the layout, not the types);
// nullopt when the message lacks it (a broken frame says nothing about the
// card). Enum fields are read as the modem's integers (core/wire_enum.hpp).
template <typename CardsElement, typename AppElement, typename Out, typename Getter>
std::optional<CardStatus> extract_card_status(Out *out, Getter getter)
{
    CardStatus status;
    guint16 gw_primary = 0xFFFF, x1, gw2, x12;
    GArray *cards = nullptr;
    if (!getter(out, &gw_primary, &x1, &gw2, &x12, &cards, nullptr) || !cards)
        return std::nullopt;
    const guint card_index = gw_primary >> 8, app_index = gw_primary & 0xFF;
    if (gw_primary == 0xFFFF || card_index >= cards->len) {
        // No provisioning application: report the first card's presence.
        if (cards->len > 0 &&
            wire(g_array_index(cards, CardsElement, 0).card_state) == QMI_UIM_CARD_STATE_PRESENT)
            status.card = CardStatus::Card::Present;
        return status;
    }
    const auto &card = g_array_index(cards, CardsElement, card_index);
    const int card_state = wire(card.card_state);
    if (card_state != QMI_UIM_CARD_STATE_PRESENT && card_state != QMI_UIM_CARD_STATE_ABSENT &&
        card_state != QMI_UIM_CARD_STATE_ERROR)
        return std::nullopt; // a value no modem sends: nothing to learn from it
    status.card = card_state == QMI_UIM_CARD_STATE_PRESENT ? CardStatus::Card::Present
                  : card_state == QMI_UIM_CARD_STATE_ERROR ? CardStatus::Card::Error
                                                           : CardStatus::Card::Absent;
    if (!card.applications || app_index >= card.applications->len)
        return status;
    const auto &a = g_array_index(card.applications, AppElement, app_index);
    UimApp app;
    app.type = wire(a.type);
    app.state = wire(a.state);
    app.upin_replaces_pin1 = a.upin_replaces_pin1;
    app.pin1_state = wire(a.pin1_state);
    app.pin1_retries = a.pin1_retries;
    app.puk1_retries = a.puk1_retries;
    app.pin2_state = wire(a.pin2_state);
    app.pin2_retries = a.pin2_retries;
    app.puk2_retries = a.puk2_retries;
    app.upin_state = wire(card.upin_state);
    app.upin_retries = card.upin_retries;
    app.upuk_retries = card.upuk_retries;
    status.app = app;
    return status;
}

std::optional<CardStatus> extract(QmiMessageUimGetCardStatusOutput *out)
{
    return extract_card_status<
        QmiMessageUimGetCardStatusOutputCardStatusCardsElement,
        QmiMessageUimGetCardStatusOutputCardStatusCardsElementApplicationsElement>(
        out, qmi_message_uim_get_card_status_output_get_card_status);
}

std::optional<CardStatus> extract(QmiIndicationUimCardStatusOutput *out)
{
    return extract_card_status<
        QmiIndicationUimCardStatusOutputCardStatusCardsElement,
        QmiIndicationUimCardStatusOutputCardStatusCardsElementApplicationsElement>(
        out, qmi_indication_uim_card_status_output_get_card_status);
}

int access_condition(QmiUimSecurityAttributeLogic wire_logic, QmiUimSecurityAttribute wire_attrs)
{
    const int logic = wire(wire_logic), attrs = wire(wire_attrs);
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

std::optional<SimFileCache::Bytes> to_bytes(const GArray *data)
{
    if (!data)
        return std::nullopt;
    const auto *bytes = reinterpret_cast<const std::uint8_t *>(data->data);
    return SimFileCache::Bytes(bytes, bytes + data->len);
}

// A read's reply handler that answers oFono.
auto answer_read(OfonoCallback<ofono_sim_read_cb_t> cb)
{
    return
        [cb = std::move(cb)](const GError *error, std::optional<SimFileCache::Bytes> data) mutable {
            if (!data)
                return cb.fail(to_ofono_error(error));
            cb.succeed(data->data(), static_cast<int>(data->size()));
        };
}

// Get File Attributes -> what oFono's file info callback takes; nullopt for
// a DF/MF or an answer without attributes.
std::optional<SimFileCache::Info> to_info(QmiMessageUimGetFileAttributesOutput *out)
{
    guint16 size = 0, id = 0, record_size = 0, record_count = 0;
    QmiUimFileType type;
    QmiUimSecurityAttributeLogic rlogic, wlogic, ilogic, blogic, ulogic;
    QmiUimSecurityAttribute rattr, wattr, iattr, battr, uattr;
    GArray *raw = nullptr;
    if (!qmi_message_uim_get_file_attributes_output_get_file_attributes(
            out, &size, &id, &type, &record_size, &record_count, &rlogic, &rattr, &wlogic, &wattr,
            &ilogic, &iattr, &blogic, &battr, &ulogic, &uattr, &raw, nullptr))
        return std::nullopt;
    const int structure = to_file_structure(wire(type));
    if (structure < 0)
        return std::nullopt;
    SimFileCache::Info info;
    info.size = size;
    info.structure = structure;
    info.record_size = record_size;
    // TS 51.011 access bytes: read|update, increase|RFU, rehab|invalidate.
    info.access = {static_cast<unsigned char>((access_condition(rlogic, rattr) << 4) |
                                              access_condition(wlogic, wattr)),
                   static_cast<unsigned char>(access_condition(ilogic, iattr) << 4),
                   static_cast<unsigned char>((access_condition(ulogic, uattr) << 4) |
                                              access_condition(blogic, battr))};
    return info;
}

void answer_info(OfonoCallback<ofono_sim_file_info_cb_t> &cb, const SimFileCache::Info &info)
{
    cb.succeed(info.size, static_cast<ofono_sim_file_structure>(info.structure), info.record_size,
               info.access.data(), static_cast<unsigned char>(kFileStatusValid));
}

} // namespace

UimSim::UimSim(ofono_sim *atom, Device &device) : SimAtom(atom), device_(device)
{
    // Usually the modem asked for the client while opening the port: the
    // card status request then goes out at once, ahead of the other atoms'
    // (on_client registers nothing before the answers).
    if (QmiClient *client = device_.client(QMI_SERVICE_UIM))
        on_client(client);
    else
        device_.allocate(life_, QMI_SERVICE_UIM,
                         [this](QmiClient *client, const GError *) { on_client(client); });
}

UimSim::~UimSim()
{
    life_.end();
}

namespace
{
bool is_usim(const CardStatus &status)
{
    return !status.app || status.app->type != QMI_UIM_CARD_APPLICATION_TYPE_SIM;
}
} // namespace

bool UimSim::usim() const
{
    return is_usim(status());
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
    events_ = false;
    auto ev = QMI_INPUT(uim, register_events);
    qmi_message_uim_register_events_input_set_event_registration_mask(
        ev.get(), QMI_UIM_EVENT_REGISTRATION_FLAG_CARD_STATUS, nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, register_events), ev.get(),
         [this, both](Reply<QmiMessageUimRegisterEventsOutput> r) {
             if (!r.ok())
                 ofono_warn("sim: no card status events: %s", describe(r.error()).c_str());
             events_ = r.ok();
             both();
         });
    call(life_, uim_.get(), QMI_REQUEST(uim, get_card_status), nullptr,
         [this, first, both](Reply<QmiMessageUimGetCardStatusOutput> r) {
             auto status = r.ok() ? extract(r.get()) : std::nullopt;
             if (status) {
                 *first = *status;
                 status_known_ = true;
                 read_ahead_for(*first); // while the event registration completes
             } else
                 ofono_warn("sim: Get Card Status failed: %s",
                            r.ok() ? "no card status in the reply" : describe(r.error()).c_str());
             both();
         });
}

void UimSim::on_card_status_indication(QmiIndicationUimCardStatusOutput *out)
{
    const auto status = extract(out);
    if (!status)
        return ofono_warn("sim: Card Status indication without the card status ignored");
    update(*status);
    status_known_ = pin_requests_ == 0;
}

// A PIN request changes the card's counters and state, and the modem's
// indication of that may come before or after the reply: until a status
// newer than the request's end is seen, oFono's queries go to the card.
UimSim::Done UimSim::pin_request(Done done)
{
    pin_requests_++;
    pin_epoch_++;
    status_known_ = false;
    return [this, done = std::move(done)](const GError *error) mutable {
        pin_requests_--;
        pin_epoch_++;
        status_known_ = false;
        done(error);
    };
}

void UimSim::refresh_status(Done then)
{
    // The modem reports every card change (Register Events): what it last
    // said is current, unless a PIN request may have changed the counters.
    DBG("sim: card status %s", events_ && status_known_ ? "known" : "asked for");
    if (events_ && status_known_)
        return life_.defer([then = std::move(then)]() mutable { then(nullptr); });
    call(life_, uim_.get(), QMI_REQUEST(uim, get_card_status), nullptr,
         [this, epoch = pin_epoch_,
          then = std::move(then)](Reply<QmiMessageUimGetCardStatusOutput> r) mutable {
             const auto status = r.ok() ? extract(r.get()) : std::nullopt;
             if (status) {
                 update(*status);
                 status_known_ = epoch == pin_epoch_ && pin_requests_ == 0;
             } else if (r.ok()) {
                 ofono_warn("sim: Get Card Status reply without the card status");
             }
             then(r.ok() ? nullptr : r.error());
         });
}

void UimSim::read_file_info(int fileid, const unsigned char *path, unsigned int path_len,
                            OfonoCallback<ofono_sim_file_info_cb_t> cb)
{
    DBG("sim: file info %04x", fileid);
    read_ahead_on_demand(fileid);
    SimFileCache::Key key{fileid, to_qmi_path(path, path_len, fileid, usim())};
    cache_.when_settled(key, [this, key, cb = std::move(cb)]() mutable {
        SimFileCache::Info info;
        switch (cache_.take_info(key, info)) {
        case SimFileCache::InfoLookup::Found:
            return life_.defer([info, cb = std::move(cb)]() mutable { answer_info(cb, info); });
        case SimFileCache::InfoLookup::NoSuchFile:
            return fail_later(std::move(cb), kFailure);
        case SimFileCache::InfoLookup::Miss:
            break;
        }
        get_file_attributes(key,
                            [cb = std::move(cb)](const GError *error,
                                                 std::optional<SimFileCache::Info> info) mutable {
                                if (!info)
                                    return cb.fail(error ? to_ofono_error(error) : kFailure);
                                answer_info(cb, *info);
                            });
    });
}

template <typename F> void UimSim::get_file_attributes(const SimFileCache::Key &key, F &&on_reply)
{
    auto input = QMI_INPUT(uim, get_file_attributes);
    set_session_and_file(input.get(), qmi_message_uim_get_file_attributes_input_set_session,
                         qmi_message_uim_get_file_attributes_input_set_file, key.fileid, key.path);
    call(life_, uim_.get(), QMI_REQUEST(uim, get_file_attributes), input.get(),
         [on_reply =
              std::forward<F>(on_reply)](Reply<QmiMessageUimGetFileAttributesOutput> r) mutable {
             on_reply(r.error(), r.ok() ? to_info(r.get()) : std::nullopt);
         });
}

template <typename F>
void UimSim::read_binary(const SimFileCache::Key &key, int start, int length, F &&on_reply)
{
    auto input = QMI_INPUT(uim, read_transparent);
    set_session_and_file(input.get(), qmi_message_uim_read_transparent_input_set_session,
                         qmi_message_uim_read_transparent_input_set_file, key.fileid, key.path);
    qmi_message_uim_read_transparent_input_set_read_information(
        input.get(), static_cast<guint16>(start), static_cast<guint16>(length), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, read_transparent), input.get(),
         [on_reply =
              std::forward<F>(on_reply)](Reply<QmiMessageUimReadTransparentOutput> r) mutable {
             GArray *data = nullptr;
             if (r.ok())
                 qmi_message_uim_read_transparent_output_get_read_result(r.get(), &data, nullptr);
             on_reply(r.error(), to_bytes(data));
         });
}

template <typename F>
void UimSim::read_record(const SimFileCache::Key &key, int record, int length, F &&on_reply)
{
    auto input = QMI_INPUT(uim, read_record);
    set_session_and_file(input.get(), qmi_message_uim_read_record_input_set_session,
                         qmi_message_uim_read_record_input_set_file, key.fileid, key.path);
    qmi_message_uim_read_record_input_set_record(input.get(), static_cast<guint16>(record),
                                                 static_cast<guint16>(length), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, read_record), input.get(),
         [on_reply = std::forward<F>(on_reply)](Reply<QmiMessageUimReadRecordOutput> r) mutable {
             GArray *data = nullptr;
             if (r.ok())
                 qmi_message_uim_read_record_output_get_read_result(r.get(), &data, nullptr);
             on_reply(r.error(), to_bytes(data));
         });
}

void UimSim::read_file_transparent(int fileid, int start, int length, const unsigned char *path,
                                   unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    DBG("sim: read %04x at %d, %d bytes", fileid, start, length);
    read_ahead_on_demand(fileid);
    SimFileCache::Key key{fileid, to_qmi_path(path, path_len, fileid, usim())};
    cache_.when_settled(key, [this, key, start, length, cb = std::move(cb)]() mutable {
        if (auto data = cache_.take_data(key, start, length))
            return answer_later(std::move(cb), std::move(*data));
        read_binary(key, start, length, answer_read(std::move(cb)));
    });
}

void UimSim::read_file_linear(int fileid, int record, int length, const unsigned char *path,
                              unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    read_file_record(fileid, record, length, path, path_len, std::move(cb));
}

void UimSim::read_file_cyclic(int fileid, int record, int length, const unsigned char *path,
                              unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    read_file_record(fileid, record, length, path, path_len, std::move(cb));
}

void UimSim::read_file_record(int fileid, int record, int length, const unsigned char *path,
                              unsigned int path_len, OfonoCallback<ofono_sim_read_cb_t> cb)
{
    DBG("sim: read %04x record %d, %d bytes", fileid, record, length);
    read_ahead_on_demand(fileid);
    SimFileCache::Key key{fileid, to_qmi_path(path, path_len, fileid, usim())};
    cache_.when_settled(key, [this, key, record, length, cb = std::move(cb)]() mutable {
        if (auto data = cache_.take_record(key, record, length))
            return answer_later(std::move(cb), std::move(*data));
        read_record(key, record, length, answer_read(std::move(cb)));
    });
}

void UimSim::answer_later(OfonoCallback<ofono_sim_read_cb_t> cb, SimFileCache::Bytes data)
{
    life_.defer([cb = std::move(cb), data = std::move(data)]() mutable {
        cb.succeed(data.data(), static_cast<int>(data.size()));
    });
}

// ---- reading ahead ---------------------------------------------------------------

// What oFono's SIM core (src/sim.c) reads at every start-up, in its order.
// Info: file attributes and whole contents at once. Optional: attributes,
// then the contents only if the card has the file (most cards lack it: no
// request wasted). Records: attributes, then every record. Contents: no
// attributes (EF-IMSI comes via read_imsi).
enum class Ahead { Info, Optional, Records, Contents };
struct AheadFile {
    int fileid;
    Ahead how;
};

namespace
{
// Readable before the PIN: oFono reads them as soon as the card is in.
constexpr AheadFile kBeforePin[] = {
    {0x2FE2, Ahead::Info}, // EF-ICCID
    {0x6F05, Ahead::Info}, // EF-LI
    {0x2F05, Ahead::Info}, // EF-PL
};
// Once the application is ready (PIN verified or none).
constexpr AheadFile kAfterPin[] = {
    {0x6FAE, Ahead::Optional}, // EF-Phase (2G SIMs only)
    {0x6FAD, Ahead::Info},     // EF-AD
    {0x6F07, Ahead::Contents}, // EF-IMSI
    {0x6F16, Ahead::Optional}, // EF-CPHS information
    {0x6F38, Ahead::Info},     // EF-SST / EF-UST
    {0x6F56, Ahead::Info},     // EF-EST
};
// Read by oFono only once the SIM is ready (own numbers, service numbers,
// operator names), some only once registered: each is read ahead (its
// attributes and contents at once) when oFono first asks for it, not
// before, so none queues ahead of what SIM-ready waits for and none is read
// that oFono would not read.
constexpr AheadFile kAfterReady[] = {
    {0x6F40, Ahead::Records},  // EF-MSISDN
    {0x6F49, Ahead::Records},  // EF-SDN
    {0x6F46, Ahead::Info},     // EF-SPN
    {0x6FC5, Ahead::Records},  // EF-PNN
    {0x6F15, Ahead::Optional}, // EF-CSP
};
// oFono reads at most this many records of these files at start-up.
constexpr int kMaxRecordsAhead = 32;

} // namespace

void UimSim::read_ahead(const AheadFile *files, std::size_t count, bool usim_app)
{
    for (std::size_t i = 0; i < count; i++) {
        const AheadFile &f = files[i];
        SimFileCache::Key key{f.fileid, to_qmi_path(nullptr, 0, f.fileid, usim_app)};
        if (cache_.pending(key))
            continue;
        const auto id = cache_.begin(key);
        auto finish = [this, id, key] { cache_.finish(id, key); };
        // Only what the card itself answered is kept: a timeout or a lost
        // port leaves the file to oFono's own read.
        auto keep_info = [this, id, key](const GError *error,
                                         const std::optional<SimFileCache::Info> &info) {
            if (info || is_protocol_error(error))
                cache_.put_info(id, key, info);
        };
        auto keep_data = [this, id, key](const GError *, std::optional<SimFileCache::Bytes> data) {
            if (data)
                cache_.put_data(id, key, std::move(*data));
        };
        switch (f.how) {
        case Ahead::Contents:
            read_binary(key, 0, 0, [keep_data, finish](const GError *e, auto data) {
                keep_data(e, std::move(data));
                finish();
            });
            break;
        case Ahead::Info: {
            Join both(2, finish);
            get_file_attributes(key, [keep_info, both](const GError *e, auto info) {
                keep_info(e, info);
                both();
            });
            read_binary(key, 0, 0, [keep_data, both](const GError *e, auto data) {
                keep_data(e, std::move(data));
                both();
            });
            break;
        }
        case Ahead::Optional:
            get_file_attributes(
                key, [this, key, keep_info, keep_data, finish](const GError *e, auto info) {
                    keep_info(e, info);
                    if (!info || info->structure != 0)
                        return finish();
                    read_binary(key, 0, 0, [keep_data, finish](const GError *e, auto data) {
                        keep_data(e, std::move(data));
                        finish();
                    });
                });
            break;
        case Ahead::Records:
            get_file_attributes(
                key, [this, id, key, keep_info, finish](const GError *e, auto info) {
                    keep_info(e, info);
                    if (!info || info->structure == 0 || info->record_size <= 0)
                        return finish();
                    const int n = std::min(info->size / info->record_size, kMaxRecordsAhead);
                    Join all(n, finish);
                    for (int record = 1; record <= n; record++)
                        read_record(key, record, info->record_size,
                                    [this, id, key, record, all](const GError *, auto data) {
                                        if (data)
                                            cache_.put_record(id, key, record, std::move(*data));
                                        all();
                                    });
                });
            break;
        }
    }
}

void UimSim::read_ahead_on_demand(int fileid)
{
    if (!read_after_pin_)
        return;
    for (std::size_t i = 0; i < std::size(kAfterReady); i++) {
        const unsigned bit = 1u << i;
        if (kAfterReady[i].fileid != fileid || (read_after_ready_ & bit))
            continue;
        read_after_ready_ |= bit;
        read_ahead(&kAfterReady[i], 1, usim());
    }
}

void UimSim::update(const CardStatus &now)
{
    read_ahead_for(now);
    apply(now);
}

void UimSim::read_ahead_for(const CardStatus &now)
{
    if (now.card != CardStatus::Card::Present) {
        cache_.clear();
        read_before_pin_ = read_after_pin_ = false;
        read_after_ready_ = 0;
    } else if (uim_) {
        const bool usim_app = is_usim(now);
        if (!read_before_pin_) {
            read_before_pin_ = true;
            read_ahead(kBeforePin, std::size(kBeforePin), usim_app);
        }
        if (now.app && now.app->state == QMI_UIM_CARD_APPLICATION_STATE_READY && !read_after_pin_) {
            read_after_pin_ = true;
            read_ahead(kAfterPin, std::size(kAfterPin), usim_app);
        }
    }
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

SimFileCache::Key UimSim::written(int fileid, const unsigned char *path, unsigned int path_len)
{
    SimFileCache::Key key{fileid, to_qmi_path(path, path_len, fileid, usim())};
    cache_.forget(key);
    return key;
}

void UimSim::write_file_transparent(int fileid, int start, int length, const unsigned char *value,
                                    const unsigned char *path, unsigned int path_len,
                                    OfonoCallback<ofono_sim_write_cb_t> cb)
{
    const auto key = written(fileid, path, path_len);
    uim_write_transparent(life_, device_.raw(), QMI_CLIENT(uim_.get()), file_ref(fileid, key.path),
                          static_cast<std::uint16_t>(start),
                          std::vector<std::uint8_t>(value, value + length),
                          write_done(std::move(cb)));
}

void UimSim::write_file_linear(int fileid, int record, int length, const unsigned char *value,
                               const unsigned char *path, unsigned int path_len,
                               OfonoCallback<ofono_sim_write_cb_t> cb)
{
    const auto key = written(fileid, path, path_len);
    uim_write_record(life_, device_.raw(), QMI_CLIENT(uim_.get()), file_ref(fileid, key.path),
                     static_cast<std::uint16_t>(record),
                     std::vector<std::uint8_t>(value, value + length), write_done(std::move(cb)));
}

void UimSim::write_file_cyclic(int fileid, int length, const unsigned char *value,
                               const unsigned char *path, unsigned int path_len,
                               OfonoCallback<ofono_sim_write_cb_t> cb)
{
    // A cyclic file is updated at its "previous" record (record 0 here).
    const auto key = written(fileid, path, path_len);
    uim_write_record(life_, device_.raw(), QMI_CLIENT(uim_.get()), file_ref(fileid, key.path), 0,
                     std::vector<std::uint8_t>(value, value + length), write_done(std::move(cb)));
}

void UimSim::read_imsi(OfonoCallback<ofono_sim_imsi_cb_t> cb)
{
    constexpr int kEfImsi = 0x6F07;
    SimFileCache::Key key{kEfImsi, to_qmi_path(nullptr, 0, kEfImsi, usim())};
    auto answer = [](OfonoCallback<ofono_sim_imsi_cb_t> &cb, const SimFileCache::Bytes &ef) {
        auto imsi = decode_imsi(ef);
        if (!imsi) {
            ofono_warn("sim: EF-IMSI is malformed");
            return cb.fail();
        }
        cb.succeed(imsi->c_str());
    };
    cache_.when_settled(key, [this, key, answer, cb = std::move(cb)]() mutable {
        if (auto ef = cache_.take_data(key, 0, 0))
            return life_.defer(
                [answer, ef = std::move(*ef), cb = std::move(cb)]() mutable { answer(cb, ef); });
        read_binary(key, 0, 0,
                    [answer, cb = std::move(cb)](const GError *error,
                                                 std::optional<SimFileCache::Bytes> ef) mutable {
                        if (!ef)
                            return cb.fail(to_ofono_error(error));
                        answer(cb, *ef);
                    });
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
         only_status<QmiMessageUimVerifyPinOutput>(pin_request(std::move(done))));
}

void UimSim::unblock_pin(const std::string &puk, const std::string &pin, Done done)
{
    auto input = QMI_INPUT(uim, unblock_pin);
    set_gw_session(input.get(), qmi_message_uim_unblock_pin_input_set_session);
    qmi_message_uim_unblock_pin_input_set_info(input.get(), QMI_UIM_PIN_ID_PIN1, puk.c_str(),
                                               pin.c_str(), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, unblock_pin), input.get(),
         only_status<QmiMessageUimUnblockPinOutput>(pin_request(std::move(done))));
}

void UimSim::change_pin(Pin which, const std::string &old_pin, const std::string &new_pin,
                        Done done)
{
    auto input = QMI_INPUT(uim, change_pin);
    set_gw_session(input.get(), qmi_message_uim_change_pin_input_set_session);
    qmi_message_uim_change_pin_input_set_info(input.get(), pin_id(which), old_pin.c_str(),
                                              new_pin.c_str(), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, change_pin), input.get(),
         only_status<QmiMessageUimChangePinOutput>(pin_request(std::move(done))));
}

void UimSim::set_pin_protection(Pin which, bool enable, const std::string &pin, Done done)
{
    auto input = QMI_INPUT(uim, set_pin_protection);
    set_gw_session(input.get(), qmi_message_uim_set_pin_protection_input_set_session);
    qmi_message_uim_set_pin_protection_input_set_info(input.get(), pin_id(which), enable,
                                                      pin.c_str(), nullptr);
    call(life_, uim_.get(), QMI_REQUEST(uim, set_pin_protection), input.get(),
         only_status<QmiMessageUimSetPinProtectionOutput>(pin_request(std::move(done))));
}

} // namespace qmi
