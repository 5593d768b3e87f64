// The WDS state: the modem's 3GPP profiles, the simulated packet network
// (APNs it accepts, credentials it checks, the addresses it hands out), the
// data sessions the host started, per-client settings, and WDA's data
// format. Plain data plus the pure rules (which profile and APN a Start
// Network uses, what the network answers, which address a session gets),
// independent of QMI: timers, indications and layouts are in
// wds_service.cpp, wds_profiles.cpp and wds_tlv.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace qmisim
{

enum class IpFamily : std::uint8_t { V4 = 4, V6 = 6 };

// Numbered as QmiWdsPdpType.
enum class PdpType : std::uint8_t { Ipv4 = 0, Ppp = 1, Ipv6 = 2, Ipv4v6 = 3 };
// Whether a context of this PDP type can carry that family (PPP carries none).
bool pdp_allows(PdpType pdp, IpFamily family);

// Authentication bits as QmiWdsAuthentication.
inline constexpr std::uint8_t kAuthPap = 1;
inline constexpr std::uint8_t kAuthChap = 2;

// 3GPP TS 23.003: an APN has at most 100 octets. QMI's user name and
// password fields have at most 127.
inline constexpr std::size_t kMaxApnLength = 100;
inline constexpr std::size_t kMaxCredentialLength = 127;
inline constexpr std::size_t kMaxProfileNameLength = 32;

struct WdsProfile {
    std::string name;
    PdpType pdp = PdpType::Ipv4;
    std::string apn;
    std::string username;
    std::string password;
    std::uint8_t auth = 0;

    bool operator==(const WdsProfile &) const = default;
};

// A Create/Modify Profile request or "set wds.profile": fields left out stay.
struct ProfileUpdate {
    std::optional<std::string> name;
    std::optional<PdpType> pdp;
    std::optional<std::string> apn;
    std::optional<std::string> username;
    std::optional<std::string> password;
    std::optional<std::uint8_t> auth;

    // False if a field is out of range (too long, auth above PAP|CHAP).
    bool valid() const;
    void apply(WdsProfile &profile) const;
};

// 3GPP profiles 1..kMaxIndex. They live in the modem's NV: resets keep them.
class ProfileTable
{
  public:
    static constexpr std::uint8_t kMaxIndex = 16;

    // Profile 1 "default", APN "internet", IPv4v6, no authentication.
    ProfileTable();
    static WdsProfile factory_profile(std::uint8_t index);

    const std::map<std::uint8_t, WdsProfile> &all() const { return profiles_; }
    const WdsProfile *find(std::uint8_t index) const;
    // At the lowest free index; nullopt when all are in use.
    std::optional<std::uint8_t> create(const WdsProfile &profile);
    bool modify(std::uint8_t index, const ProfileUpdate &update);
    // Creates the profile at `index` (from an empty one) or modifies it.
    bool put(std::uint8_t index, const ProfileUpdate &update);
    bool remove(std::uint8_t index);
    // Back to what the factory put there (an empty IPv4 profile above 1).
    bool reset(std::uint8_t index);

    std::uint8_t default_index() const { return default_; }
    // False unless the profile exists.
    bool set_default(std::uint8_t index);

    static bool valid_index(unsigned index) { return index >= 1 && index <= kMaxIndex; }

  private:
    std::map<std::uint8_t, WdsProfile> profiles_;
    std::uint8_t default_ = 1;
};

using Ipv6Address = std::array<std::uint8_t, 16>;

struct Ipv4Settings {
    std::uint32_t address = 0x0A400102; // 10.64.1.2: the first session's
    std::uint8_t prefix = 24;
    std::uint32_t gateway = 0x0A400101; // 10.64.1.1
    std::vector<std::uint32_t> dns{0x0A000001, 0x0A000002};
};

struct Ipv6Settings {
    Ipv6Address address{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
    std::uint8_t prefix = 64;
    Ipv6Address gateway{0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    std::vector<Ipv6Address> dns{
        Ipv6Address{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        Ipv6Address{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};
};

struct Credentials {
    std::string username;
    std::string password;
    bool operator==(const Credentials &) const = default;
};

// The packet network behind the radio: survives resets.
struct PacketNetwork {
    // APNs the network knows, as typed; "*" accepts any.
    std::vector<std::string> apns{"internet", "ims", "mms"};
    // APN (lower case) -> the only credentials it accepts.
    std::map<std::string, Credentials> required_auth;
    Ipv4Settings ipv4;
    Ipv6Settings ipv6;
    unsigned mtu = 1500;
    unsigned connect_delay_ms = 50;
    unsigned max_sessions = 4;

    // APNs compare without regard to case (TS 23.003).
    bool accepts(std::string_view apn) const;
    // What an empty APN gets: the network's default, its first listed APN.
    std::string default_apn() const;
};

// What a Start Network request asked for; absent fields come from the profile.
struct CallRequest {
    std::optional<std::string> apn;
    std::optional<std::string> username;
    std::optional<std::string> password;
    std::optional<std::uint8_t> auth;
    std::optional<std::uint8_t> family;  // 4, 6, or 8 (unspecified)
    std::optional<std::uint8_t> profile; // 3GPP profile index
};

// A call the modem will try: the request completed from the profile.
struct CallPlan {
    IpFamily family = IpFamily::V4;
    std::uint8_t profile = 1;
    std::string apn;
    std::string username;
    std::string password;
    std::uint8_t auth = 0;

    bool operator==(const CallPlan &) const = default;
};

enum class CallRefusal {
    None,
    InvalidArgument, // a field out of range, an unknown IP family
    NoSuchProfile,   // the profile named (or the default one) does not exist
    PdpMismatch,     // the profile's PDP type cannot carry the IP family
    TooManySessions, // PacketNetwork::max_sessions reached
    UnknownApn,      // the network does not know the APN
    AuthFailed,      // the network rejected the credentials
};

struct PlanResult {
    std::optional<CallPlan> plan;
    CallRefusal refusal = CallRefusal::None;
};

// The modem's side: checks the request and fills it in from the profile
// (the one named, else the default). `client_family` is Set IP Family's.
PlanResult plan_call(const ProfileTable &profiles, const CallRequest &request,
                     IpFamily client_family);
// The network's side: UnknownApn, AuthFailed or None. An empty APN gets
// the network's default APN.
CallRefusal network_verdict(const PacketNetwork &network, const CallPlan &plan);

enum class SessionPhase { Connecting, Connected };

struct Session {
    std::uint8_t cid = 0; // the WDS client that started it
    CallPlan plan;
    SessionPhase phase = SessionPhase::Connecting;
    std::uint32_t handle = 0; // packet data handle, once connected
    unsigned slot = 0;        // the n-th address of its family
    std::uint8_t mux_id = 0;  // the QMAP mux its client was bound to (0: none)

    bool connected() const { return phase == SessionPhase::Connected; }
};

// At most one session per client (dual stack takes one client per family,
// as on real firmware).
class SessionTable
{
  public:
    const std::vector<Session> &all() const { return sessions_; }
    std::size_t size() const { return sessions_.size(); }
    Session *of_client(std::uint8_t cid);
    const Session *by_handle(std::uint32_t handle) const;

    // A connecting session with the lowest slot its family has free.
    Session &begin(std::uint8_t cid, const CallPlan &plan);
    // Connecting -> connected, with a packet data handle never given out before.
    std::uint32_t connect(std::uint8_t cid);
    std::optional<Session> end(std::uint8_t cid);
    // Forgets every session; handles keep counting.
    void clear() { sessions_.clear(); }

  private:
    std::vector<Session> sessions_;
    std::uint32_t handles_issued_ = 0;
};

// The address session `slot` gets: the configured one plus the slot.
std::uint32_t ipv4_address(const Ipv4Settings &settings, unsigned slot);
std::uint32_t ipv4_netmask(std::uint8_t prefix);
Ipv6Address ipv6_address(const Ipv6Settings &settings, unsigned slot);

// Per WDS client id (what Set IP Family and Set Event Report chose).
struct WdsClient {
    IpFamily family = IpFamily::V4;
    std::set<std::string> events;
    // Bind Mux Data Port: the QMAP mux id (1-254) its sessions use, and the
    // data endpoint named {QmiDataEndpointType, interface number}.
    std::uint8_t mux_id = 0;
    std::optional<std::pair<std::uint32_t, std::uint32_t>> endpoint;
};

// WDA data format (the numbers are QmiWdaLinkLayerProtocol and
// QmiWdaDataAggregationProtocol's). Back to 802.3 without aggregation at
// each boot.
struct DataFormat {
    bool qos = false;
    std::uint32_t link_layer = 1; // 802.3
    std::uint32_t ul_aggregation = 0;
    std::uint32_t dl_aggregation = 0;
    std::uint32_t dl_max_datagrams = 0;
    std::uint32_t dl_max_size = 0;
    std::uint32_t ul_max_datagrams = 0;
    std::uint32_t ul_max_size = 0;

    bool operator==(const DataFormat &) const = default;
};

struct WdaState {
    DataFormat format;
    std::set<std::uint32_t> link_layers{1, 2}; // what the firmware supports
    bool qmap = false;                         // QMAP aggregation available
};

struct WdsState {
    ProfileTable profiles;
    PacketNetwork network;
    SessionTable sessions;
    std::map<std::uint8_t, WdsClient> clients;
    WdaState wda;
};

// Text forms for the control socket.
std::string format_ipv4(std::uint32_t address);
std::optional<std::uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv6(const Ipv6Address &address);
std::optional<Ipv6Address> parse_ipv6(std::string_view text);
std::string pdp_name(PdpType pdp);                             // "ipv4", "ppp", "ipv6", "ipv4v6"
std::optional<PdpType> parse_pdp(std::string_view text);       // the same names
std::string auth_name(std::uint8_t auth);                      // "none", "pap", "chap", "pap,chap"
std::optional<std::uint8_t> parse_auth(std::string_view text); // the same names, "both"
// "name=<name> apn=<apn> pdp=<pdp> user=<user> auth=<auth>" (no password).
std::string describe_profile(const WdsProfile &profile);
// "apn=<apn> pdp=<pdp> name=<name> user=<user> password=<password> auth=<auth>",
// any subset, any order; nullopt (with `error`) for anything else.
std::optional<ProfileUpdate> parse_profile_fields(std::string_view text, std::string &error);
// "<handle>:<apn>:<ipv4|ipv6>:<cid>" per connected session (":mux<id>"
// appended for a client bound to a QMAP mux), or "none".
std::string describe_sessions(const SessionTable &sessions);

} // namespace qmisim
