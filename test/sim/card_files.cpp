#include "card_files.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace qmisim
{

namespace
{

using Parents = std::vector<std::vector<std::uint16_t>>;

const Parents kUnderMf{{fid::kMf}};
// USIM files, also reachable through DF GSM for 2G-style access.
const Parents kUnderAdf{{fid::kMf, fid::kAdfUsim}, {fid::kMf, fid::kDfGsm}};
// Files that a 2G SIM keeps in DF TELECOM.
const Parents kTelecom{
    {fid::kMf, fid::kAdfUsim}, {fid::kMf, fid::kDfTelecom}, {fid::kMf, fid::kDfGsm}};

constexpr std::size_t kDirRecordSize = 32;
constexpr std::size_t kMsisdnRecordSize = 28;
constexpr std::size_t kSmspRecordSize = 40;

// UST services (TS 31.102 4.2.8): 12 SMSP, 19 SPN, 21 MSISDN, 33 (always
// set), 34 EST. No FDN (2), no PNN/OPL (45/46).
const std::vector<unsigned> kUstServices{12, 19, 21, 33, 34};
constexpr std::size_t kUstSize = 8;

CardFile transparent(std::uint16_t id, const Parents &parents, Access read, Access update,
                     Bytes data)
{
    CardFile f;
    f.id = id;
    f.kind = FileKind::Transparent;
    f.parents = parents;
    f.read = read;
    f.update = update;
    f.data = std::move(data);
    return f;
}

CardFile linear(std::uint16_t id, const Parents &parents, Access read, Access update,
                std::size_t record_size, std::vector<Bytes> records)
{
    CardFile f;
    f.id = id;
    f.kind = FileKind::LinearFixed;
    f.parents = parents;
    f.read = read;
    f.update = update;
    f.record_size = record_size;
    f.records = std::move(records);
    return f;
}

CardFile directory(std::uint16_t id, FileKind kind, const Parents &parents)
{
    CardFile f;
    f.id = id;
    f.kind = kind;
    f.parents = parents;
    f.update = Access::Never;
    return f;
}

// EF DIR record: application template {AID, label "USIM"}.
Bytes dir_record()
{
    constexpr std::uint8_t kLabel[] = {'U', 'S', 'I', 'M'};
    Bytes record;
    record.reserve(kDirRecordSize);
    record.push_back(0x61);
    record.push_back(static_cast<std::uint8_t>(2 + kUsimAid.size() + 2 + sizeof kLabel));
    record.push_back(0x4F);
    record.push_back(static_cast<std::uint8_t>(kUsimAid.size()));
    for (const std::uint8_t b : kUsimAid)
        record.push_back(b);
    record.push_back(0x50);
    record.push_back(sizeof kLabel);
    for (const std::uint8_t b : kLabel)
        record.push_back(b);
    record.resize(kDirRecordSize, 0xFF);
    return record;
}

// Preferred languages: ISO 639 "en", one spare entry.
const Bytes kLanguages{'e', 'n', 0xFF, 0xFF};

Bytes ad_bytes(unsigned mnc_length)
{
    // Normal operation, no ciphering indicator, MNC length in the 4th byte.
    return {0x00, 0x00, 0x00, static_cast<std::uint8_t>(mnc_length)};
}

std::optional<Bytes> spn_bytes(const std::string &spn, std::uint8_t display)
{
    constexpr std::size_t kNameSize = 16;
    const auto name = gsm7_unpacked(spn);
    if (!name || name->size() > kNameSize)
        return std::nullopt;
    Bytes out{display};
    out.insert(out.end(), name->begin(), name->end());
    out.resize(1 + kNameSize, 0xFF);
    return out;
}

void append_do(Bytes &out, std::uint8_t tag, const Bytes &value)
{
    out.push_back(tag);
    out.push_back(static_cast<std::uint8_t>(value.size()));
    out.insert(out.end(), value.begin(), value.end());
}

// Record of EF ARR that the file's access rules would be found in.
std::uint8_t arr_record(const CardFile &file)
{
    if (file.read == Access::Always)
        return file.update == Access::Never ? 1 : file.update == Access::Pin1 ? 3 : 2;
    if (file.update == Access::Pin2)
        return 6;
    return file.update == Access::Pin1 ? 5 : 4;
}

bool under_mf_only(const CardFile &file)
{
    return file.parents.size() == 1 && file.parents.front() == std::vector{fid::kMf};
}

} // namespace

CardFiles::CardFiles(const CardProfile &profile)
{
    files_.push_back(directory(fid::kMf, FileKind::Master, {{}}));
    for (const auto df : {fid::kDfTelecom, fid::kDfGsm, fid::kAdfUsim})
        files_.push_back(directory(df, FileKind::Dedicated, kUnderMf));

    files_.push_back(
        linear(fid::kDir, kUnderMf, Access::Always, Access::Adm, kDirRecordSize, {dir_record()}));
    files_.push_back(transparent(fid::kPl, kUnderMf, Access::Always, Access::Pin1, kLanguages));
    files_.push_back(transparent(fid::kIccid, kUnderMf, Access::Always, Access::Never, {}));

    files_.push_back(transparent(fid::kLi, kUnderAdf, Access::Always, Access::Pin1, kLanguages));
    files_.push_back(transparent(fid::kImsi, kUnderAdf, Access::Pin1, Access::Adm, {}));
    files_.push_back(transparent(fid::kAd, kUnderAdf, Access::Always, Access::Adm, {}));
    files_.push_back(transparent(fid::kSpn, kUnderAdf, Access::Always, Access::Adm, {}));
    files_.push_back(transparent(fid::kUst, kUnderAdf, Access::Pin1, Access::Adm,
                                 service_table(kUstServices, kUstSize)));
    // EST: FDN, BDN and ACL all off.
    files_.push_back(transparent(fid::kEst, kUnderAdf, Access::Pin1, Access::Pin2, {0x00}));

    files_.push_back(linear(fid::kMsisdn, kTelecom, Access::Pin1, Access::Pin1, kMsisdnRecordSize,
                            {Bytes(kMsisdnRecordSize, 0xFF)}));
    const auto smsp = encode_smsp(profile.smsc, kSmspRecordSize);
    assert(smsp);
    files_.push_back(
        linear(fid::kSmsp, kTelecom, Access::Pin1, Access::Pin1, kSmspRecordSize, {*smsp}));

    [[maybe_unused]] const bool ok = set_iccid(profile.iccid) && set_imsi(profile.imsi) &&
                                     set_mnc_length(profile.mnc_length) &&
                                     set_spn(profile.spn, profile.spn_display) &&
                                     set_msisdn(profile.msisdn_alpha, profile.msisdn);
    assert(ok);
}

const CardFile *CardFiles::find(const FilePath &where) const
{
    for (const auto &file : files_)
        if (file.id == where.id &&
            std::find(file.parents.begin(), file.parents.end(), where.path) != file.parents.end())
            return &file;
    return nullptr;
}

CardFile *CardFiles::find(const FilePath &where)
{
    return const_cast<CardFile *>(std::as_const(*this).find(where));
}

CardFile &CardFiles::ef(std::uint16_t id)
{
    const auto it =
        std::find_if(files_.begin(), files_.end(), [id](const CardFile &f) { return f.id == id; });
    assert(it != files_.end());
    return *it;
}

bool CardFiles::set_iccid(const std::string &iccid)
{
    const auto bytes = encode_iccid(iccid);
    if (!bytes)
        return false;
    ef(fid::kIccid).data = *bytes;
    return true;
}

bool CardFiles::set_imsi(const std::string &imsi)
{
    const auto bytes = encode_imsi(imsi);
    if (!bytes)
        return false;
    ef(fid::kImsi).data = *bytes;
    return true;
}

bool CardFiles::set_mnc_length(unsigned length)
{
    if (length != 2 && length != 3)
        return false;
    ef(fid::kAd).data = ad_bytes(length);
    return true;
}

bool CardFiles::set_spn(const std::string &spn, std::uint8_t display)
{
    const auto bytes = spn_bytes(spn, display);
    if (!bytes)
        return false;
    ef(fid::kSpn).data = *bytes;
    return true;
}

bool CardFiles::set_msisdn(const std::string &alpha, const std::string &number)
{
    const auto record = encode_dialling_number(alpha, number, kMsisdnRecordSize);
    if (!record)
        return false;
    ef(fid::kMsisdn).records = {*record};
    return true;
}

Bytes fcp_template(const CardFile &file, bool pin1_enabled, bool pin2_enabled)
{
    auto u16 = [](std::size_t v) {
        return Bytes{static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
    };
    Bytes body;
    // File descriptor: shareable (b7), then DF (111000) or a working EF with
    // its structure; data coding byte 0x21; records: length (2 bytes) and count.
    switch (file.kind) {
    case FileKind::Master:
    case FileKind::Dedicated:
        append_do(body, 0x82, {0x78, 0x21});
        break;
    case FileKind::Transparent:
        append_do(body, 0x82, {0x41, 0x21});
        break;
    case FileKind::LinearFixed:
    case FileKind::Cyclic: {
        Bytes descriptor{static_cast<std::uint8_t>(file.kind == FileKind::Cyclic ? 0x46 : 0x42),
                         0x21};
        const Bytes length = u16(file.record_size);
        descriptor.insert(descriptor.end(), length.begin(), length.end());
        descriptor.push_back(static_cast<std::uint8_t>(file.records.size()));
        append_do(body, 0x82, descriptor);
        break;
    }
    }
    append_do(body, 0x83, u16(file.id));
    if (file.id == fid::kAdfUsim)
        append_do(body, 0x84, kUsimAid); // DF name
    append_do(body, 0x8A, {0x05});       // life cycle: operational, activated
    if (file.is_ef()) {
        // Security attributes by reference to EF ARR (2F06 under MF, 6F06 in the ADF).
        const std::uint16_t arr = under_mf_only(file) ? 0x2F06 : 0x6F06;
        append_do(body, 0x8B,
                  {static_cast<std::uint8_t>(arr >> 8), static_cast<std::uint8_t>(arr),
                   arr_record(file)});
        append_do(body, 0x80, u16(file.size()));
    } else {
        append_do(body, 0x8B, {0x2F, 0x06, 0x01});
        // PIN status template: PS_DO (b8 = first key reference enabled),
        // then the key references PIN1 (01) and PIN2 (81).
        const auto ps =
            static_cast<std::uint8_t>((pin1_enabled ? 0x80 : 0) | (pin2_enabled ? 0x40 : 0));
        Bytes pins;
        append_do(pins, 0x90, {ps});
        append_do(pins, 0x83, {0x01});
        append_do(pins, 0x83, {0x81});
        append_do(body, 0xC6, pins);
    }
    Bytes out;
    append_do(out, 0x62, body);
    return out;
}

} // namespace qmisim
