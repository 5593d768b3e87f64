// The control protocol's command table: parses a request line and runs it
// against the simulator. Socket handling lives in control.cpp.
#pragma once

#include "command_spec.hpp"
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
    using Args = CommandArgs;

    // Built-in commands, followed by those the services add.
    std::vector<CommandSpec> table();

    Simulator &sim_;
    std::function<void()> quit_;
    std::vector<CommandSpec> commands_;
};

} // namespace qmisim
