#include "wda_service.hpp"

#include "../tlv.hpp"

#include <algorithm>

namespace qmisim
{

namespace
{

constexpr std::uint16_t kSetDataFormat = 0x0020;
constexpr std::uint16_t kGetDataFormat = 0x0021;

// The firmware's aggregation limits: requests above them are cut down,
// requests without a value (or 0) get them.
constexpr std::uint32_t kDlMaxDatagrams = 32;
constexpr std::uint32_t kDlMaxSize = 32768;
constexpr std::uint32_t kUlMaxDatagrams = 16;
constexpr std::uint32_t kUlMaxSize = 8192;

bool is_qmap(std::uint32_t protocol)
{
    return protocol >= QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAP &&
           protocol <= QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAPV5;
}

std::uint32_t within(std::optional<std::uint32_t> requested, std::uint32_t limit)
{
    return requested && *requested ? std::min(*requested, limit) : limit;
}

// Get and Set Data Format share their output TLVs.
void write_format(QmiMessage *response, const DataFormat &format)
{
    write_u8_tlv(response, 0x10, format.qos ? 1 : 0);
    TlvWriter{response, 0x11}.u32(format.link_layer).done();
    TlvWriter{response, 0x12}.u32(format.ul_aggregation).done();
    TlvWriter{response, 0x13}.u32(format.dl_aggregation).done();
    if (format.dl_aggregation) {
        TlvWriter{response, 0x15}.u32(format.dl_max_datagrams).done();
        TlvWriter{response, 0x16}.u32(format.dl_max_size).done();
    }
    if (format.ul_aggregation) {
        TlvWriter{response, 0x17}.u32(format.ul_max_datagrams).done();
        TlvWriter{response, 0x18}.u32(format.ul_max_size).done();
    }
}

std::string nick(const char *name)
{
    return name ? name : "unknown";
}

std::string link_layer_name(std::uint32_t protocol)
{
    return nick(
        qmi_wda_link_layer_protocol_get_string(static_cast<QmiWdaLinkLayerProtocol>(protocol)));
}

std::string aggregation_name(std::uint32_t protocol)
{
    return nick(qmi_wda_data_aggregation_protocol_get_string(
        static_cast<QmiWdaDataAggregationProtocol>(protocol)));
}

} // namespace

WdaService::WdaService(ServiceHost &host) : Service(QMI_SERVICE_WDA, {1, 16}, host)
{
    on(kSetDataFormat, &WdaService::set_data_format);
    on(kGetDataFormat, &WdaService::get_data_format);
}

void WdaService::on_boot()
{
    wda().format = DataFormat{};
}

MessagePtr WdaService::set_data_format(QmiMessage *request)
{
    DataFormat next = wda().format;
    if (const auto qos = read_u8_tlv(request, 0x10))
        next.qos = *qos != 0;
    if (const auto link_layer = TlvReader{request, 0x11}.u32()) {
        if (!wda().link_layers.contains(*link_layer))
            return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
        next.link_layer = *link_layer;
    }
    // Aggregation the firmware cannot do is answered "disabled".
    auto aggregation = [this](std::uint32_t protocol) -> std::uint32_t {
        return wda().qmap && is_qmap(protocol) ? protocol : 0;
    };
    const auto ul = TlvReader{request, 0x12}.u32();
    const auto dl = TlvReader{request, 0x13}.u32();
    if ((ul && *ul > QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAPV5) ||
        (dl && *dl > QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAPV5))
        return failure(request, QMI_PROTOCOL_ERROR_INVALID_ARGUMENT);
    if (ul)
        next.ul_aggregation = aggregation(*ul);
    if (dl)
        next.dl_aggregation = aggregation(*dl);

    const bool dl_on = next.dl_aggregation != 0;
    const bool ul_on = next.ul_aggregation != 0;
    next.dl_max_datagrams = dl_on ? within(TlvReader{request, 0x15}.u32(), kDlMaxDatagrams) : 0;
    next.dl_max_size = dl_on ? within(TlvReader{request, 0x16}.u32(), kDlMaxSize) : 0;
    next.ul_max_datagrams = ul_on ? within(TlvReader{request, 0x1B}.u32(), kUlMaxDatagrams) : 0;
    next.ul_max_size = ul_on ? within(TlvReader{request, 0x1C}.u32(), kUlMaxSize) : 0;

    wda().format = next;
    MessagePtr response = success(request);
    write_format(response.get(), next);
    return response;
}

MessagePtr WdaService::get_data_format(QmiMessage *request)
{
    // TLV 0x10 endpoint info: there is one data endpoint, whatever it names.
    MessagePtr response = success(request);
    write_format(response.get(), wda().format);
    return response;
}

std::vector<StateKey> WdaService::state_keys()
{
    auto read_only = [](const std::string &) { return Outcome::failure("read-only key"); };
    std::vector<StateKey> keys;
    keys.push_back({"wda.supported-link-layers",
                    [this] {
                        std::string out;
                        for (const std::uint32_t protocol : wda().link_layers)
                            out += (out.empty() ? "" : ",") + link_layer_name(protocol);
                        return out;
                    },
                    [this](const std::string &value) {
                        std::set<std::uint32_t> protocols;
                        std::size_t pos = 0;
                        while (pos <= value.size()) {
                            const auto end = std::min(value.find(',', pos), value.size());
                            const std::string name = value.substr(pos, end - pos);
                            pos = end + 1;
                            if (name == link_layer_name(QMI_WDA_LINK_LAYER_PROTOCOL_802_3))
                                protocols.insert(QMI_WDA_LINK_LAYER_PROTOCOL_802_3);
                            else if (name == link_layer_name(QMI_WDA_LINK_LAYER_PROTOCOL_RAW_IP))
                                protocols.insert(QMI_WDA_LINK_LAYER_PROTOCOL_RAW_IP);
                            else
                                return Outcome::failure("802-3, raw-ip or both, comma-separated");
                        }
                        wda().link_layers = std::move(protocols);
                        return Outcome::success();
                    }});
    keys.push_back({"wda.qmap", [this] { return wda().qmap ? "on" : "off"; },
                    [this](const std::string &value) {
                        if (value != "on" && value != "off")
                            return Outcome::failure("on or off");
                        wda().qmap = value == "on";
                        return Outcome::success();
                    }});
    keys.push_back(
        {"wda.link-layer", [this] { return link_layer_name(wda().format.link_layer); }, read_only});
    keys.push_back({"wda.aggregation",
                    [this] {
                        return "ul=" + aggregation_name(wda().format.ul_aggregation) +
                               " dl=" + aggregation_name(wda().format.dl_aggregation);
                    },
                    read_only});
    return keys;
}

} // namespace qmisim
