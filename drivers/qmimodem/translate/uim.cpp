#include "uim.hpp"

#include <libqmi-glib.h>

#include <algorithm>

namespace qmi
{
namespace
{
// enum ofono_sim_password_type values (ofono/sim.h), kept here so this file
// needs no oFono headers.
constexpr int kNone = 0, kSimPin = 1, kSimPin2 = 4, kSimPuk = 9, kSimPuk2 = 11, kInvalid = 16;

bool all_digits(const std::string &s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
} // namespace

int to_password_type(const CardStatus &status)
{
    if (status.card != CardStatus::Card::Present || !status.app)
        return kInvalid;
    const UimApp &app = *status.app;
    const int pin_state = app.upin_replaces_pin1 ? app.upin_state : app.pin1_state;
    if (pin_state == QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED)
        return kInvalid;
    switch (app.state) {
    case QMI_UIM_CARD_APPLICATION_STATE_PIN1_OR_UPIN_PIN_REQUIRED:
        return kSimPin;
    case QMI_UIM_CARD_APPLICATION_STATE_PUK1_OR_UPIN_PUK_REQUIRED:
    case QMI_UIM_CARD_APPLICATION_STATE_PIN1_BLOCKED:
        return kSimPuk;
    case QMI_UIM_CARD_APPLICATION_STATE_READY:
    case QMI_UIM_CARD_APPLICATION_STATE_DETECTED:
    case QMI_UIM_CARD_APPLICATION_STATE_CHECK_PERSONALIZATION_STATE:
        break;
    default:
        return kInvalid;
    }
    // The application state can lag the PIN state on some firmware.
    if (pin_state == QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED)
        return kSimPin;
    if (pin_state == QMI_UIM_PIN_STATE_BLOCKED)
        return kSimPuk;
    return kNone;
}

CardStatus card_status_from_dms(int uim_state, const std::optional<DmsPinStatus> &pin1,
                                const std::optional<DmsPinStatus> &pin2)
{
    CardStatus status;
    if (uim_state == QMI_DMS_UIM_STATE_NOT_PRESENT)
        return status;
    status.card = CardStatus::Card::Present;
    UimApp app;
    // QmiDmsUimPinStatus numbers its first six states like QmiUimPinState;
    // "unblocked" and "changed" both mean verified.
    auto pin_state = [](int dms) {
        return dms == QMI_DMS_UIM_PIN_STATUS_UNBLOCKED || dms == QMI_DMS_UIM_PIN_STATUS_CHANGED
                   ? static_cast<int>(QMI_UIM_PIN_STATE_ENABLED_VERIFIED)
                   : dms;
    };
    if (pin1) {
        app.pin1_state = pin_state(pin1->status);
        app.pin1_retries = pin1->verify_left;
        app.puk1_retries = pin1->unblock_left;
    }
    if (pin2) {
        app.pin2_state = pin_state(pin2->status);
        app.pin2_retries = pin2->verify_left;
        app.puk2_retries = pin2->unblock_left;
    }
    switch (uim_state) {
    case QMI_DMS_UIM_STATE_INITIALIZATION_COMPLETED:
        app.state = QMI_UIM_CARD_APPLICATION_STATE_READY;
        break;
    case QMI_DMS_UIM_STATE_LOCKED_OR_FAILED:
        app.state = app.pin1_state == QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED
                        ? QMI_UIM_CARD_APPLICATION_STATE_PIN1_OR_UPIN_PIN_REQUIRED
                    : app.pin1_state == QMI_UIM_PIN_STATE_BLOCKED
                        ? QMI_UIM_CARD_APPLICATION_STATE_PUK1_OR_UPIN_PUK_REQUIRED
                    : app.pin1_state == QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED
                        ? QMI_UIM_CARD_APPLICATION_STATE_PIN1_BLOCKED
                        : QMI_UIM_CARD_APPLICATION_STATE_ILLEGAL;
        break;
    default: // still initialising, or the modem cannot tell yet
        app.state = QMI_UIM_CARD_APPLICATION_STATE_DETECTED;
        break;
    }
    status.app = app;
    return status;
}

std::optional<std::vector<std::uint8_t>> encode_iccid(const std::string &text)
{
    // Some firmware reports the 19-digit ICCID with EF-ICCID's padding F.
    std::string iccid = text;
    while (!iccid.empty() && (iccid.back() == 'F' || iccid.back() == 'f'))
        iccid.pop_back();
    if (iccid.empty() || iccid.size() > 20 || !all_digits(iccid))
        return std::nullopt;
    std::vector<std::uint8_t> ef(10, 0xFF);
    for (std::size_t i = 0; i < iccid.size(); ++i) {
        const auto digit = static_cast<std::uint8_t>(iccid[i] - '0');
        std::uint8_t &byte = ef[i / 2];
        byte = i % 2 == 0 ? static_cast<std::uint8_t>(0xF0 | digit)
                          : static_cast<std::uint8_t>((byte & 0x0F) | digit << 4);
    }
    return ef;
}

void fill_retries(const CardStatus &status, int *retries, int n)
{
    std::fill(retries, retries + n, -1);
    if (!status.app)
        return;
    const UimApp &app = *status.app;
    auto put = [&](int index, int value) {
        if (index < n)
            retries[index] = value;
    };
    put(kSimPin, app.upin_replaces_pin1 ? app.upin_retries : app.pin1_retries);
    put(kSimPuk, app.upin_replaces_pin1 ? app.upuk_retries : app.puk1_retries);
    put(kSimPin2, app.pin2_retries);
    put(kSimPuk2, app.puk2_retries);
}

bool pin1_enabled(const CardStatus &status)
{
    if (!status.app)
        return false;
    const int s = status.app->upin_replaces_pin1 ? status.app->upin_state : status.app->pin1_state;
    return s == QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED || s == QMI_UIM_PIN_STATE_ENABLED_VERIFIED ||
           s == QMI_UIM_PIN_STATE_BLOCKED || s == QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED;
}

std::vector<std::uint8_t> to_qmi_path(const unsigned char *path, unsigned path_len, int file_id,
                                      bool usim)
{
    std::vector<std::uint8_t> out;
    if (path && path_len >= 2) {
        for (unsigned i = 0; i + 1 < path_len; i += 2) {
            out.push_back(path[i + 1]);
            out.push_back(path[i]);
        }
        return out;
    }
    out = {0x00, 0x3F};
    switch (file_id) {
    case 0x2F00: // EF DIR
    case 0x2F05: // EF PL
    case 0x2F06: // EF ARR
    case 0x2FE2: // EF ICCID
        return out;
    default:
        if (usim)
            out.insert(out.end(), {0xFF, 0x7F});
        else
            out.insert(out.end(), {0x20, 0x7F});
        return out;
    }
}

int session_for_path(const std::vector<std::uint8_t> &qmi_path)
{
    const bool under_mf = qmi_path.size() == 2 && qmi_path[0] == 0x00 && qmi_path[1] == 0x3F;
    return under_mf ? QMI_UIM_SESSION_TYPE_CARD_SLOT_1
                    : QMI_UIM_SESSION_TYPE_PRIMARY_GW_PROVISIONING;
}

int to_file_structure(int qmi_file_type)
{
    switch (qmi_file_type) {
    case QMI_UIM_FILE_TYPE_TRANSPARENT:
        return 0;
    case QMI_UIM_FILE_TYPE_LINEAR_FIXED:
        return 1;
    case QMI_UIM_FILE_TYPE_CYCLIC:
        return 3;
    default:
        return -1;
    }
}

std::optional<std::string> decode_imsi(const std::vector<std::uint8_t> &ef)
{
    // Byte 0: number of following bytes; byte 1 low nibble: parity/type,
    // then BCD digits low nibble first; 0xF pads.
    if (ef.size() < 2 || ef[0] == 0 || ef[0] > 8 || ef.size() < 1u + ef[0])
        return std::nullopt;
    std::string imsi;
    for (std::size_t i = 1; i <= ef[0]; i++) {
        for (int half = 0; half < 2; half++) {
            if (i == 1 && half == 0)
                continue; // parity nibble
            const int d = half == 0 ? (ef[i] & 0x0F) : (ef[i] >> 4);
            if (d == 0xF)
                continue;
            if (d > 9)
                return std::nullopt;
            imsi += static_cast<char>('0' + d);
        }
    }
    if (imsi.size() < 6 || imsi.size() > 15)
        return std::nullopt;
    return imsi;
}

bool valid_pin(const std::string &pin)
{
    return pin.size() >= 4 && pin.size() <= 8 && all_digits(pin);
}

bool valid_puk(const std::string &puk)
{
    return puk.size() == 8 && all_digits(puk);
}

} // namespace qmi
