// The SIM card's file system: MF, DF TELECOM, DF GSM, ADF USIM and the
// elementary files a host reads, built from a CardProfile. Also the FCP
// template (ETSI TS 102.221 11.1.1.3) that Get File Attributes returns.
#pragma once

#include "sim_codec.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace qmisim
{

// The USIM application identifier (RID A000000087, 3GPP USIM 1002).
inline const Bytes kUsimAid{0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF,
                            0x49, 0xFF, 0xFF, 0x89, 0x04, 0x0B, 0x00, 0xFF};

namespace fid
{
inline constexpr std::uint16_t kMf = 0x3F00;
inline constexpr std::uint16_t kDfTelecom = 0x7F10;
inline constexpr std::uint16_t kDfGsm = 0x7F20;
inline constexpr std::uint16_t kAdfUsim = 0x7FFF;
inline constexpr std::uint16_t kDir = 0x2F00;
inline constexpr std::uint16_t kPl = 0x2F05;
inline constexpr std::uint16_t kIccid = 0x2FE2;
inline constexpr std::uint16_t kLi = 0x6F05;
inline constexpr std::uint16_t kImsi = 0x6F07;
inline constexpr std::uint16_t kUst = 0x6F38;
inline constexpr std::uint16_t kMsisdn = 0x6F40;
inline constexpr std::uint16_t kSmsp = 0x6F42;
inline constexpr std::uint16_t kSpn = 0x6F46;
inline constexpr std::uint16_t kEst = 0x6F56;
inline constexpr std::uint16_t kAd = 0x6FAD;
} // namespace fid

// What the card's subscriber data is made of; the files follow it.
struct CardProfile {
    std::string iccid = "8949000000000000001";
    std::string imsi = "001010123456789";
    unsigned mnc_length = 2;
    std::string spn = "QMI-SIM Mobile";
    std::uint8_t spn_display = 0x01; // b1: display the registered PLMN
    std::string msisdn = "+15551234567";
    std::string msisdn_alpha = "My Number";
    std::string smsc = "+15550000000";
};

// Who may read or update a file.
enum class Access { Always, Pin1, Pin2, Adm, Never };

enum class FileKind { Transparent, LinearFixed, Cyclic, Dedicated, Master };

// A file is addressed by the path of DFs above it (without itself) and its id.
struct FilePath {
    std::vector<std::uint16_t> path;
    std::uint16_t id = 0;
};

struct CardFile {
    std::uint16_t id = 0;
    FileKind kind = FileKind::Transparent;
    // Every DF path under which the file is reachable (USIM and GSM access).
    std::vector<std::vector<std::uint16_t>> parents;
    Access read = Access::Always;
    Access update = Access::Adm;
    Bytes data;                 // transparent files
    std::vector<Bytes> records; // record files, all record_size long
    std::size_t record_size = 0;

    bool is_ef() const { return kind != FileKind::Dedicated && kind != FileKind::Master; }
    std::size_t size() const
    {
        return is_ef() ? (record_size ? records.size() * record_size : data.size()) : 0;
    }
};

class CardFiles
{
  public:
    explicit CardFiles(const CardProfile &profile);

    CardFile *find(const FilePath &where);
    const CardFile *find(const FilePath &where) const;

    // Rewrite the files that hold one part of the profile. They return false
    // (and change nothing) if the value cannot be encoded.
    bool set_iccid(const std::string &iccid);
    bool set_imsi(const std::string &imsi);
    bool set_mnc_length(unsigned length);
    bool set_spn(const std::string &spn, std::uint8_t display);
    bool set_msisdn(const std::string &alpha, const std::string &number);

  private:
    CardFile &ef(std::uint16_t id);

    std::vector<CardFile> files_;
};

// The FCP template of a file. For DFs the PIN status template lists PIN1
// (key reference 01) and PIN2 (81) with their enabled bits.
Bytes fcp_template(const CardFile &file, bool pin1_enabled, bool pin2_enabled);

} // namespace qmisim
