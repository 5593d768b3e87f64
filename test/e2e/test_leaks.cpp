// ofonod under valgrind's memcheck, with qmi.so doing a bit of everything:
// no leak and no invalid access may come from our code. Reports whose
// stacks never pass through qmi.so belong to ofonod or its libraries and
// are only counted (doc/testing.md, "Soak").
#include "testbed.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace e2e;

namespace
{
const std::string kModem = "/sim0";

// Valgrind's report blocks: a headline and the stack lines under it.
struct Report {
    std::string headline;
    std::vector<std::string> stack;
};

std::vector<Report> reports(const std::string &log)
{
    std::vector<Report> out;
    std::istringstream in(log);
    std::string line;
    Report *current = nullptr;
    while (std::getline(in, line)) {
        const auto text = line.find("== ");
        if (text == std::string::npos)
            continue;
        const std::string body = line.substr(text + 3);
        if (body.empty()) {
            current = nullptr;
            continue;
        }
        const bool frame =
            body.find("at 0x") != std::string::npos || body.find("by 0x") != std::string::npos;
        if (frame && current) {
            current->stack.push_back(body);
        } else if (!frame &&
                   (body.find("definitely lost") != std::string::npos ||
                    body.find("Invalid ") == 0 || body.find("uninitialised") != std::string::npos ||
                    body.find("Mismatched free") == 0)) {
            out.push_back({body, {}});
            current = &out.back();
        } else {
            current = nullptr;
        }
    }
    return out;
}

// Whether the allocation or access happened in our code: a frame of
// qmi.so above the first frame of ofonod itself (a stack that only passes
// through a plugin callback on its way into ofonod is ofonod's).
bool ours(const Report &r)
{
    for (const auto &frame : r.stack) {
        if (frame.find("qmi.so") != std::string::npos ||
            frame.find("/drivers/qmimodem/") != std::string::npos ||
            frame.find("qmi::") != std::string::npos)
            return true;
        if (frame.find("/usr/sbin/ofonod") != std::string::npos)
            return false;
    }
    return false;
}

void power_cycle_with_traffic(TestBed &bed)
{
    REQUIRE(bed.set_modem_property(kModem, "Powered", true, nullptr));
    REQUIRE(wait_until(
        [&] {
            return !prop_string(bed.bus().properties(kModem, "org.ofono.SimManager"),
                                "SubscriberIdentity")
                        .empty();
        },
        60000));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    REQUIRE(wait_until(
        [&] {
            return prop_string(bed.bus().properties(kModem, "org.ofono.NetworkRegistration"),
                               "Status") == "registered";
        },
        60000));
    REQUIRE(wait_until(
        [&] { return !bed.bus().properties(kModem, "org.ofono.MessageManager").empty(); }, 60000));
    auto sent = bed.bus().call(kModem, "org.ofono.MessageManager", "SendMessage",
                               g_variant_new("(ss)", "+15551230000", "under valgrind"), 60000);
    CHECK(sent.ok());
    bed.sim_ok("sms-text +15551230000 gsm7 none Hello valgrind");
    CHECK(wait_until([&] { return bed.sim_ok("get wms.storage nv").rfind("0", 0) == 0; }, 60000));
    auto dialled = bed.bus().call(kModem, "org.ofono.VoiceCallManager", "Dial",
                                  g_variant_new("(ss)", "5551230000", ""), 60000);
    CHECK(dialled.ok());
    CHECK(bed.bus().call(kModem, "org.ofono.VoiceCallManager", "HangupAll", nullptr, 60000).ok());
    REQUIRE(bed.set_modem_property(kModem, "Online", false));
    REQUIRE(bed.set_modem_property(kModem, "Powered", false));
}
} // namespace

TEST_CASE("under valgrind: no leak and no invalid access from qmi.so", "[leaks]")
{
    if (std::system("valgrind --version >/dev/null 2>&1") != 0)
        FAIL("valgrind is not installed (tools/install-deps installs it)");
    const std::string log_dir = std::filesystem::temp_directory_path() / "qmi-valgrind-XXXXXX";
    std::vector<char> dir_template(log_dir.begin(), log_dir.end());
    dir_template.push_back('\0');
    REQUIRE(mkdtemp(dir_template.data()));
    const std::string dir = dir_template.data();
    const std::string wrapper =
        "valgrind --leak-check=full --num-callers=40 --log-file=" + dir + "/memcheck.%p.log";
    setenv("QMI_OFONOD_WRAPPER", wrapper.c_str(), 1);
    // The UBSan runtime and valgrind do not mix: this test runs ofonod bare.
    unsetenv("QMI_E2E_PRELOAD");
    {
        TestBed bed(with_services("dms,nas,uim,wms,voice"));
        REQUIRE(wait_until([&] { return !bed.bus().modems().empty(); }, 60000));
        power_cycle_with_traffic(bed);
        power_cycle_with_traffic(bed);
        REQUIRE(bed.stop_ofono()); // valgrind writes its leak report at exit
    }
    unsetenv("QMI_OFONOD_WRAPPER");

    std::string all;
    for (const auto &entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        all += text.str();
    }
    if (!std::getenv("QMI_E2E_KEEP"))
        std::filesystem::remove_all(dir);
    REQUIRE(all.find("LEAK SUMMARY") != std::string::npos);
    int theirs = 0;
    for (const auto &r : reports(all)) {
        if (!ours(r)) {
            theirs++;
            continue;
        }
        std::string stack;
        for (const auto &f : r.stack)
            stack += "\n  " + f;
        FAIL_CHECK("from qmi.so: " << r.headline << stack);
    }
    WARN(theirs << " valgrind report(s) from ofonod or its libraries (not ours)");
}
