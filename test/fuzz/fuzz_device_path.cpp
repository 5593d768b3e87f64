// device_path.hpp: the Device= value of qmi.conf (or a udev/QRTR node name)
// as a QRTR node. Anything but "qrtr://" and a decimal u32 is refused, and
// every u32 reads back from the text it prints as.
//
// Input: the text itself.
#include "harness.hpp"

#include "translate/device_path.hpp"

#include <algorithm>
#include <string>

using namespace fuzz;

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    std::uint32_t node = 0;
    const bool ok = qmi::parse_qrtr_node(text, node);
    const std::string scheme = "qrtr://";
    const std::string number = text.compare(0, scheme.size(), scheme) == 0
                                   ? text.substr(std::min(scheme.size(), text.size()))
                                   : std::string();
    const bool digits = !number.empty() && std::all_of(number.begin(), number.end(),
                                                       [](char c) { return c >= '0' && c <= '9'; });
    std::uint64_t value = 0; // saturates past a u32
    for (char c : number)
        value = std::min<std::uint64_t>(value * 10 + static_cast<unsigned>(c - '0'), 1ull << 32);
    FUZZ_CHECK(ok == (digits && value <= 0xFFFFFFFFu));
    if (!ok)
        return 0;
    FUZZ_CHECK(value == node);
    std::uint32_t again = 0;
    FUZZ_CHECK(qmi::parse_qrtr_node(scheme + std::to_string(node), again) && again == node);
    return 0;
}
