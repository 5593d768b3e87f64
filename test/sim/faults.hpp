// Misbehaviour armed from the control socket, each for the next matching request.
#pragma once

#include <libqmi-glib.h>

#include <cstdint>
#include <deque>
#include <optional>

namespace qmisim
{

enum class FaultKind {
    Fail,      // answer with a protocol error instead of running the handler
    Drop,      // run the handler but send no response
    Garbage,   // run the handler but send junk bytes instead of the response
    Reset,     // the modem resets on this request: no handler, no response
    Disappear, // the port vanishes on this request: no handler, no response
    Silence,   // the modem stops answering from this request on (silent on)
};

struct Fault {
    QmiService service;
    std::uint16_t message_id;
    FaultKind kind;
    QmiProtocolError error = QMI_PROTOCOL_ERROR_NONE;
};

class FaultQueue
{
  public:
    void add(const Fault &fault) { faults_.push_back(fault); }

    // Removes and returns the oldest fault armed for this request, if any.
    std::optional<Fault> take(QmiService service, std::uint16_t message_id)
    {
        for (auto it = faults_.begin(); it != faults_.end(); ++it) {
            if (it->service == service && it->message_id == message_id) {
                Fault fault = *it;
                faults_.erase(it);
                return fault;
            }
        }
        return std::nullopt;
    }

  private:
    std::deque<Fault> faults_;
};

} // namespace qmisim
