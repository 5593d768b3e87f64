#include "card.hpp"

#include <algorithm>

namespace qmisim
{

namespace
{

// Wrong PIN: 63 Cx, x = tries left.
StatusWord wrong_code_sw(std::uint8_t left)
{
    return {0x63, static_cast<std::uint8_t>(0xC0 | std::min<std::uint8_t>(left, 0x0F))};
}

PinResult counters(const PinLock &lock, QmiProtocolError error, StatusWord sw)
{
    return {error, lock.pin.retries, lock.puk.retries, sw};
}

// A blocked PIN refuses every command but Unblock.
std::optional<PinResult> refuse_if_blocked(const PinLock &lock)
{
    switch (lock.state()) {
    case QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED:
        return counters(lock, QMI_PROTOCOL_ERROR_PIN_ALWAYS_BLOCKED, kSwPinBlocked);
    case QMI_UIM_PIN_STATE_BLOCKED:
        return counters(lock, QMI_PROTOCOL_ERROR_PIN_BLOCKED, kSwPinBlocked);
    default:
        return std::nullopt;
    }
}

// Checks `code` against the PIN: a miss costs a try (and at the last one
// blocks the PIN), a hit refills them.
PinResult check_pin(PinLock &lock, std::string_view code)
{
    if (code != lock.pin.code) {
        if (lock.pin.retries > 0)
            lock.pin.retries--;
        return counters(lock, QMI_PROTOCOL_ERROR_INCORRECT_PIN, wrong_code_sw(lock.pin.retries));
    }
    lock.reset_counters();
    lock.verified = true;
    return counters(lock, QMI_PROTOCOL_ERROR_NONE, kSwOk);
}

FileResult file_error(QmiProtocolError error, StatusWord sw, const CardFile *file = nullptr)
{
    return {error, sw, {}, file};
}

} // namespace

QmiUimPinState PinLock::state() const
{
    if (puk.retries == 0)
        return QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED;
    if (pin.retries == 0)
        return QMI_UIM_PIN_STATE_BLOCKED;
    if (!enabled)
        return QMI_UIM_PIN_STATE_DISABLED;
    return verified ? QMI_UIM_PIN_STATE_ENABLED_VERIFIED : QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED;
}

void PinLock::reset_counters()
{
    pin.retries = pin.max_retries;
    puk.retries = puk.max_retries;
}

Card::Card() : files_(profile_)
{
    pin1_ = {{"1234", 3, 3}, {"12345678", 10, 10}, false, false};
    // PIN2 guards FDN and is always enabled on real cards.
    pin2_ = {{"5678", 3, 3}, {"87654321", 10, 10}, true, false};
}

bool Card::valid_pin(std::string_view code)
{
    return all_digits(code, 4, 8);
}

void Card::insert()
{
    present_ = true;
}

void Card::remove()
{
    present_ = false;
    initializing_ = false;
    pin1_.verified = pin2_.verified = false;
}

void Card::power_up(bool slow)
{
    pin1_.verified = pin2_.verified = false;
    initializing_ = present_ && slow;
}

QmiUimCardApplicationState Card::app_state() const
{
    if (!present_)
        return QMI_UIM_CARD_APPLICATION_STATE_UNKNOWN;
    if (initializing_)
        return QMI_UIM_CARD_APPLICATION_STATE_DETECTED;
    switch (pin1_.state()) {
    case QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED:
        return QMI_UIM_CARD_APPLICATION_STATE_PIN1_BLOCKED;
    case QMI_UIM_PIN_STATE_BLOCKED:
        return QMI_UIM_CARD_APPLICATION_STATE_PUK1_OR_UPIN_PUK_REQUIRED;
    case QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED:
        return QMI_UIM_CARD_APPLICATION_STATE_PIN1_OR_UPIN_PIN_REQUIRED;
    default:
        return QMI_UIM_CARD_APPLICATION_STATE_READY;
    }
}

CardStatus Card::status() const
{
    if (!present_)
        return {};
    auto view = [](const PinLock &lock) {
        return PinView{lock.state(), lock.pin.retries, lock.puk.retries};
    };
    return {QMI_UIM_CARD_STATE_PRESENT, app_state(), view(pin1_), view(pin2_)};
}

PinResult Card::verify(PinId id, std::string_view code)
{
    PinLock &l = lock(id);
    if (const auto refused = refuse_if_blocked(l))
        return *refused;
    return check_pin(l, code);
}

PinResult Card::unblock(PinId id, std::string_view puk, std::string_view new_pin)
{
    PinLock &l = lock(id);
    if (!valid_pin(new_pin))
        return counters(l, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwWrongLength);
    if (l.state() == QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED)
        return counters(l, QMI_PROTOCOL_ERROR_PIN_ALWAYS_BLOCKED, kSwPinBlocked);
    if (puk != l.puk.code) {
        l.puk.retries--;
        return counters(l, QMI_PROTOCOL_ERROR_INCORRECT_PIN, wrong_code_sw(l.puk.retries));
    }
    l.pin.code = std::string{new_pin};
    l.reset_counters();
    l.verified = true;
    return counters(l, QMI_PROTOCOL_ERROR_NONE, kSwOk);
}

PinResult Card::change(PinId id, std::string_view old_pin, std::string_view new_pin)
{
    PinLock &l = lock(id);
    if (!valid_pin(new_pin))
        return counters(l, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwWrongLength);
    if (const auto refused = refuse_if_blocked(l))
        return *refused;
    // TS 102.221: a disabled PIN cannot be changed.
    if (!l.enabled)
        return counters(l, QMI_PROTOCOL_ERROR_INCOMPATIBLE_STATE, kSwConditionsNotSatisfied);
    PinResult result = check_pin(l, old_pin);
    if (result.error == QMI_PROTOCOL_ERROR_NONE)
        l.pin.code = std::string{new_pin};
    return result;
}

PinResult Card::set_protection(PinId id, bool enable, std::string_view code)
{
    PinLock &l = lock(id);
    if (const auto refused = refuse_if_blocked(l))
        return *refused;
    PinResult result = check_pin(l, code);
    if (result.error == QMI_PROTOCOL_ERROR_NONE)
        l.enabled = enable;
    return result;
}

bool Card::satisfied(Access access) const
{
    switch (access) {
    case Access::Always:
        return true;
    case Access::Pin1:
        return app_state() == QMI_UIM_CARD_APPLICATION_STATE_READY;
    case Access::Pin2: {
        const auto state = pin2_.state();
        return state == QMI_UIM_PIN_STATE_ENABLED_VERIFIED || state == QMI_UIM_PIN_STATE_DISABLED;
    }
    case Access::Adm:
    case Access::Never:
        return false;
    }
    return false;
}

FileResult Card::select(const FilePath &where) const
{
    const CardFile *file = files_.find(where);
    if (!file)
        return file_error(QMI_PROTOCOL_ERROR_SIM_FILE_NOT_FOUND, kSwFileNotFound);
    return {QMI_PROTOCOL_ERROR_NONE, kSwOk, {}, file};
}

FileResult Card::find_ef(const FilePath &where) const
{
    FileResult result = select(where);
    if (result.file && !result.file->is_ef())
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwIncompatibleStructure,
                          result.file);
    return result;
}

FileResult Card::read_transparent(const FilePath &where, std::uint16_t offset,
                                  std::uint16_t length) const
{
    FileResult result = find_ef(where);
    const CardFile *file = result.file;
    if (result.error != QMI_PROTOCOL_ERROR_NONE)
        return result;
    if (file->kind != FileKind::Transparent)
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwIncompatibleStructure, file);
    if (!satisfied(file->read))
        return file_error(QMI_PROTOCOL_ERROR_ACCESS_DENIED, kSwSecurityNotSatisfied, file);
    if (offset > file->data.size())
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwWrongOffset, file);
    const std::size_t available = file->data.size() - offset;
    const std::size_t n = length ? length : available;
    if (n > available)
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwWrongLength, file);
    result.data.assign(file->data.begin() + offset, file->data.begin() + offset + n);
    return result;
}

FileResult Card::read_record(const FilePath &where, std::uint16_t record,
                             std::uint16_t length) const
{
    FileResult result = find_ef(where);
    const CardFile *file = result.file;
    if (result.error != QMI_PROTOCOL_ERROR_NONE)
        return result;
    if (file->kind == FileKind::Transparent)
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwIncompatibleStructure, file);
    if (!satisfied(file->read))
        return file_error(QMI_PROTOCOL_ERROR_ACCESS_DENIED, kSwSecurityNotSatisfied, file);
    if (record == 0 || record > file->records.size())
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwRecordNotFound, file);
    if (length > file->record_size)
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwWrongLength, file);
    const Bytes &content = file->records[record - 1];
    result.data.assign(content.begin(), content.begin() + (length ? length : content.size()));
    return result;
}

FileResult Card::write_transparent(const FilePath &where, std::uint16_t offset, const Bytes &data)
{
    FileResult result = find_ef(where);
    if (result.error != QMI_PROTOCOL_ERROR_NONE)
        return result;
    CardFile *file = files_.find(where);
    if (file->kind != FileKind::Transparent)
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwIncompatibleStructure, file);
    if (!satisfied(file->update))
        return file_error(QMI_PROTOCOL_ERROR_ACCESS_DENIED, kSwSecurityNotSatisfied, file);
    if (offset > file->data.size())
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwWrongOffset, file);
    if (data.empty() || data.size() > file->data.size() - offset)
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwWrongLength, file);
    std::copy(data.begin(), data.end(), file->data.begin() + offset);
    return result;
}

FileResult Card::write_record(const FilePath &where, std::uint16_t record, const Bytes &data)
{
    FileResult result = find_ef(where);
    if (result.error != QMI_PROTOCOL_ERROR_NONE)
        return result;
    CardFile *file = files_.find(where);
    if (file->kind == FileKind::Transparent)
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwIncompatibleStructure, file);
    if (!satisfied(file->update))
        return file_error(QMI_PROTOCOL_ERROR_ACCESS_DENIED, kSwSecurityNotSatisfied, file);
    // Cyclic files are written with record 0 ("previous"); linear ones by number.
    if (file->kind == FileKind::Cyclic && record == 0) {
        if (data.size() != file->record_size)
            return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwWrongLength, file);
        file->records.insert(file->records.begin(), data);
        file->records.pop_back();
        return result;
    }
    if (record == 0 || record > file->records.size())
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwRecordNotFound, file);
    // UPDATE RECORD replaces a whole record.
    if (data.size() != file->record_size)
        return file_error(QMI_PROTOCOL_ERROR_INVALID_ARGUMENT, kSwWrongLength, file);
    file->records[record - 1] = data;
    return result;
}

bool Card::set_iccid(const std::string &iccid)
{
    // "...1F" as printed on some cards: the F is the padding nibble.
    std::string digits = iccid;
    if (!digits.empty() && (digits.back() == 'F' || digits.back() == 'f'))
        digits.pop_back();
    if (!all_digits(digits, 1, 20) || !files_.set_iccid(digits))
        return false;
    profile_.iccid = digits;
    return true;
}

bool Card::set_imsi(const std::string &imsi)
{
    if (!all_digits(imsi, 6, 15) || !files_.set_imsi(imsi))
        return false;
    profile_.imsi = imsi;
    return true;
}

bool Card::set_mnc_length(unsigned length)
{
    if (!files_.set_mnc_length(length))
        return false;
    profile_.mnc_length = length;
    return true;
}

bool Card::set_spn(const std::string &spn)
{
    if (!files_.set_spn(spn, profile_.spn_display))
        return false;
    profile_.spn = spn;
    return true;
}

bool Card::set_msisdn(const std::string &number)
{
    if (!files_.set_msisdn(profile_.msisdn_alpha, number))
        return false;
    profile_.msisdn = number;
    return true;
}

} // namespace qmisim
