// The control protocol's command table: parses a request line and runs it
// against the simulator. Socket handling lives in control.cpp.
#pragma once

#include "outcome.hpp"
#include "simulator.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace qmisim
{

class Commands
{
  public:
    Commands(Simulator &simulator, std::function<void()> quit);

    // One request line -> "OK", "OK <payload>" or "ERR <message>".
    std::string run(const std::string &line);

  private:
    // Tokens of a request line; rest(i) is the raw text from token i onwards,
    // for values that may contain spaces.
    struct Args {
        std::vector<std::string_view> tokens;
        std::string_view line;
        std::string rest(std::size_t index) const;
    };

    struct Command {
        std::string_view name;
        std::size_t min_args;
        std::size_t max_args; // SIZE_MAX: rest of line
        std::string_view usage;
        std::function<Outcome(const Args &)> run;
    };

    std::vector<Command> table();

    Simulator &sim_;
    std::function<void()> quit_;
    std::vector<Command> commands_;
};

} // namespace qmisim
