#include "names.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace qmisim
{

namespace
{

// Lowercase alphanumerics only, so spellings of the same name compare equal.
std::string normalized(std::string_view text)
{
    std::string out;
    for (const char c : text)
        if (std::isalnum(static_cast<unsigned char>(c)))
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::optional<int> find_enum_value(GType type, std::string_view name)
{
    const std::string wanted = normalized(name);
    auto *klass = static_cast<GEnumClass *>(g_type_class_ref(type));
    std::optional<int> found;
    for (guint i = 0; i < klass->n_values && !found; i++)
        if (normalized(klass->values[i].value_nick) == wanted)
            found = klass->values[i].value;
    g_type_class_unref(klass);
    return found;
}

constexpr std::array<std::pair<QmiDmsOperatingMode, std::string_view>, 8> kModes{{
    {QMI_DMS_OPERATING_MODE_ONLINE, "online"},
    {QMI_DMS_OPERATING_MODE_LOW_POWER, "low-power"},
    {QMI_DMS_OPERATING_MODE_FACTORY_TEST, "factory-test"},
    {QMI_DMS_OPERATING_MODE_OFFLINE, "offline"},
    {QMI_DMS_OPERATING_MODE_RESET, "reset"},
    {QMI_DMS_OPERATING_MODE_SHUTTING_DOWN, "shutting-down"},
    {QMI_DMS_OPERATING_MODE_PERSISTENT_LOW_POWER, "persistent-low-power"},
    {QMI_DMS_OPERATING_MODE_MODE_ONLY_LOW_POWER, "mode-only-low-power"},
}};

} // namespace

std::optional<std::uint32_t> parse_number(std::string_view text, std::uint32_t max)
{
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text.remove_prefix(2);
        base = 16;
    }
    std::uint32_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value > max)
        return std::nullopt;
    return value;
}

std::optional<QmiService> parse_service(std::string_view name)
{
    const auto value = find_enum_value(QMI_TYPE_SERVICE, name);
    if (!value || *value == QMI_SERVICE_UNKNOWN)
        return std::nullopt;
    return static_cast<QmiService>(*value);
}

std::string service_name(QmiService service)
{
    const char *name = qmi_service_get_string(service);
    return name ? name : "service-" + std::to_string(static_cast<int>(service));
}

std::optional<QmiProtocolError> parse_protocol_error(std::string_view text)
{
    if (const auto number = parse_number(text, 0xFFFF))
        return static_cast<QmiProtocolError>(*number);
    if (const auto value = find_enum_value(QMI_TYPE_PROTOCOL_ERROR, text))
        return static_cast<QmiProtocolError>(*value);
    return std::nullopt;
}

std::string protocol_error_name(QmiProtocolError error)
{
    const char *nick = qmi_protocol_error_get_string(error);
    if (!nick)
        return "error-" + std::to_string(static_cast<int>(error));
    // libqmi's nicks are CamelCase ("NotProvisioned").
    std::string out;
    for (const char *p = nick; *p; p++) {
        const auto c = static_cast<unsigned char>(*p);
        if (std::isupper(c) && !out.empty())
            out += '-';
        out += static_cast<char>(std::tolower(c));
    }
    return out;
}

std::optional<QmiDmsOperatingMode> parse_operating_mode(std::string_view name)
{
    for (const auto &[mode, text] : kModes)
        if (text == name)
            return mode;
    return std::nullopt;
}

std::string operating_mode_name(QmiDmsOperatingMode mode)
{
    for (const auto &[value, text] : kModes)
        if (value == mode)
            return std::string{text};
    return "unknown";
}

} // namespace qmisim
