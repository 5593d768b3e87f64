#include "log.hpp"

#include "glib_ptr.hpp"
#include "names.hpp"
#include "qmux.hpp"

namespace qmisim
{

namespace
{

// Requests whose TLVs hold PINs or PUKs: UIM Set PIN Protection, Verify,
// Unblock, Change PIN (0x25-0x28) and their DMS counterparts (0x27-0x2A);
// and WDS messages with passwords: Start Network, Create and Modify Profile
// (0x20, 0x27, 0x28), and the Get Profile / Default Settings responses
// (0x2B, 0x2C).
bool carries_pin_codes(QmiMessage *message)
{
    const auto id = qmi_message_get_message_id(message);
    if (qmi_message_get_service(message) == QMI_SERVICE_WDS)
        return qmi_message_is_request(message)
                   ? id == 0x0020 || id == 0x0027 || id == 0x0028
                   : qmi_message_is_response(message) && (id == 0x002B || id == 0x002C);
    if (!qmi_message_is_request(message))
        return false;
    switch (qmi_message_get_service(message)) {
    case QMI_SERVICE_UIM:
        return id >= 0x0025 && id <= 0x0028;
    case QMI_SERVICE_DMS:
        return id >= 0x0027 && id <= 0x002A;
    default:
        return false;
    }
}

} // namespace

Log::Log(const std::string &path, bool verbose)
    : verbose_(verbose), start_us_(g_get_monotonic_time())
{
    if (path.empty()) {
        file_ = stderr;
        return;
    }
    file_ = std::fopen(path.c_str(), "a");
    owned_ = file_ != nullptr;
}

Log::~Log()
{
    if (owned_)
        std::fclose(file_);
}

void Log::line(const std::string &text)
{
    const double ms = static_cast<double>(g_get_monotonic_time() - start_us_) / 1000.0;
    std::fprintf(file_, "%10.3f %s\n", ms, text.c_str());
    // Tests and people tail the log while the simulator runs.
    std::fflush(file_);
}

void Log::message(Direction direction, QmiMessage *message, std::string_view note)
{
    const QmiService service = qmi_message_get_service(message);
    GCharPtr header{g_strdup_printf(
        "%s %-5s 0x%04x cid=%u tid=%u \"%s\"", direction == Direction::FromHost ? "<<" : ">>",
        service_name(service).c_str(), qmi_message_get_message_id(message),
        qmi_message_get_client_id(message), qmi_message_get_transaction_id(message),
        message_name(message).c_str())};
    std::string text{header.get()};
    if (qmi_message_is_indication(message)) {
        text += " indication";
    } else if (qmi_message_is_response(message)) {
        const auto error = response_error(message);
        text += " result=";
        text += !error                              ? "missing"
                : *error == QMI_PROTOCOL_ERROR_NONE ? "success"
                                                    : protocol_error_name(*error);
    }
    if (!note.empty()) {
        text += " (";
        text += note;
        text += ")";
    }
    line(text);
    if (!verbose_)
        return;
    if (carries_pin_codes(message)) {
        std::fputs("           (TLVs not shown: they carry PIN codes or passwords)\n", file_);
    } else {
        GCharPtr printable{qmi_message_get_printable_full(message, nullptr, "           ")};
        std::fputs(printable.get(), file_);
    }
    std::fflush(file_);
}

void Log::event(std::string_view text)
{
    line("-- " + std::string{text});
}

void Log::mark(std::string_view text)
{
    line("== MARK " + std::string{text});
}

} // namespace qmisim
