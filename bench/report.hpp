// Medians over runs, the comparison table, and doc/performance.md.
#pragma once

#include "scenario.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bench
{

struct Settings {
    int runs = 5;
    bool quick = false;
    std::vector<int> latencies{2, 20};
    std::string services = "dms,nas,uim,wms,wds,wda";
    int burst_changes = 10000;
    int idle_s = 30;
    int sms_send = 20;
    int sms_receive = 100;
    std::string command_line;
    std::string load_before, load_after; // /proc/loadavg, 1-minute average
};

// (latency, driver) -> every run's result.
using Results = std::map<std::pair<int, Driver>, std::vector<RunResult>>;

std::string comparison_table(const Settings &settings, const Results &results);
// Sequential round trips implied by how much each timed scenario slows down
// between the lowest and the highest latency; empty with one latency.
std::string slope_table(const Settings &settings, const Results &results);
// Our bring-up against its lower bound: the round trips it needs one after
// the other (the sequential chain), times the latency.
std::string bound_table(const Settings &settings, const Results &results);
std::string performance_doc(const Settings &settings, const Results &results,
                            const std::string &table, const std::string &slopes,
                            const std::string &bounds, double wall_s);

} // namespace bench
