// nas.hpp on arbitrary values: operator names (any bytes), the PLMN text
// oFono shows and takes back for manual registration, signal strength,
// network time, technology and band preferences.
//
// Input: a selector byte, then what FuzzedDataProvider makes of the rest.
#include "harness.hpp"
#include "nas_checks.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <ctime>

using namespace fuzz;

namespace
{

void mcc_mnc_text(FuzzedDataProvider &p)
{
    const std::string mcc = p.ConsumeRandomLengthString(8);
    const std::string mnc = p.ConsumeRandomLengthString(8);
    std::uint16_t mcc_out = 0, mnc_out = 0;
    bool three = false;
    const bool ok = qmi::parse_mcc_mnc(mcc, mnc, mcc_out, mnc_out, three);
    const bool shape = mcc.size() == 3 && (mnc.size() == 2 || mnc.size() == 3) && all_digits(mcc) &&
                       all_digits(mnc);
    FUZZ_CHECK(ok == shape);
    if (!ok)
        return;
    FUZZ_CHECK(three == (mnc.size() == 3));
    FUZZ_CHECK(qmi::format_mcc(mcc_out) == mcc);
    FUZZ_CHECK(qmi::format_mnc(mnc_out, three) == mnc);
}

void strength(FuzzedDataProvider &p)
{
    const int dbm = p.ConsumeIntegralInRange<int>(-32768, 32767);
    for (auto f : {qmi::rssi_to_strength, qmi::rsrp_to_strength}) {
        const int s = f(dbm);
        FUZZ_CHECK(s >= 0 && s <= 100);
        FUZZ_CHECK(f(dbm + 1) >= s); // a stronger signal never shows weaker
    }
    qmi::SignalInfo info;
    if (p.ConsumeBool())
        info.gsm_rssi = p.ConsumeIntegral<std::int8_t>();
    if (p.ConsumeBool())
        info.umts_rssi = p.ConsumeIntegral<std::int8_t>();
    if (p.ConsumeBool())
        info.lte_rssi = p.ConsumeIntegral<std::int8_t>();
    if (p.ConsumeBool())
        info.lte_rsrp = p.ConsumeIntegral<std::int16_t>();
    check_strength(info);
}

void network_time(FuzzedDataProvider &p)
{
    // The ranges NAS's Network Time can carry.
    qmi::NetworkTime t{p.ConsumeIntegral<std::uint16_t>(),
                       p.ConsumeIntegral<std::uint8_t>(),
                       p.ConsumeIntegral<std::uint8_t>(),
                       p.ConsumeIntegral<std::uint8_t>(),
                       p.ConsumeIntegral<std::uint8_t>(),
                       p.ConsumeIntegral<std::uint8_t>(),
                       std::nullopt,
                       std::nullopt};
    if (p.ConsumeBool())
        t.tz_quarter_hours = p.ConsumeIntegral<std::int8_t>();
    if (p.ConsumeBool())
        t.dst_hours = p.ConsumeIntegral<std::uint8_t>();
    check_local_time(t);
    // A well-formed time: local time minus the offset is the network's UTC.
    t.year = static_cast<int>(1970 + t.year % 130);
    t.month = 1 + t.month % 12;
    t.day = 1 + t.day % 28;
    t.hour %= 24;
    t.minute %= 60;
    t.second %= 60;
    const qmi::LocalTime l = qmi::to_local_time(t);
    std::tm utc{}, local{};
    utc.tm_year = t.year - 1900;
    utc.tm_mon = t.month - 1;
    utc.tm_mday = t.day;
    utc.tm_hour = t.hour;
    utc.tm_min = t.minute;
    utc.tm_sec = t.second;
    local.tm_year = l.year - 1900;
    local.tm_mon = l.month - 1;
    local.tm_mday = l.day;
    local.tm_hour = l.hour;
    local.tm_min = l.minute;
    local.tm_sec = l.second;
    FUZZ_CHECK(timegm(&local) - timegm(&utc) == l.utc_offset_seconds);
}

void technologies(FuzzedDataProvider &p)
{
    std::vector<int> radio;
    const auto n = p.ConsumeIntegralInRange<std::size_t>(0, 8);
    for (std::size_t i = 0; i < n; ++i)
        radio.push_back(p.ConsumeIntegralInRange<int>(-1, 12));
    std::vector<int> caps;
    const auto m = p.ConsumeIntegralInRange<std::size_t>(0, 8);
    for (std::size_t i = 0; i < m; ++i)
        caps.push_back(p.ConsumeIntegralInRange<int>(0, 20));
    qmi::ServingSystem ss;
    ss.registration_state = p.ConsumeIntegralInRange<int>(0, 5);
    ss.roaming = p.ConsumeBool();
    ss.radio_interfaces = radio;
    ss.data_capabilities = caps;
    if (p.ConsumeBool())
        ss.lac = p.ConsumeIntegral<std::uint16_t>();
    if (p.ConsumeBool())
        ss.tac = p.ConsumeIntegral<std::uint16_t>();
    if (p.ConsumeBool())
        ss.cell_id = p.ConsumeIntegral<std::uint32_t>();
    check_registration(ss);
    // Listing an interface twice or in another order changes nothing.
    std::vector<int> twice = radio;
    twice.insert(twice.end(), radio.rbegin(), radio.rend());
    FUZZ_CHECK(qmi::to_access_tech(twice, caps) == qmi::to_access_tech(radio, caps));

    const unsigned mode = p.ConsumeIntegral<std::uint16_t>();
    const std::uint64_t band = p.ConsumeIntegral<std::uint64_t>();
    check_radio_settings(mode, band);
    const unsigned supported = qmi::radio_interfaces_to_mode_preference(radio);
    FUZZ_CHECK(qmi::mode_preference_to_available_rats(supported) <= 7);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    init();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return -1;
    FuzzedDataProvider p(data + 1, size - 1);
    switch (data[0] % 5) {
    case 0:
        check_operator_name(p.ConsumeRemainingBytesAsString());
        break;
    case 1:
        mcc_mnc_text(p);
        break;
    case 2: {
        const auto mcc = p.ConsumeIntegral<std::uint16_t>();
        const auto mnc = p.ConsumeIntegral<std::uint16_t>();
        check_plmn_text(mcc, mnc, p.ConsumeBool());
        strength(p);
        break;
    }
    case 3:
        network_time(p);
        break;
    default:
        technologies(p);
        break;
    }
    return 0;
}
