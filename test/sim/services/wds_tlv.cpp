#include "wds_tlv.hpp"

#include "../glib_ptr.hpp"
#include "../tlv.hpp"

namespace qmisim::wds
{

namespace
{

std::uint8_t pdp_of(IpFamily family)
{
    return family == IpFamily::V4 ? QMI_WDS_PDP_TYPE_IPV4 : QMI_WDS_PDP_TYPE_IPV6;
}

} // namespace

void write_end_reason(QmiMessage *message, const EndReason &reason)
{
    TlvWriter{message, 0x10}.u16(reason.reason).done();
    TlvWriter{message, 0x11}.u16(reason.verbose_type).i16(reason.verbose_reason).done();
}

std::optional<std::string> read_string_tlv(QmiMessage *message, std::uint8_t type)
{
    ErrorSlot error;
    const gsize init = qmi_message_tlv_read_init(message, type, nullptr, error.out());
    if (!init)
        return std::nullopt;
    gsize offset = 0;
    gchar *raw = nullptr;
    if (!qmi_message_tlv_read_string(message, init, &offset, 0, 0, &raw, error.out()))
        return std::nullopt;
    GCharPtr owned{raw};
    return std::string{raw};
}

std::optional<std::uint32_t> read_u32_tlv(QmiMessage *message, std::uint8_t type)
{
    return TlvReader{message, type}.u32();
}

void write_u32_tlv(QmiMessage *message, std::uint8_t type, std::uint32_t value)
{
    TlvWriter{message, type}.u32(value).done();
}

CallRequest read_call_request(QmiMessage *request)
{
    CallRequest call;
    call.apn = read_string_tlv(request, 0x14);
    call.auth = read_u8_tlv(request, 0x16);
    call.username = read_string_tlv(request, 0x17);
    call.password = read_string_tlv(request, 0x18);
    call.family = read_u8_tlv(request, 0x19);
    call.profile = read_u8_tlv(request, 0x31);
    return call;
}

void write_packet_service_status(QmiMessage *indication, bool connected, IpFamily family,
                                 const std::optional<EndReason> &ended)
{
    TlvWriter{indication, 0x01}
        .u8(connected ? QMI_WDS_CONNECTION_STATUS_CONNECTED
                      : QMI_WDS_CONNECTION_STATUS_DISCONNECTED)
        .u8(0) // no reconfiguration required
        .done();
    if (ended)
        write_end_reason(indication, *ended);
    write_u8_tlv(indication, 0x12, static_cast<std::uint8_t>(family));
}

void write_current_settings(QmiMessage *response, std::uint32_t mask, const Session &session,
                            const WdsProfile *profile, const PacketNetwork &network)
{
    auto wanted = [mask](std::uint32_t bit) { return (mask & bit) != 0; };
    const bool v4 = session.plan.family == IpFamily::V4;

    if (wanted(QMI_WDS_REQUESTED_SETTINGS_PROFILE_ID))
        TlvWriter{response, 0x1F}.u8(QMI_WDS_PROFILE_TYPE_3GPP).u8(session.plan.profile).done();
    if (wanted(QMI_WDS_REQUESTED_SETTINGS_PROFILE_NAME) && profile)
        write_string_tlv(response, 0x10, profile->name);
    if (wanted(QMI_WDS_REQUESTED_SETTINGS_PDP_TYPE))
        write_u8_tlv(response, 0x11, pdp_of(session.plan.family));
    if (wanted(QMI_WDS_REQUESTED_SETTINGS_APN_NAME))
        write_string_tlv(response, 0x14, session.plan.apn);
    if (wanted(QMI_WDS_REQUESTED_SETTINGS_DNS_ADDRESS)) {
        // IPv4: 0x15, 0x16 as u32; IPv6: 0x27, 0x28 as 16 bytes.
        for (std::size_t i = 0; i < 2; i++) {
            const auto type = static_cast<std::uint8_t>((v4 ? 0x15 : 0x27) + i);
            if (v4 && i < network.ipv4.dns.size())
                write_u32_tlv(response, type, network.ipv4.dns[i]);
            else if (!v4 && i < network.ipv6.dns.size())
                TlvWriter{response, type}.bytes(network.ipv6.dns[i]).done();
        }
    }
    if (wanted(QMI_WDS_REQUESTED_SETTINGS_USERNAME) && !session.plan.username.empty())
        write_string_tlv(response, 0x1B, session.plan.username);
    if (wanted(QMI_WDS_REQUESTED_SETTINGS_AUTH_PROTOCOL))
        write_u8_tlv(response, 0x1D, session.plan.auth);
    if (wanted(QMI_WDS_REQUESTED_SETTINGS_IP_ADDRESS)) {
        if (v4)
            write_u32_tlv(response, 0x1E, ipv4_address(network.ipv4, session.slot));
        else
            TlvWriter{response, 0x25}
                .bytes(ipv6_address(network.ipv6, session.slot))
                .u8(network.ipv6.prefix)
                .done();
    }
    if (wanted(QMI_WDS_REQUESTED_SETTINGS_GATEWAY_INFO)) {
        if (v4) {
            write_u32_tlv(response, 0x20, network.ipv4.gateway);
            write_u32_tlv(response, 0x21, ipv4_netmask(network.ipv4.prefix));
        } else {
            TlvWriter{response, 0x26}.bytes(network.ipv6.gateway).u8(network.ipv6.prefix).done();
        }
    }
    if (wanted(QMI_WDS_REQUESTED_SETTINGS_MTU))
        write_u32_tlv(response, 0x29, network.mtu);
    if (wanted(QMI_WDS_REQUESTED_SETTINGS_IP_FAMILY))
        write_u8_tlv(response, 0x2B, static_cast<std::uint8_t>(session.plan.family));
}

ProfileUpdate read_profile_update(QmiMessage *request)
{
    ProfileUpdate update;
    update.name = read_string_tlv(request, 0x10);
    if (const auto pdp = read_u8_tlv(request, 0x11))
        update.pdp = static_cast<PdpType>(*pdp);
    update.apn = read_string_tlv(request, 0x14);
    update.username = read_string_tlv(request, 0x1B);
    update.password = read_string_tlv(request, 0x1C);
    update.auth = read_u8_tlv(request, 0x1D);
    return update;
}

void write_profile_settings(QmiMessage *response, const WdsProfile &profile)
{
    write_string_tlv(response, 0x10, profile.name);
    write_u8_tlv(response, 0x11, static_cast<std::uint8_t>(profile.pdp));
    write_string_tlv(response, 0x14, profile.apn);
    write_string_tlv(response, 0x1B, profile.username);
    write_string_tlv(response, 0x1C, profile.password);
    write_u8_tlv(response, 0x1D, profile.auth);
}

void write_profile_list(QmiMessage *response, const std::map<std::uint8_t, WdsProfile> &profiles)
{
    TlvWriter list{response, 0x01};
    list.u8(static_cast<std::uint8_t>(profiles.size()));
    for (const auto &[index, profile] : profiles)
        list.u8(QMI_WDS_PROFILE_TYPE_3GPP).u8(index).string8(profile.name);
    list.done();
}

MessagePtr profile_error(QmiMessage *request, QmiWdsDsProfileError error)
{
    MessagePtr response{qmi_message_response_new(request, QMI_PROTOCOL_ERROR_EXTENDED_INTERNAL)};
    TlvWriter{response.get(), 0xE0}.u16(static_cast<std::uint16_t>(error)).done();
    return response;
}

} // namespace qmisim::wds
