#include "wds_sessions.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace qmisim
{

namespace
{

// Handles look like firmware's: large, and never 0.
constexpr std::uint32_t kHandleBase = 0x80000000;

std::string lower(std::string_view text)
{
    std::string out{text};
    for (char &c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool fits(const std::optional<std::string> &text, std::size_t max)
{
    return !text || text->size() <= max;
}

} // namespace

bool pdp_allows(PdpType pdp, IpFamily family)
{
    switch (pdp) {
    case PdpType::Ipv4:
        return family == IpFamily::V4;
    case PdpType::Ipv6:
        return family == IpFamily::V6;
    case PdpType::Ipv4v6:
        return true;
    case PdpType::Ppp:
        break;
    }
    return false;
}

// --- profiles

bool ProfileUpdate::valid() const
{
    return fits(name, kMaxProfileNameLength) && fits(apn, kMaxApnLength) &&
           fits(username, kMaxCredentialLength) && fits(password, kMaxCredentialLength) &&
           (!auth || *auth <= (kAuthPap | kAuthChap)) && (!pdp || *pdp <= PdpType::Ipv4v6);
}

void ProfileUpdate::apply(WdsProfile &profile) const
{
    if (name)
        profile.name = *name;
    if (pdp)
        profile.pdp = *pdp;
    if (apn)
        profile.apn = *apn;
    if (username)
        profile.username = *username;
    if (password)
        profile.password = *password;
    if (auth)
        profile.auth = *auth;
}

ProfileTable::ProfileTable()
{
    profiles_[1] = factory_profile(1);
}

WdsProfile ProfileTable::factory_profile(std::uint8_t index)
{
    if (index != 1)
        return {};
    WdsProfile profile;
    profile.name = "default";
    profile.pdp = PdpType::Ipv4v6;
    profile.apn = "internet";
    return profile;
}

const WdsProfile *ProfileTable::find(std::uint8_t index) const
{
    const auto it = profiles_.find(index);
    return it == profiles_.end() ? nullptr : &it->second;
}

std::optional<std::uint8_t> ProfileTable::create(const WdsProfile &profile)
{
    for (std::uint8_t index = 1; index <= kMaxIndex; index++) {
        if (!profiles_.contains(index)) {
            profiles_[index] = profile;
            return index;
        }
    }
    return std::nullopt;
}

bool ProfileTable::modify(std::uint8_t index, const ProfileUpdate &update)
{
    const auto it = profiles_.find(index);
    if (it == profiles_.end())
        return false;
    update.apply(it->second);
    return true;
}

bool ProfileTable::put(std::uint8_t index, const ProfileUpdate &update)
{
    if (!valid_index(index))
        return false;
    update.apply(profiles_[index]);
    return true;
}

bool ProfileTable::remove(std::uint8_t index)
{
    return profiles_.erase(index) > 0;
}

bool ProfileTable::reset(std::uint8_t index)
{
    const auto it = profiles_.find(index);
    if (it == profiles_.end())
        return false;
    it->second = factory_profile(index);
    return true;
}

bool ProfileTable::set_default(std::uint8_t index)
{
    if (!profiles_.contains(index))
        return false;
    default_ = index;
    return true;
}

// --- the network

bool PacketNetwork::accepts(std::string_view apn) const
{
    const std::string wanted = lower(apn);
    return std::any_of(apns.begin(), apns.end(), [&](const std::string &known) {
        return known == "*" || lower(known) == wanted;
    });
}

std::string PacketNetwork::default_apn() const
{
    for (const auto &apn : apns)
        if (apn != "*")
            return apn;
    return {};
}

PlanResult plan_call(const ProfileTable &profiles, const CallRequest &request,
                     IpFamily client_family)
{
    PlanResult result;
    const bool in_range = fits(request.apn, kMaxApnLength) &&
                          fits(request.username, kMaxCredentialLength) &&
                          fits(request.password, kMaxCredentialLength) &&
                          (!request.auth || *request.auth <= (kAuthPap | kAuthChap));
    IpFamily family = client_family;
    if (request.family == 4)
        family = IpFamily::V4;
    else if (request.family == 6)
        family = IpFamily::V6;
    if (!in_range ||
        (request.family && *request.family != 4 && *request.family != 6 && *request.family != 8)) {
        result.refusal = CallRefusal::InvalidArgument;
        return result;
    }

    const std::uint8_t index = request.profile.value_or(profiles.default_index());
    const WdsProfile *profile = profiles.find(index);
    if (!profile) {
        result.refusal = CallRefusal::NoSuchProfile;
        return result;
    }
    if (!pdp_allows(profile->pdp, family)) {
        result.refusal = CallRefusal::PdpMismatch;
        return result;
    }

    CallPlan plan;
    plan.family = family;
    plan.profile = index;
    plan.apn = request.apn && !request.apn->empty() ? *request.apn : profile->apn;
    plan.username = request.username.value_or(profile->username);
    plan.password = request.password.value_or(profile->password);
    // Credentials without a preference are offered for PAP and CHAP.
    plan.auth = request.auth       ? *request.auth
                : request.username ? kAuthPap | kAuthChap
                                   : profile->auth;
    result.plan = std::move(plan);
    return result;
}

CallRefusal network_verdict(const PacketNetwork &network, const CallPlan &plan)
{
    const std::string apn = plan.apn.empty() ? network.default_apn() : plan.apn;
    if (!network.accepts(apn))
        return CallRefusal::UnknownApn;
    const auto required = network.required_auth.find(lower(apn));
    if (required == network.required_auth.end())
        return CallRefusal::None;
    // Without PAP or CHAP the modem sends no credentials at all.
    if (plan.auth == 0 || plan.username != required->second.username ||
        plan.password != required->second.password)
        return CallRefusal::AuthFailed;
    return CallRefusal::None;
}

// --- sessions

Session *SessionTable::of_client(std::uint8_t cid)
{
    const auto it = std::find_if(sessions_.begin(), sessions_.end(),
                                 [cid](const Session &s) { return s.cid == cid; });
    return it == sessions_.end() ? nullptr : &*it;
}

const Session *SessionTable::by_handle(std::uint32_t handle) const
{
    const auto it = std::find_if(sessions_.begin(), sessions_.end(), [handle](const Session &s) {
        return s.connected() && s.handle == handle;
    });
    return it == sessions_.end() ? nullptr : &*it;
}

Session &SessionTable::begin(std::uint8_t cid, const CallPlan &plan)
{
    unsigned slot = 0;
    auto taken = [&](unsigned n) {
        return std::any_of(sessions_.begin(), sessions_.end(), [&](const Session &s) {
            return s.plan.family == plan.family && s.slot == n;
        });
    };
    while (taken(slot))
        slot++;
    Session &session = sessions_.emplace_back();
    session.cid = cid;
    session.plan = plan;
    session.slot = slot;
    return session;
}

std::uint32_t SessionTable::connect(std::uint8_t cid)
{
    Session *session = of_client(cid);
    if (!session)
        return 0;
    session->phase = SessionPhase::Connected;
    session->handle = kHandleBase + ++handles_issued_;
    return session->handle;
}

std::optional<Session> SessionTable::end(std::uint8_t cid)
{
    const auto it = std::find_if(sessions_.begin(), sessions_.end(),
                                 [cid](const Session &s) { return s.cid == cid; });
    if (it == sessions_.end())
        return std::nullopt;
    Session ended = *it;
    sessions_.erase(it);
    return ended;
}

// --- addresses

std::uint32_t ipv4_address(const Ipv4Settings &settings, unsigned slot)
{
    return settings.address + slot;
}

std::uint32_t ipv4_netmask(std::uint8_t prefix)
{
    return prefix == 0 ? 0 : prefix >= 32 ? 0xFFFFFFFF : ~((1U << (32 - prefix)) - 1);
}

Ipv6Address ipv6_address(const Ipv6Settings &settings, unsigned slot)
{
    Ipv6Address address = settings.address;
    unsigned carry = slot;
    for (auto byte = address.rbegin(); byte != address.rend() && carry; ++byte) {
        const unsigned sum = *byte + (carry & 0xFF);
        *byte = static_cast<std::uint8_t>(sum);
        carry = (carry >> 8) + (sum >> 8);
    }
    return address;
}

// --- text

std::string format_ipv4(std::uint32_t address)
{
    const in_addr raw{htonl(address)};
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &raw, text, sizeof text);
    return text;
}

std::optional<std::uint32_t> parse_ipv4(std::string_view text)
{
    in_addr raw{};
    if (inet_pton(AF_INET, std::string{text}.c_str(), &raw) != 1)
        return std::nullopt;
    return ntohl(raw.s_addr);
}

std::string format_ipv6(const Ipv6Address &address)
{
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, address.data(), text, sizeof text);
    return text;
}

std::optional<Ipv6Address> parse_ipv6(std::string_view text)
{
    Ipv6Address address{};
    if (inet_pton(AF_INET6, std::string{text}.c_str(), address.data()) != 1)
        return std::nullopt;
    return address;
}

std::string pdp_name(PdpType pdp)
{
    switch (pdp) {
    case PdpType::Ipv4:
        return "ipv4";
    case PdpType::Ppp:
        return "ppp";
    case PdpType::Ipv6:
        return "ipv6";
    case PdpType::Ipv4v6:
        break;
    }
    return "ipv4v6";
}

std::optional<PdpType> parse_pdp(std::string_view text)
{
    for (const PdpType pdp : {PdpType::Ipv4, PdpType::Ppp, PdpType::Ipv6, PdpType::Ipv4v6})
        if (text == pdp_name(pdp))
            return pdp;
    return std::nullopt;
}

std::string auth_name(std::uint8_t auth)
{
    switch (auth) {
    case 0:
        return "none";
    case kAuthPap:
        return "pap";
    case kAuthChap:
        return "chap";
    default:
        return "pap,chap";
    }
}

std::optional<std::uint8_t> parse_auth(std::string_view text)
{
    if (text == "both")
        return kAuthPap | kAuthChap;
    for (std::uint8_t auth = 0; auth <= (kAuthPap | kAuthChap); auth++)
        if (text == auth_name(auth))
            return auth;
    return std::nullopt;
}

std::string describe_profile(const WdsProfile &profile)
{
    return "name=" + profile.name + " apn=" + profile.apn + " pdp=" + pdp_name(profile.pdp) +
           " user=" + profile.username + " auth=" + auth_name(profile.auth);
}

std::optional<ProfileUpdate> parse_profile_fields(std::string_view text, std::string &error)
{
    ProfileUpdate update;
    std::istringstream in{std::string{text}};
    std::string field;
    while (in >> field) {
        const auto equals = field.find('=');
        if (equals == std::string::npos) {
            error = "expected <field>=<value>, got '" + field + "'";
            return std::nullopt;
        }
        const std::string key = field.substr(0, equals);
        std::string value = field.substr(equals + 1);
        if (key == "name") {
            update.name = std::move(value);
        } else if (key == "apn") {
            update.apn = std::move(value);
        } else if (key == "user") {
            update.username = std::move(value);
        } else if (key == "password") {
            update.password = std::move(value);
        } else if (key == "pdp") {
            update.pdp = parse_pdp(value);
            if (!update.pdp) {
                error = "pdp is ipv4, ipv6, ipv4v6 or ppp";
                return std::nullopt;
            }
        } else if (key == "auth") {
            update.auth = parse_auth(value);
            if (!update.auth) {
                error = "auth is none, pap, chap or both";
                return std::nullopt;
            }
        } else {
            error = "unknown field '" + key + "' (name, apn, pdp, user, password, auth)";
            return std::nullopt;
        }
    }
    if (!update.valid()) {
        error = "a value is too long";
        return std::nullopt;
    }
    return update;
}

std::string describe_sessions(const SessionTable &sessions)
{
    std::string out;
    for (const Session &s : sessions.all()) {
        if (!s.connected())
            continue;
        out += (out.empty() ? "" : " ") + std::to_string(s.handle) + ":" + s.plan.apn + ":" +
               (s.plan.family == IpFamily::V4 ? "ipv4" : "ipv6") + ":" + std::to_string(s.cid) +
               (s.mux_id ? ":mux" + std::to_string(s.mux_id) : "");
    }
    return out.empty() ? "none" : out;
}

} // namespace qmisim
