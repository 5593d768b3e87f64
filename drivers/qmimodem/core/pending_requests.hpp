// Requests on their way through one QmiDevice. libqmi ends them only from
// an idle source (after a hang-up) or at their timeout (after a reset or
// a silent modem), by which time oFono has removed the atoms and their
// callbacks could no longer be answered. When the modem is lost, the
// device ends every one of them at once instead, with an error, while its
// owner still lives: each waiting oFono callback gets its error exactly
// once, before oFono hears that the modem is off.
#pragma once

#include <gio/gio.h>
#include <libqmi-glib.h>

#include <memory>
#include <set>

namespace qmi
{

class PendingRequest
{
  public:
    // Ends the request now with `error`; a reply that still comes is ignored.
    virtual void abort(const GError *error) = 0;

  protected:
    ~PendingRequest() = default;
};

// Keeps a request listed while it lives; unlists it when reset or destroyed.
class PendingRegistration
{
  public:
    PendingRegistration() = default;
    PendingRegistration(QmiDevice *device, PendingRequest *request);
    PendingRegistration(PendingRegistration &&) noexcept = default;
    PendingRegistration &operator=(PendingRegistration &&o) noexcept
    {
        if (this != &o) {
            reset();
            list_ = std::move(o.list_);
            request_ = o.request_;
        }
        return *this;
    }
    PendingRegistration(const PendingRegistration &) = delete;
    PendingRegistration &operator=(const PendingRegistration &) = delete;
    ~PendingRegistration() { reset(); }

    void reset();

  private:
    std::weak_ptr<std::set<PendingRequest *>> list_;
    PendingRequest *request_ = nullptr;
};

// Aborts every request listed for `device`, and those their handlers start
// meanwhile, each once.
void abort_pending_requests(QmiDevice *device, const GError *error);

} // namespace qmi
