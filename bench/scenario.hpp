// One benchmark run: a fresh test bed (private bus, qmi-sim, ofonod), one
// driver, one response latency, every scenario in turn.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bench
{

enum class Driver { Qmi, Gobi };
const char *driver_name(Driver d);

struct RunConfig {
    Driver driver = Driver::Qmi;
    int latency_ms = 2;
    std::string services = "dms,nas,uim,wms,wds,wda";
    int burst_changes = 10000;
    int idle_s = 30;
    int sms_send = 20;
    int sms_receive = 100;
    bool verbose = false;
};

// A measured value, or why there is none.
struct Value {
    std::optional<double> value;
    std::string why; // when there is no value
};

struct RunResult {
    std::map<std::string, Value> values; // see the keys in scenario.cpp
    // Milestone -> the longest sequential chain of requests, "svc name" each.
    std::map<std::string, std::vector<std::string>> chains;
    std::vector<std::string> warnings;
};

// Never throws: a scenario that cannot run leaves its values empty with a
// reason; a failure of the bed itself empties everything after it.
RunResult run_once(const RunConfig &config);

// The milestones of the bring-up, in order: key, label.
struct Milestone {
    const char *key;
    const char *label;
};
const std::vector<Milestone> &milestones();

} // namespace bench
