// Reads qmi-sim's message log (doc/simulator.md, "Log format") for the
// benchmark: requests per window between `log-mark` lines, and the longest
// chain of strictly sequential request -> response round trips.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bench
{

struct LogRequest {
    size_t request_line = 0;             // line index of the `<<` line
    double sent_ms = 0;                  // its timestamp
    std::optional<size_t> response_line; // line index of the matching `>>` response
    double answered_ms = 0;
    std::string service;
    std::string name;
};

struct SimLog {
    std::vector<LogRequest> requests;    // in log order
    std::map<std::string, size_t> marks; // mark text -> line index (first occurrence)
    size_t lines = 0;
};

SimLog parse_sim_log(const std::string &text);

// Requests received (`<<` lines) after mark `from` and before mark `to`.
// Missing marks: from the start / to the end of the log.
int requests_between(const SimLog &log, const std::string &from, const std::string &to);

// Of those, the ones whose response was written before mark `to`: what the
// milestone can have waited for (a request still unanswered at the mark was
// sent for what comes after it).
int answered_between(const SimLog &log, const std::string &from, const std::string &to);

struct Chain {
    int round_trips = 0;            // length of the longest sequential chain
    std::vector<std::string> steps; // "svc name" of each step, first to last
};

// The longest chain r1, r2, ... rk of requests sent after mark `from`, each
// sent after the previous one's response was written (log order), whose
// last response was written before mark `to`. k round trips at latency L
// take at least k * L, whatever the host does in between.
Chain longest_chain(const SimLog &log, const std::string &from, const std::string &to);

} // namespace bench
