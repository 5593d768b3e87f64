#include "power_events.hpp"

#include "join.hpp"

#include <algorithm>

namespace qmi
{

void PowerEvents::watch(const Lifetime &owner, Hooks hooks)
{
    prune();
    entries_.push_back({owner.token(), std::move(hooks)});
}

void PowerEvents::prune()
{
    std::erase_if(entries_, [](const Entry &e) { return e.owner.expired(); });
}

void PowerEvents::before_sleep(Done done)
{
    prune();
    int count = 0;
    for (const auto &e : entries_)
        count += static_cast<bool>(e.hooks.before_sleep);
    Join all(count, std::move(done));
    // A hook may end its atom (and so this list): walk a snapshot of owners.
    for (std::size_t i = 0; i < entries_.size(); i++) {
        Entry &e = entries_[i];
        if (e.hooks.before_sleep && !e.owner.expired())
            e.hooks.before_sleep([all] { all(); });
        else if (e.hooks.before_sleep)
            all();
    }
}

void PowerEvents::after_resume()
{
    prune();
    for (std::size_t i = 0; i < entries_.size(); i++)
        if (entries_[i].hooks.after_resume && !entries_[i].owner.expired())
            entries_[i].hooks.after_resume();
}

} // namespace qmi
