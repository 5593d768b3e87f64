// uim.hpp: the card's bytes (EF-IMSI, the ICCID text), what oFono passes
// (file paths, PINs), the card state from UIM or DMS; and the frames the SIM
// atoms translate: UIM Read Transparent (EF-IMSI), DMS UIM Get ICCID, DMS
// UIM Get State + Get PIN Status.
//
// Input: a selector byte; values through FuzzedDataProvider, frames as the
// TLV area.
#include "harness.hpp"

#include "translate/uim.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <optional>

using namespace fuzz;

namespace
{

// enum ofono_sim_password_type (see uim.cpp).
constexpr int kNone = 0, kSimPin = 1, kSimPin2 = 4, kSimPuk = 9, kSimPuk2 = 11, kInvalid = 16;

bool digits(const std::string &s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// TS 31.102 4.2.2, the other way round: digits -> EF-IMSI.
Bytes encode_imsi(const std::string &imsi)
{
    const std::string nibbles = (imsi.size() % 2 ? "9" : "1") + imsi; // parity + type, then digits
    Bytes ef{static_cast<std::uint8_t>((nibbles.size() + 1) / 2)};
    for (std::size_t i = 0; i < nibbles.size(); i += 2) {
        const int low = nibbles[i] - '0';
        const int high = i + 1 < nibbles.size() ? nibbles[i + 1] - '0' : 0xF;
        ef.push_back(static_cast<std::uint8_t>(low | high << 4));
    }
    return ef;
}

void check_imsi(const Bytes &ef)
{
    const auto imsi = qmi::decode_imsi(ef);
    if (!imsi)
        return;
    FUZZ_CHECK(imsi->size() >= 6 && imsi->size() <= 15 && digits(*imsi));
    FUZZ_CHECK(qmi::decode_imsi(encode_imsi(*imsi)) == imsi);
    // The EF is 9 bytes, its first says how many count: more changes nothing.
    Bytes longer = ef;
    longer.insert(longer.end(), {0xFF, 0x12});
    FUZZ_CHECK(qmi::decode_imsi(longer) == imsi);
}

void check_iccid(const std::string &text)
{
    const auto ef = qmi::encode_iccid(text);
    std::string digits_only = text;
    while (!digits_only.empty() && (digits_only.back() == 'F' || digits_only.back() == 'f'))
        digits_only.pop_back();
    const bool valid = !digits_only.empty() && digits_only.size() <= 20 && digits(digits_only);
    FUZZ_CHECK(ef.has_value() == valid);
    if (!ef)
        return;
    FUZZ_CHECK(ef->size() == 10);
    std::string back; // swapped BCD, F pads
    for (std::uint8_t b : *ef)
        for (int d : {b & 0x0F, b >> 4})
            if (d != 0xF)
                back += static_cast<char>('0' + d);
    FUZZ_CHECK(back == digits_only);
}

void check_pins(const std::string &s)
{
    FUZZ_CHECK(qmi::valid_pin(s) == (s.size() >= 4 && s.size() <= 8 && digits(s)));
    FUZZ_CHECK(qmi::valid_puk(s) == (s.size() == 8 && digits(s)));
}

void check_path(FuzzedDataProvider &p)
{
    const int file_id = p.ConsumeIntegral<std::uint16_t>();
    const bool usim = p.ConsumeBool();
    const bool null_path = p.ConsumeBool();
    const Bytes path = p.ConsumeBytes<std::uint8_t>(p.ConsumeIntegralInRange<std::size_t>(0, 16));
    // An exact-size heap copy, so ASan sees any read past oFono's path.
    std::unique_ptr<unsigned char[]> copy(new unsigned char[path.size()]);
    std::copy(path.begin(), path.end(), copy.get());
    const auto q = qmi::to_qmi_path(null_path ? nullptr : copy.get(),
                                    static_cast<unsigned>(path.size()), file_id, usim);
    FUZZ_CHECK(q.size() % 2 == 0 && !q.empty());
    if (!null_path && path.size() >= 2) {
        FUZZ_CHECK(q.size() == path.size() / 2 * 2);
        for (std::size_t i = 0; i < q.size(); i += 2)
            FUZZ_CHECK(q[i] == path[i + 1] && q[i + 1] == path[i]);
    } else {
        FUZZ_CHECK(q[0] == 0x00 && q[1] == 0x3F); // under MF
    }
    const int session = qmi::session_for_path(q);
    const bool mf = q == Bytes{0x00, 0x3F};
    FUZZ_CHECK(session == (mf ? QMI_UIM_SESSION_TYPE_CARD_SLOT_1
                              : QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING));
    const int structure = qmi::to_file_structure(p.ConsumeIntegral<std::int8_t>());
    FUZZ_CHECK(structure == -1 || structure == 0 || structure == 1 || structure == 3);
}

// `n`: the length of oFono's retries array (OFONO_SIM_PASSWORD_INVALID);
// fill_retries must not write past a shorter one either.
void check_card(const qmi::CardStatus &status, int n)
{
    const int type = qmi::to_password_type(status);
    FUZZ_CHECK(type == kNone || type == kSimPin || type == kSimPuk || type == kInvalid);
    if (status.card != qmi::CardStatus::Card::Present || !status.app)
        FUZZ_CHECK(type == kInvalid);
    if (!status.app)
        FUZZ_CHECK(!qmi::pin1_enabled(status));
    std::unique_ptr<int[]> retries(new int[static_cast<std::size_t>(n)]);
    qmi::fill_retries(status, retries.get(), n);
    for (int i = 0; i < n; ++i)
        if (i != kSimPin && i != kSimPuk && i != kSimPin2 && i != kSimPuk2)
            FUZZ_CHECK(retries[i] == -1);
}

std::optional<qmi::DmsPinStatus> pin(FuzzedDataProvider &p)
{
    if (!p.ConsumeBool())
        return std::nullopt;
    return qmi::DmsPinStatus{p.ConsumeIntegralInRange<int>(0, 8), p.ConsumeIntegral<std::uint8_t>(),
                             p.ConsumeIntegral<std::uint8_t>()};
}

void check_card_values(FuzzedDataProvider &p)
{
    if (p.ConsumeBool()) {
        const int state = p.ConsumeIntegral<std::uint8_t>();
        const auto pin1 = pin(p);
        const auto pin2 = pin(p);
        const auto status = qmi::card_status_from_dms(state, pin1, pin2);
        FUZZ_CHECK((status.card == qmi::CardStatus::Card::Absent) ==
                   (state == QMI_DMS_UIM_STATE_NOT_PRESENT));
        check_card(status, p.ConsumeIntegralInRange<int>(0, kInvalid));
        return;
    }
    qmi::CardStatus status;
    status.card = static_cast<qmi::CardStatus::Card>(p.ConsumeIntegralInRange<int>(0, 2));
    if (p.ConsumeBool()) {
        qmi::UimApp app;
        app.type = p.ConsumeIntegral<std::uint8_t>();
        app.state = p.ConsumeIntegral<std::uint8_t>();
        app.upin_replaces_pin1 = p.ConsumeBool();
        app.pin1_state = p.ConsumeIntegral<std::uint8_t>();
        app.pin1_retries = p.ConsumeIntegral<std::uint8_t>();
        app.puk1_retries = p.ConsumeIntegral<std::uint8_t>();
        app.pin2_state = p.ConsumeIntegral<std::uint8_t>();
        app.upin_state = p.ConsumeIntegral<std::uint8_t>();
        status.app = app;
    }
    check_card(status, p.ConsumeIntegralInRange<int>(0, kInvalid));
}

// ---- frames -------------------------------------------------------------------

enum Selector : std::uint8_t {
    kImsi,
    kIccid,
    kPins,
    kPath,
    kCard,
    kReadTransparent, // UIM 0x0020 response, the EF-IMSI read
    kDmsIccid,        // DMS 0x003C
    kDmsState,        // DMS 0x0044
    kDmsPinStatus,    // DMS 0x002B
    kSelectors
};

void read_transparent(QmiMessage *frame)
{
    auto *input = qmi_message_uim_read_transparent_input_new();
    GArray *aid = g_array_new(FALSE, FALSE, 1);
    GArray *path = g_array_new(FALSE, FALSE, 1);
    const std::uint8_t usim[] = {0x00, 0x3F, 0xFF, 0x7F};
    g_array_append_vals(path, usim, sizeof usim);
    qmi_message_uim_read_transparent_input_set_session(
        input, QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING, aid, nullptr);
    qmi_message_uim_read_transparent_input_set_file(input, 0x6F07, path, nullptr);
    qmi_message_uim_read_transparent_input_set_read_information(input, 0, 0, nullptr);
    auto *out = request(qmi_client_uim_read_transparent, qmi_client_uim_read_transparent_finish,
                        QMI_SERVICE_UIM, input, frame);
    g_array_unref(aid);
    g_array_unref(path);
    qmi_message_uim_read_transparent_input_unref(input);
    if (!out)
        return;
    GArray *data = nullptr;
    if (qmi_message_uim_read_transparent_output_get_read_result(out, &data, nullptr) && data)
        check_imsi(bytes_of(data));
    qmi_message_uim_read_transparent_output_unref(out);
}

void dms_iccid(QmiMessage *frame)
{
    auto *out = request(qmi_client_dms_uim_get_iccid, qmi_client_dms_uim_get_iccid_finish,
                        QMI_SERVICE_DMS, nullptr, frame);
    if (!out)
        return;
    const gchar *iccid = nullptr;
    if (qmi_message_dms_uim_get_iccid_output_get_iccid(out, &iccid, nullptr))
        check_iccid(iccid ? iccid : "");
    qmi_message_dms_uim_get_iccid_output_unref(out);
}

void dms_state(QmiMessage *frame)
{
    auto *out = request(qmi_client_dms_uim_get_state, qmi_client_dms_uim_get_state_finish,
                        QMI_SERVICE_DMS, nullptr, frame);
    if (!out)
        return;
    QmiDmsUimState state;
    if (qmi_message_dms_uim_get_state_output_get_state(out, &state, nullptr))
        check_card(qmi::card_status_from_dms(wire(state), std::nullopt, std::nullopt), kInvalid);
    qmi_message_dms_uim_get_state_output_unref(out);
}

// sim_dms: the UIM state (here the input's first byte) and the PIN status.
void dms_pin_status(int uim_state, QmiMessage *frame)
{
    auto *out = request(qmi_client_dms_uim_get_pin_status, qmi_client_dms_uim_get_pin_status_finish,
                        QMI_SERVICE_DMS, nullptr, frame);
    if (!out)
        return;
    auto get = [out](auto getter) -> std::optional<qmi::DmsPinStatus> {
        QmiDmsUimPinStatus status;
        guint8 verify = 0, unblock = 0;
        if (!getter(out, &status, &verify, &unblock, nullptr))
            return std::nullopt;
        return qmi::DmsPinStatus{wire(status), verify, unblock};
    };
    const auto pin1 = get(qmi_message_dms_uim_get_pin_status_output_get_pin1_status);
    const auto pin2 = get(qmi_message_dms_uim_get_pin_status_output_get_pin2_status);
    qmi_message_dms_uim_get_pin_status_output_unref(out);
    check_card(qmi::card_status_from_dms(uim_state, pin1, pin2), kInvalid);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1 || data[0] >= kSelectors)
        return -1;
    const Span rest(data + 1, size - 1);
    FuzzedDataProvider p(rest.data(), rest.size());
    MessagePtr frame;
    auto make = [&](QmiService service, std::uint16_t id) {
        frame = modem_frame(service, id, Kind::Response, rest);
        return frame != nullptr;
    };
    switch (data[0]) {
    case kImsi:
        check_imsi(Bytes(rest.begin(), rest.end()));
        break;
    case kIccid:
        check_iccid(p.ConsumeRemainingBytesAsString());
        break;
    case kPins:
        check_pins(p.ConsumeRemainingBytesAsString());
        break;
    case kPath:
        check_path(p);
        break;
    case kCard:
        check_card_values(p);
        break;
    case kReadTransparent:
        if (make(QMI_SERVICE_UIM, 0x0020))
            read_transparent(frame.get());
        break;
    case kDmsIccid:
        if (make(QMI_SERVICE_DMS, 0x003C))
            dms_iccid(frame.get());
        break;
    case kDmsState:
        if (make(QMI_SERVICE_DMS, 0x0044))
            dms_state(frame.get());
        break;
    case kDmsPinStatus:
        if (rest.empty())
            return -1;
        frame = modem_frame(QMI_SERVICE_DMS, 0x002B, Kind::Response, rest.subspan(1));
        if (frame)
            dms_pin_status(rest[0], frame.get());
        break;
    default:
        break;
    }
    return 0;
}
