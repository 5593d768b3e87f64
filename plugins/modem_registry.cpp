#include "modem_registry.hpp"

#include <algorithm>
#include <utility>

namespace qmi
{

ModemRegistry::ModemRegistry(Create create, Destroy destroy)
    : create_(std::move(create)), destroy_(std::move(destroy))
{
}

ModemRegistry::~ModemRegistry()
{
    remove_all();
}

bool ModemRegistry::has_key(const std::string &key) const
{
    return std::any_of(entries_.begin(), entries_.end(),
                       [&](const Entry &e) { return e.key == key; });
}

bool ModemRegistry::has_device(const std::string &device) const
{
    return std::any_of(entries_.begin(), entries_.end(),
                       [&](const Entry &e) { return e.device == device; });
}

bool ModemRegistry::has_name(const std::string &name) const
{
    return std::any_of(entries_.begin(), entries_.end(),
                       [&](const Entry &e) { return e.name == name; });
}

std::string ModemRegistry::add(Origin origin, const std::string &key, ModemConfig cfg,
                               std::string *why)
{
    auto refuse = [&](std::string reason) {
        if (why)
            *why = std::move(reason);
        return std::string();
    };
    if (has_key(key))
        return refuse("already known");
    // The configuration is the user's word, even for two modems on one
    // port (the second one logs who else has it); discovery defers to it.
    if (origin != Origin::Config && has_device(cfg.device))
        return refuse(cfg.device + " is already used by another modem");
    // A discovered modem whose name is taken (two identical USB modems, or
    // a configured modem of that name) gets the first free suffix.
    const std::string base = cfg.name;
    for (int n = 2; has_name(cfg.name); n++)
        cfg.name = base + "_" + std::to_string(n);
    ofono_modem *modem = create_(cfg);
    if (!modem)
        return refuse("oFono refused the modem");
    entries_.push_back(Entry{origin, key, cfg.name, cfg.device, modem});
    return cfg.name;
}

bool ModemRegistry::remove(const std::string &key)
{
    auto it = std::find_if(entries_.begin(), entries_.end(),
                           [&](const Entry &e) { return e.key == key; });
    if (it == entries_.end())
        return false;
    ofono_modem *modem = it->modem;
    entries_.erase(it);
    destroy_(modem);
    return true;
}

void ModemRegistry::remove_all(Origin origin)
{
    std::vector<ofono_modem *> gone;
    std::erase_if(entries_, [&](const Entry &e) {
        if (e.origin != origin)
            return false;
        gone.push_back(e.modem);
        return true;
    });
    for (ofono_modem *modem : gone)
        destroy_(modem);
}

void ModemRegistry::remove_all()
{
    auto entries = std::move(entries_);
    entries_.clear();
    for (const Entry &e : entries)
        destroy_(e.modem);
}

} // namespace qmi
