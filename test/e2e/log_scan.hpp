// Reading qmi-sim's request log (its `<<` request and `>>` response lines)
// for how the plugin used the modem, not only what it asked.
#pragma once

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string>

namespace e2e
{

// The most requests of `service` with one of `msgids` that the modem had
// unanswered at the same time.
inline int most_in_flight(const std::string &log, const std::string &service,
                          std::initializer_list<unsigned> msgids)
{
    std::istringstream in(log);
    std::string line;
    std::set<std::string> open;
    std::size_t most = 0;
    const std::string request = " << " + service + " ", response = " >> " + service + " ";
    while (std::getline(in, line)) {
        const bool is_request = line.find(request) != std::string::npos;
        if (!is_request && line.find(response) == std::string::npos)
            continue;
        const bool wanted = std::any_of(msgids.begin(), msgids.end(), [&](unsigned id) {
            char hex[16];
            std::snprintf(hex, sizeof hex, "0x%04x", id);
            return line.find(hex) != std::string::npos;
        });
        const auto tid = line.find(" tid=");
        if (!wanted || tid == std::string::npos)
            continue;
        const std::string id = line.substr(tid, line.find(' ', tid + 1) - tid);
        if (is_request)
            open.insert(id);
        else
            open.erase(id);
        most = std::max(most, open.size());
    }
    return static_cast<int>(most);
}

// The number of the first log line containing `text` (counted from 0), or
// the number of lines when none does.
inline std::size_t first_line(const std::string &log, const std::string &text)
{
    std::istringstream in(log);
    std::string line;
    std::size_t n = 0;
    for (; std::getline(in, line); n++)
        if (line.find(text) != std::string::npos)
            return n;
    return n;
}

// How many lines before the first one containing `until` contain `text`.
inline int count_before(const std::string &log, const std::string &text, const std::string &until)
{
    std::istringstream in(log);
    std::string line;
    int count = 0;
    while (std::getline(in, line) && line.find(until) == std::string::npos)
        if (line.find(text) != std::string::npos)
            count++;
    return count;
}

} // namespace e2e
