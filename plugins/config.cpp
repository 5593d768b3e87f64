#include "config.hpp"

#include "at/quectel.hpp"
#include "translate/device_path.hpp"
#include "core/gobject_ptr.hpp"

#include <glib.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace qmi {
namespace {

constexpr std::array<std::string_view, 6> kKnownKeys{"Device", "NetworkInterface", "Proxy",
                                                     "AtPort", "QuectelDai",       "Multiplex"};
constexpr std::size_t kMaxInterfaceName = 15; // IFNAMSIZ - 1

bool is_valid_modem_name(std::string_view name)
{
    // oFono makes the name a D-Bus object path element.
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return g_ascii_isalnum(c) || c == '_';
    });
}

bool is_valid_device(const std::string &device)
{
    std::uint32_t node = 0;
    return parse_qrtr_node(device, node) || (device.size() > 1 && device[0] == '/');
}

bool is_valid_interface_name(std::string_view name)
{
    return !name.empty() && name.size() <= kMaxInterfaceName &&
           std::none_of(name.begin(), name.end(),
                        [](char c) { return c == '/' || g_ascii_isspace(c) || c == ':'; });
}

std::string read_string(GKeyFile *kf, const char *group, const char *key)
{
    CharPtr value(g_key_file_get_string(kf, group, key, nullptr));
    return value ? std::string(value.get()) : std::string();
}

void parse_group(GKeyFile *kf, const char *group, ConfigResult &out)
{
    const std::string where = std::string("qmi.conf [") + group + "]: ";
    if (!is_valid_modem_name(group)) {
        out.problems.push_back(where + "group name must be letters, digits or '_' "
                                       "(it becomes the D-Bus path); modem skipped");
        return;
    }

    gsize nkeys = 0;
    std::unique_ptr<gchar *, CFree<g_strfreev>> keys(g_key_file_get_keys(kf, group, &nkeys, nullptr));
    for (gsize i = 0; i < nkeys; i++) {
        std::string_view key = keys.get()[i];
        if (std::find(kKnownKeys.begin(), kKnownKeys.end(), key) == kKnownKeys.end())
            out.problems.push_back(where + "unknown key '" + std::string(key) + "' ignored");
    }

    ModemConfig modem;
    modem.name = group;
    modem.device = read_string(kf, group, "Device");
    if (modem.device.empty()) {
        out.problems.push_back(where + "Device= is missing; modem skipped");
        return;
    }
    if (!is_valid_device(modem.device)) {
        out.problems.push_back(where + "Device=" + modem.device +
                               " is neither an absolute path nor qrtr://N; modem skipped");
        return;
    }

    if (g_key_file_has_key(kf, group, "NetworkInterface", nullptr)) {
        auto ifname = read_string(kf, group, "NetworkInterface");
        if (is_valid_interface_name(ifname))
            modem.network_interface = ifname;
        else
            out.problems.push_back(where + "NetworkInterface=" + ifname +
                                   " is not a valid interface name; ignored");
    }

    if (g_key_file_has_key(kf, group, "Proxy", nullptr)) {
        GError *error = nullptr;
        gboolean proxy = g_key_file_get_boolean(kf, group, "Proxy", &error);
        if (error) {
            out.problems.push_back(where + "Proxy=" + read_string(kf, group, "Proxy") +
                                   " is not true or false; using false");
            g_error_free(error);
        } else {
            modem.proxy = proxy;
        }
    }

    if (g_key_file_has_key(kf, group, "AtPort", nullptr)) {
        auto at = read_string(kf, group, "AtPort");
        if (!at.empty() && at[0] == '/')
            modem.at_port = at;
        else
            out.problems.push_back(where + "AtPort=" + at + " is not an absolute path; ignored");
    }

    if (g_key_file_has_key(kf, group, "QuectelDai", nullptr)) {
        auto dai = read_string(kf, group, "QuectelDai");
        if (!is_qdai_value(dai))
            out.problems.push_back(where + "QuectelDai=" + dai +
                                   " is not a list of AT+QDAI numbers (e.g. " +
                                   std::string(kPinePhoneQdai) + "); ignored");
        else if (modem.at_port.empty())
            out.problems.push_back(where + "QuectelDai= needs AtPort=; ignored");
        else
            modem.quectel_dai = dai;
    }

    if (g_key_file_has_key(kf, group, "Multiplex", nullptr)) {
        auto value = read_string(kf, group, "Multiplex");
        if (auto multiplex = parse_multiplex(value))
            modem.multiplex = *multiplex;
        else
            out.problems.push_back(where + "Multiplex=" + value +
                                   " is not auto, on or off; using auto");
    }

    out.modems.push_back(std::move(modem));
}

ConfigResult parse_key_file(GKeyFile *kf)
{
    ConfigResult out;
    gsize ngroups = 0;
    std::unique_ptr<gchar *, CFree<g_strfreev>> groups(g_key_file_get_groups(kf, &ngroups));
    for (gsize i = 0; i < ngroups; i++)
        parse_group(kf, groups.get()[i], out);
    return out;
}

} // namespace

ConfigResult parse_config(const std::string &text)
{
    KeyFilePtr kf(g_key_file_new());
    GError *error = nullptr;
    if (!g_key_file_load_from_data(kf.get(), text.data(), text.size(), G_KEY_FILE_NONE, &error)) {
        ConfigResult out;
        out.problems.push_back(std::string("qmi.conf: not a valid key file: ") + error->message);
        g_error_free(error);
        return out;
    }
    return parse_key_file(kf.get());
}

ConfigResult load_config_file(const std::string &path)
{
    gchar *contents = nullptr;
    gsize length = 0;
    GError *error = nullptr;
    if (!g_file_get_contents(path.c_str(), &contents, &length, &error)) {
        ConfigResult out;
        // No file simply means no static modems.
        if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            out.problems.push_back(path + ": " + error->message);
        g_error_free(error);
        return out;
    }
    CharPtr owned(contents);
    return parse_config(std::string(contents, length));
}

std::string config_path(const char *env_value, const std::string &sysconfdir)
{
    if (env_value && *env_value)
        return env_value;
    return sysconfdir + "/ofono/qmi.conf";
}

} // namespace qmi
