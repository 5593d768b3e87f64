// A main-loop source for state that changes without telling anyone.
#pragma once

#include <functional>

namespace qmisim
{

// Runs `fire` from the default main context whenever `ready` holds, checked
// before every poll. It follows changes other services make from their own
// timers (the NAS registration, client releases) without a timer of its own.
class StateWatch
{
  public:
    StateWatch(std::function<bool()> ready, std::function<void()> fire);
    ~StateWatch();
    StateWatch(const StateWatch &) = delete;
    StateWatch &operator=(const StateWatch &) = delete;

  private:
    struct Source;
    Source *source_;
    std::function<bool()> ready_;
    std::function<void()> fire_;
};

} // namespace qmisim
