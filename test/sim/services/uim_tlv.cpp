#include "uim_tlv.hpp"

#include "../tlv.hpp"

namespace qmisim::uim
{

namespace
{

// Index of the GW primary application: slot in the high byte, application
// in the low byte; 0xFFFF is "none".
constexpr std::uint16_t kNoApplication = 0xFFFF;
constexpr std::uint16_t kFirstApplication = 0x0000;

struct Security {
    QmiUimSecurityAttributeLogic logic;
    std::uint16_t attributes;
};

Security security(Access access)
{
    switch (access) {
    case Access::Always:
        return {QMI_UIM_SECURITY_ATTRIBUTE_LOGIC_ALWAYS, 0};
    case Access::Pin1:
        return {QMI_UIM_SECURITY_ATTRIBUTE_LOGIC_SINGLE, QMI_UIM_SECURITY_ATTRIBUTE_PIN1};
    case Access::Pin2:
        return {QMI_UIM_SECURITY_ATTRIBUTE_LOGIC_SINGLE, QMI_UIM_SECURITY_ATTRIBUTE_PIN2};
    case Access::Adm:
        return {QMI_UIM_SECURITY_ATTRIBUTE_LOGIC_SINGLE, QMI_UIM_SECURITY_ATTRIBUTE_ADM};
    case Access::Never:
        break;
    }
    return {QMI_UIM_SECURITY_ATTRIBUTE_LOGIC_NEVER, 0};
}

QmiUimFileType file_type(FileKind kind)
{
    switch (kind) {
    case FileKind::Transparent:
        return QMI_UIM_FILE_TYPE_TRANSPARENT;
    case FileKind::LinearFixed:
        return QMI_UIM_FILE_TYPE_LINEAR_FIXED;
    case FileKind::Cyclic:
        return QMI_UIM_FILE_TYPE_CYCLIC;
    case FileKind::Dedicated:
        return QMI_UIM_FILE_TYPE_DEDICATED_FILE;
    case FileKind::Master:
        break;
    }
    return QMI_UIM_FILE_TYPE_MASTER_FILE;
}

QmiUimCardApplicationPersonalizationState personalization(QmiUimCardApplicationState app)
{
    // Personalisation is checked once PIN1 is out of the way.
    return app == QMI_UIM_CARD_APPLICATION_STATE_READY
               ? QMI_UIM_CARD_APPLICATION_PERSONALIZATION_STATE_READY
               : QMI_UIM_CARD_APPLICATION_PERSONALIZATION_STATE_UNKNOWN;
}

} // namespace

std::optional<Session> read_session(QmiMessage *request)
{
    TlvReader reader{request, kTlvSession};
    const auto type = reader.u8();
    const auto length = reader.u8();
    if (!type || !length)
        return std::nullopt;
    const auto aid = reader.bytes(*length);
    if (!aid)
        return std::nullopt;
    return Session{static_cast<QmiUimSessionType>(*type), *aid};
}

std::optional<FilePath> read_file(QmiMessage *request)
{
    TlvReader reader{request, kTlvFile};
    const auto id = reader.u16();
    const auto length = reader.u8();
    if (!id || !length || *length % 2)
        return std::nullopt;
    FilePath where{{}, *id};
    for (unsigned i = 0; i < *length / 2; i++) {
        const auto df = reader.u16();
        if (!df)
            return std::nullopt;
        where.path.push_back(*df);
    }
    return where;
}

std::optional<AccessInfo> read_access_info(QmiMessage *request, bool with_data)
{
    TlvReader reader{request, kTlvReadInfo};
    const auto first = reader.u16();
    const auto second = reader.u16();
    if (!first || !second)
        return std::nullopt;
    AccessInfo info{*first, *second, {}};
    if (with_data) {
        // Write: {u16 offset or record, u16 data length, data}.
        const auto data = reader.bytes(*second);
        if (!data)
            return std::nullopt;
        info.data = *data;
    }
    return info;
}

void write_card_result(QmiMessage *message, std::uint8_t type, StatusWord sw)
{
    TlvWriter{message, type}.u8(sw.sw1).u8(sw.sw2).done();
}

void write_bytes16(QmiMessage *message, std::uint8_t type, const Bytes &bytes)
{
    TlvWriter{message, type}.u16(static_cast<std::uint16_t>(bytes.size())).bytes(bytes).done();
}

void write_retries(QmiMessage *message, std::uint8_t verify_left, std::uint8_t unblock_left)
{
    TlvWriter{message, kTlvRetries}.u8(verify_left).u8(unblock_left).done();
}

void write_card_status(QmiMessage *message, const CardStatus &status)
{
    const bool present = status.card_state == QMI_UIM_CARD_STATE_PRESENT;
    TlvWriter tlv{message, kTlvCardStatus};
    tlv.u16(present ? kFirstApplication : kNoApplication) // GW primary
        .u16(kNoApplication)                              // 1x primary
        .u16(kNoApplication)                              // GW secondary
        .u16(kNoApplication)                              // 1x secondary
        .u8(1)                                            // one slot
        .u8(static_cast<std::uint8_t>(status.card_state))
        .u8(QMI_UIM_PIN_STATE_NOT_INITIALIZED) // UPIN: not used
        .u8(0)
        .u8(0)
        .u8(QMI_UIM_CARD_ERROR_UNKNOWN)
        .u8(present ? 1 : 0);
    if (present) {
        tlv.u8(QMI_UIM_CARD_APPLICATION_TYPE_USIM)
            .u8(static_cast<std::uint8_t>(status.app_state))
            .u8(personalization(status.app_state))
            .u8(QMI_UIM_CARD_APPLICATION_PERSONALIZATION_FEATURE_UNKNOWN)
            .u8(0) // personalization retries
            .u8(0) // personalization unblock retries
            .u8(static_cast<std::uint8_t>(kUsimAid.size()))
            .bytes(kUsimAid)
            .u8(0) // UPIN replaces PIN1: no
            .u8(static_cast<std::uint8_t>(status.pin1.state))
            .u8(status.pin1.retries)
            .u8(status.pin1.unblock_retries)
            .u8(static_cast<std::uint8_t>(status.pin2.state))
            .u8(status.pin2.retries)
            .u8(status.pin2.unblock_retries);
    }
    tlv.done();
}

void write_file_attributes(QmiMessage *message, const CardFile &file, const Bytes &fcp)
{
    const Security read = security(file.read);
    const Security write = security(file.update);
    const Security increase = security(Access::Never);
    const Security admin = security(Access::Adm); // deactivate, activate
    TlvWriter tlv{message, kTlvReadResult};
    tlv.u16(static_cast<std::uint16_t>(file.size()))
        .u16(file.id)
        .u8(file_type(file.kind))
        .u16(static_cast<std::uint16_t>(file.record_size))
        .u16(static_cast<std::uint16_t>(file.records.size()));
    for (const Security &s : {read, write, increase, admin, admin})
        tlv.u8(s.logic).u16(s.attributes);
    tlv.u16(static_cast<std::uint16_t>(fcp.size())).bytes(fcp).done();
}

} // namespace qmisim::uim
