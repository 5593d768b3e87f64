#include "nas_tlv.hpp"

#include "../glib_ptr.hpp"
#include "../tlv.hpp"

#include <algorithm>
#include <array>

namespace qmisim
{

namespace
{

std::uint8_t byte(int value)
{
    return static_cast<std::uint8_t>(value);
}

// Serving System: the response and the indication number their TLVs
// differently after 0x18.
struct ServingSystemIds {
    std::uint8_t lac;
    std::uint8_t cid;
    std::uint8_t detailed_status;
    std::uint8_t lte_tac;
    std::uint8_t mnc_pcs_digit;
};
constexpr ServingSystemIds kResponseIds{0x1C, 0x1D, 0x21, 0x24, 0x27};
constexpr ServingSystemIds kIndicationIds{0x1D, 0x1E, 0x22, 0x25, 0x29};

std::vector<QmiNasDataCapability> data_capabilities(Rat rat)
{
    switch (rat) {
    case Rat::Gsm:
        return {QMI_NAS_DATA_CAPABILITY_GPRS, QMI_NAS_DATA_CAPABILITY_EDGE};
    case Rat::Umts:
        return {QMI_NAS_DATA_CAPABILITY_WCDMA, QMI_NAS_DATA_CAPABILITY_HSDPA,
                QMI_NAS_DATA_CAPABILITY_HSUPA};
    case Rat::Lte:
        return {QMI_NAS_DATA_CAPABILITY_LTE};
    case Rat::None:
        break;
    }
    return {};
}

QmiNasServiceStatus service_status(const RegistrationView &view, Rat rat)
{
    if (view.rat != rat || rat == Rat::None)
        return QMI_NAS_SERVICE_STATUS_NONE;
    return view.registered() ? QMI_NAS_SERVICE_STATUS_AVAILABLE : QMI_NAS_SERVICE_STATUS_LIMITED;
}

// The fields that GSM, WCDMA and LTE System Info v2 share, up to the network id.
void write_common_system_info(TlvWriter &tlv, const RegistrationView &view, bool lac_valid)
{
    const bool denied = view.state == QMI_NAS_REGISTRATION_STATE_REGISTRATION_DENIED;
    const auto domain = view.registered() ? QMI_NAS_NETWORK_SERVICE_DOMAIN_CS_PS
                                          : QMI_NAS_NETWORK_SERVICE_DOMAIN_NONE;
    tlv.u8(1)
        .u8(domain)
        .u8(1)
        .u8(QMI_NAS_NETWORK_SERVICE_DOMAIN_CS_PS)
        .u8(1)
        .u8(view.roaming ? QMI_NAS_ROAMING_STATUS_ON : QMI_NAS_ROAMING_STATUS_OFF)
        .u8(1)
        .u8(view.forbidden ? 1 : 0)
        .u8(lac_valid ? 1 : 0)
        .u16(lac_valid ? view.lac : 0)
        .u8(1)
        .u32(view.cell_id)
        .u8(denied ? 1 : 0)
        .u8(denied ? QMI_NAS_NETWORK_SERVICE_DOMAIN_CS_PS : QMI_NAS_NETWORK_SERVICE_DOMAIN_NONE)
        .u8(denied ? QMI_NAS_REJECT_CAUSE_PLMN_NOT_ALLOWED : QMI_NAS_REJECT_CAUSE_NONE)
        .u8(1);
    const Plmn plmn = view.plmn.value_or(Plmn{});
    // Network id: 3 ASCII digits each; a 2-digit MNC is padded with 0xFF.
    tlv.fixed_string(plmn.mcc_text(), 3, '\0');
    tlv.fixed_string(plmn.mnc_text(), 3, static_cast<char>(0xFF));
}

constexpr std::uint16_t kPrimaryScramblingCode = 0x0123;

// 3GPP TS 23.038 default alphabet: these characters have their ASCII codes.
bool gsm7_same_as_ascii(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           std::string_view{" !\"#%&'()*+,-./:;<=>?"}.find(c) != std::string_view::npos;
}

// Packable as GSM 7-bit without ambiguity: a name whose last byte would hold
// a whole spare septet could be read back with a trailing '@'.
bool packable(const std::string &name)
{
    return std::all_of(name.begin(), name.end(), gsm7_same_as_ascii) && name.size() % 8 != 7;
}

std::string pack_gsm7(const std::string &name, std::uint8_t &spare_bits)
{
    std::string packed;
    unsigned accumulator = 0;
    int bits = 0;
    for (const char c : name) {
        accumulator |= static_cast<unsigned>(c & 0x7F) << bits;
        bits += 7;
        while (bits >= 8) {
            packed += static_cast<char>(accumulator & 0xFF);
            accumulator >>= 8;
            bits -= 8;
        }
    }
    spare_bits = 0;
    if (bits > 0) {
        packed += static_cast<char>(accumulator & 0xFF);
        spare_bits = static_cast<std::uint8_t>(8 - bits);
    }
    return packed;
}

std::string to_ucs2le(const std::string &name)
{
    std::string out;
    glong units = 0;
    Owned<gunichar2, g_free> utf16{g_utf8_to_utf16(name.c_str(), -1, nullptr, &units, nullptr)};
    for (glong i = 0; utf16 && i < units; i++) {
        out += static_cast<char>(utf16.get()[i] & 0xFF);
        out += static_cast<char>(utf16.get()[i] >> 8);
    }
    return out;
}

} // namespace

void write_serving_system(QmiMessage *message, const RegistrationView &view, ServingSystemKind kind)
{
    const ServingSystemIds &ids =
        kind == ServingSystemKind::Response ? kResponseIds : kIndicationIds;
    const bool camped = view.rat != Rat::None;
    const auto attach =
        view.registered() ? QMI_NAS_ATTACH_STATE_ATTACHED : QMI_NAS_ATTACH_STATE_DETACHED;
    TlvWriter serving{message, 0x01};
    serving.u8(view.state)
        .u8(attach)
        .u8(attach)
        .u8(view.online ? QMI_NAS_NETWORK_TYPE_3GPP : QMI_NAS_NETWORK_TYPE_UNKNOWN)
        .u8(camped ? 1 : 0);
    if (camped)
        serving.i8(static_cast<std::int8_t>(radio_interface(view.rat)));
    serving.done();

    if (view.online) {
        const auto status = service_status(view, view.rat);
        TlvWriter{message, ids.detailed_status}
            .u8(status)
            .u8(view.registered() ? QMI_NAS_NETWORK_SERVICE_DOMAIN_CS_PS
                                  : QMI_NAS_NETWORK_SERVICE_DOMAIN_NONE)
            .u8(QMI_NAS_SERVICE_STATUS_NONE) // HDR
            .u8(0)                           // HDR hybrid
            .u8(view.forbidden ? 1 : 0)
            .done();
    }
    if (!camped || !view.plmn)
        return;

    const Plmn &plmn = *view.plmn;
    if (view.registered()) {
        write_u8_tlv(message, 0x10,
                     view.roaming ? QMI_NAS_ROAMING_INDICATOR_STATUS_ON
                                  : QMI_NAS_ROAMING_INDICATOR_STATUS_OFF);
        const auto caps = data_capabilities(view.rat);
        TlvWriter data{message, 0x11};
        data.u8(static_cast<std::uint8_t>(caps.size()));
        for (const auto cap : caps)
            data.u8(cap);
        data.done();
    }
    TlvWriter{message, 0x12}.u16(plmn.mcc).u16(plmn.mnc).string8(view.operator_name).done();
    if (view.rat == Rat::Lte)
        TlvWriter{message, ids.lte_tac}.u16(view.tac).done();
    else
        TlvWriter{message, ids.lac}.u16(view.lac).done();
    TlvWriter{message, ids.cid}.u32(view.cell_id).done();
    TlvWriter{message, ids.mnc_pcs_digit}
        .u16(plmn.mcc)
        .u16(plmn.mnc)
        .u8(plmn.three_digit_mnc ? 1 : 0)
        .done();
}

void write_system_info(QmiMessage *message, const RegistrationView &view)
{
    constexpr std::array<std::pair<Rat, std::uint8_t>, 3> kStatusTlvs{
        {{Rat::Gsm, 0x12}, {Rat::Umts, 0x13}, {Rat::Lte, 0x14}}};
    for (const auto &[rat, type] : kStatusTlvs) {
        const auto status = service_status(view, rat);
        TlvWriter{message, type}
            .u8(status)
            .u8(status)
            .u8(status == QMI_NAS_SERVICE_STATUS_AVAILABLE ? 1 : 0)
            .done();
    }

    switch (view.rat) {
    case Rat::Gsm: {
        TlvWriter info{message, 0x17};
        write_common_system_info(info, view, true);
        info.u8(1).u8(1).u8(1).u8(0).done(); // EGPRS yes, DTM no
        break;
    }
    case Rat::Umts: {
        TlvWriter info{message, 0x18};
        write_common_system_info(info, view, true);
        info.u8(1)
            .u8(QMI_NAS_WCDMA_HS_SERVICE_HSDPA_HSUPA_SUPPORTED) // HS call status
            .u8(1)
            .u8(QMI_NAS_WCDMA_HS_SERVICE_HSDPA_HSUPA_SUPPORTED) // HS service
            .u8(1)
            .u16(kPrimaryScramblingCode)
            .done();
        break;
    }
    case Rat::Lte: {
        TlvWriter info{message, 0x19};
        write_common_system_info(info, view, false);
        info.u8(1).u16(view.tac).done();
        break;
    }
    case Rat::None:
        break;
    }
}

void write_signal_info(QmiMessage *message, const SignalView &signal)
{
    switch (signal.rat) {
    case Rat::Gsm:
        TlvWriter{message, 0x12}.i8(static_cast<std::int8_t>(signal.rssi)).done();
        break;
    case Rat::Umts:
        TlvWriter{message, 0x13}
            .i8(static_cast<std::int8_t>(signal.rssi))
            .i16(static_cast<std::int16_t>(signal.ecio))
            .done();
        break;
    case Rat::Lte:
        TlvWriter{message, 0x14}
            .i8(static_cast<std::int8_t>(signal.rssi))
            .i8(static_cast<std::int8_t>(signal.rsrq))
            .i16(static_cast<std::int16_t>(signal.rsrp))
            .i16(static_cast<std::int16_t>(signal.snr))
            .done();
        break;
    case Rat::None:
        break;
    }
}

void write_signal_strength(QmiMessage *message, const SignalView &signal,
                           std::uint16_t request_mask)
{
    const auto iface = static_cast<std::int8_t>(radio_interface(signal.rat));
    TlvWriter{message, 0x01}.i8(static_cast<std::int8_t>(signal.rssi)).i8(iface).done();
    if (request_mask & QMI_NAS_SIGNAL_STRENGTH_REQUEST_RSSI)
        TlvWriter{message, 0x11}.u16(1).u8(byte(-signal.rssi)).i8(iface).done();
    if ((request_mask & QMI_NAS_SIGNAL_STRENGTH_REQUEST_ECIO) && signal.rat == Rat::Umts)
        TlvWriter{message, 0x12}.u16(1).u8(byte(signal.ecio)).i8(iface).done();
    if (signal.rat != Rat::Lte)
        return;
    if (request_mask & QMI_NAS_SIGNAL_STRENGTH_REQUEST_RSRQ)
        TlvWriter{message, 0x16}.i8(static_cast<std::int8_t>(signal.rsrq)).i8(iface).done();
    if (request_mask & QMI_NAS_SIGNAL_STRENGTH_REQUEST_LTE_SNR)
        TlvWriter{message, 0x17}.i16(static_cast<std::int16_t>(signal.snr)).done();
    if (request_mask & QMI_NAS_SIGNAL_STRENGTH_REQUEST_LTE_RSRP)
        TlvWriter{message, 0x18}.i16(static_cast<std::int16_t>(signal.rsrp)).done();
}

void write_event_signal_strength(QmiMessage *message, const SignalView &signal)
{
    TlvWriter{message, 0x10}
        .i8(static_cast<std::int8_t>(signal.rssi))
        .i8(static_cast<std::int8_t>(radio_interface(signal.rat)))
        .done();
}

void write_event_rssi(QmiMessage *message, const SignalView &signal)
{
    TlvWriter{message, 0x13}
        .u8(byte(-signal.rssi))
        .i8(static_cast<std::int8_t>(radio_interface(signal.rat)))
        .done();
}

void write_event_lte_rsrp(QmiMessage *message, const SignalView &signal)
{
    TlvWriter{message, 0x1A}.i16(static_cast<std::int16_t>(signal.rsrp)).done();
}

void write_event_lte_snr(QmiMessage *message, const SignalView &signal)
{
    TlvWriter{message, 0x19}.i16(static_cast<std::int16_t>(signal.snr)).done();
}

void write_system_selection_preference(QmiMessage *message, const NasPreferences &prefs)
{
    write_u8_tlv(message, 0x10, 0); // emergency mode off
    TlvWriter{message, 0x11}.u16(prefs.mode_preference).done();
    TlvWriter{message, 0x12}.u64(prefs.band_preference).done();
    TlvWriter{message, 0x14}.u16(prefs.roaming_preference).done();
    TlvWriter{message, 0x15}.u64(prefs.lte_band_preference).done();
    write_u8_tlv(message, 0x16,
                 prefs.manual ? QMI_NAS_NETWORK_SELECTION_PREFERENCE_MANUAL
                              : QMI_NAS_NETWORK_SELECTION_PREFERENCE_AUTOMATIC);
    TlvWriter{message, 0x18}.u32(prefs.service_domain_preference).done();
    TlvWriter{message, 0x19}.u32(QMI_NAS_GSM_WCDMA_ACQUISITION_ORDER_PREFERENCE_AUTOMATIC).done();
    if (prefs.manual)
        TlvWriter{message, 0x1B}
            .u16(prefs.manual_plmn.mcc)
            .u16(prefs.manual_plmn.mnc)
            .u8(prefs.manual_plmn.three_digit_mnc ? 1 : 0)
            .done();
    TlvWriter order{message, 0x1C};
    std::vector<Rat> rats;
    for (const Rat rat : {Rat::Lte, Rat::Umts, Rat::Gsm})
        if (prefs.mode_preference & mode_bit(rat))
            rats.push_back(rat);
    order.u8(static_cast<std::uint8_t>(rats.size()));
    for (const Rat rat : rats)
        order.i8(static_cast<std::int8_t>(radio_interface(rat)));
    order.done();
}

void write_home_network(QmiMessage *message, const Plmn &plmn, const std::string &name)
{
    TlvWriter{message, 0x01}.u16(plmn.mcc).u16(plmn.mnc).string8(name).done();
    TlvWriter{message, 0x12}.u8(1).u8(plmn.three_digit_mnc ? 1 : 0).done(); // 3GPP
}

void write_operator_name(QmiMessage *message, const OperatorNames &names)
{
    if (!names.spn.empty())
        TlvWriter{message, 0x10}
            .u8(QMI_NAS_NETWORK_NAME_DISPLAY_CONDITION_DISPLAY_REGISTERED_PLMN_IF_KNOWN_NETWORK)
            .string8(names.spn)
            .done();
    if (names.long_name.empty() && names.short_name.empty())
        return;
    // NITZ information. Names in the plain GSM subset are packed 7-bit, as
    // most networks send them; otherwise both are UCS-2 (one encoding field).
    const bool gsm7 = packable(names.long_name) && packable(names.short_name);
    std::uint8_t long_spare = 0;
    std::uint8_t short_spare = 0;
    const std::string long_bytes =
        gsm7 ? pack_gsm7(names.long_name, long_spare) : to_ucs2le(names.long_name);
    const std::string short_bytes =
        gsm7 ? pack_gsm7(names.short_name, short_spare) : to_ucs2le(names.short_name);
    TlvWriter{message, 0x14}
        .u8(gsm7 ? QMI_NAS_PLMN_ENCODING_SCHEME_GSM : QMI_NAS_PLMN_ENCODING_SCHEME_UCS2LE)
        .u8(QMI_NAS_PLMN_NAME_COUNTRY_INITIALS_DO_NOT_ADD)
        .u8(long_spare)
        .u8(short_spare)
        .bytes8(long_bytes)
        .bytes8(short_bytes)
        .done();
}

void write_network_time(QmiMessage *message, const NetworkTime &time)
{
    TlvWriter{message, 0x01}
        .u16(time.year)
        .u8(time.month)
        .u8(time.day)
        .u8(time.hour)
        .u8(time.minute)
        .u8(time.second)
        .u8(time.day_of_week)
        .done();
    TlvWriter{message, 0x10}.i8(time.tz_quarter_hours).done();
    write_u8_tlv(message, 0x11, time.dst_hours);
    if (time.rat != Rat::None)
        TlvWriter{message, 0x12}.i8(static_cast<std::int8_t>(radio_interface(time.rat))).done();
}

void write_scan_results(QmiMessage *message, const std::vector<ScanEntry> &entries)
{
    const auto count = static_cast<std::uint16_t>(entries.size());
    TlvWriter info{message, 0x10};
    info.u16(count);
    for (const auto &e : entries)
        info.u16(e.plmn.mcc).u16(e.plmn.mnc).u8(e.status).string8(e.name);
    info.done();

    TlvWriter rats{message, 0x11};
    rats.u16(count);
    for (const auto &e : entries)
        rats.u16(e.plmn.mcc).u16(e.plmn.mnc).i8(static_cast<std::int8_t>(radio_interface(e.rat)));
    rats.done();

    TlvWriter pcs{message, 0x12};
    pcs.u16(count);
    for (const auto &e : entries)
        pcs.u16(e.plmn.mcc).u16(e.plmn.mnc).u8(e.plmn.three_digit_mnc ? 1 : 0);
    pcs.done();

    TlvWriter{message, 0x13}.u32(QMI_NAS_NETWORK_SCAN_RESULT_SUCCESS).done();
}

} // namespace qmisim
