// WDS profiles: the modem's 3GPP profiles (create, modify, delete, list,
// read, the default one) and the LTE attach parameters that follow the
// default profile. 3GPP2 profiles do not exist on this modem.
#include "wds_service.hpp"

#include "../tlv.hpp"

namespace qmisim
{

using namespace wds;

namespace
{

QmiWdsIpSupportType ip_support(PdpType pdp)
{
    switch (pdp) {
    case PdpType::Ipv6:
        return QMI_WDS_IP_SUPPORT_TYPE_IPV6;
    case PdpType::Ipv4v6:
        return QMI_WDS_IP_SUPPORT_TYPE_IPV4V6;
    case PdpType::Ipv4:
    case PdpType::Ppp:
        break;
    }
    return QMI_WDS_IP_SUPPORT_TYPE_IPV4;
}

} // namespace

std::variant<std::uint8_t, MessagePtr> WdsService::named_profile(QmiMessage *request)
{
    const auto id = read_u8_pair_tlv(request, 0x01);
    if (!id)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto [type, index] = *id;
    if (type != QMI_WDS_PROFILE_TYPE_3GPP)
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_TYPE);
    if (!ProfileTable::valid_index(index))
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_NUMBER);
    if (!wds().profiles.find(index))
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_3GPP_CONTEXT_NOT_DEFINED);
    return index;
}

MessagePtr WdsService::create_profile(QmiMessage *request)
{
    const auto type = read_u8_tlv(request, 0x01);
    if (!type)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (*type != QMI_WDS_PROFILE_TYPE_3GPP)
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_TYPE);
    const ProfileUpdate update = read_profile_update(request);
    if (!update.valid())
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    WdsProfile profile;
    update.apply(profile);
    const auto index = wds().profiles.create(profile);
    if (!index)
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_3GPP_OUT_OF_PROFILES);
    MessagePtr response = success(request);
    TlvWriter{response.get(), 0x01}.u8(QMI_WDS_PROFILE_TYPE_3GPP).u8(*index).done();
    return response;
}

MessagePtr WdsService::modify_profile(QmiMessage *request)
{
    auto named = named_profile(request);
    if (auto *refusal = std::get_if<MessagePtr>(&named))
        return std::move(*refusal);
    const ProfileUpdate update = read_profile_update(request);
    if (!update.valid())
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    wds().profiles.modify(std::get<std::uint8_t>(named), update);
    return success(request);
}

MessagePtr WdsService::delete_profile(QmiMessage *request)
{
    auto named = named_profile(request);
    if (auto *refusal = std::get_if<MessagePtr>(&named))
        return std::move(*refusal);
    const std::uint8_t index = std::get<std::uint8_t>(named);
    // The default profile stays: calls and the LTE attach need one.
    if (index == wds().profiles.default_index())
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_INVALID_OPERATION);
    wds().profiles.remove(index);
    return success(request);
}

MessagePtr WdsService::get_profile_list(QmiMessage *request)
{
    const auto type = read_u8_tlv(request, 0x10);
    MessagePtr response = success(request);
    static const std::map<std::uint8_t, WdsProfile> kNone;
    write_profile_list(response.get(),
                       !type || *type == QMI_WDS_PROFILE_TYPE_3GPP ? wds().profiles.all() : kNone);
    return response;
}

MessagePtr WdsService::get_profile_settings(QmiMessage *request)
{
    auto named = named_profile(request);
    if (auto *refusal = std::get_if<MessagePtr>(&named))
        return std::move(*refusal);
    MessagePtr response = success(request);
    write_profile_settings(response.get(), *wds().profiles.find(std::get<std::uint8_t>(named)));
    return response;
}

// The settings a call gets without a profile of its own: the default profile's.
MessagePtr WdsService::get_default_settings(QmiMessage *request)
{
    const auto type = read_u8_tlv(request, 0x01);
    if (!type)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (*type != QMI_WDS_PROFILE_TYPE_3GPP)
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_TYPE);
    const WdsProfile *profile = wds().profiles.find(wds().profiles.default_index());
    MessagePtr response = success(request);
    write_profile_settings(response.get(), profile ? *profile : WdsProfile{});
    return response;
}

MessagePtr WdsService::get_default_profile_number(QmiMessage *request)
{
    const auto kind = read_u8_pair_tlv(request, 0x01);
    if (!kind)
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    if (kind->first != QMI_WDS_PROFILE_TYPE_3GPP)
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_TYPE);
    if (kind->second > QMI_WDS_PROFILE_FAMILY_TETHERED)
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_FAMILY);
    MessagePtr response = success(request);
    write_u8_tlv(response.get(), 0x01, wds().profiles.default_index());
    return response;
}

// One default for both families (embedded and tethered).
MessagePtr WdsService::set_default_profile_number(QmiMessage *request)
{
    TlvReader id{request, 0x01};
    if (!id.present())
        return failure(request, QMI_PROTOCOL_ERROR_MISSING_ARGUMENT);
    const auto type = id.u8();
    const auto family = id.u8();
    const auto index = id.u8();
    if (!type || !family || !index)
        return failure(request, QMI_PROTOCOL_ERROR_MALFORMED_MESSAGE);
    if (*type != QMI_WDS_PROFILE_TYPE_3GPP)
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_TYPE);
    if (*family > QMI_WDS_PROFILE_FAMILY_TETHERED)
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_FAMILY);
    if (!ProfileTable::valid_index(*index))
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_INVALID_PROFILE_NUMBER);
    if (!wds().profiles.set_default(*index))
        return profile_error(request, QMI_WDS_DS_PROFILE_ERROR_3GPP_CONTEXT_NOT_DEFINED);
    return success(request);
}

MessagePtr WdsService::reset_profile_to_default(QmiMessage *request)
{
    auto named = named_profile(request);
    if (auto *refusal = std::get_if<MessagePtr>(&named))
        return std::move(*refusal);
    wds().profiles.reset(std::get<std::uint8_t>(named));
    return success(request);
}

// On LTE the default bearer comes up with the attach: it uses the default
// profile. Elsewhere there is none.
MessagePtr WdsService::get_lte_attach_parameters(QmiMessage *request)
{
    const RegistrationView view = make_registration_view(state().nas);
    const WdsProfile *profile = wds().profiles.find(wds().profiles.default_index());
    if (!online() || !view.registered() || view.rat != Rat::Lte || !profile)
        return failure(request, QMI_PROTOCOL_ERROR_OUT_OF_CALL);
    MessagePtr response = success(request);
    write_string_tlv(response.get(), 0x10,
                     profile->apn.empty() ? wds().network.default_apn() : profile->apn);
    write_u8_tlv(response.get(), 0x11, ip_support(profile->pdp));
    write_u8_tlv(response.get(), 0x12, 1); // OTA attach performed
    return response;
}

} // namespace qmisim
