// Success-or-message result used by the control protocol and state keys.
#pragma once

#include <string>
#include <utility>

namespace qmisim
{

struct Outcome {
    bool ok = true;
    std::string text; // payload on success, reason on failure

    static Outcome success(std::string payload = {}) { return {true, std::move(payload)}; }
    static Outcome failure(std::string reason) { return {false, std::move(reason)}; }
};

} // namespace qmisim
