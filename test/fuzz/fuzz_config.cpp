// plugins/config.hpp: qmi.conf as any text. What comes out is a modem oFono
// can use (a D-Bus-safe name, an absolute device path or qrtr://N, a valid
// interface name, an absolute AT port), every problem names qmi.conf, and the
// modems written back as a key file parse to the same modems, silently.
//
// Input: the file's text.
#include "harness.hpp"

#include "at/quectel.hpp"
#include "config.hpp"
#include "translate/device_path.hpp"

#include <algorithm>
#include <set>

using namespace fuzz;

namespace
{

void check_modem(const qmi::ModemConfig &m)
{
    FUZZ_CHECK(!m.name.empty() && std::all_of(m.name.begin(), m.name.end(), [](char c) {
        return g_ascii_isalnum(c) || c == '_';
    }));
    std::uint32_t node = 0;
    FUZZ_CHECK(qmi::parse_qrtr_node(m.device, node) || (m.device.size() > 1 && m.device[0] == '/'));
    FUZZ_CHECK(m.network_interface.size() <= 15);
    FUZZ_CHECK(std::none_of(m.network_interface.begin(), m.network_interface.end(),
                            [](char c) { return c == '/' || c == ':' || g_ascii_isspace(c); }));
    FUZZ_CHECK(m.at_port.empty() || m.at_port[0] == '/');
    FUZZ_CHECK(m.quectel_dai.empty() || (qmi::is_qdai_value(m.quectel_dai) && !m.at_port.empty()));
}

std::string write_back(const std::vector<qmi::ModemConfig> &modems)
{
    GKeyFile *kf = g_key_file_new();
    for (const auto &m : modems) {
        g_key_file_set_string(kf, m.name.c_str(), "Device", m.device.c_str());
        if (!m.network_interface.empty())
            g_key_file_set_string(kf, m.name.c_str(), "NetworkInterface",
                                  m.network_interface.c_str());
        g_key_file_set_boolean(kf, m.name.c_str(), "Proxy", m.proxy);
        if (!m.at_port.empty())
            g_key_file_set_string(kf, m.name.c_str(), "AtPort", m.at_port.c_str());
        if (!m.quectel_dai.empty())
            g_key_file_set_string(kf, m.name.c_str(), "QuectelDai", m.quectel_dai.c_str());
    }
    gsize length = 0;
    gchar *text = g_key_file_to_data(kf, &length, nullptr);
    std::string out(text, length);
    g_free(text);
    g_key_file_unref(kf);
    return out;
}

bool same(const qmi::ModemConfig &a, const qmi::ModemConfig &b)
{
    return a.name == b.name && a.device == b.device && a.network_interface == b.network_interface &&
           a.at_port == b.at_port && a.quectel_dai == b.quectel_dai && a.proxy == b.proxy;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const qmi::ConfigResult r =
        qmi::parse_config(std::string(reinterpret_cast<const char *>(data), size));
    std::set<std::string> names;
    for (const auto &m : r.modems) {
        check_modem(m);
        FUZZ_CHECK(names.insert(m.name).second);
    }
    for (const auto &p : r.problems)
        FUZZ_CHECK(p.rfind("qmi.conf", 0) == 0);
    const qmi::ConfigResult again = qmi::parse_config(write_back(r.modems));
    FUZZ_CHECK(again.problems.empty());
    FUZZ_CHECK(std::equal(r.modems.begin(), r.modems.end(), again.modems.begin(),
                          again.modems.end(), same));
    return 0;
}
