#include "parser.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace qmi
{
namespace
{

std::string_view trim_right(std::string_view s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::string_view trim_left(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    return s;
}

// "+CME ERROR: 10" -> 10; "+CME ERROR: SIM not inserted" (AT+CMEE=2) -> -1.
int error_code(std::string_view rest)
{
    rest = trim_left(rest);
    if (rest.empty() || rest.size() > 5)
        return -1;
    int code = 0;
    for (char c : rest) {
        if (c < '0' || c > '9')
            return -1;
        code = code * 10 + (c - '0');
    }
    return code;
}

struct FinalWord {
    std::string_view text;
    AtFinalKind kind;
};

constexpr std::array<FinalWord, 6> kFinalWords{{
    {"OK", AtFinalKind::Ok},
    {"ERROR", AtFinalKind::Error},
    {"NO CARRIER", AtFinalKind::NoCarrier},
    {"BUSY", AtFinalKind::Busy},
    {"NO ANSWER", AtFinalKind::NoAnswer},
    {"NO DIALTONE", AtFinalKind::NoDialtone},
}};

constexpr std::string_view kCme = "+CME ERROR:";
constexpr std::string_view kCms = "+CMS ERROR:";
constexpr std::string_view kConnect = "CONNECT";

} // namespace

std::optional<AtFinal> classify_final(std::string_view raw)
{
    const std::string_view line = trim_right(raw);
    for (const auto &word : kFinalWords)
        if (line == word.text)
            return AtFinal{word.kind, -1, std::string(raw)};
    if (line.starts_with(kCme))
        return AtFinal{AtFinalKind::CmeError, error_code(line.substr(kCme.size())),
                       std::string(raw)};
    if (line.starts_with(kCms))
        return AtFinal{AtFinalKind::CmsError, error_code(line.substr(kCms.size())),
                       std::string(raw)};
    // "CONNECT" or "CONNECT <rate>", not "CONNECTED" or the like.
    if (line.starts_with(kConnect) &&
        (line.size() == kConnect.size() || line[kConnect.size()] == ' '))
        return AtFinal{AtFinalKind::Connect, -1, std::string(raw)};
    return std::nullopt;
}

void AtParser::add_unsolicited(std::string prefix)
{
    if (prefix.empty() ||
        std::find(unsolicited_.begin(), unsolicited_.end(), prefix) != unsolicited_.end())
        return;
    unsolicited_.push_back(std::move(prefix));
}

void AtParser::remove_unsolicited(std::string_view prefix)
{
    std::erase(unsolicited_, prefix);
}

void AtParser::begin(std::string command, std::string prefix, bool wants_prompt)
{
    busy_ = true;
    command_ = std::move(command);
    prefix_ = std::move(prefix);
    pdu_.clear();
    wants_prompt_ = wants_prompt;
}

void AtParser::pdu_sent(std::string pdu)
{
    if (busy_)
        pdu_ = std::move(pdu);
}

void AtParser::abandon()
{
    busy_ = false;
    command_.clear();
    prefix_.clear();
    pdu_.clear();
    wants_prompt_ = false;
}

void AtParser::reset()
{
    abandon();
    partial_.clear();
    overlong_ = false;
}

std::vector<AtEvent> AtParser::feed(std::string_view bytes)
{
    std::vector<AtEvent> out;
    for (const char c : bytes) {
        if (c == '\r' || c == '\n') {
            end_of_line(out);
            continue;
        }
        if (c == '\0')
            continue; // some modems pad with NULs after power-up
        if (partial_.size() >= kMaxLine) {
            overlong_ = true;
            continue;
        }
        partial_.push_back(c);
    }
    // The prompt has no line end: the modem waits for the PDU after it.
    if (busy_ && wants_prompt_ && partial_ == "> ") {
        partial_.clear();
        wants_prompt_ = false;
        out.push_back({AtEvent::Kind::Prompt, "> ", {}, {}});
    }
    return out;
}

void AtParser::end_of_line(std::vector<AtEvent> &out)
{
    if (partial_.empty())
        return;
    std::string line = std::move(partial_);
    partial_.clear();
    if (overlong_) {
        overlong_ = false;
        out.push_back({AtEvent::Kind::Unknown, std::move(line), {}, {}});
        return;
    }
    classify(std::move(line), out);
}

void AtParser::classify(std::string line, std::vector<AtEvent> &out)
{
    using Kind = AtEvent::Kind;
    const std::string *urc = unsolicited_prefix(line);
    if (!busy_) {
        if (urc)
            out.push_back({Kind::Unsolicited, std::move(line), {}, *urc});
        else
            out.push_back({Kind::Unknown, std::move(line), {}, {}});
        return;
    }
    if (is_echo(line))
        return;
    if (wants_prompt_ && trim_right(line) == ">") {
        wants_prompt_ = false;
        out.push_back({Kind::Prompt, std::move(line), {}, {}});
        return;
    }
    if (auto final = classify_final(line)) {
        abandon(); // the command is over
        out.push_back({Kind::Final, std::move(line), std::move(*final), {}});
        return;
    }
    // The command's own lines first: "+CREG:" may be both a response and a
    // registered URC.
    if (!prefix_.empty() && line.starts_with(prefix_))
        out.push_back({Kind::Intermediate, std::move(line), {}, {}});
    else if (urc)
        out.push_back({Kind::Unsolicited, std::move(line), {}, *urc});
    else if (prefix_.empty())
        out.push_back({Kind::Intermediate, std::move(line), {}, {}});
    else
        out.push_back({Kind::Unknown, std::move(line), {}, {}});
}

const std::string *AtParser::unsolicited_prefix(std::string_view line) const
{
    const std::string *best = nullptr;
    for (const auto &prefix : unsolicited_)
        if (line.starts_with(prefix) && (!best || prefix.size() > best->size()))
            best = &prefix;
    return best;
}

bool AtParser::is_echo(std::string_view line) const
{
    if (line == command_)
        return true;
    if (pdu_.empty())
        return false;
    // The modem echoes the PDU up to and with the Ctrl-Z that ends it.
    if (!line.empty() && line.back() == '\x1a')
        line.remove_suffix(1);
    return line == pdu_;
}

std::string printable(std::string_view line)
{
    std::string out;
    out.reserve(line.size());
    for (const char c : line) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f && c != '\\') {
            out.push_back(c);
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02x", u);
            out += hex;
        }
    }
    return out;
}

} // namespace qmi
