// plugins/modem_registry: keys, duplicate devices, name suffixes, removal by
// key and by origin. oFono is replaced by two recording functions.
#include "modem_registry.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace
{

using qmi::ModemConfig;
using qmi::ModemRegistry;
using Origin = ModemRegistry::Origin;

struct FakeOfono {
    std::vector<std::string> created;
    std::vector<std::string> removed;
    std::vector<ModemConfig> live;
    bool refuse = false;
    // Each modem is represented by a distinct fake pointer: its index + 1.
    ModemRegistry make()
    {
        return ModemRegistry(
            [this](const ModemConfig &cfg) -> ofono_modem * {
                if (refuse)
                    return nullptr;
                created.push_back(cfg.name);
                live.push_back(cfg);
                return reinterpret_cast<ofono_modem *>(live.size());
            },
            [this](ofono_modem *m) {
                removed.push_back(live.at(reinterpret_cast<std::size_t>(m) - 1).name);
            });
    }
};

ModemConfig modem(std::string name, std::string device)
{
    ModemConfig cfg;
    cfg.name = std::move(name);
    cfg.device = std::move(device);
    return cfg;
}

} // namespace

TEST_CASE("registry: a modem per key, removed by key", "[registry]")
{
    FakeOfono ofono;
    auto reg = ofono.make();
    CHECK(reg.add(Origin::Udev, "/sys/usb1", modem("qmi_eg25", "/dev/cdc-wdm0")) == "qmi_eg25");
    CHECK(reg.has_key("/sys/usb1"));
    CHECK(reg.has_device("/dev/cdc-wdm0"));
    std::string why;
    CHECK(reg.add(Origin::Udev, "/sys/usb1", modem("qmi_eg25", "/dev/cdc-wdm0"), &why).empty());
    CHECK(why == "already known");
    CHECK(ofono.created.size() == 1);
    CHECK(reg.remove("/sys/usb1"));
    CHECK_FALSE(reg.remove("/sys/usb1"));
    CHECK(ofono.removed == std::vector<std::string>{"qmi_eg25"});
    CHECK(reg.size() == 0);
}

TEST_CASE("registry: a device the configuration names is not discovered again", "[registry]")
{
    FakeOfono ofono;
    auto reg = ofono.make();
    CHECK(reg.add(Origin::Config, "phone", modem("phone", "/dev/cdc-wdm0")) == "phone");
    std::string why;
    CHECK(reg.add(Origin::Udev, "/sys/usb1", modem("qmi_eg25", "/dev/cdc-wdm0"), &why).empty());
    CHECK(why == "/dev/cdc-wdm0 is already used by another modem");
    CHECK(ofono.created == std::vector<std::string>{"phone"});
    // Two configured modems on one port are the user's choice.
    CHECK(reg.add(Origin::Config, "second", modem("second", "/dev/cdc-wdm0")) == "second");
}

TEST_CASE("registry: a taken name gets the first free suffix", "[registry]")
{
    FakeOfono ofono;
    auto reg = ofono.make();
    CHECK(reg.add(Origin::Udev, "a", modem("qmi_eg25", "/dev/cdc-wdm0")) == "qmi_eg25");
    CHECK(reg.add(Origin::Udev, "b", modem("qmi_eg25", "/dev/cdc-wdm1")) == "qmi_eg25_2");
    CHECK(reg.add(Origin::Udev, "c", modem("qmi_eg25", "/dev/cdc-wdm2")) == "qmi_eg25_3");
    reg.remove("b");
    CHECK(reg.add(Origin::Udev, "d", modem("qmi_eg25", "/dev/cdc-wdm3")) == "qmi_eg25_2");
}

TEST_CASE("registry: refused by oFono, nothing is kept", "[registry]")
{
    FakeOfono ofono;
    auto reg = ofono.make();
    ofono.refuse = true;
    std::string why;
    CHECK(reg.add(Origin::Qrtr, "qrtr:0", modem("qrtr0", "qrtr://0"), &why).empty());
    CHECK(why == "oFono refused the modem");
    CHECK_FALSE(reg.has_key("qrtr:0"));
    ofono.refuse = false;
    CHECK(reg.add(Origin::Qrtr, "qrtr:0", modem("qrtr0", "qrtr://0")) == "qrtr0");
}

TEST_CASE("registry: removing one origin leaves the others; the end removes all", "[registry]")
{
    FakeOfono ofono;
    {
        auto reg = ofono.make();
        reg.add(Origin::Config, "phone", modem("phone", "/dev/ttyX"));
        reg.add(Origin::Udev, "/sys/usb1", modem("qmi_a", "/dev/cdc-wdm0"));
        reg.add(Origin::Qrtr, "qrtr:0", modem("qrtr0", "qrtr://0"));
        reg.remove_all(Origin::Udev);
        CHECK(ofono.removed == std::vector<std::string>{"qmi_a"});
        CHECK(reg.size() == 2);
    }
    CHECK(ofono.removed.size() == 3);
}
