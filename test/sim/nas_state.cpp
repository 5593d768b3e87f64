#include "nas_state.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace qmisim
{

namespace
{

constexpr std::array<std::pair<Rat, std::string_view>, 4> kRatNames{{
    {Rat::None, "none"},
    {Rat::Gsm, "gsm"},
    {Rat::Umts, "umts"},
    {Rat::Lte, "lte"},
}};

// Mode preference bits by name; ours first, then the ones we only carry.
constexpr std::array<std::pair<std::uint16_t, std::string_view>, 7> kModeNames{{
    {QMI_NAS_RAT_MODE_PREFERENCE_CDMA_1X, "cdma-1x"},
    {QMI_NAS_RAT_MODE_PREFERENCE_CDMA_1XEVDO, "cdma-1xevdo"},
    {QMI_NAS_RAT_MODE_PREFERENCE_GSM, "gsm"},
    {QMI_NAS_RAT_MODE_PREFERENCE_UMTS, "umts"},
    {QMI_NAS_RAT_MODE_PREFERENCE_LTE, "lte"},
    {QMI_NAS_RAT_MODE_PREFERENCE_TD_SCDMA, "td-scdma"},
    {QMI_NAS_RAT_MODE_PREFERENCE_5GNR, "5gnr"},
}};

constexpr std::array<std::pair<QmiNasRegistrationState, std::string_view>, 5> kStateNames{{
    {QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED, "not-registered"},
    {QMI_NAS_REGISTRATION_STATE_REGISTERED, "registered"},
    {QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED_SEARCHING, "searching"},
    {QMI_NAS_REGISTRATION_STATE_REGISTRATION_DENIED, "denied"},
    {QMI_NAS_REGISTRATION_STATE_UNKNOWN, "unknown"},
}};

constexpr std::array<Rat, 3> kBestFirst{Rat::Lte, Rat::Umts, Rat::Gsm};

bool all_digits(std::string_view text)
{
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::uint16_t to_number(std::string_view digits)
{
    std::uint16_t n = 0;
    for (const char c : digits)
        n = static_cast<std::uint16_t>(n * 10 + (c - '0'));
    return n;
}

} // namespace

std::vector<NetworkOperator> NasWorld::default_operators()
{
    return {
        {{1, 1, false},
         "QMI-SIM Telecom",
         OperatorStatus::Available,
         {Rat::Gsm, Rat::Umts, Rat::Lte}},
        {{1, 2, false}, "Other Net", OperatorStatus::Available, {Rat::Gsm, Rat::Umts}},
        {{1, 3, false}, "Forbidden Net", OperatorStatus::Forbidden, {Rat::Lte}},
        {{310, 260, true}, "US Net", OperatorStatus::Available, {Rat::Lte}},
    };
}

std::string Plmn::mcc_text() const
{
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%03u", static_cast<unsigned>(mcc));
    return buffer;
}

std::string Plmn::mnc_text() const
{
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, three_digit_mnc ? "%03u" : "%02u",
                  static_cast<unsigned>(mnc));
    return buffer;
}

std::string Plmn::text() const
{
    return mcc_text() + " " + mnc_text();
}

std::string rat_name(Rat rat)
{
    for (const auto &[value, name] : kRatNames)
        if (value == rat)
            return std::string{name};
    return "none";
}

std::optional<Rat> parse_rat(std::string_view text)
{
    for (const auto &[value, name] : kRatNames)
        if (name == text && value != Rat::None)
            return value;
    return std::nullopt;
}

QmiNasRadioInterface radio_interface(Rat rat)
{
    switch (rat) {
    case Rat::Gsm:
        return QMI_NAS_RADIO_INTERFACE_GSM;
    case Rat::Umts:
        return QMI_NAS_RADIO_INTERFACE_UMTS;
    case Rat::Lte:
        return QMI_NAS_RADIO_INTERFACE_LTE;
    case Rat::None:
        break;
    }
    return QMI_NAS_RADIO_INTERFACE_NONE;
}

std::optional<Rat> rat_from_radio_interface(int value)
{
    for (const Rat rat : kBestFirst)
        if (radio_interface(rat) == value)
            return rat;
    return std::nullopt;
}

std::uint16_t mode_bit(Rat rat)
{
    switch (rat) {
    case Rat::Gsm:
        return kModeGsm;
    case Rat::Umts:
        return kModeUmts;
    case Rat::Lte:
        return kModeLte;
    case Rat::None:
        break;
    }
    return 0;
}

std::string mode_preference_text(std::uint16_t mask)
{
    std::string out;
    for (const auto &[bit, name] : kModeNames) {
        if (!(mask & bit))
            continue;
        if (!out.empty())
            out += ',';
        out += name;
    }
    return out.empty() ? "none" : out;
}

std::optional<std::uint16_t> parse_mode_preference(std::string_view text)
{
    std::uint16_t mask = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto end = std::min(text.find(',', pos), text.size());
        const auto name = text.substr(pos, end - pos);
        pos = end + 1;
        if (name.empty())
            continue;
        const auto it = std::find_if(kModeNames.begin(), kModeNames.end(),
                                     [&](const auto &entry) { return entry.second == name; });
        if (it == kModeNames.end())
            return std::nullopt;
        mask |= it->first;
    }
    if (!mask)
        return std::nullopt;
    return mask;
}

std::string registration_state_name(QmiNasRegistrationState state)
{
    for (const auto &[value, name] : kStateNames)
        if (value == state)
            return std::string{name};
    return "unknown";
}

std::optional<QmiNasRegistrationState> parse_registration_state(std::string_view text)
{
    for (const auto &[value, name] : kStateNames)
        if (name == text)
            return value;
    return std::nullopt;
}

std::optional<Plmn> parse_plmn(std::string_view mcc, std::string_view mnc)
{
    if (mcc.size() != 3 || !all_digits(mcc) || mnc.size() < 2 || mnc.size() > 3 || !all_digits(mnc))
        return std::nullopt;
    return Plmn{to_number(mcc), to_number(mnc), mnc.size() == 3};
}

Plmn plmn_from_qmi(std::uint16_t mcc, std::uint16_t mnc, std::optional<bool> pcs_digit)
{
    return Plmn{mcc, mnc, pcs_digit.value_or(mnc > 99)};
}

const NetworkOperator *find_operator(const NasWorld &world, const Plmn &plmn)
{
    for (const auto &op : world.operators)
        if (op.plmn == plmn)
            return &op;
    return nullptr;
}

Rat best_rat(const NetworkOperator &op, std::uint16_t mode_preference, std::optional<Rat> pinned)
{
    auto usable = [&](Rat rat) {
        return op.rats.contains(rat) && (mode_preference & mode_bit(rat));
    };
    if (pinned && usable(*pinned))
        return *pinned;
    for (const Rat rat : kBestFirst)
        if (usable(rat))
            return rat;
    return Rat::None;
}

std::optional<CampTarget> choose_target(const NasState &nas)
{
    const NasWorld &world = nas.world;
    const NasPreferences &prefs = nas.preferences;

    if (prefs.manual) {
        const NetworkOperator *op = find_operator(world, prefs.manual_plmn);
        if (!op)
            return std::nullopt;
        const Rat rat = best_rat(*op, prefs.mode_preference,
                                 prefs.manual_rat ? prefs.manual_rat : world.pinned_rat);
        if (rat == Rat::None)
            return std::nullopt;
        return CampTarget{op->plmn, rat, op->status == OperatorStatus::Forbidden};
    }

    // Automatic: a network flagged "current", then home, then any other
    // that is not forbidden, in list order.
    std::vector<const NetworkOperator *> candidates;
    for (const auto &op : world.operators)
        if (op.status == OperatorStatus::Current)
            candidates.push_back(&op);
    if (const NetworkOperator *home = find_operator(world, world.home);
        home && home->status != OperatorStatus::Forbidden)
        candidates.push_back(home);
    for (const auto &op : world.operators)
        if (op.status == OperatorStatus::Available)
            candidates.push_back(&op);
    for (const NetworkOperator *op : candidates) {
        const Rat rat = best_rat(*op, prefs.mode_preference, world.pinned_rat);
        if (rat != Rat::None)
            return CampTarget{op->plmn, rat, false};
    }
    return std::nullopt;
}

RegistrationView make_registration_view(const NasState &nas)
{
    const Camp &camp = nas.camp;
    RegistrationView view;
    view.online = camp.phase != CampPhase::Off;
    if (!view.online)
        return view;

    const bool camped = camp.phase == CampPhase::Camped;
    view.state = !camped       ? QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED_SEARCHING
                 : camp.denied ? QMI_NAS_REGISTRATION_STATE_REGISTRATION_DENIED
                               : QMI_NAS_REGISTRATION_STATE_REGISTERED;
    bool show_network = camped;
    if (const auto forced = nas.world.forced_state) {
        view.state = *forced;
        // Denied still names the network it was rejected by; the others have none.
        show_network = camped && *forced == QMI_NAS_REGISTRATION_STATE_REGISTRATION_DENIED;
    }
    if (!show_network)
        return view;

    const NasWorld &world = nas.world;
    view.rat = camp.rat;
    view.plmn = camp.plmn;
    if (const NetworkOperator *op = find_operator(world, camp.plmn)) {
        view.operator_name = op->name;
        view.forbidden = op->status == OperatorStatus::Forbidden;
    }
    view.roaming = world.roaming == RoamingMode::On ||
                   (world.roaming == RoamingMode::Auto && !(camp.plmn == world.home));
    view.lac = world.lac;
    view.tac = world.tac;
    view.cell_id = world.cell_id;
    return view;
}

SignalView make_signal_view(const NasState &nas, const RegistrationView &view)
{
    SignalView signal;
    signal.rat = view.rat;
    const SignalLevels &levels = nas.world.signal;
    switch (view.rat) {
    case Rat::Gsm:
        signal.rssi = levels.gsm_rssi;
        break;
    case Rat::Umts:
        signal.rssi = levels.umts_rssi;
        signal.ecio = levels.umts_ecio;
        break;
    case Rat::Lte:
        signal.rssi = levels.lte_rssi;
        signal.rsrq = levels.rsrq;
        signal.rsrp = levels.rsrp;
        signal.snr = levels.snr;
        break;
    case Rat::None:
        break;
    }
    return signal;
}

bool crosses(const std::vector<int> &thresholds, int before, int after)
{
    return std::any_of(thresholds.begin(), thresholds.end(),
                       [&](int t) { return (before >= t) != (after >= t); });
}

} // namespace qmisim
