// The optional auxiliary AT port (AtPort=, see drivers/qmimodem/at/): the
// real ofonod with qmi.so opens it at Powered=true, probes it (ATE0), reads
// a Quectel's call audio interface and sets it when QuectelDai= asks, and
// logs the URCs it does not handle. A port that is missing or silent costs
// one warning; the modem works over QMI as before.
//
// The AT port is a pty whose master side a thread of this test plays: it
// echoes what it gets (as a modem does until ATE0) and answers from a table.
#include "testbed.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace e2e;

namespace
{
const std::string kModem = "/sim0";
using Lines = std::vector<std::string>;

class AtPeer
{
  public:
    // answers: command -> what the modem sends back after the echo; a
    // command not in the table gets no answer at all.
    AtPeer(const std::string &link, std::map<std::string, std::string> answers)
        : answers_(std::move(answers))
    {
        char name[128];
        REQUIRE(openpty(&master_, &slave_, name, nullptr, nullptr) == 0);
        REQUIRE(symlink(name, link.c_str()) == 0);
        thread_ = std::thread([this] { run(); });
    }
    ~AtPeer()
    {
        stop_ = true;
        thread_.join();
        ::close(master_);
        ::close(slave_);
    }
    AtPeer(const AtPeer &) = delete;
    AtPeer &operator=(const AtPeer &) = delete;

    Lines received() const
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return received_;
    }
    void send(const std::string &bytes)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        write_all(bytes);
    }

  private:
    void run()
    {
        std::string line;
        while (!stop_) {
            pollfd p{master_, POLLIN, 0};
            if (poll(&p, 1, 50) <= 0 || !(p.revents & POLLIN))
                continue;
            char buffer[256];
            const ssize_t n = ::read(master_, buffer, sizeof buffer);
            for (ssize_t i = 0; i < n; i++) {
                if (buffer[i] != '\r') {
                    if (buffer[i] != '\n')
                        line.push_back(buffer[i]);
                    continue;
                }
                std::lock_guard<std::mutex> lock(mutex_);
                received_.push_back(line);
                write_all(line + "\r"); // echo
                if (auto it = answers_.find(line); it != answers_.end())
                    write_all(it->second);
                line.clear();
            }
        }
    }
    void write_all(const std::string &bytes)
    {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t n = ::write(master_, bytes.data() + done, bytes.size() - done);
            if (n <= 0)
                return;
            done += static_cast<std::size_t>(n);
        }
    }

    std::map<std::string, std::string> answers_;
    int master_ = -1;
    int slave_ = -1;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    Lines received_;
    std::thread thread_;
};

const std::map<std::string, std::string> kQuectel = {
    {"ATE0", "\r\nOK\r\n"},
    {"AT+QDAI?", "\r\n+QDAI: 1,0,0,2,0,1,1,1\r\n\r\nOK\r\n"},
    {"AT+QDAI=1,1,0,1,0,0,1,1", "\r\nOK\r\n"},
};

TestBedOptions with_config(const std::string &extra)
{
    TestBedOptions o;
    o.config = "[sim0]\nDevice=@DIR@/modem\nNetworkInterface=wwan0\n" + extra;
    return o;
}

bool log_has(TestBed &bed, const std::string &text)
{
    return bed.ofono_log().find(text) != std::string::npos;
}

std::size_t log_count(TestBed &bed, const std::string &text)
{
    const std::string log = bed.ofono_log();
    std::size_t n = 0;
    for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1))
        n++;
    return n;
}

bool powered(TestBed &bed)
{
    return prop_bool(bed.bus().properties(kModem, "org.ofono.Modem"), "Powered") == true;
}

bool has_modem(TestBed &bed)
{
    const auto modems = bed.bus().modems();
    return std::find(modems.begin(), modems.end(), kModem) != modems.end();
}

} // namespace

TEST_CASE("a Quectel's AT port is probed and its call audio set as QuectelDai= asks", "[at-port]")
{
    TestBed bed(with_config("AtPort=@DIR@/at\nQuectelDai=1,1,0,1,0,0,1,1\n"));
    bed.sim_ok("set dms.manufacturer Quectel");
    AtPeer peer(bed.dir() + "/at", kQuectel);
    REQUIRE(wait_until([&] { return has_modem(bed); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(wait_until([&] { return peer.received().size() == 3; }));
    CHECK(peer.received() == Lines{"ATE0", "AT+QDAI?", "AT+QDAI=1,1,0,1,0,0,1,1"});
    REQUIRE(
        wait_until([&] { return log_has(bed, "call audio interface set to 1,1,0,1,0,0,1,1"); }));
    CHECK(log_has(bed, "call audio interface (AT+QDAI) 1,0,0,2,0,1,1,1"));

    // A vendor URC nobody handles reaches the debug log.
    peer.send("\r\n+QIND: \"FOTA\",\"START\"\r\n");
    REQUIRE(wait_until([&] { return log_has(bed, "not handled: +QIND: \"FOTA\",\"START\""); }));

    // The modem works as it does without the port.
    CHECK(powered(bed));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    REQUIRE(bed.set_modem_property(kModem, "Powered", false));
    CHECK_FALSE(log_has(bed, "continuing with QMI only"));
}

TEST_CASE("without QuectelDai= the call audio setting is only read", "[at-port]")
{
    TestBed bed(with_config("AtPort=@DIR@/at\n"));
    bed.sim_ok("set dms.manufacturer Quectel");
    AtPeer peer(bed.dir() + "/at", kQuectel);
    REQUIRE(wait_until([&] { return has_modem(bed); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(wait_until([&] { return log_has(bed, "QuectelDai= not set, left as it is"); }));
    CHECK(peer.received() == Lines{"ATE0", "AT+QDAI?"});
}

TEST_CASE("another manufacturer's AT port gets the probe only", "[at-port]")
{
    TestBed bed(with_config("AtPort=@DIR@/at\nQuectelDai=1,1,0,1,0,0,1,1\n"));
    bed.sim_ok("set dms.manufacturer Sierra Wireless");
    AtPeer peer(bed.dir() + "/at", kQuectel);
    REQUIRE(wait_until([&] { return has_modem(bed); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(wait_until([&] { return log_has(bed, "manufacturer Sierra Wireless"); }));
    CHECK(peer.received() == Lines{"ATE0"});
}

TEST_CASE("an AT port that cannot be opened is one warning; the modem works over QMI", "[at-port]")
{
    TestBed bed(with_config("AtPort=@DIR@/no-such-port\n"));
    REQUIRE(wait_until([&] { return has_modem(bed); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    REQUIRE(bed.set_modem_property(kModem, "Online", true));
    CHECK(log_count(bed, "no-such-port: No such file or directory; continuing with QMI only") == 1);
    CHECK(bed.sim_ok("get dms.operating-mode") == "online");
}

TEST_CASE("an AT port that never answers is given up with one warning", "[at-port]")
{
    TestBed bed(with_config("AtPort=@DIR@/at\n"));
    AtPeer peer(bed.dir() + "/at", {}); // echoes, never answers
    REQUIRE(wait_until([&] { return has_modem(bed); }));
    REQUIRE(bed.set_modem_property(kModem, "Powered", true));
    // Two probes of 3 s each.
    REQUIRE(wait_until([&] { return log_has(bed, "does not answer ATE0"); }, 15000));
    CHECK(log_count(bed, "continuing with QMI only") == 1);
    CHECK(peer.received() == Lines{"ATE0", "ATE0"});
    CHECK(powered(bed));
}
