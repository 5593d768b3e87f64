// Modem frames through libqmi into the plugin's readers, as the fuzz targets
// drive them (test/fuzz/harness.hpp builds the frames and answers requests
// in-process): the typed NAS outputs nas_extract reads and the raw replies
// raw_messages reads. Each case is a bug a fuzz target found.
#include "../fuzz/harness.hpp"

#include "core/raw_messages.hpp"
#include "translate/nas_extract.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace qmi;

namespace
{

ServingSystem g_indicated;

void on_serving_system(QmiIndicationNasServingSystemOutput *out)
{
    g_indicated = extract_serving_system(out);
}

ServingSystem indicate_serving_system(const fuzz::Bytes &tlvs)
{
    static const bool connected = [] {
        fuzz::on_indication<QmiIndicationNasServingSystemOutput, on_serving_system>(
            QMI_SERVICE_NAS, "serving-system");
        return true;
    }();
    (void)connected;
    g_indicated = {};
    auto frame = fuzz::modem_frame(QMI_SERVICE_NAS, 0x0024, fuzz::Kind::Indication, tlvs);
    REQUIRE(frame);
    fuzz::indicate(QMI_SERVICE_NAS, frame.get());
    return g_indicated;
}

struct Smsc {
    bool failed = false;
    std::string type, address;
};

Smsc get_smsc_address(const fuzz::Bytes &tlvs)
{
    auto frame = fuzz::modem_frame(QMI_SERVICE_WMS, 0x0034, fuzz::Kind::RawResponse, tlvs);
    REQUIRE(frame);
    Lifetime life;
    Smsc got;
    bool done = false;
    fuzz::answer_next_request(frame.get());
    wms_get_smsc_address(
        life, fuzz::device(), fuzz::client(QMI_SERVICE_WMS),
        [&](const GError *error, const std::string &type, const std::string &address) {
            got = {error != nullptr, type, address};
            done = true;
        });
    fuzz::run_until(done);
    return got;
}

} // namespace

TEST_CASE("Serving System: every radio interface and data capability is read", "[nas][frames]")
{
    // Found by fuzz_nas_frames: libqmi hands these one-byte TLV values as
    // GArrays of its enums (4 bytes each); reading them as bytes gave
    // {UMTS, 0} and {WCDMA, 0, 0}, so the LTE or HSPA the modem listed
    // second was never seen.
    const auto ss = indicate_serving_system({
        0x01, 0x07, 0x00, QMI_NAS_REGISTRATION_STATE_REGISTERED, 1, 1, 2, 2,
        QMI_NAS_RADIO_INTERFACE_UMTS, QMI_NAS_RADIO_INTERFACE_LTE, // 0x01 Serving System
        0x11, 0x04, 0x00, 3, QMI_NAS_DATA_CAPABILITY_WCDMA, QMI_NAS_DATA_CAPABILITY_HSDPA,
        QMI_NAS_DATA_CAPABILITY_HSUPA, // 0x11 Data Service Capability
    });
    CHECK(ss.radio_interfaces ==
          std::vector<int>{QMI_NAS_RADIO_INTERFACE_UMTS, QMI_NAS_RADIO_INTERFACE_LTE});
    CHECK(ss.data_capabilities == std::vector<int>{QMI_NAS_DATA_CAPABILITY_WCDMA,
                                                   QMI_NAS_DATA_CAPABILITY_HSDPA,
                                                   QMI_NAS_DATA_CAPABILITY_HSUPA});
    CHECK(to_registration(ss).tech == AccessTech::Eutran);
    CHECK(to_access_tech({QMI_NAS_RADIO_INTERFACE_UMTS}, ss.data_capabilities) ==
          AccessTech::UtranHsdpaHsupa);
}

TEST_CASE("Serving System: values outside libqmi's enums are kept as numbers", "[nas][frames]")
{
    // Found by fuzz_nas_frames under UBSan: loading a value the modem sent
    // outside the enum's range as that C++ enum is undefined behaviour.
    const auto ss = indicate_serving_system({
        0x01, 0x06, 0x00, 0x7F, 100, 100, 0x42, 1, 0x7E, // 0x01 Serving System
        0x11, 0x02, 0x00, 1, 0xEE,                       // 0x11 Data Service Capability
        0x10, 0x01, 0x00, 0x99,                          // 0x10 Roaming Indicator
    });
    CHECK(ss.registration_state == 0x7F);
    CHECK(ss.ps_attach_state == 100);
    CHECK(ss.radio_interfaces == std::vector<int>{0x7E});
    CHECK(ss.data_capabilities == std::vector<int>{0xEE});
    CHECK_FALSE(ss.roaming);
    CHECK(to_registration(ss).status == RegStatus::Unknown);
}

TEST_CASE("Get SMSC Address: a reply cut short is an error", "[wms][frames]")
{
    const fuzz::Bytes success{0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00};
    auto with = [&](fuzz::Bytes tlvs) {
        tlvs.insert(tlvs.begin(), success.begin(), success.end());
        return tlvs;
    };
    auto whole =
        get_smsc_address(with({0x01, 0x09, 0x00, '1', '4', '5', 5, '+', '4', '4', '7', '7'}));
    CHECK_FALSE(whole.failed);
    CHECK(whole.type == "145");
    CHECK(whole.address == "+4477");

    CHECK(get_smsc_address(with({0x01, 0x09, 0x00, '1', '4', '5', 14, '+', '4', '4', '7', '7'}))
              .failed);
    // Found by fuzz_wms: two ErrorOut temporaries in one expression, the
    // first one's nullptr stored last, so a type without the length byte
    // that follows it read as success (with an empty address).
    CHECK(get_smsc_address(with({0x01, 0x03, 0x00, '1', '4', '5'})).failed);
    // The same in the Result TLV: a status without its error code.
    CHECK(get_smsc_address({0x02, 0x02, 0x00, 0x00, 0x00, 0x01, 0x04, 0x00, '1', '4', '5', 0})
              .failed);
    CHECK(get_smsc_address({0x02, 0x04, 0x00, 0x01, 0x00, 0x51, 0x00}).failed);
}
