#include "data_path.hpp"

#include "device.hpp"
#include "errors.hpp"
#include "qmi_call.hpp"

#include <ofono/log.h>

#include <net/if.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace qmi
{
namespace
{
// ModemManager's values for QMAP downlink aggregation.
constexpr guint32 kDlMaxDatagrams = 32;
constexpr guint32 kDlMaxSize = 32768;
// rmnet's link names are this prefix and the mux id - 1 (qmi_wwan names
// its own: qmimux0, ...).
constexpr const char *kLinkPrefix = "rmnet_data";

std::string read_sysfs(const std::string &path)
{
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
} // namespace

DataPath::DataPath(Device &device) : device_(device) {}

DataPath::~DataPath()
{
    life_.end();
}

void DataPath::reset()
{
    life_.renew();
    ready_ = false;
    started_ = false;
    multiplexing_ = false;
    endpoint_.reset();
    links_.clear();
    waiting_.clear();
}

void DataPath::start(Multiplex setting)
{
    reset();
    started_ = true;
    const std::string &iface = device_.network_interface();
    guint32 node = 0;
    LinkFacts facts;
    facts.qrtr = qrtr_ = parse_qrtr_node(device_.path(), node);
    facts.has_wda = device_.has_service(QMI_SERVICE_WDA);
    facts.interface = iface;
    facts.kernel_add_mux =
        !iface.empty() &&
        g_file_test(("/sys/class/net/" + iface + "/qmi/add_mux").c_str(), G_FILE_TEST_EXISTS);
    const MultiplexChoice choice = choose_multiplex(setting, facts);
    ofono_info("%s: data: %s QMAP multiplexing: %s", device_.name().c_str(),
               choice.request_qmap ? "trying" : "no", choice.why.c_str());
    if (!facts.has_wda)
        return settle();
    endpoint_ = data_endpoint(
        qrtr_,
        iface.empty() ? "" : read_sysfs("/sys/class/net/" + iface + "/device/bInterfaceNumber"));
    negotiate(choice.request_qmap, false);
}

void DataPath::negotiate(bool qmap, bool explicit_off)
{
    device_.allocate(
        life_, QMI_SERVICE_WDA, [this, qmap, explicit_off](QmiClient *client, const GError *) {
            if (!client) {
                ofono_warn("%s: data: no WDA client; the link layer stays as it is",
                           device_.name().c_str());
                return settle();
            }
            auto input = QMI_INPUT(wda, set_data_format);
            qmi_message_wda_set_data_format_input_set_link_layer_protocol(
                input.get(), QMI_WDA_LINK_LAYER_PROTOCOL_RAW_IP, nullptr);
            if (qmap) {
                qmi_message_wda_set_data_format_input_set_uplink_data_aggregation_protocol(
                    input.get(), QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAP, nullptr);
                qmi_message_wda_set_data_format_input_set_downlink_data_aggregation_protocol(
                    input.get(), QMI_WDA_DATA_AGGREGATION_PROTOCOL_QMAP, nullptr);
                qmi_message_wda_set_data_format_input_set_downlink_data_aggregation_max_datagrams(
                    input.get(), kDlMaxDatagrams, nullptr);
                qmi_message_wda_set_data_format_input_set_downlink_data_aggregation_max_size(
                    input.get(), kDlMaxSize, nullptr);
                if (qrtr_ && endpoint_)
                    qmi_message_wda_set_data_format_input_set_endpoint_info(
                        input.get(), static_cast<QmiDataEndpointType>(endpoint_->type),
                        endpoint_->interface_number, nullptr);
            } else if (explicit_off) {
                // After QMAP: a TLV left out keeps the modem's current value.
                qmi_message_wda_set_data_format_input_set_uplink_data_aggregation_protocol(
                    input.get(), QMI_WDA_DATA_AGGREGATION_PROTOCOL_DISABLED, nullptr);
                qmi_message_wda_set_data_format_input_set_downlink_data_aggregation_protocol(
                    input.get(), QMI_WDA_DATA_AGGREGATION_PROTOCOL_DISABLED, nullptr);
            }
            call(
                life_, QMI_CLIENT_WDA(client), QMI_REQUEST(wda, set_data_format), input.get(),
                [this, qmap](Reply<QmiMessageWdaSetDataFormatOutput> r) {
                    QmiWdaLinkLayerProtocol link = QMI_WDA_LINK_LAYER_PROTOCOL_802_3;
                    QmiWdaDataAggregationProtocol ul = QMI_WDA_DATA_AGGREGATION_PROTOCOL_DISABLED;
                    QmiWdaDataAggregationProtocol dl = QMI_WDA_DATA_AGGREGATION_PROTOCOL_DISABLED;
                    if (r.ok()) {
                        qmi_message_wda_set_data_format_output_get_link_layer_protocol(
                            r.get(), &link, nullptr);
                        qmi_message_wda_set_data_format_output_get_uplink_data_aggregation_protocol(
                            r.get(), &ul, nullptr);
                        qmi_message_wda_set_data_format_output_get_downlink_data_aggregation_protocol(
                            r.get(), &dl, nullptr);
                    } else {
                        ofono_warn("%s: data: the modem keeps its link layer: %s",
                                   device_.name().c_str(), describe(r.error()).c_str());
                    }
                    on_negotiated(qmap, r.ok(), link, ul, dl);
                });
        });
}

void DataPath::on_negotiated(bool qmap_requested, bool ok, std::uint32_t link_layer,
                             std::uint32_t ul, std::uint32_t dl)
{
    if (qmap_requested && !ok) {
        // Firmware that refuses the whole request over the aggregation
        // TLVs: the plain raw IP request, one context.
        ofono_warn("%s: data: QMAP refused; one data context", device_.name().c_str());
        return negotiate(false, false);
    }
    write_raw_ip_sysfs(link_layer == QMI_WDA_LINK_LAYER_PROTOCOL_RAW_IP);
    multiplexing_ =
        qmap_requested && link_layer == QMI_WDA_LINK_LAYER_PROTOCOL_RAW_IP && accepts_qmap(ul, dl);
    if (qmap_requested && !multiplexing_)
        ofono_warn("%s: data: the modem does not aggregate with QMAP (uplink %s, downlink %s); "
                   "one data context",
                   device_.name().c_str(),
                   qmi_wda_data_aggregation_protocol_get_string(
                       static_cast<QmiWdaDataAggregationProtocol>(ul)),
                   qmi_wda_data_aggregation_protocol_get_string(
                       static_cast<QmiWdaDataAggregationProtocol>(dl)));
    if (multiplexing_) {
        ofono_info("%s: data: QMAP multiplexing on %s, one link per context",
                   device_.name().c_str(), device_.network_interface().c_str());
        // Links left over from an earlier run would hold mux ids.
        auto slot = life_.async([](GObject *source, GAsyncResult *res) {
            ErrorPtr error;
            if (!qmi_device_delete_all_links_finish(QMI_DEVICE(source), res, ErrorOut(error)))
                DBG("data: no old links removed: %s", describe(error.get()).c_str());
        });
        qmi_device_delete_all_links(device_.raw(), device_.network_interface().c_str(),
                                    life_.cancellable(), slot.callback, slot.data);
    }
    settle();
}

void DataPath::write_raw_ip_sysfs(bool raw_ip)
{
    const std::string &iface = device_.network_interface();
    if (iface.empty())
        return;
    const std::string path = "/sys/class/net/" + iface + "/qmi/raw_ip";
    std::ofstream out(path);
    if (!out) {
        // A stand-in interface (tests) or a driver other than qmi_wwan.
        ofono_warn("%s: data: %s: cannot open (%s): the kernel's link layer is not switched to "
                   "%s",
                   device_.name().c_str(), path.c_str(), std::strerror(errno),
                   raw_ip ? "raw IP" : "802.3");
        return;
    }
    out << (raw_ip ? 'Y' : 'N');
    DBG("data: %s = %c", path.c_str(), raw_ip ? 'Y' : 'N');
}

void DataPath::settle()
{
    ready_ = true;
    auto waiting = std::move(waiting_);
    waiting_.clear();
    for (auto &[token, fn] : waiting)
        if (!token.expired())
            fn();
}

void DataPath::when_ready(const Lifetime &owner, MoveFunction<void()> fn)
{
    if (!ready_ && started_) {
        waiting_.emplace_back(owner.token(), std::move(fn));
        return;
    }
    life_.defer([token = owner.token(), fn = std::move(fn)]() mutable {
        if (!token.expired())
            fn();
    });
}

LinkBackend DataPath::backend() const
{
    // libqmi's choice (qmi-device.c, setup_net_port_manager): rmnet for
    // qmi_wwan in pass-through mode and for other drivers (no qmi/raw_ip),
    // else qmi_wwan's add_mux (which refuses 802.3 mode: libqmi says so).
    const std::string base = "/sys/class/net/" + device_.network_interface() + "/qmi/";
    const std::string raw_ip = read_sysfs(base + "raw_ip");
    const std::string pass_through = read_sysfs(base + "pass_through");
    if (raw_ip.empty() || (raw_ip[0] == 'Y' && !pass_through.empty() && pass_through[0] == 'Y'))
        return LinkBackend::Rmnet;
    return LinkBackend::QmiWwanAddMux;
}

void DataPath::add_link(const Lifetime &owner, LinkDone done)
{
    const std::string iface = device_.network_interface();
    auto slot = life_.async([this, iface, token = owner.token(),
                             done = std::move(done)](GObject *source, GAsyncResult *res) mutable {
        ErrorPtr error;
        guint mux_id = 0;
        CharPtr name(qmi_device_add_link_finish(QMI_DEVICE(source), res, &mux_id, ErrorOut(error)));
        if (!name) {
            const bool rmnet = g_file_test("/sys/module/rmnet", G_FILE_TEST_IS_DIR);
            const std::string why =
                explain_link_failure(backend(), iface, if_nametoindex(iface.c_str()) != 0, rmnet,
                                     error ? error->message : "");
            if (!token.expired())
                done(nullptr, why);
            return;
        }
        Link link{name.get(), mux_id};
        DBG("data: link %s, mux id %u", link.name.c_str(), mux_id);
        if (token.expired()) // its context went meanwhile
            return delete_link(link);
        links_.push_back(link);
        done(&links_.back(), "");
    });
    qmi_device_add_link(device_.raw(), QMI_DEVICE_MUX_ID_AUTOMATIC, iface.c_str(), kLinkPrefix,
                        life_.cancellable(), slot.callback, slot.data);
}

void DataPath::delete_link(const Link &link)
{
    std::erase_if(links_, [&](const Link &l) { return l.name == link.name; });
    if (!device_.raw())
        return;
    auto slot = life_.async([name = link.name](GObject *source, GAsyncResult *res) {
        ErrorPtr error;
        if (!qmi_device_delete_link_finish(QMI_DEVICE(source), res, ErrorOut(error)))
            ofono_warn("data: removing link %s: %s", name.c_str(), describe(error.get()).c_str());
        else
            DBG("data: link %s removed", name.c_str());
    });
    qmi_device_delete_link(device_.raw(), link.name.c_str(), link.mux_id, life_.cancellable(),
                           slot.callback, slot.data);
}

void DataPath::fall_back(const std::string &why)
{
    if (!multiplexing_ || !links_.empty())
        return; // already single, or a link works: keep multiplexing
    ofono_warn("%s: data: %s; falling back to one data context without QMAP",
               device_.name().c_str(), why.c_str());
    multiplexing_ = false;
    ready_ = false;
    life_.defer([this] {
        negotiate(false, true);
        when_ready(life_, [this] {
            if (on_single_context)
                on_single_context();
        });
    });
}

} // namespace qmi
