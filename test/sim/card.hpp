// The SIM card: presence, the USIM application, PIN1/PUK1 and PIN2/PUK2 with
// their retry counters, and file access under those PINs. Pure logic; the
// UIM and DMS services translate its results into QMI messages.
#pragma once

#include "card_files.hpp"

#include <libqmi-glib.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace qmisim
{

enum class PinId { Pin1 = 1, Pin2 = 2 };

struct Secret {
    std::string code;
    std::uint8_t retries = 0;
    std::uint8_t max_retries = 0;
};

// One PIN with its PUK. The state follows from the counters and flags.
struct PinLock {
    Secret pin;
    Secret puk;
    bool enabled = false;
    bool verified = false; // since the card was powered up

    QmiUimPinState state() const;
    // Correct PIN (or PUK): counters back to their maximum.
    void reset_counters();
};

// Card status word of a command (SW1 SW2).
struct StatusWord {
    std::uint8_t sw1 = 0x90;
    std::uint8_t sw2 = 0x00;
    bool operator==(const StatusWord &) const = default;
};

inline constexpr StatusWord kSwOk{0x90, 0x00};
inline constexpr StatusWord kSwFileNotFound{0x6A, 0x82};
inline constexpr StatusWord kSwSecurityNotSatisfied{0x69, 0x82};
inline constexpr StatusWord kSwPinBlocked{0x69, 0x83};
inline constexpr StatusWord kSwConditionsNotSatisfied{0x69, 0x85};
inline constexpr StatusWord kSwIncompatibleStructure{0x69, 0x81};
inline constexpr StatusWord kSwRecordNotFound{0x6A, 0x83};
inline constexpr StatusWord kSwWrongLength{0x67, 0x00};
inline constexpr StatusWord kSwWrongOffset{0x6B, 0x00};

// Outcome of a PIN command: the QMI error, the counters of the PIN it acted
// on afterwards, and the card's status word.
struct PinResult {
    QmiProtocolError error = QMI_PROTOCOL_ERROR_NONE;
    std::uint8_t retries = 0;
    std::uint8_t unblock_retries = 0;
    StatusWord sw = kSwOk;
};

// Outcome of a file command.
struct FileResult {
    QmiProtocolError error = QMI_PROTOCOL_ERROR_NONE;
    StatusWord sw = kSwOk;
    Bytes data;
    const CardFile *file = nullptr; // set when the file exists
};

struct PinView {
    QmiUimPinState state = QMI_UIM_PIN_STATE_NOT_INITIALIZED;
    std::uint8_t retries = 0;
    std::uint8_t unblock_retries = 0;
    bool operator==(const PinView &) const = default;
};

// What Get Card Status reports; compared to decide on indications.
struct CardStatus {
    QmiUimCardState card_state = QMI_UIM_CARD_STATE_ABSENT;
    QmiUimCardApplicationState app_state = QMI_UIM_CARD_APPLICATION_STATE_UNKNOWN;
    PinView pin1;
    PinView pin2;
    bool operator==(const CardStatus &) const = default;
};

class Card
{
  public:
    Card();

    // --- presence and power
    bool present() const { return present_; }
    // Still initialising after power-up: the application is only "detected".
    bool initializing() const { return initializing_; }
    // Present and initialised: files and PINs can be used.
    bool available() const { return present_ && !initializing_; }
    void insert();
    void remove();
    // Power-up (modem reset, insertion): PINs must be verified again. With
    // `slow`, the card first goes through the initialising phase.
    void power_up(bool slow);
    void finish_initialization() { initializing_ = false; }

    // --- state
    QmiUimCardApplicationState app_state() const;
    CardStatus status() const;
    PinLock &lock(PinId id) { return id == PinId::Pin1 ? pin1_ : pin2_; }
    const PinLock &lock(PinId id) const { return id == PinId::Pin1 ? pin1_ : pin2_; }

    // --- PIN commands (the card must be available)
    PinResult verify(PinId id, std::string_view code);
    PinResult unblock(PinId id, std::string_view puk, std::string_view new_pin);
    PinResult change(PinId id, std::string_view old_pin, std::string_view new_pin);
    PinResult set_protection(PinId id, bool enable, std::string_view code);

    // --- file commands (the card must be available). A length of 0 means
    // the whole file or record.
    FileResult read_transparent(const FilePath &where, std::uint16_t offset,
                                std::uint16_t length) const;
    FileResult read_record(const FilePath &where, std::uint16_t record, std::uint16_t length) const;
    FileResult write_transparent(const FilePath &where, std::uint16_t offset, const Bytes &data);
    FileResult write_record(const FilePath &where, std::uint16_t record, const Bytes &data);
    // Looks a file up for Get File Attributes (no access condition).
    FileResult select(const FilePath &where) const;

    // --- subscriber data (control socket); false if it cannot be encoded
    const CardProfile &profile() const { return profile_; }
    const CardFiles &files() const { return files_; }
    bool set_iccid(const std::string &iccid);
    bool set_imsi(const std::string &imsi);
    bool set_mnc_length(unsigned length);
    bool set_spn(const std::string &spn);
    bool set_msisdn(const std::string &number);

    // PINs are 4 to 8 digits.
    static bool valid_pin(std::string_view code);

  private:
    bool satisfied(Access access) const;
    FileResult find_ef(const FilePath &where) const;

    CardProfile profile_;
    CardFiles files_;
    PinLock pin1_;
    PinLock pin2_;
    bool present_ = true;
    bool initializing_ = false;
};

} // namespace qmisim
