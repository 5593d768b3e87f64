// One control-protocol command: its name, arity and action. Shared by the
// built-in command table (commands.cpp) and commands that services add.
#pragma once

#include "outcome.hpp"

#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace qmisim
{

// Tokens of a request line; rest(i) is the raw text from token i onwards,
// for values that may contain spaces. Views into the line: valid during the call.
struct CommandArgs {
    std::vector<std::string_view> tokens;
    std::string_view line;
    std::string rest(std::size_t index) const;
};

inline constexpr std::size_t kRestOfLine = std::numeric_limits<std::size_t>::max();

struct CommandSpec {
    std::string name;
    std::size_t min_args;
    std::size_t max_args; // kRestOfLine: any number
    std::string usage;
    std::function<Outcome(const CommandArgs &)> run;
};

} // namespace qmisim
