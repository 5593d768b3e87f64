// wms.hpp and raw_messages' WMS readers: MT messages (SMSC + TPDU) from
// Raw Read responses and transfer-route Event Report indications, oFono's
// submit PDUs, the SMSC address (Get SMSC Address, read off the raw reply
// by wms_get_smsc_address, then sca_from_wms as the sms atom does) and the
// SMS bearer (Get Domain Preference, raw as well).
//
// Input: a selector byte; values through FuzzedDataProvider, frames as the
// TLV area (raw replies include their own Result TLV).
#include "harness.hpp"
#include "tlv_walk.hpp"

#include "core/raw_messages.hpp"
#include "translate/wms.hpp"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <memory>

using namespace fuzz;

namespace
{

constexpr std::size_t kMaxPhoneNumber = 80; // OFONO_MAX_PHONE_NUMBER_LENGTH

// An exact-size heap copy, so ASan sees any read past the message.
std::unique_ptr<std::uint8_t[]> copy_of(const Bytes &bytes)
{
    std::unique_ptr<std::uint8_t[]> p(new std::uint8_t[bytes.size()]);
    std::copy(bytes.begin(), bytes.end(), p.get());
    return p;
}

void check_mt(const Bytes &data)
{
    const auto copy = copy_of(data);
    const auto m = qmi::parse_mt_message(copy.get(), data.size());
    const std::size_t smsc = data.empty() ? 0 : data[0];
    const bool shape = data.size() >= 2 && smsc <= 11 && 1 + smsc < data.size();
    const int mti = shape ? data[1 + smsc] & 0x03 : -1;
    FUZZ_CHECK(m.has_value() == (shape && (mti == 0 || mti == 2)));
    if (!m)
        return;
    FUZZ_CHECK(m->pdu == data);
    FUZZ_CHECK(m->tpdu_len == static_cast<int>(data.size() - 1 - smsc) && m->tpdu_len >= 1);
    FUZZ_CHECK((m->kind == qmi::MtMessage::Kind::StatusReport) == (mti == 2));
}

void check_submit(FuzzedDataProvider &p)
{
    const int tpdu_len = p.ConsumeIntegralInRange<int>(-2, 200);
    const Bytes pdu = p.ConsumeRemainingBytes<std::uint8_t>();
    const auto copy = copy_of(pdu);
    const int len = static_cast<int>(pdu.size());
    const bool ok = qmi::valid_submit(copy.get(), len, tpdu_len);
    FUZZ_CHECK(ok == (len >= 2 && tpdu_len >= 1 && tpdu_len < len && pdu[0] <= 11 &&
                      pdu[0] == len - tpdu_len - 1));
}

// The SMSC address oFono gets, and what it sends back when it sets it.
void check_sca(const std::string &type, const std::string &address)
{
    const auto sca = qmi::sca_from_wms(type, address);
    if (!sca)
        return;
    FUZZ_CHECK(sca->type == 145 || sca->type == 129);
    FUZZ_CHECK(!sca->number.empty() && sca->number.size() <= 20);
    FUZZ_CHECK(sca->number.size() <= kMaxPhoneNumber);
    FUZZ_CHECK(std::all_of(sca->number.begin(), sca->number.end(),
                           [](char c) { return (c >= '0' && c <= '9') || c == '*' || c == '#'; }));
    const auto wms = qmi::sca_to_wms(*sca);
    FUZZ_CHECK(wms.has_value());
    const auto back = qmi::sca_from_wms("", *wms);
    FUZZ_CHECK(back && back->number == sca->number && back->type == sca->type);
}

void check_bearer(int value)
{
    if (const auto domain = qmi::bearer_to_wms_domain(value))
        FUZZ_CHECK(qmi::wms_domain_to_bearer(*domain) == value);
    else
        FUZZ_CHECK(value < 0 || value > 3);
    if (const auto bearer = qmi::wms_domain_to_bearer(value))
        FUZZ_CHECK(qmi::bearer_to_wms_domain(*bearer) == value);
    else
        FUZZ_CHECK(value < 0 || value > 3);
}

// ---- frames -------------------------------------------------------------------

Span g_tlvs;

// What the sms atom does with a transferred or stored message.
void mt_from_modem(int format, GArray *raw)
{
    if (format == QMI_WMS_MESSAGE_FORMAT_GSM_WCDMA_POINT_TO_POINT && raw)
        check_mt(bytes_of(raw));
}

void on_event_report(QmiIndicationWmsEventReportOutput *out)
{
    QmiWmsAckIndicator ack;
    guint32 transaction = 0;
    QmiWmsMessageFormat format;
    GArray *raw = nullptr;
    if (qmi_indication_wms_event_report_output_get_transfer_route_mt_message(
            out, &ack, &transaction, &format, &raw, nullptr))
        mt_from_modem(wire(format), raw);
}

void raw_read(QmiMessage *frame)
{
    auto *input = qmi_message_wms_raw_read_input_new();
    qmi_message_wms_raw_read_input_set_message_memory_storage_id(input, QMI_WMS_STORAGE_TYPE_NV, 3,
                                                                 nullptr);
    qmi_message_wms_raw_read_input_set_message_mode(input, QMI_WMS_MESSAGE_MODE_GSM_WCDMA, nullptr);
    auto *out = request(qmi_client_wms_raw_read, qmi_client_wms_raw_read_finish, QMI_SERVICE_WMS,
                        input, frame);
    qmi_message_wms_raw_read_input_unref(input);
    if (!out)
        return;
    QmiWmsMessageTagType tag;
    QmiWmsMessageFormat format;
    GArray *raw = nullptr;
    if (qmi_message_wms_raw_read_output_get_raw_message_data(out, &tag, &format, &raw, nullptr))
        mt_from_modem(wire(format), raw);
    qmi_message_wms_raw_read_output_unref(out);
}

// The Result TLV (0x02: u16 status, u16 error) as raw_messages should read it.
bool reference_success()
{
    const auto v = find_tlv(g_tlvs, 0x02);
    return v && v->size() >= 4 && le16(*v, 0) == 0;
}

void smsc_address(QmiMessage *frame)
{
    qmi::Lifetime life;
    bool done = false;
    answer_next_request(frame);
    qmi::wms_get_smsc_address(
        life, device(), client(QMI_SERVICE_WMS),
        [&done](const GError *error, const std::string &type, const std::string &address) {
            done = true;
            // TLV 0x01 {char type[3], u8 n, n chars}.
            const auto v = find_tlv(g_tlvs, 0x01);
            const bool whole = v && v->size() >= 4 && v->size() >= 4u + (*v)[3];
            FUZZ_CHECK((error == nullptr) == (reference_success() && whole));
            if (error)
                return;
            FUZZ_CHECK(type == std::string(v->begin(), v->begin() + 3));
            FUZZ_CHECK(address == std::string(v->begin() + 4, v->begin() + 4 + (*v)[3]));
            check_sca(type, address);
        });
    run_until(done);
}

void domain_preference(QmiMessage *frame)
{
    qmi::Lifetime life;
    bool done = false;
    answer_next_request(frame);
    qmi::wms_get_domain_preference(
        life, device(), client(QMI_SERVICE_WMS), [&done](const GError *error, int domain) {
            done = true;
            const auto v = find_tlv(g_tlvs, 0x01);
            FUZZ_CHECK((error == nullptr) == (reference_success() && v && !v->empty()));
            if (error) {
                FUZZ_CHECK(domain == -1);
                return;
            }
            FUZZ_CHECK(domain == (*v)[0]);
            check_bearer(domain);
        });
    run_until(done);
}

enum Selector : std::uint8_t {
    kMt,
    kSubmit,
    kSca,
    kBearer,
    kRawRead,          // response 0x0022
    kEventReport,      // indication 0x0001
    kSmscAddress,      // raw response 0x0034
    kDomainPreference, // raw response 0x0040
    kSelectors
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    init();
    on_indication<QmiIndicationWmsEventReportOutput, on_event_report>(QMI_SERVICE_WMS,
                                                                      "event-report");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1 || data[0] >= kSelectors)
        return -1;
    g_tlvs = Span(data + 1, size - 1);
    FuzzedDataProvider p(g_tlvs.data(), g_tlvs.size());
    MessagePtr frame;
    switch (data[0]) {
    case kMt:
        check_mt(Bytes(g_tlvs.begin(), g_tlvs.end()));
        break;
    case kSubmit:
        check_submit(p);
        break;
    case kSca: {
        const std::string type = p.ConsumeRandomLengthString(8);
        check_sca(type, p.ConsumeRemainingBytesAsString());
        break;
    }
    case kBearer:
        check_bearer(p.ConsumeIntegralInRange<int>(-2, 300));
        break;
    case kRawRead:
        if ((frame = modem_frame(QMI_SERVICE_WMS, 0x0022, Kind::Response, g_tlvs)))
            raw_read(frame.get());
        break;
    case kEventReport:
        if ((frame = modem_frame(QMI_SERVICE_WMS, 0x0001, Kind::Indication, g_tlvs)))
            indicate(QMI_SERVICE_WMS, frame.get());
        break;
    case kSmscAddress:
        if ((frame = modem_frame(QMI_SERVICE_WMS, 0x0034, Kind::RawResponse, g_tlvs)))
            smsc_address(frame.get());
        break;
    case kDomainPreference:
        if ((frame = modem_frame(QMI_SERVICE_WMS, 0x0040, Kind::RawResponse, g_tlvs)))
            domain_preference(frame.get());
        break;
    default:
        break;
    }
    return 0;
}
