#include "hostile.hpp"

#include "names.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace qmisim
{

namespace
{

constexpr std::uint8_t kMarker = QMI_MESSAGE_QMUX_MARKER;
constexpr std::uint8_t kBroadcast = 0xFF;
constexpr std::size_t kKeptResponses = 32;

constexpr std::array<std::pair<HostileKind, std::string_view>, 11> kKinds{{
    {HostileKind::MissingTlv, "missing-tlv"},
    {HostileKind::BadEnum, "bad-enum"},
    {HostileKind::ShortTlv, "short-tlv"},
    {HostileKind::BadLength, "bad-length"},
    {HostileKind::UnknownService, "unknown-service"},
    {HostileKind::UnknownMessage, "unknown-message"},
    {HostileKind::DuplicateResponse, "duplicate-response"},
    {HostileKind::UnsolicitedResponse, "unsolicited-response"},
    {HostileKind::Flood, "flood"},
    {HostileKind::TruncatedFrame, "truncated-frame"},
    {HostileKind::Garbage, "garbage"},
}};

void put16(std::vector<std::uint8_t> &out, std::uint16_t v)
{
    out.push_back(static_cast<std::uint8_t>(v & 0xFF));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}

std::uint16_t get16(std::span<const std::uint8_t> b, std::size_t at)
{
    return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}

std::string hex(unsigned value, int width)
{
    char text[16];
    std::snprintf(text, sizeof text, "0x%0*X", width, value);
    return text;
}

std::string describe(const RawFrame &frame)
{
    return service_name(static_cast<QmiService>(frame.service)) + " " + hex(frame.message_id, 4) +
           " cid=" + std::to_string(frame.client) + " tid=" + std::to_string(frame.transaction);
}

// Draws uniformly from [lo, hi].
template <typename T> T uniform(std::mt19937 &rng, T lo, T hi)
{
    return static_cast<T>(std::uniform_int_distribution<long long>{
        static_cast<long long>(lo), static_cast<long long>(hi)}(rng));
}

template <typename C> auto &pick(std::mt19937 &rng, C &items)
{
    return items[uniform<std::size_t>(rng, 0, items.size() - 1)];
}

std::vector<std::uint8_t> random_bytes(std::mt19937 &rng, std::size_t n)
{
    std::vector<std::uint8_t> out(n);
    for (auto &b : out)
        b = uniform<std::uint8_t>(rng, 0, 0xFF);
    return out;
}

// The frame as the host should see it now: an indication goes to one of
// the current clients of its service (or to all of them), a response to
// the client that has that service.
void retarget(std::mt19937 &rng, RawFrame &frame, const std::vector<HostileTarget> &targets)
{
    if (frame.is_ctl())
        return;
    std::vector<std::uint8_t> cids;
    for (const auto &t : targets)
        if (t.service == frame.service)
            cids.push_back(t.cid);
    if (cids.empty())
        return;
    if (frame.is_indication() && uniform(rng, 0, 7) == 0)
        frame.client = kBroadcast;
    else
        frame.client = pick(rng, cids);
}

} // namespace

std::optional<HostileKind> parse_hostile_kind(std::string_view name)
{
    for (const auto &[kind, text] : kKinds)
        if (text == name)
            return kind;
    return std::nullopt;
}

std::string hostile_kind_name(HostileKind kind)
{
    for (const auto &[value, text] : kKinds)
        if (value == kind)
            return std::string{text};
    return "unknown";
}

std::set<HostileKind> default_hostile_kinds()
{
    std::set<HostileKind> kinds;
    for (const auto &[kind, text] : kKinds)
        if (kind != HostileKind::TruncatedFrame && kind != HostileKind::Garbage)
            kinds.insert(kind);
    return kinds;
}

std::optional<std::set<HostileKind>> parse_hostile_kinds(std::string_view list)
{
    if (list == "default")
        return default_hostile_kinds();
    std::set<HostileKind> kinds;
    if (list == "all") {
        for (const auto &[kind, text] : kKinds)
            kinds.insert(kind);
        return kinds;
    }
    std::size_t pos = 0;
    while (pos <= list.size()) {
        const auto end = std::min(list.find(',', pos), list.size());
        const auto name = list.substr(pos, end - pos);
        if (!name.empty()) {
            const auto kind = parse_hostile_kind(name);
            if (!kind)
                return std::nullopt;
            kinds.insert(*kind);
        }
        pos = end + 1;
    }
    if (kinds.empty())
        return std::nullopt;
    return kinds;
}

std::optional<RawFrame> RawFrame::parse(std::span<const std::uint8_t> b)
{
    // marker, QMUX length (2), QMUX flags, service, client
    if (b.size() < 6 || b[0] != kMarker || get16(b, 1) + 1u != b.size())
        return std::nullopt;
    RawFrame frame;
    frame.qmux_flags = b[3];
    frame.service = b[4];
    frame.client = b[5];
    std::size_t at = 6;
    if (frame.is_ctl()) {
        if (b.size() < at + 6)
            return std::nullopt;
        frame.qmi_flags = b[at];
        frame.transaction = b[at + 1];
        at += 2;
    } else {
        if (b.size() < at + 7)
            return std::nullopt;
        frame.qmi_flags = b[at];
        frame.transaction = get16(b, at + 1);
        at += 3;
    }
    frame.message_id = get16(b, at);
    const std::size_t area = get16(b, at + 2);
    at += 4;
    if (at + area != b.size())
        return std::nullopt;
    while (at < b.size()) {
        if (at + 3 > b.size())
            return std::nullopt;
        RawTlv tlv;
        tlv.type = b[at];
        const std::size_t len = get16(b, at + 1);
        at += 3;
        if (at + len > b.size())
            return std::nullopt;
        tlv.value.assign(b.begin() + static_cast<std::ptrdiff_t>(at),
                         b.begin() + static_cast<std::ptrdiff_t>(at + len));
        at += len;
        frame.tlvs.push_back(std::move(tlv));
    }
    return frame;
}

std::vector<std::uint8_t> RawFrame::encode() const
{
    std::vector<std::uint8_t> area;
    for (const auto &tlv : tlvs) {
        area.push_back(tlv.type);
        put16(area, tlv.declared_length.value_or(static_cast<std::uint16_t>(tlv.value.size())));
        area.insert(area.end(), tlv.value.begin(), tlv.value.end());
    }
    std::vector<std::uint8_t> qmi;
    qmi.push_back(qmi_flags);
    if (is_ctl())
        qmi.push_back(static_cast<std::uint8_t>(transaction));
    else
        put16(qmi, transaction);
    put16(qmi, message_id);
    put16(qmi, static_cast<std::uint16_t>(static_cast<int>(area.size()) + tlv_area_delta));
    qmi.insert(qmi.end(), area.begin(), area.end());

    std::vector<std::uint8_t> out{kMarker};
    put16(out, static_cast<std::uint16_t>(5 + qmi.size()));
    out.push_back(qmux_flags);
    out.push_back(service);
    out.push_back(client);
    out.insert(out.end(), qmi.begin(), qmi.end());
    return out;
}

std::string HostileBatch::summary() const
{
    std::string text = std::to_string(frames.size());
    for (const auto &[kind, n] : counts)
        text += " " + hostile_kind_name(kind) + "=" + std::to_string(n);
    return text;
}

void HostileSource::record(std::span<const std::uint8_t> bytes)
{
    auto frame = RawFrame::parse(bytes);
    if (!frame)
        return;
    if (frame->is_indication())
        indications_[{frame->service, frame->message_id}] = std::move(*frame);
    else if (frame->is_response()) {
        responses_.push_back(std::move(*frame));
        if (responses_.size() > kKeptResponses)
            responses_.pop_front();
    }
}

HostileBatch HostileSource::generate(std::size_t count, std::uint32_t seed,
                                     const std::set<HostileKind> &kinds,
                                     const std::vector<HostileTarget> &all_targets,
                                     const std::optional<std::set<QmiService>> &services) const
{
    HostileBatch batch;
    if (kinds.empty())
        return batch;
    std::mt19937 rng{seed};
    const std::vector<HostileKind> pool(kinds.begin(), kinds.end());
    auto allowed = [&](std::uint8_t service) {
        return !services || services->contains(static_cast<QmiService>(service));
    };
    const bool ctl_allowed = allowed(QMI_SERVICE_CTL);
    std::vector<HostileTarget> targets;
    for (const auto &t : all_targets)
        if (allowed(static_cast<std::uint8_t>(t.service)))
            targets.push_back(t);
    std::vector<const RawFrame *> indications;
    for (const auto &[key, frame] : indications_)
        if (allowed(frame.service))
            indications.push_back(&frame);
    std::vector<RawFrame> responses;
    for (const auto &frame : responses_)
        if (allowed(frame.service))
            responses.push_back(frame);

    auto emit = [&](HostileKind kind, std::vector<std::uint8_t> bytes, std::string note) {
        batch.frames.push_back(std::move(bytes));
        batch.notes.push_back(hostile_kind_name(kind) + " " + note);
        batch.counts[kind]++;
    };
    // A recorded indication (else a response) addressed to a current client.
    auto a_template = [&]() -> std::optional<RawFrame> {
        RawFrame frame;
        if (!indications.empty())
            frame = *pick(rng, indications);
        else if (!responses.empty())
            frame = pick(rng, responses);
        else
            return std::nullopt;
        retarget(rng, frame, targets);
        return frame;
    };
    // A well-formed indication no service defines, for a current client.
    auto unknown_message = [&]() {
        RawFrame frame;
        if (ctl_allowed && (targets.empty() || uniform(rng, 0, 7) == 0)) {
            frame.service = QMI_SERVICE_CTL;
            frame.client = kBroadcast;
            frame.qmi_flags = 0x02;
        } else if (!targets.empty()) {
            const auto &t = pick(rng, targets);
            frame.service = static_cast<std::uint8_t>(t.service);
            frame.client = uniform(rng, 0, 3) == 0 ? kBroadcast : t.cid;
            frame.qmi_flags = 0x04;
        } else {
            // Nothing allowed to address: a service nobody has a client of.
            frame.service = 0xDE;
            frame.client = kBroadcast;
            frame.qmi_flags = 0x04;
        }
        frame.message_id = uniform<std::uint16_t>(rng, 0x0100, 0x54FF);
        for (int i = uniform(rng, 0, 3); i > 0; --i)
            frame.tlvs.push_back({uniform<std::uint8_t>(rng, 0x01, 0x30),
                                  random_bytes(rng, uniform(rng, 0, 12)), std::nullopt});
        return frame;
    };

    while (batch.frames.size() < count) {
        HostileKind kind = pick(rng, pool);
        // One flood is many frames: draw it less often, so it makes up
        // about a third of the frames rather than most of them.
        if (kind == HostileKind::Flood && pool.size() > 1 && uniform(rng, 0, 7) != 0)
            continue;
        auto frame = a_template();
        // Kinds that break a recorded frame need one with something to break.
        const bool has_tlv = frame && !frame->tlvs.empty();
        if ((kind == HostileKind::MissingTlv || kind == HostileKind::BadEnum ||
             kind == HostileKind::ShortTlv || kind == HostileKind::Flood ||
             kind == HostileKind::BadLength || kind == HostileKind::TruncatedFrame) &&
            !frame)
            kind = HostileKind::UnknownMessage;
        if ((kind == HostileKind::MissingTlv || kind == HostileKind::BadEnum ||
             kind == HostileKind::ShortTlv) &&
            !has_tlv)
            kind = HostileKind::BadLength;
        if (kind == HostileKind::DuplicateResponse && responses.empty())
            kind = HostileKind::UnsolicitedResponse;

        switch (kind) {
        case HostileKind::MissingTlv: {
            if (uniform(rng, 0, 3) == 0) {
                frame->tlvs.clear();
                emit(kind, frame->encode(), describe(*frame) + " all TLVs removed");
            } else {
                const auto at = uniform<std::size_t>(rng, 0, frame->tlvs.size() - 1);
                const auto type = frame->tlvs[at].type;
                frame->tlvs.erase(frame->tlvs.begin() + static_cast<std::ptrdiff_t>(at));
                emit(kind, frame->encode(), describe(*frame) + " TLV " + hex(type, 2) + " removed");
            }
            break;
        }
        case HostileKind::BadEnum: {
            std::vector<RawTlv *> filled;
            for (auto &tlv : frame->tlvs)
                if (!tlv.value.empty())
                    filled.push_back(&tlv);
            if (filled.empty()) {
                emit(HostileKind::MissingTlv, (frame->tlvs.clear(), frame->encode()),
                     describe(*frame) + " all TLVs removed");
                break;
            }
            RawTlv &tlv = *pick(rng, filled);
            // Most QMI enums (and array counts) are a TLV's first byte.
            const auto at = uniform(rng, 0, 1) == 0
                                ? std::size_t{0}
                                : uniform<std::size_t>(rng, 0, tlv.value.size() - 1);
            static constexpr std::array<std::uint8_t, 4> kOutOfRange{0x7F, 0x80, 0xFE, 0xFF};
            const std::uint8_t value = uniform(rng, 0, 4) == 0
                                           ? uniform<std::uint8_t>(rng, 0x08, 0xFF)
                                           : pick(rng, kOutOfRange);
            tlv.value[at] = value;
            emit(kind, frame->encode(),
                 describe(*frame) + " TLV " + hex(tlv.type, 2) + "[" + std::to_string(at) +
                     "]=" + hex(value, 2));
            break;
        }
        case HostileKind::ShortTlv: {
            std::vector<RawTlv *> filled;
            for (auto &tlv : frame->tlvs)
                if (!tlv.value.empty())
                    filled.push_back(&tlv);
            if (filled.empty()) {
                frame->tlv_area_delta = 1;
                emit(HostileKind::BadLength, frame->encode(), describe(*frame) + " TLV area +1");
                break;
            }
            RawTlv &tlv = *pick(rng, filled);
            const auto keep = uniform<std::size_t>(rng, 0, tlv.value.size() - 1);
            const auto was = tlv.value.size();
            tlv.value.resize(keep);
            emit(kind, frame->encode(),
                 describe(*frame) + " TLV " + hex(tlv.type, 2) + " " + std::to_string(was) + "->" +
                     std::to_string(keep) + " bytes");
            break;
        }
        case HostileKind::BadLength: {
            // Always a frame libqmi rejects whole: the QMI header's TLV-area
            // length disagrees with the QMUX length, or the last TLV runs
            // past the end. (A TLV claiming too little would re-frame the
            // ones behind it into arbitrary TLVs: that is bad-enum's job.)
            if (frame->tlvs.empty() || uniform(rng, 0, 1) == 0) {
                int delta = uniform(rng, 1, 8);
                if (uniform(rng, 0, 1) == 0)
                    delta = -delta;
                frame->tlv_area_delta = delta;
                emit(kind, frame->encode(),
                     describe(*frame) + " TLV area " + (delta > 0 ? "+" : "") +
                         std::to_string(delta));
            } else {
                RawTlv &tlv = frame->tlvs.back();
                const auto actual = static_cast<int>(tlv.value.size());
                const int declared = actual + uniform(rng, 1, 16);
                tlv.declared_length = static_cast<std::uint16_t>(declared);
                emit(kind, frame->encode(),
                     describe(*frame) + " TLV " + hex(tlv.type, 2) + " claims " +
                         std::to_string(declared) + " of " + std::to_string(actual) + " bytes");
            }
            break;
        }
        case HostileKind::UnknownService: {
            std::set<std::uint8_t> used{QMI_SERVICE_CTL};
            for (const auto &t : all_targets)
                used.insert(static_cast<std::uint8_t>(t.service));
            RawFrame unknown;
            do
                unknown.service = uniform<std::uint8_t>(rng, 0x30, 0xDF);
            while (used.contains(unknown.service));
            unknown.client =
                uniform(rng, 0, 1) == 0 ? kBroadcast : uniform<std::uint8_t>(rng, 1, 8);
            unknown.qmi_flags = 0x04;
            unknown.message_id = uniform<std::uint16_t>(rng, 0x0001, 0x00FF);
            unknown.tlvs.push_back({0x01, random_bytes(rng, uniform(rng, 1, 8)), std::nullopt});
            emit(kind, unknown.encode(), describe(unknown));
            break;
        }
        case HostileKind::UnknownMessage: {
            const auto unknown = unknown_message();
            emit(kind, unknown.encode(), describe(unknown));
            break;
        }
        case HostileKind::DuplicateResponse: {
            const RawFrame &again = pick(rng, responses);
            emit(kind, again.encode(), describe(again));
            break;
        }
        case HostileKind::UnsolicitedResponse: {
            RawFrame reply;
            if (!responses.empty()) {
                reply = pick(rng, responses);
                retarget(rng, reply, targets);
            } else {
                const auto base = unknown_message();
                reply.service = base.service;
                reply.client = base.client == kBroadcast ? 1 : base.client;
                reply.qmi_flags = reply.is_ctl() ? 0x01 : 0x02;
                reply.message_id = uniform<std::uint16_t>(rng, 0x0001, 0x00FF);
                reply.tlvs.push_back({0x02, {0, 0, 0, 0}, std::nullopt});
            }
            reply.transaction = reply.is_ctl() ? uniform<std::uint16_t>(rng, 1, 0xFF)
                                               : uniform<std::uint16_t>(rng, 1, 0xFFFF);
            emit(kind, reply.encode(), describe(reply));
            break;
        }
        case HostileKind::Flood: {
            const auto bytes = frame->encode();
            const auto note = describe(*frame);
            const auto n = std::min<std::size_t>(uniform(rng, 10, 50), count - batch.frames.size());
            for (std::size_t i = 0; i < n; ++i)
                emit(kind, bytes, note + " " + std::to_string(i + 1) + "/" + std::to_string(n));
            break;
        }
        case HostileKind::TruncatedFrame: {
            auto bytes = frame->encode();
            const auto keep = uniform<std::size_t>(rng, 7, bytes.size() - 1);
            const auto was = bytes.size();
            bytes.resize(keep);
            emit(kind, std::move(bytes),
                 describe(*frame) + " " + std::to_string(keep) + " of " + std::to_string(was) +
                     " bytes");
            break;
        }
        case HostileKind::Garbage: {
            auto junk = random_bytes(rng, uniform(rng, 4, 16));
            for (auto &b : junk)
                if (b == kMarker)
                    b = 0x02;
            const auto note = std::to_string(junk.size()) + " bytes";
            emit(kind, std::move(junk), note);
            break;
        }
        }
    }
    return batch;
}

} // namespace qmisim
