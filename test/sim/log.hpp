// Message log: one line per QMI message, timestamps in ms since start.
#pragma once

#include <libqmi-glib.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace qmisim
{

enum class Direction { FromHost, ToHost };

class Log
{
  public:
    // Empty path logs to stderr.
    Log(const std::string &path, bool verbose);
    Log(const Log &) = delete;
    Log &operator=(const Log &) = delete;
    ~Log();

    bool ok() const { return file_ != nullptr; }

    // "<ms> << dms 0x0025 cid=1 tid=2 "Get IDs" result=..." (+ printable if verbose).
    void message(Direction direction, QmiMessage *message, std::string_view note = {});
    // Free-form event line ("-- ..."), e.g. dropped replies or resyncs.
    void event(std::string_view text);
    void mark(std::string_view text);

  private:
    void line(const std::string &text);

    std::FILE *file_ = nullptr;
    bool owned_ = false;
    bool verbose_ = false;
    gint64 start_us_ = 0;
};

} // namespace qmisim
