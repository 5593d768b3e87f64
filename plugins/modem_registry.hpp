// The oFono modems this plugin created, each under a key saying where it
// came from: the configuration file (its group name), udev (the USB
// device's sysfs path) or the QRTR bus ("qrtr:N"). Discovery adds a modem
// when its device appears and removes it when the device goes; a device
// the configuration file already names is left to the configuration.
// Pure bookkeeping: creating and removing the oFono modem is done by the
// two functions given, so unit tests run it without ofonod.
#pragma once

#include "config.hpp"

#include <functional>
#include <string>
#include <vector>

struct ofono_modem;

namespace qmi
{

class ModemRegistry
{
  public:
    enum class Origin { Config, Udev, Qrtr };

    // create: makes and registers the oFono modem, nullptr if refused.
    // destroy: removes it.
    using Create = std::function<ofono_modem *(const ModemConfig &)>;
    using Destroy = std::function<void(ofono_modem *)>;

    ModemRegistry(Create create, Destroy destroy);
    ~ModemRegistry();
    ModemRegistry(const ModemRegistry &) = delete;
    ModemRegistry &operator=(const ModemRegistry &) = delete;

    // Adds a modem unless its key is known or, for a discovered modem,
    // another modem already uses its Device=. A name another modem has gets a suffix (_2, _3, ...).
    // Returns the name used, or "" when nothing was added (logged reason
    // in *why when given).
    std::string add(Origin origin, const std::string &key, ModemConfig cfg,
                    std::string *why = nullptr);
    // Removes the modem added under key; false if there is none.
    bool remove(const std::string &key);
    // Removes every modem from one origin (a discovery source stopping).
    void remove_all(Origin origin);
    void remove_all();

    bool has_key(const std::string &key) const;
    bool has_device(const std::string &device) const;
    std::size_t size() const { return entries_.size(); }

  private:
    struct Entry {
        Origin origin;
        std::string key;
        std::string name;
        std::string device;
        ofono_modem *modem;
    };
    bool has_name(const std::string &name) const;

    Create create_;
    Destroy destroy_;
    std::vector<Entry> entries_;
};

} // namespace qmi
