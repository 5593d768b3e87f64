// The AT line parser (at/parser.hpp) and the Quectel helpers (at/quectel.hpp):
// bytes as an EG25-G's AT port sends them, classified.
#include "at/parser.hpp"
#include "at/quectel.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using qmi::AtEvent;
using qmi::AtFinalKind;
using qmi::AtParser;
using Kind = AtEvent::Kind;

namespace
{

// "F:OK", "I:+CSQ: 20,99", "U:+QIND:|+QIND: \"csq\"", "P", "?:junk": readable
// in a failed CHECK.
std::vector<std::string> summary(const std::vector<AtEvent> &events)
{
    std::vector<std::string> out;
    for (const auto &e : events) {
        switch (e.kind) {
        case Kind::Intermediate:
            out.push_back("I:" + e.line);
            break;
        case Kind::Final:
            out.push_back("F:" + e.line);
            break;
        case Kind::Prompt:
            out.push_back("P");
            break;
        case Kind::Unsolicited:
            out.push_back("U:" + e.prefix + "|" + e.line);
            break;
        case Kind::Unknown:
            out.push_back("?:" + e.line);
            break;
        }
    }
    return out;
}

std::vector<AtEvent> feed_bytewise(AtParser &p, std::string_view bytes)
{
    std::vector<AtEvent> all;
    for (const char c : bytes)
        for (auto &e : p.feed(std::string_view(&c, 1)))
            all.push_back(std::move(e));
    return all;
}

using Lines = std::vector<std::string>;

} // namespace

TEST_CASE("every final result code is recognised", "[at]")
{
    struct Case {
        const char *line;
        AtFinalKind kind;
        int code;
        bool ok;
    };
    const Case cases[] = {
        {"OK", AtFinalKind::Ok, -1, true},
        {"ERROR", AtFinalKind::Error, -1, false},
        {"+CME ERROR: 10", AtFinalKind::CmeError, 10, false},
        {"+CME ERROR:3", AtFinalKind::CmeError, 3, false},
        {"+CME ERROR: SIM not inserted", AtFinalKind::CmeError, -1, false},
        {"+CMS ERROR: 500", AtFinalKind::CmsError, 500, false},
        {"+CMS ERROR: 123456", AtFinalKind::CmsError, -1, false},
        {"NO CARRIER", AtFinalKind::NoCarrier, -1, false},
        {"BUSY", AtFinalKind::Busy, -1, false},
        {"NO ANSWER", AtFinalKind::NoAnswer, -1, false},
        {"NO DIALTONE", AtFinalKind::NoDialtone, -1, false},
        {"CONNECT", AtFinalKind::Connect, -1, true},
        {"CONNECT 115200", AtFinalKind::Connect, -1, true},
        {"OK  ", AtFinalKind::Ok, -1, true},
    };
    for (const auto &c : cases) {
        INFO(c.line);
        const auto f = qmi::classify_final(c.line);
        REQUIRE(f);
        CHECK(f->kind == c.kind);
        CHECK(f->code == c.code);
        CHECK(f->ok() == c.ok);
        CHECK(f->line == c.line);
    }
    for (const char *line : {"", "O", "OKAY", " OK", "ok", "CONNECTED", "ERRORS", "+CME ERROR",
                             "+CME: 10", "RING", "+CSQ: 20,99", ">"}) {
        INFO(line);
        CHECK_FALSE(qmi::classify_final(line));
    }
}

TEST_CASE("a command's response: intermediate lines by prefix, then its final result", "[at]")
{
    AtParser p;
    CHECK_FALSE(p.busy());
    p.begin("AT+QDAI?", "+QDAI:");
    CHECK(p.busy());
    CHECK(summary(p.feed("\r\n+QDAI: 1,1,0,1,0,0,1,1\r\n\r\nOK\r\n")) ==
          Lines{"I:+QDAI: 1,1,0,1,0,0,1,1", "F:OK"});
    CHECK_FALSE(p.busy());

    for (const char *final : {"ERROR", "+CME ERROR: 58", "+CMS ERROR: 302", "NO CARRIER", "BUSY",
                              "NO ANSWER", "CONNECT 9600"}) {
        INFO(final);
        p.begin("ATD+441234;", "");
        const auto events = p.feed(std::string("\r\n") + final + "\r\n");
        REQUIRE(events.size() == 1);
        CHECK(events[0].kind == Kind::Final);
        CHECK(events[0].final.line == final);
        CHECK_FALSE(p.busy());
    }
}

TEST_CASE("a command without a prefix takes every other line", "[at]")
{
    AtParser p;
    p.add_unsolicited("RING");
    p.begin("ATI", "");
    CHECK(summary(
              p.feed("\r\nQuectel\r\nEG25\r\nRING\r\nRevision: EG25GGBR07A08M2G\r\n\r\nOK\r\n")) ==
          Lines{"I:Quectel", "I:EG25", "U:RING|RING", "I:Revision: EG25GGBR07A08M2G", "F:OK"});
}

TEST_CASE("URCs interleaved with a command's response go their own way", "[at]")
{
    AtParser p;
    p.add_unsolicited("+QIND:");
    p.add_unsolicited("RING");
    p.begin("AT+CSQ", "+CSQ:");
    CHECK(summary(p.feed("\r\n+QIND: \"csq\",20,99\r\n\r\n+CSQ: 20,99\r\n"
                         "\r\n+QUSIM: 1\r\nRING\r\n\r\nOK\r\n")) ==
          Lines{"U:+QIND:|+QIND: \"csq\",20,99", "I:+CSQ: 20,99", "?:+QUSIM: 1", "U:RING|RING",
                "F:OK"});

    // Idle: registered prefixes are URCs, everything else nobody's, finals too.
    CHECK(summary(p.feed("\r\n+QIND: SMS DONE\r\n\r\n+CPIN: READY\r\nOK\r\n")) ==
          Lines{"U:+QIND:|+QIND: SMS DONE", "?:+CPIN: READY", "?:OK"});
}

TEST_CASE("the command's own prefix wins over a URC with the same prefix", "[at]")
{
    AtParser p;
    p.add_unsolicited("+CREG:");
    p.begin("AT+CREG?", "+CREG:");
    CHECK(summary(p.feed("\r\n+CREG: 2,1\r\n\r\nOK\r\n\r\n+CREG: 5\r\n")) ==
          Lines{"I:+CREG: 2,1", "F:OK", "U:+CREG:|+CREG: 5"});
}

TEST_CASE("NO CARRIER ends a command, and is a URC when idle", "[at]")
{
    AtParser p;
    p.add_unsolicited("NO CARRIER");
    CHECK(summary(p.feed("\r\nNO CARRIER\r\n")) == Lines{"U:NO CARRIER|NO CARRIER"});
    p.begin("ATA", "");
    CHECK(summary(p.feed("\r\nNO CARRIER\r\n")) == Lines{"F:NO CARRIER"});
}

TEST_CASE("the longest registered prefix matches; removed prefixes no longer do", "[at]")
{
    AtParser p;
    p.add_unsolicited("+Q");
    p.add_unsolicited("+QIND:");
    p.add_unsolicited("+QIND:"); // once is enough
    CHECK(summary(p.feed("+QIND: x\r+QGPS: y\r")) == Lines{"U:+QIND:|+QIND: x", "U:+Q|+QGPS: y"});
    p.remove_unsolicited("+QIND:");
    CHECK(summary(p.feed("+QIND: x\r")) == Lines{"U:+Q|+QIND: x"});
    p.remove_unsolicited("+Q");
    CHECK(summary(p.feed("+QIND: x\r")) == Lines{"?:+QIND: x"});
}

TEST_CASE("the echo of the command is dropped", "[at]")
{
    AtParser p;
    p.begin("ATE0", "");
    // With echo on (the modem's default) the command comes back first,
    // ended by "\r" only.
    CHECK(summary(p.feed("ATE0\r\r\nOK\r\n")) == Lines{"F:OK"});

    p.begin("AT+CSQ", "+CSQ:");
    CHECK(summary(p.feed("AT+CSQ\r\r\n+CSQ: 31,99\r\n\r\nOK\r\n")) ==
          Lines{"I:+CSQ: 31,99", "F:OK"});

    // A late echo, with no command on the wire, is nobody's.
    CHECK(summary(p.feed("AT+CSQ\r")) == Lines{"?:AT+CSQ"});
}

TEST_CASE("a line arriving in pieces is one line", "[at]")
{
    const std::string reply = "AT+QDAI?\r\r\n+QDAI: 1,1,0,1,0,0,1,1\r\n\r\nOK\r\n";
    AtParser whole;
    whole.begin("AT+QDAI?", "+QDAI:");
    AtParser pieces;
    pieces.begin("AT+QDAI?", "+QDAI:");
    const auto expected = summary(whole.feed(reply));
    CHECK(expected == Lines{"I:+QDAI: 1,1,0,1,0,0,1,1", "F:OK"});
    CHECK(summary(feed_bytewise(pieces, reply)) == expected);

    // Split at every position into two reads.
    for (std::size_t cut = 0; cut <= reply.size(); cut++) {
        AtParser p;
        p.begin("AT+QDAI?", "+QDAI:");
        auto events = p.feed(std::string_view(reply).substr(0, cut));
        for (auto &e : p.feed(std::string_view(reply).substr(cut)))
            events.push_back(std::move(e));
        INFO("cut at " << cut);
        CHECK(summary(events) == expected);
    }
}

TEST_CASE("\\n-only and \\r-only line ends both work", "[at]")
{
    AtParser p;
    p.begin("AT+CSQ", "+CSQ:");
    CHECK(summary(p.feed("+CSQ: 1,2\nOK\n")) == Lines{"I:+CSQ: 1,2", "F:OK"});
    p.begin("AT+CSQ", "+CSQ:");
    CHECK(summary(p.feed("+CSQ: 1,2\rOK\r")) == Lines{"I:+CSQ: 1,2", "F:OK"});
}

TEST_CASE("garbage bytes never end a command and never grow memory", "[at]")
{
    AtParser p;
    p.begin("AT+CSQ", "+CSQ:");
    // NUL padding (seen after power-up) vanishes; other noise is nobody's.
    CHECK(summary(p.feed(std::string("\0\0\r\n\xff\xfe\x01junk\r\n", 13))) ==
          Lines{std::string("?:\xff\xfe\x01junk")});
    CHECK(p.busy());
    CHECK(summary(p.feed(std::string("O\0K\r\n", 5))) == Lines{"F:OK"});

    // A line without an end is cut at kMaxLine and reported once.
    p.begin("AT+CSQ", "+CSQ:");
    const std::string flood(3 * AtParser::kMaxLine, 'x');
    CHECK(p.feed(flood).empty());
    CHECK(p.feed(flood).empty());
    const auto events = p.feed("OK\r\n"); // still part of the overlong line
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == Kind::Unknown);
    CHECK(events[0].line == std::string(AtParser::kMaxLine, 'x'));
    CHECK(p.busy());
    CHECK(summary(p.feed("\r\nOK\r\n")) == Lines{"F:OK"});
}

TEST_CASE("the > prompt of a command that wants one, then its PDU's echo", "[at]")
{
    AtParser p;
    p.begin("AT+CMGS=18", "+CMGS:", true);
    CHECK(summary(p.feed("AT+CMGS=18\r\r\n> ")) == Lines{"P"});
    p.pdu_sent("0011000B914477");
    CHECK(summary(p.feed("0011000B914477\x1a\r\n+CMGS: 7\r\n\r\nOK\r\n")) ==
          Lines{"I:+CMGS: 7", "F:OK"});

    // In pieces.
    p.begin("AT+CMGS=18", "+CMGS:", true);
    CHECK(p.feed("\r\n>").empty());
    CHECK(summary(p.feed(" ")) == Lines{"P"});
    CHECK(summary(p.feed("\r\n+CMS ERROR: 304\r\n")) == Lines{"F:+CMS ERROR: 304"});

    // With a line end after it (and a URC right behind).
    p.add_unsolicited("+QIND:");
    p.begin("AT+CMGS=18", "+CMGS:", true);
    CHECK(summary(p.feed("\r\n> \r\n+QIND: x\r\n")) == Lines{"P", "U:+QIND:|+QIND: x"});
    CHECK(summary(p.feed("\r\n> \r\nERROR\r\n")) == Lines{"?:> ", "F:ERROR"}); // only once

    // A command that wants no prompt sees "> " as an ordinary line.
    p.begin("AT+CSQ", "");
    CHECK(p.feed("> ").empty());
    CHECK(summary(p.feed("\r\nOK\r\n")) == Lines{"I:> ", "F:OK"});
}

TEST_CASE("an abandoned command's late answer is nobody's", "[at]")
{
    AtParser p;
    p.begin("AT+COPS=?", "+COPS:");
    CHECK(p.feed("\r\n+COPS: (2,\"Op").empty());
    p.abandon();
    CHECK_FALSE(p.busy());
    CHECK(summary(p.feed("\",,\"26201\",7)\r\n\r\nOK\r\n")) ==
          Lines{"?:+COPS: (2,\"Op\",,\"26201\",7)", "?:OK"});

    // reset() drops half a line as well.
    p.begin("AT", "");
    CHECK(p.feed("+JUNK").empty());
    p.reset();
    CHECK_FALSE(p.busy());
    CHECK(summary(p.feed("OK\r\n")) == Lines{"?:OK"});
}

TEST_CASE("printable escapes what a log line must not carry", "[at]")
{
    CHECK(qmi::printable("+QIND: \"csq\",20") == "+QIND: \"csq\",20");
    CHECK(qmi::printable(std::string("a\0\x1a\xff\\", 5)) == "a\\x00\\x1a\\xff\\x5c");
}

TEST_CASE("Quectel: manufacturer, AT+QDAI values and reports", "[at]")
{
    CHECK(qmi::is_quectel("Quectel"));
    CHECK(qmi::is_quectel("QUECTEL Wireless Solutions"));
    CHECK_FALSE(qmi::is_quectel("Sierra Wireless"));
    CHECK_FALSE(qmi::is_quectel("Quec"));
    CHECK_FALSE(qmi::is_quectel(""));

    CHECK(qmi::is_qdai_value(qmi::kPinePhoneQdai));
    CHECK(qmi::is_qdai_value("1,0,0,2,0,1,1,1"));
    CHECK(qmi::is_qdai_value("5"));
    for (const char *bad : {"", ",", "1,", ",1", "1,,1", "1,1,0,1,0,0,1,1,1", "1;1", "1, 1",
                            "12345", "-1", "1,1,0,1,0,0,1,1\n"}) {
        INFO(bad);
        CHECK_FALSE(qmi::is_qdai_value(bad));
    }

    CHECK(qmi::qdai_setting("+QDAI: 1,1,0,1,0,0,1,1") == std::string("1,1,0,1,0,0,1,1"));
    CHECK(qmi::qdai_setting("+QDAI:1,0,0,2,0,1,1,1") == std::string("1,0,0,2,0,1,1,1"));
    CHECK_FALSE(qmi::qdai_setting("+QDAI: (1-4),(0,1)"));
    CHECK_FALSE(qmi::qdai_setting("+QCFG: \"ims\",1"));
}
