// The benchmark's reading of qmi-sim's log (bench/sim_log.hpp): request
// counts per window, the answered ones, and the sequential chain.
#include "sim_log.hpp"

#include <catch2/catch.hpp>

namespace
{
// Two requests sent together and answered together, then one sent after
// those answers; the milestone's mark falls while a fourth is in flight.
const char kLog[] = R"(     0.500 -- ready: /dev/pts/0 via /tmp/modem
    10.000 == MARK start
    11.000 << ctl   0x0022 cid=0 tid=1 "Allocate CID"
    11.100 << ctl   0x0021 cid=0 tid=2 "Get Version Info"
    31.000 >> ctl   0x0022 cid=0 tid=1 "Allocate CID" result=success
    31.100 >> ctl   0x0021 cid=0 tid=2 "Get Version Info" result=success
    31.200 >> nas   0x0024 cid=1 tid=0 "Serving System" indication
    32.000 << dms   0x002e cid=1 tid=1 "Set Operating Mode"
    52.000 >> dms   0x002e cid=1 tid=1 "Set Operating Mode" result=success
    52.500 << uim   0x002f cid=1 tid=1 "Get Card Status"
    53.000 == MARK done
    73.000 >> uim   0x002f cid=1 tid=1 "Get Card Status" result=success
)";
} // namespace

TEST_CASE("bench log: requests sent, answered and chained before a mark", "[bench]")
{
    const auto log = bench::parse_sim_log(kLog);
    REQUIRE(log.requests.size() == 4);
    CHECK(bench::requests_between(log, "start", "done") == 4);
    // The card status went out before the mark but was answered after it.
    CHECK(bench::answered_between(log, "start", "done") == 3);
    const auto chain = bench::longest_chain(log, "start", "done");
    CHECK(chain.round_trips == 2);
    REQUIRE(chain.steps.size() == 2);
    CHECK(chain.steps.back() == "dms Set Operating Mode");
    // No end mark: to the end of the log.
    CHECK(bench::answered_between(log, "start", "missing") == 4);
    CHECK(bench::longest_chain(log, "start", "missing").round_trips == 3);
}
