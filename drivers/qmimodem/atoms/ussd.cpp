#include "ussd.hpp"

#include "core/errors.hpp"
#include "core/qmi_call.hpp"
#include "core/wire_enum.hpp"
#include "translate/ussd.hpp"

#include <ofono/log.h>

#include <memory>
#include <optional>

namespace qmi
{
namespace
{

// The network may take its time; the core times the dialogue out itself.
constexpr guint kOriginateTimeoutSeconds = 90;

// Originate and Answer USSD carry the same USS Data TLV.
template <typename Input>
void set_uss(Input *input,
             gboolean (*set)(Input *, QmiVoiceUssDataCodingScheme, GArray *, GError **),
             const std::string &text)
{
    const QmiUss uss = qmi_uss_encode(text);
    set(input, static_cast<QmiVoiceUssDataCodingScheme>(uss.qmi_dcs), byte_array(uss.data).get(),
        nullptr);
}

// UTF-16 (little-endian units, as the UTF-16 TLVs carry them) -> UTF-8.
std::optional<std::string> from_utf16(GArray *units)
{
    if (!units || units->len == 0)
        return std::nullopt;
    std::unique_ptr<gchar, decltype(&g_free)> utf8(
        g_utf16_to_utf8(reinterpret_cast<const gunichar2 *>(units->data),
                        static_cast<glong>(units->len), nullptr, nullptr, nullptr),
        g_free);
    if (!utf8)
        return std::nullopt;
    return std::string(utf8.get());
}

std::optional<std::string> from_uss(int dcs, GArray *data)
{
    if (!data)
        return std::nullopt;
    const auto *p = reinterpret_cast<const std::uint8_t *>(data->data);
    return qmi_uss_decode(dcs, Bytes(p, p + data->len));
}

} // namespace

UssdAtom::UssdAtom(ofono_ussd *atom, Device &device) : atom_(atom), device_(device)
{
    device_.allocate(life_, QMI_SERVICE_VOICE,
                     [this](QmiClient *client, const GError *) { on_client(client); });
}

UssdAtom::~UssdAtom()
{
    life_.end();
}

void UssdAtom::on_client(QmiClient *client)
{
    if (!client) {
        ofono_error("ussd: no VOICE client; USSD unavailable");
        return ofono_ussd_remove(atom_); // deletes this
    }
    voice_ = GRef<QmiClientVoice>::ref(QMI_CLIENT_VOICE(client));
    ussd_signal_ = connect_signal<&UssdAtom::on_ussd, QmiIndicationVoiceUssdOutput *>(voice_.get(),
                                                                                      "ussd", this);
    release_signal_ = connect_signal<&UssdAtom::on_release>(voice_.get(), "release-ussd", this);
    auto input = QMI_INPUT(voice, indication_register);
    qmi_message_voice_indication_register_input_set_ussd_notification_events(input.get(), TRUE,
                                                                             nullptr);
    call(life_, voice_.get(), QMI_REQUEST(voice, indication_register), input.get(),
         [this](Reply<QmiMessageVoiceIndicationRegisterOutput> r) {
             if (!r.ok())
                 ofono_warn("ussd: no USSD notifications: %s", describe(r.error()).c_str());
             ofono_ussd_register(atom_);
         });
}

void UssdAtom::notify(int status, const std::string &text)
{
    const UssdString coded = ussd_encode(text);
    ofono_ussd_notify(atom_, status, coded.dcs, coded.data.data(),
                      static_cast<int>(coded.data.size()));
}

void UssdAtom::on_ussd(QmiIndicationVoiceUssdOutput *out)
{
    QmiVoiceUserAction action = QMI_VOICE_USER_ACTION_UNKNOWN;
    qmi_indication_voice_ussd_output_get_user_action(out, &action, nullptr);
    GArray *utf16 = nullptr, *data = nullptr;
    QmiVoiceUssDataCodingScheme dcs = QMI_VOICE_USS_DATA_CODING_SCHEME_UNKNOWN;
    qmi_indication_voice_ussd_output_get_uss_data_utf16(out, &utf16, nullptr);
    qmi_indication_voice_ussd_output_get_uss_data(out, &dcs, &data, nullptr);
    auto text = from_utf16(utf16);
    if (!text)
        text = from_uss(wire(dcs), data);
    network_waits_ = wire(action) == QMI_VOICE_USER_ACTION_REQUIRED;
    const int status =
        network_waits_ ? OFONO_USSD_STATUS_ACTION_REQUIRED : OFONO_USSD_STATUS_NOTIFY;
    if (!text) {
        ofono_warn("ussd: network message in an unknown coding (%d)", wire(dcs));
        return ofono_ussd_notify(atom_, status, 0, nullptr, 0);
    }
    notify(status, *text);
}

void UssdAtom::on_release()
{
    DBG("ussd: released by the network");
    network_waits_ = false;
    ofono_ussd_notify(atom_, OFONO_USSD_STATUS_TERMINATED, 0, nullptr, 0);
}

void UssdAtom::request(int dcs, const unsigned char *pdu, int len, Cb cb)
{
    const auto text = pdu && len > 0 ? ussd_decode(dcs, Bytes(pdu, pdu + len)) : std::nullopt;
    if (!text || text->empty()) {
        ofono_warn("ussd: cannot read the request (dcs 0x%02x, %d octets)", dcs, len);
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    }
    if (network_waits_)
        answer(*text, std::move(cb));
    else
        originate(*text, std::move(cb));
}

void UssdAtom::originate(const std::string &text, Cb cb)
{
    auto input = QMI_INPUT(voice, originate_ussd);
    set_uss(input.get(), qmi_message_voice_originate_ussd_input_set_uss_data, text);
    call(
        life_, voice_.get(), QMI_REQUEST(voice, originate_ussd), input.get(),
        [this, cb = std::move(cb)](Reply<QmiMessageVoiceOriginateUssdOutput> r) mutable {
            if (!r.ok()) {
                QmiVoiceCallEndReason cause;
                if (r.get() && qmi_message_voice_originate_ussd_output_get_failure_cause(
                                   r.get(), &cause, nullptr))
                    ofono_warn("ussd: the network refused: end reason %d", wire(cause));
                else
                    ofono_warn("ussd: Originate USSD: %s", describe(r.error()).c_str());
                return cb.fail(to_ofono_error(r.error()));
            }
            GArray *utf16 = nullptr, *data = nullptr;
            QmiVoiceUssDataCodingScheme dcs = QMI_VOICE_USS_DATA_CODING_SCHEME_UNKNOWN;
            qmi_message_voice_originate_ussd_output_get_uss_data_utf16(r.get(), &utf16, nullptr);
            qmi_message_voice_originate_ussd_output_get_uss_data(r.get(), &dcs, &data, nullptr);
            auto reply = from_utf16(utf16);
            if (!reply)
                reply = from_uss(wire(dcs), data);
            cb.succeed();
            // The network's answer ends this dialogue unless it asks again
            // (then a USSD indication with "action required" follows).
            if (reply)
                notify(OFONO_USSD_STATUS_NOTIFY, *reply);
            else
                ofono_ussd_notify(atom_, OFONO_USSD_STATUS_TERMINATED, 0, nullptr, 0);
        },
        kOriginateTimeoutSeconds);
}

void UssdAtom::answer(const std::string &text, Cb cb)
{
    auto input = QMI_INPUT(voice, answer_ussd);
    set_uss(input.get(), qmi_message_voice_answer_ussd_input_set_uss_data, text);
    network_waits_ = false;
    call(life_, voice_.get(), QMI_REQUEST(voice, answer_ussd), input.get(),
         [cb = std::move(cb)](Reply<QmiMessageVoiceAnswerUssdOutput> r) mutable {
             if (!r.ok())
                 return cb.fail(to_ofono_error(r.error()));
             cb.succeed();
         });
}

void UssdAtom::cancel(Cb cb)
{
    network_waits_ = false;
    call(life_, voice_.get(), QMI_REQUEST(voice, cancel_ussd), nullptr,
         only_status<QmiMessageVoiceCancelUssdOutput>(
             [cb = std::move(cb)](const GError *error) mutable {
                 if (error)
                     return cb.fail(to_ofono_error(error));
                 cb.succeed();
             }));
}

} // namespace qmi
