#include "gprs_context.hpp"

#include "core/errors.hpp"
#include "core/join.hpp"
#include "core/libqmi_shim.h"
#include "core/qmi_call.hpp"
#include "core/wire_enum.hpp"
#include "translate/wds.hpp"

#include <ofono/log.h>

namespace qmi
{
namespace
{

constexpr guint kStartNetworkTimeoutSeconds = 60; // the network may take its time

// libqmi's IPv6 fields are GArrays of eight guint16 groups.
std::optional<std::string> v6(GArray *groups)
{
    if (!groups || g_array_get_element_size(groups) != sizeof(guint16))
        return std::nullopt;
    const auto *p = reinterpret_cast<const std::uint16_t *>(groups->data);
    return ipv6_groups_to_string(std::vector<std::uint16_t>(p, p + groups->len));
}

// The type as the modem's integer (core/wire_enum.hpp): libqmi names it in C.
const char *reason_name(QmiWdsVerboseCallEndReasonType type, gint16 reason)
{
    const char *name = qmi_shim_wds_verbose_call_end_reason(wire(type), reason);
    return name ? name : "unnamed reason";
}

} // namespace

GprsContextAtom::GprsContextAtom(ofono_gprs_context *atom, Device &device)
    : atom_(atom), device_(device)
{
    // WDS clients are the context's own, one per family. IPv4 is what most
    // contexts use: its client is made ready now, off activation's path.
    prepare(session_for(QMI_WDS_IP_FAMILY_IPV4), [](bool) {});
}

GprsContextAtom::~GprsContextAtom()
{
    life_.end();
    release_link();
    for (auto &s : sessions_)
        if (s->client)
            device_.release(QMI_CLIENT(s->client.get()));
}

// ---- activation ---------------------------------------------------------------

GprsContextAtom::Session &GprsContextAtom::session_for(int family)
{
    for (auto &s : sessions_)
        if (s->family == family)
            return *s;
    auto s = std::make_unique<Session>();
    s->family = family;
    s->owner = this;
    sessions_.push_back(std::move(s));
    return *sessions_.back();
}

void GprsContextAtom::activate_primary(const ofono_gprs_primary_context *ctx, Cb cb)
{
    std::string why;
    auto params = to_start_network(ctx->apn, ctx->username, ctx->password, ctx->proto,
                                   ctx->auth_method, &why);
    if (!params || active_ || activation_) {
        ofono_error("gprs-context: cannot activate context %u: %s", ctx->cid,
                    params ? "this context slot is in use" : why.c_str());
        return life_.defer([cb = std::move(cb)]() mutable { cb.fail(); });
    }
    cid_ = ctx->cid;
    DBG("gprs-context: activating %u, APN \"%s\"", ctx->cid, params->apn.c_str());
    activation_ = std::make_unique<Activation>(
        Activation{std::move(cb), std::make_unique<StartNetwork>(std::move(*params))});
    device_.data_path().when_ready(life_, [this] { open_link(); });
}

// Step 1: the context's network interface.
void GprsContextAtom::open_link()
{
    DataPath &path = device_.data_path();
    if (!path.multiplexing()) {
        interface_ = device_.network_interface();
        return start_sessions();
    }
    path.add_link(life_, [this](const DataPath::Link *link, const std::string &why) {
        if (!link) {
            ofono_error("gprs-context: context %u cannot be activated: %s", cid_, why.c_str());
            fail_activation();
            return device_.data_path().fall_back(why);
        }
        link_ = *link;
        interface_ = link->name;
        bind_sessions();
    });
}

// Step 2 (multiplexing): each family's client to the link's mux id.
void GprsContextAtom::bind_sessions()
{
    auto bound = std::make_shared<bool>(true);
    Join all(static_cast<int>(activation_->params->families.size()), [this, bound] {
        if (!*bound)
            return fail_activation();
        start_sessions();
    });
    for (int family : activation_->params->families) {
        Session &session = session_for(family);
        prepare(session, [this, &session, bound, all](bool ok) {
            if (!ok) {
                *bound = false;
                return all();
            }
            bind(session, [bound, all](bool ok) {
                *bound = *bound && ok;
                all();
            });
        });
    }
}

void GprsContextAtom::bind(Session &session, MoveFunction<void(bool)> done)
{
    const unsigned mux = link_->mux_id;
    if (session.bound_mux == mux)
        return done(true);
    auto input = QMI_INPUT(wds, bind_mux_data_port);
    if (const auto &endpoint = device_.data_path().endpoint())
        qmi_message_wds_bind_mux_data_port_input_set_endpoint_info(
            input.get(), static_cast<QmiDataEndpointType>(endpoint->type),
            endpoint->interface_number, nullptr);
    qmi_message_wds_bind_mux_data_port_input_set_mux_id(input.get(), static_cast<guint8>(mux),
                                                        nullptr);
    qmi_message_wds_bind_mux_data_port_input_set_client_type(input.get(),
                                                             QMI_WDS_CLIENT_TYPE_TETHERED, nullptr);
    call(life_, session.client.get(), QMI_REQUEST(wds, bind_mux_data_port), input.get(),
         [&session, mux,
          done = std::move(done)](Reply<QmiMessageWdsBindMuxDataPortOutput> r) mutable {
             if (!r.ok()) {
                 ofono_warn("gprs-context: IPv%d Bind Mux Data Port (mux id %u): %s",
                            session.family, mux, describe(r.error()).c_str());
                 return done(false);
             }
             session.bound_mux = mux;
             done(true);
         });
}

// Step 3: Start Network for each family, then their settings.
void GprsContextAtom::start_sessions()
{
    const StartNetwork &params = *activation_->params;
    auto up = std::make_shared<int>(0);
    Join all(static_cast<int>(params.families.size()), [this, up] {
        if (*up == 0)
            return fail_activation();
        finish_activation();
    });
    for (int family : params.families) {
        Session &session = session_for(family);
        start_family(session, params, [all, up](bool ok) {
            *up += ok;
            all();
        });
    }
}

// Step 4: settings for every family that came up, then tell oFono.
void GprsContextAtom::finish_activation()
{
    active_ = true;
    ofono_gprs_context_set_interface(atom_, interface_.empty() ? nullptr : interface_.c_str());
    int connected = 0;
    for (auto &s : sessions_)
        connected += s->connected;
    Join read(connected, [this] {
        auto activation = std::move(activation_);
        activation->cb.succeed();
    });
    for (auto &s : sessions_)
        if (s->connected)
            read_settings(*s, [read] { read(); });
}

void GprsContextAtom::fail_activation()
{
    auto activation = std::move(activation_);
    // A family that came up while the other did not stays up: stop it.
    stop_all([] {});
    release_link();
    activation->cb.fail();
}

void GprsContextAtom::release_link()
{
    if (!link_)
        return;
    device_.data_path().delete_link(*link_);
    link_.reset();
}

void GprsContextAtom::start_family(Session &session, const StartNetwork &params,
                                   MoveFunction<void(bool)> done)
{
    auto start = [this, &session, params, done = std::move(done)](bool ready) mutable {
        if (!ready)
            return done(false);
        auto input = QMI_INPUT(wds, start_network);
        if (!params.apn.empty())
            qmi_message_wds_start_network_input_set_apn(input.get(), params.apn.c_str(), nullptr);
        qmi_message_wds_start_network_input_set_authentication_preference(
            input.get(), static_cast<QmiWdsAuthentication>(params.authentication), nullptr);
        if (!params.username.empty())
            qmi_message_wds_start_network_input_set_username(input.get(), params.username.c_str(),
                                                             nullptr);
        if (!params.password.empty())
            qmi_message_wds_start_network_input_set_password(input.get(), params.password.c_str(),
                                                             nullptr);
        qmi_message_wds_start_network_input_set_ip_family_preference(
            input.get(), static_cast<QmiWdsIpFamily>(session.family), nullptr);
        call(
            life_, session.client.get(), QMI_REQUEST(wds, start_network), input.get(),
            [&session, done = std::move(done)](Reply<QmiMessageWdsStartNetworkOutput> r) mutable {
                guint32 handle = 0;
                if (r.ok() && qmi_message_wds_start_network_output_get_packet_data_handle(
                                  r.get(), &handle, nullptr)) {
                    session.handle = handle;
                    session.connected = true;
                    return done(true);
                }
                QmiWdsVerboseCallEndReasonType type;
                gint16 reason = 0;
                if (r.get() && qmi_message_wds_start_network_output_get_verbose_call_end_reason(
                                   r.get(), &type, &reason, nullptr))
                    ofono_warn("gprs-context: IPv%d refused by the network: %s (type %d, %d)",
                               session.family, reason_name(type, reason), wire(type), reason);
                else
                    ofono_warn("gprs-context: IPv%d Start Network: %s", session.family,
                               describe(r.error()).c_str());
                done(false);
            },
            kStartNetworkTimeoutSeconds);
    };
    prepare(session, std::move(start));
}

void GprsContextAtom::prepare(Session &session, MoveFunction<void(bool)> ready)
{
    if (session.client)
        return ready(true);
    session.waiting.push_back(std::move(ready));
    if (session.allocating)
        return;
    session.allocating = true;
    device_.allocate_own(
        life_, QMI_SERVICE_WDS, [this, &session](QmiClient *client, const GError *) {
            if (!client) {
                ofono_error("gprs-context: no WDS client for IPv%d", session.family);
                return on_prepared(session, false);
            }
            session.client = GRef<QmiClientWds>::ref(QMI_CLIENT_WDS(client));
            session.status_signal =
                connect_signal<&Session::on_status, QmiIndicationWdsPacketServiceStatusOutput *>(
                    session.client.get(), "packet-service-status", &session);
            // A client starts out IPv4; any other family belongs to the client
            // (dual stack = two clients).
            if (session.family == QMI_WDS_IP_FAMILY_IPV4)
                return on_prepared(session, true);
            auto family = QMI_INPUT(wds, set_ip_family);
            qmi_message_wds_set_ip_family_input_set_preference(
                family.get(), static_cast<QmiWdsIpFamily>(session.family), nullptr);
            call(life_, session.client.get(), QMI_REQUEST(wds, set_ip_family), family.get(),
                 [this, &session](Reply<QmiMessageWdsSetIpFamilyOutput> r) {
                     if (!r.ok())
                         DBG("gprs-context: IPv%d Set IP Family: %s", session.family,
                             describe(r.error()).c_str());
                     on_prepared(session, true);
                 });
        });
}

void GprsContextAtom::on_prepared(Session &session, bool ok)
{
    session.allocating = false;
    auto waiting = std::move(session.waiting);
    session.waiting.clear();
    for (auto &ready : waiting)
        ready(ok);
}

void GprsContextAtom::read_settings(Session &session, MoveFunction<void()> done)
{
    auto input = QMI_INPUT(wds, get_current_settings);
    qmi_message_wds_get_current_settings_input_set_requested_settings(
        input.get(),
        static_cast<QmiWdsRequestedSettings>(
            QMI_WDS_REQUESTED_SETTINGS_DNS_ADDRESS | QMI_WDS_REQUESTED_SETTINGS_IP_ADDRESS |
            QMI_WDS_REQUESTED_SETTINGS_GATEWAY_INFO | QMI_WDS_REQUESTED_SETTINGS_MTU |
            QMI_WDS_REQUESTED_SETTINGS_IP_FAMILY),
        nullptr);
    call(life_, session.client.get(), QMI_REQUEST(wds, get_current_settings), input.get(),
         [this, family = session.family,
          done = std::move(done)](Reply<QmiMessageWdsGetCurrentSettingsOutput> r) mutable {
             if (!r.ok()) {
                 ofono_warn("gprs-context: IPv%d settings: %s", family,
                            describe(r.error()).c_str());
                 return done();
             }
             auto *out = r.get();
             if (family == QMI_WDS_IP_FAMILY_IPV4) {
                 guint32 address = 0, mask = 0, gateway = 0, dns1 = 0, dns2 = 0;
                 if (qmi_message_wds_get_current_settings_output_get_ipv4_address(out, &address,
                                                                                  nullptr))
                     ofono_gprs_context_set_ipv4_address(atom_, ipv4_to_string(address).c_str(),
                                                         TRUE);
                 if (qmi_message_wds_get_current_settings_output_get_ipv4_gateway_subnet_mask(
                         out, &mask, nullptr))
                     ofono_gprs_context_set_ipv4_netmask(atom_, ipv4_to_string(mask).c_str());
                 if (qmi_message_wds_get_current_settings_output_get_ipv4_gateway_address(
                         out, &gateway, nullptr))
                     ofono_gprs_context_set_ipv4_gateway(atom_, ipv4_to_string(gateway).c_str());
                 std::vector<std::string> dns;
                 if (qmi_message_wds_get_current_settings_output_get_primary_ipv4_dns_address(
                         out, &dns1, nullptr))
                     dns.push_back(ipv4_to_string(dns1));
                 if (qmi_message_wds_get_current_settings_output_get_secondary_ipv4_dns_address(
                         out, &dns2, nullptr))
                     dns.push_back(ipv4_to_string(dns2));
                 std::vector<const char *> list;
                 for (auto &d : dns)
                     list.push_back(d.c_str());
                 list.push_back(nullptr);
                 ofono_gprs_context_set_ipv4_dns_servers(atom_, list.data());
             } else {
                 GArray *address = nullptr, *gateway = nullptr, *dns1 = nullptr, *dns2 = nullptr;
                 guint8 prefix = 0, gateway_prefix = 0;
                 if (qmi_message_wds_get_current_settings_output_get_ipv6_address(out, &address,
                                                                                  &prefix, nullptr))
                     if (auto text = v6(address)) {
                         ofono_gprs_context_set_ipv6_address(atom_, text->c_str());
                         ofono_gprs_context_set_ipv6_prefix_length(atom_, prefix);
                     }
                 if (qmi_message_wds_get_current_settings_output_get_ipv6_gateway_address(
                         out, &gateway, &gateway_prefix, nullptr))
                     if (auto text = v6(gateway))
                         ofono_gprs_context_set_ipv6_gateway(atom_, text->c_str());
                 std::vector<std::string> dns;
                 if (qmi_message_wds_get_current_settings_output_get_ipv6_primary_dns_address(
                         out, &dns1, nullptr))
                     if (auto text = v6(dns1))
                         dns.push_back(*text);
                 if (qmi_message_wds_get_current_settings_output_get_ipv6_secondary_dns_address(
                         out, &dns2, nullptr))
                     if (auto text = v6(dns2))
                         dns.push_back(*text);
                 std::vector<const char *> list;
                 for (auto &d : dns)
                     list.push_back(d.c_str());
                 list.push_back(nullptr);
                 ofono_gprs_context_set_ipv6_dns_servers(atom_, list.data());
             }
             guint32 mtu = 0;
             if (qmi_message_wds_get_current_settings_output_get_mtu(out, &mtu, nullptr))
                 DBG("gprs-context: IPv%d MTU %u (oFono 1.31 has no place for it)", family, mtu);
             done();
         });
}

// ---- deactivation ---------------------------------------------------------------

void GprsContextAtom::stop_all(MoveFunction<void()> done)
{
    int connected = 0;
    for (auto &s : sessions_)
        connected += s->connected;
    active_ = false;
    Join stopped(connected, std::move(done));
    for (auto &s : sessions_) {
        if (!s->connected)
            continue;
        s->connected = false;
        auto input = QMI_INPUT(wds, stop_network);
        qmi_message_wds_stop_network_input_set_packet_data_handle(input.get(), s->handle, nullptr);
        call(life_, s->client.get(), QMI_REQUEST(wds, stop_network), input.get(),
             [family = s->family, stopped](Reply<QmiMessageWdsStopNetworkOutput> r) {
                 if (!r.ok())
                     ofono_warn("gprs-context: IPv%d Stop Network: %s", family,
                                describe(r.error()).c_str());
                 stopped();
             });
    }
}

void GprsContextAtom::deactivate_primary(unsigned int id, Cb cb)
{
    DBG("gprs-context: deactivating %u", id);
    stop_all([this, cb = std::move(cb)]() mutable {
        release_link();
        cb.succeed();
    });
}

void GprsContextAtom::detach_shutdown(unsigned int id)
{
    stop_all([this, id] {
        release_link();
        ofono_gprs_context_deactivated(atom_, id);
    });
}

void GprsContextAtom::Session::on_status(QmiIndicationWdsPacketServiceStatusOutput *out)
{
    QmiWdsConnectionStatus status;
    gboolean reconfiguration = FALSE;
    if (!qmi_indication_wds_packet_service_status_output_get_connection_status(
            out, &status, &reconfiguration, nullptr) ||
        wire(status) != QMI_WDS_CONNECTION_STATUS_DISCONNECTED || !connected)
        return;
    QmiWdsVerboseCallEndReasonType type;
    gint16 reason = 0;
    if (qmi_indication_wds_packet_service_status_output_get_verbose_call_end_reason(
            out, &type, &reason, nullptr))
        ofono_info("gprs-context: IPv%d dropped: %s", family, reason_name(type, reason));
    owner->on_session_lost(*this);
}

void GprsContextAtom::on_session_lost(Session &session)
{
    session.connected = false;
    for (auto &s : sessions_)
        if (s->connected)
            return; // the other family still carries the context
    if (!active_)
        return;
    active_ = false;
    release_link();
    ofono_gprs_context_deactivated(atom_, cid_);
}

} // namespace qmi
