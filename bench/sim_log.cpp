#include "sim_log.hpp"

#include <limits>
#include <sstream>
#include <tuple>

namespace bench
{
namespace
{

struct Parsed {
    double ms = 0;
    bool to_sim = false; // "<<"
    std::string service, msgid;
    int cid = -1, tid = -1;
    std::string name;
    bool indication = false;
};

std::optional<Parsed> parse_message_line(const std::string &line)
{
    std::istringstream in(line);
    Parsed p;
    std::string dir, cid, tid;
    if (!(in >> p.ms >> dir >> p.service >> p.msgid >> cid >> tid))
        return std::nullopt;
    if (dir != "<<" && dir != ">>")
        return std::nullopt;
    if (cid.rfind("cid=", 0) != 0 || tid.rfind("tid=", 0) != 0)
        return std::nullopt;
    p.to_sim = dir == "<<";
    p.cid = std::stoi(cid.substr(4));
    p.tid = std::stoi(tid.substr(4));
    const auto q1 = line.find('"');
    const auto q2 = q1 == std::string::npos ? q1 : line.find('"', q1 + 1);
    if (q2 != std::string::npos) {
        p.name = line.substr(q1 + 1, q2 - q1 - 1);
        p.indication = line.find(" indication", q2) != std::string::npos;
    }
    return p;
}

size_t mark_line(const SimLog &log, const std::string &mark, size_t fallback)
{
    auto it = log.marks.find(mark);
    return it == log.marks.end() ? fallback : it->second;
}

} // namespace

SimLog parse_sim_log(const std::string &text)
{
    SimLog log;
    // Outstanding requests by (service, client id, transaction id).
    std::map<std::tuple<std::string, int, int>, size_t> pending;
    std::istringstream in(text);
    std::string line;
    size_t index = 0;
    for (; std::getline(in, line); index++) {
        if (const auto at = line.find("== MARK "); at != std::string::npos) {
            log.marks.emplace(line.substr(at + 8), index);
            continue;
        }
        auto p = parse_message_line(line);
        if (!p)
            continue;
        const auto key = std::make_tuple(p->service, p->cid, p->tid);
        if (p->to_sim) {
            LogRequest r;
            r.request_line = index;
            r.sent_ms = p->ms;
            r.service = p->service;
            r.name = p->name;
            pending[key] = log.requests.size();
            log.requests.push_back(r);
        } else if (!p->indication) {
            auto it = pending.find(key);
            if (it == pending.end())
                continue;
            log.requests[it->second].response_line = index;
            log.requests[it->second].answered_ms = p->ms;
            pending.erase(it);
        }
    }
    log.lines = index;
    return log;
}

namespace
{
// Requests sent between the marks; with `answered`, only those whose
// response was written before mark `to`.
int count_requests(const SimLog &log, const std::string &from, const std::string &to, bool answered)
{
    const size_t begin = mark_line(log, from, 0);
    const size_t end = mark_line(log, to, std::numeric_limits<size_t>::max());
    int n = 0;
    for (const auto &r : log.requests)
        if (r.request_line > begin && r.request_line < end &&
            (!answered || (r.response_line && *r.response_line < end)))
            n++;
    return n;
}
} // namespace

int requests_between(const SimLog &log, const std::string &from, const std::string &to)
{
    return count_requests(log, from, to, false);
}

int answered_between(const SimLog &log, const std::string &from, const std::string &to)
{
    return count_requests(log, from, to, true);
}

Chain longest_chain(const SimLog &log, const std::string &from, const std::string &to)
{
    const size_t begin = mark_line(log, from, 0);
    const size_t end = mark_line(log, to, std::numeric_limits<size_t>::max());
    std::vector<const LogRequest *> window;
    for (const auto &r : log.requests)
        if (r.request_line > begin && r.response_line && *r.response_line < end)
            window.push_back(&r);
    // depth[i]: longest chain ending with window[i]; prev[i] its predecessor.
    std::vector<int> depth(window.size(), 1);
    std::vector<int> prev(window.size(), -1);
    for (size_t i = 0; i < window.size(); i++) {
        for (size_t j = 0; j < i; j++) {
            if (*window[j]->response_line < window[i]->request_line && depth[j] + 1 > depth[i]) {
                depth[i] = depth[j] + 1;
                prev[i] = static_cast<int>(j);
            }
        }
    }
    Chain chain;
    int best = -1;
    for (size_t i = 0; i < window.size(); i++)
        if (best < 0 || depth[i] > depth[static_cast<size_t>(best)])
            best = static_cast<int>(i);
    if (best < 0)
        return chain;
    chain.round_trips = depth[static_cast<size_t>(best)];
    for (int i = best; i >= 0; i = prev[static_cast<size_t>(i)]) {
        const auto *r = window[static_cast<size_t>(i)];
        chain.steps.insert(chain.steps.begin(), r->service + " " + r->name);
    }
    return chain;
}

} // namespace bench
