// at/parser.hpp: the auxiliary AT port's line parser driven by a script of
// its operations (feed bytes, begin a command with or without a prefix and
// prompt, PDU sent, abandon, reset, register or remove a URC prefix), on two
// parsers at once: one fed each chunk whole, one fed it byte by byte. Every
// event's line stays within kMaxLine, has no line end or NUL, logs as
// printable text that reads back to the line; a final result is what
// classify_final says and ends the command; a URC matched the longest
// registered prefix; an intermediate line is no final result and comes only
// while a command is on the wire. Both parsers agree, except after a
// command that wants a "> " prompt (recognised at the end of a read).
//
// Input: FuzzedDataProvider operations (test/fuzz/make-corpus, AtScript).
//
// (Reconstructed: the first version of this file was overwritten by mistake;
// this one follows its structure, operations and checks as its build showed
// them, and the AtScript encoding in make-corpus.)
#include "harness.hpp"

#include "at/parser.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <set>
#include <string>
#include <vector>

using namespace fuzz;

namespace
{

// make-corpus's AT_PREFIXES.
constexpr const char *kPrefixes[] = {"+QIND:", "RING", "+CREG:", "+CMTI:", "+QDAI:", "+CSQ:", "+"};

std::string pick_prefix(FuzzedDataProvider &p)
{
    if (p.ConsumeBool())
        return p.ConsumeRandomLengthString(16);
    return kPrefixes[p.ConsumeIntegralInRange<std::size_t>(0, std::size(kPrefixes) - 1)];
}

// printable()'s \xNN back to bytes.
std::string unescape(const std::string &text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); i++) {
        if (text[i] != '\\') {
            out.push_back(text[i]);
            continue;
        }
        FUZZ_CHECK(i + 4 <= text.size() && text.compare(i, 2, "\\x") == 0);
        const auto nibble = [](char c) {
            FUZZ_CHECK(std::isxdigit(static_cast<unsigned char>(c)));
            return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
        };
        out.push_back(static_cast<char>(nibble(text[i + 2]) * 16 + nibble(text[i + 3])));
        i += 3;
    }
    return out;
}

void check_event(const qmi::AtEvent &e, const std::set<std::string> &registered)
{
    FUZZ_CHECK(e.line.size() <= qmi::AtParser::kMaxLine);
    FUZZ_CHECK(e.line.find_first_of(std::string("\r\n\0", 3)) == std::string::npos);

    const std::string shown = qmi::printable(e.line);
    FUZZ_CHECK(std::all_of(shown.begin(), shown.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
    }));
    FUZZ_CHECK(unescape(shown) == e.line);

    switch (e.kind) {
    case qmi::AtEvent::Kind::Final: {
        const auto final = qmi::classify_final(e.line);
        FUZZ_CHECK(final && final->kind == e.final.kind && final->code == e.final.code);
        FUZZ_CHECK(e.final.code >= -1 && e.final.code <= 99999);
        break;
    }
    case qmi::AtEvent::Kind::Unsolicited:
        FUZZ_CHECK(registered.count(e.prefix) && e.line.starts_with(e.prefix));
        for (const auto &other : registered)
            if (e.line.starts_with(other))
                FUZZ_CHECK(other.size() <= e.prefix.size());
        break;
    case qmi::AtEvent::Kind::Intermediate:
        FUZZ_CHECK(!qmi::classify_final(e.line));
        break;
    case qmi::AtEvent::Kind::Prompt:
    case qmi::AtEvent::Kind::Unknown:
        break;
    }
}

// A command's events only while it is on the wire: one final result ends
// it, nothing of it after that.
void check_sequence(bool busy, const std::vector<qmi::AtEvent> &events, const qmi::AtParser &p)
{
    for (const auto &e : events) {
        if (e.kind == qmi::AtEvent::Kind::Final) {
            FUZZ_CHECK(busy);
            busy = false;
        } else if (e.kind == qmi::AtEvent::Kind::Intermediate ||
                   e.kind == qmi::AtEvent::Kind::Prompt) {
            FUZZ_CHECK(busy);
        }
    }
    FUZZ_CHECK(busy == p.busy());
}

bool same(const qmi::AtEvent &a, const qmi::AtEvent &b)
{
    return a.kind == b.kind && a.line == b.line && a.prefix == b.prefix &&
           a.final.kind == b.final.kind && a.final.code == b.final.code;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size)
{
    FuzzedDataProvider p(data, size);
    qmi::AtParser whole, bytewise;
    std::set<std::string> registered;
    bool prompt_expected = false;
    std::vector<qmi::AtEvent> a, b;
    while (p.remaining_bytes() > 0) {
        const int op = p.ConsumeIntegralInRange<int>(0, 6);
        switch (op) {
        case 0:
        case 1: {
            const bool was_busy[] = {whole.busy(), bytewise.busy()};
            const std::string bytes = p.ConsumeRandomLengthString(1024);
            for (auto &e : whole.feed(bytes))
                a.push_back(e);
            for (const char c : bytes)
                for (auto &e : bytewise.feed(std::string_view(&c, 1)))
                    b.push_back(e);
            check_sequence(was_busy[0], a, whole);
            check_sequence(was_busy[1], b, bytewise);
            break;
        }
        case 2: {
            const std::string command = p.ConsumeRandomLengthString(64);
            const std::string prefix = p.ConsumeBool() ? std::string() : pick_prefix(p);
            const bool prompt = p.ConsumeBool();
            whole.begin(command, prefix, prompt);
            bytewise.begin(command, prefix, prompt);
            // Once a prompt may have come, the two may differ until reset().
            prompt_expected = prompt_expected || prompt;
            break;
        }
        case 3: {
            const std::string pdu = p.ConsumeRandomLengthString(256);
            whole.pdu_sent(pdu);
            bytewise.pdu_sent(pdu);
            break;
        }
        case 4:
            whole.abandon();
            bytewise.abandon();
            break;
        case 5:
            whole.reset();
            bytewise.reset();
            prompt_expected = false;
            break;
        default: {
            const std::string prefix = pick_prefix(p);
            if (p.ConsumeBool()) {
                whole.add_unsolicited(prefix);
                bytewise.add_unsolicited(prefix);
                if (!prefix.empty())
                    registered.insert(prefix);
            } else {
                whole.remove_unsolicited(prefix);
                bytewise.remove_unsolicited(prefix);
                registered.erase(prefix);
            }
            break;
        }
        }

        for (const auto *events : {&a, &b})
            for (const auto &e : *events)
                check_event(e, registered);
        // A prompt is recognised at the end of a read: where reads end
        // matters once one may have come.
        if (!prompt_expected) {
            FUZZ_CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end(), same));
            FUZZ_CHECK(whole.busy() == bytewise.busy());
        }
        a.clear();
        b.clear();
        if (op == 4 || op == 5)
            FUZZ_CHECK(!whole.busy());
    }
    return 0;
}
