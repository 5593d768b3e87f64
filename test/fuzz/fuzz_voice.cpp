// voice.hpp and raw_messages' VOICE reader: what oFono asks to dial or send
// as DTMF, and what the modem reports about calls and USSD:
// - All Call Status indication: the typed call list (states, directions,
//   presentation) and the end reasons read off the raw frame
//   (voice_call_end_reasons), checked against an independent reading;
// - Get All Call Info response: the same call list;
// - USSD indication and Originate USSD response: the network's text, as the
//   ussd atom decodes it (UTF-16 TLV first, else USS data) and re-encodes it
//   for oFono.
//
// Input: a selector byte; strings through FuzzedDataProvider, frames as the
// TLV area.
#include "harness.hpp"
#include "tlv_walk.hpp"

#include "core/raw_messages.hpp"
#include "translate/ussd.hpp"
#include "translate/voice.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cctype>
#include <map>

using namespace fuzz;

namespace
{

bool dialable(char c)
{
    return std::isdigit(static_cast<unsigned char>(c)) || c == '*' || c == '#' || c == 'p' ||
           c == 'w' || c == 'P' || c == 'W';
}

void dial(FuzzedDataProvider &p)
{
    const int type = p.ConsumeBool() ? 145 : p.ConsumeIntegral<std::uint8_t>();
    const int clir = p.ConsumeIntegralInRange<int>(-1, 3);
    const std::string number = p.ConsumeRandomLengthString(100);
    const auto out = qmi::dial_string(number, type, clir);
    std::string digits = number;
    const bool plus = !digits.empty() && digits[0] == '+';
    if (plus)
        digits.erase(0, 1);
    const bool ok = !digits.empty() && digits.size() <= 80 &&
                    std::all_of(digits.begin(), digits.end(), dialable);
    FUZZ_CHECK(out.has_value() == ok);
    if (!out)
        return;
    // 22.030 CLIR prefix, then '+' for an international number, then digits.
    std::string rest = *out;
    const std::string prefix = clir == 1 ? "#31#" : clir == 2 ? "*31#" : "";
    FUZZ_CHECK(rest.compare(0, prefix.size(), prefix) == 0);
    rest.erase(0, prefix.size());
    const bool international = plus || type == 145;
    FUZZ_CHECK(rest == (international ? "+" : "") + digits);
}

void dtmf(const std::string &tones)
{
    const auto out = qmi::dtmf_digits(tones);
    const bool ok = !tones.empty() && std::all_of(tones.begin(), tones.end(), [](char c) {
        const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return std::isdigit(static_cast<unsigned char>(u)) || u == '*' || u == '#' ||
               (u >= 'A' && u <= 'D');
    });
    FUZZ_CHECK(out.has_value() == ok);
    if (out) {
        FUZZ_CHECK(out->size() == tones.size());
        FUZZ_CHECK(
            std::none_of(out->begin(), out->end(), [](char c) { return c >= 'a' && c <= 'z'; }));
    }
}

void call_values(int state, int direction, int presentation, int reason, bool local)
{
    const auto status = qmi::to_call_status(state);
    if (status)
        FUZZ_CHECK(*status >= qmi::call_status::kActive && *status <= qmi::call_status::kWaiting);
    const int dir = qmi::to_direction(direction);
    FUZZ_CHECK(dir == qmi::kDirectionOriginated || dir == qmi::kDirectionTerminated);
    const int clip = qmi::to_clip_validity(presentation);
    FUZZ_CHECK(clip >= qmi::kClipValid && clip <= qmi::kClipNotAvailable);
    const int why = qmi::to_disconnect_reason(reason, local);
    FUZZ_CHECK(why >= 0 && why <= 3);
    if (local)
        FUZZ_CHECK(why == 1); // OFONO_DISCONNECT_REASON_LOCAL_HANGUP
}

// ---- frames -------------------------------------------------------------------

Span g_tlvs;

// TLV 0x14 {u8 n, n x {u8 call id, u16 reason}}, read independently; a
// truncated list keeps its whole entries.
std::map<int, int> reference_end_reasons()
{
    std::map<int, int> reasons;
    const auto v = find_tlv(g_tlvs, 0x14);
    if (!v || v->empty())
        return reasons;
    const std::size_t n = (*v)[0];
    for (std::size_t i = 0; i < n && 1 + 3 * i + 3 <= v->size(); ++i)
        reasons[(*v)[1 + 3 * i]] = le16(*v, 2 + 3 * i);
    return reasons;
}

// What the voicecall atom reads from a call list (it keeps these as ints).
template <typename InfoElement, typename NumberElement>
void call_list(GArray *info, GArray *numbers, const std::map<int, int> &reasons)
{
    std::map<int, int> presentation;
    for (guint i = 0; numbers && i < numbers->len; ++i) {
        const auto &n = g_array_index(numbers, NumberElement, i);
        presentation[n.id] = wire(n.presentation_indicator);
        FUZZ_CHECK(!n.type || g_utf8_validate(n.type, -1, nullptr));
    }
    for (guint i = 0; info && i < info->len; ++i) {
        const auto &c = g_array_index(info, InfoElement, i);
        const auto reason = reasons.find(c.id);
        call_values(wire(c.state), wire(c.direction),
                    presentation.count(c.id) ? presentation[c.id] : -1,
                    reason == reasons.end() ? -1 : reason->second, false);
    }
}

void on_all_call_status(QmiIndicationVoiceAllCallStatusOutput *out)
{
    GArray *info = nullptr, *numbers = nullptr;
    qmi_indication_voice_all_call_status_output_get_call_information(out, &info, nullptr);
    qmi_indication_voice_all_call_status_output_get_remote_party_number(out, &numbers, nullptr);
    call_list<QmiIndicationVoiceAllCallStatusOutputCallInformationCall,
              QmiIndicationVoiceAllCallStatusOutputRemotePartyNumberCall>(info, numbers,
                                                                          reference_end_reasons());
}

// The ussd atom: UTF-16 units first, else the USS data; then for oFono.
void network_text(GArray *utf16, int dcs, GArray *data)
{
    std::optional<std::string> text;
    if (utf16 && utf16->len > 0) {
        FUZZ_CHECK(g_array_get_element_size(utf16) == sizeof(gunichar2));
        gchar *utf8 = g_utf16_to_utf8(reinterpret_cast<const gunichar2 *>(utf16->data),
                                      static_cast<glong>(utf16->len), nullptr, nullptr, nullptr);
        if (utf8)
            text = utf8;
        g_free(utf8);
    }
    if (!text && data)
        text = qmi::qmi_uss_decode(dcs, bytes_of(data));
    if (!text || !valid_utf8(*text))
        return;
    const qmi::UssdString coded = qmi::ussd_encode(*text);
    const auto back = qmi::ussd_decode(coded.dcs, coded.data);
    // (23.038: a CR ending the text on an octet boundary reads as padding.)
    FUZZ_CHECK(back == *text || (back && !text->empty() && text->back() == '\r' &&
                                 *back == text->substr(0, text->size() - 1)));
}

void on_ussd(QmiIndicationVoiceUssdOutput *out)
{
    GArray *utf16 = nullptr, *data = nullptr;
    QmiVoiceUssDataCodingScheme dcs = QMI_VOICE_USS_DATA_CODING_SCHEME_UNKNOWN;
    qmi_indication_voice_ussd_output_get_uss_data_utf16(out, &utf16, nullptr);
    qmi_indication_voice_ussd_output_get_uss_data(out, &dcs, &data, nullptr);
    network_text(utf16, wire(dcs), data);
}

void end_reasons(QmiMessage *frame)
{
    const auto reasons = qmi::voice_call_end_reasons(frame);
    const bool all_call_status = qmi_message_get_service(frame) == QMI_SERVICE_VOICE &&
                                 qmi_message_get_message_id(frame) == 0x002E;
    FUZZ_CHECK(reasons == (all_call_status ? reference_end_reasons() : std::map<int, int>{}));
    for (const auto &[id, reason] : reasons) {
        FUZZ_CHECK(id >= 0 && id <= 0xFF && reason >= 0 && reason <= 0xFFFF);
        call_values(0, 0, 0, reason, false);
    }
}

enum Selector : std::uint8_t {
    kDial,
    kDtmf,
    kValues,
    kAllCallStatus,   // indication 0x002E: raw end reasons + typed call list
    kOtherIndication, // a VOICE indication with another id: no end reasons
    kGetAllCallInfo,  // response 0x002F
    kUssdIndication,  // indication 0x003E
    kOriginateUssd,   // response 0x003A
    kSelectors
};

void get_all_call_info(QmiMessage *frame)
{
    auto *out =
        request(qmi_client_voice_get_all_call_info, qmi_client_voice_get_all_call_info_finish,
                QMI_SERVICE_VOICE, nullptr, frame);
    if (!out)
        return;
    GArray *info = nullptr, *numbers = nullptr;
    qmi_message_voice_get_all_call_info_output_get_call_information(out, &info, nullptr);
    qmi_message_voice_get_all_call_info_output_get_remote_party_number(out, &numbers, nullptr);
    call_list<QmiMessageVoiceGetAllCallInfoOutputCallInformationCall,
              QmiMessageVoiceGetAllCallInfoOutputRemotePartyNumberCall>(info, numbers, {});
    qmi_message_voice_get_all_call_info_output_unref(out);
}

void originate_ussd(QmiMessage *frame)
{
    auto *input = qmi_message_voice_originate_ussd_input_new();
    GArray *request_data = g_array_new(FALSE, FALSE, 1);
    const char code[] = "*100#";
    g_array_append_vals(request_data, code, sizeof code - 1);
    qmi_message_voice_originate_ussd_input_set_uss_data(
        input, QMI_VOICE_USS_DATA_CODING_SCHEME_ASCII, request_data, nullptr);
    auto *out = request(qmi_client_voice_originate_ussd, qmi_client_voice_originate_ussd_finish,
                        QMI_SERVICE_VOICE, input, frame);
    g_array_unref(request_data);
    qmi_message_voice_originate_ussd_input_unref(input);
    if (!out)
        return;
    GArray *utf16 = nullptr, *data = nullptr;
    QmiVoiceUssDataCodingScheme dcs = QMI_VOICE_USS_DATA_CODING_SCHEME_UNKNOWN;
    qmi_message_voice_originate_ussd_output_get_uss_data_utf16(out, &utf16, nullptr);
    qmi_message_voice_originate_ussd_output_get_uss_data(out, &dcs, &data, nullptr);
    network_text(utf16, wire(dcs), data);
    qmi_message_voice_originate_ussd_output_unref(out);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    init();
    on_indication<QmiIndicationVoiceAllCallStatusOutput, on_all_call_status>(QMI_SERVICE_VOICE,
                                                                             "all-call-status");
    on_indication<QmiIndicationVoiceUssdOutput, on_ussd>(QMI_SERVICE_VOICE, "ussd");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1 || data[0] >= kSelectors)
        return -1;
    g_tlvs = Span(data + 1, size - 1);
    FuzzedDataProvider p(g_tlvs.data(), g_tlvs.size());
    MessagePtr frame;
    switch (data[0]) {
    case kDial:
        dial(p);
        break;
    case kDtmf:
        dtmf(p.ConsumeRemainingBytesAsString());
        break;
    case kValues: {
        const int state = p.ConsumeIntegral<std::uint8_t>();
        const int direction = p.ConsumeIntegral<std::uint8_t>();
        const int presentation = p.ConsumeIntegralInRange<int>(-1, 255);
        const int reason = p.ConsumeIntegralInRange<int>(-1, 0xFFFF);
        call_values(state, direction, presentation, reason, p.ConsumeBool());
        break;
    }
    case kAllCallStatus:
    case kOtherIndication:
        frame = modem_frame(QMI_SERVICE_VOICE, data[0] == kAllCallStatus ? 0x002E : 0x003E,
                            Kind::Indication, g_tlvs);
        if (!frame)
            return 0;
        end_reasons(frame.get());
        if (data[0] == kAllCallStatus)
            indicate(QMI_SERVICE_VOICE, frame.get());
        break;
    case kGetAllCallInfo:
        frame = modem_frame(QMI_SERVICE_VOICE, 0x002F, Kind::Response, g_tlvs);
        if (frame)
            get_all_call_info(frame.get());
        break;
    case kUssdIndication:
        frame = modem_frame(QMI_SERVICE_VOICE, 0x003E, Kind::Indication, g_tlvs);
        if (frame)
            indicate(QMI_SERVICE_VOICE, frame.get());
        break;
    case kOriginateUssd:
        frame = modem_frame(QMI_SERVICE_VOICE, 0x003A, Kind::Response, g_tlvs);
        if (frame)
            originate_ussd(frame.get());
        break;
    default:
        break;
    }
    return 0;
}
