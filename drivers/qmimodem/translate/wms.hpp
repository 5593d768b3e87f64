// Pure translation between QMI WMS values and oFono's SMS driver values. No
// I/O: covered by test/unit/test_wms.cpp. PDU contents are oFono's business;
// this only finds the SMSC prefix and the message type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qmi
{

// A GSM/WCDMA point-to-point message as WMS carries it: the SMSC address
// (length octet first) followed by the TPDU, which is how oFono takes it.
struct MtMessage {
    enum class Kind { Deliver, StatusReport };
    Kind kind = Kind::Deliver;
    std::vector<std::uint8_t> pdu; // SMSC + TPDU
    int tpdu_len = 0;
};

// nullopt when the data cannot be an MT message: an SMSC length beyond the
// data or above 11 octets, an empty TPDU, or a TPDU that is an SMS-SUBMIT
// (or the reserved type).
std::optional<MtMessage> parse_mt_message(const std::uint8_t *data, std::size_t len);

// oFono's submit gives the SMSC + TPDU with tpdu_len: whether they agree.
bool valid_submit(const std::uint8_t *pdu, int pdu_len, int tpdu_len);

// Service centre: WMS reports a type ("145" international, "129" other) and
// an address ("+4917..." or "4917..."); oFono holds the digits without '+'
// and the numeric type.
struct Sca {
    std::string number;
    int type = 129;
};
std::optional<Sca> sca_from_wms(const std::string &type, const std::string &address);
// "+digits" for international numbers; nullopt for anything but digits (and
// '*', '#') or more than 20 of them.
std::optional<std::string> sca_to_wms(const Sca &sca);

// oFono's SMS bearer (27.007 +CGSMS: 0 PS, 1 CS, 2 PS preferred, 3 CS
// preferred) <-> WMS domain preference (0 CS preferred, 1 PS preferred,
// 2 CS only, 3 PS only). nullopt for values outside both.
std::optional<int> bearer_to_wms_domain(int bearer);
std::optional<int> wms_domain_to_bearer(int domain);

} // namespace qmi
