// Suspend and resume as the atoms see them. The modem driver follows logind
// (core/sleep_watch.hpp) and passes both moments through here:
//  - before sleep, each atom may quiet the modem (indications that only
//    cost wake-ups) and says when its requests are done; the host sleeps
//    after that (or after logind's delay, whichever is first);
//  - after resume, each atom re-reads what it may have missed while the
//    host slept (stored SMS, calls, registration).
// Indications that must wake the phone (new SMS, incoming call) are never
// turned off.
#pragma once

#include "lifetime.hpp"
#include "move_function.hpp"

#include <vector>

namespace qmi
{

class PowerEvents
{
  public:
    using Done = MoveFunction<void()>;
    struct Hooks {
        MoveFunction<void(Done)> before_sleep; // may be empty
        MoveFunction<void()> after_resume;     // may be empty
    };

    // Hooks of an atom; dropped once `owner` has ended.
    void watch(const Lifetime &owner, Hooks hooks);
    // Runs every live before_sleep hook; done() once all have finished.
    void before_sleep(Done done);
    void after_resume();

  private:
    struct Entry {
        Token owner;
        Hooks hooks;
    };
    void prune();

    std::vector<Entry> entries_;
};

} // namespace qmi
