// The one async adapter between libqmi's GAsyncReadyCallback/_finish pairs
// and C++ callables.
//
//   call(life, client, QMI_REQUEST(dms, get_model), nullptr,
//        [](Reply<QmiMessageDmsGetModelOutput> r) { ... });
//
// The trampoline always runs (libqmi's GTask guarantees it) and owns the
// closure on every path. It folds libqmi's two error layers (transport error
// from _finish, protocol error from get_result) into one Reply, and calls the
// C++ callable only while the owner's Lifetime is alive. A request the device
// aborts because the modem is lost (pending_requests.hpp) gets its Reply (the
// error) then, and the trampoline later only frees the closure.
#pragma once

#include "gobject_ptr.hpp"
#include "lifetime.hpp"
#include "pending_requests.hpp"

#include <libqmi-glib.h>

#include <memory>
#include <type_traits>
#include <utility>

namespace qmi
{

inline constexpr guint kDefaultTimeoutSeconds = 10;

template <typename Client, typename Input, typename Output> struct Request {
    void (*send)(Client *, Input *, guint, GCancellable *, GAsyncReadyCallback, gpointer);
    Output *(*finish)(Client *, GAsyncResult *, GError **);
    gboolean (*result)(Output *, GError **);
    void (*unref)(Output *);
    const char *name;
};

template <typename Client, typename Input, typename Output>
constexpr Request<Client, Input, Output>
make_request(void (*send)(Client *, Input *, guint, GCancellable *, GAsyncReadyCallback, gpointer),
             Output *(*finish)(Client *, GAsyncResult *, GError **),
             gboolean (*result)(Output *, GError **), void (*unref)(Output *), const char *name)
{
    return {send, finish, result, unref, name};
}

// QMI_REQUEST(dms, get_model) names libqmi's four generated functions of one
// message; the types are then checked by the compiler.
#define QMI_REQUEST(svc, msg)                                                                      \
    ::qmi::make_request(qmi_client_##svc##_##msg, qmi_client_##svc##_##msg##_finish,               \
                        qmi_message_##svc##_##msg##_output_get_result,                             \
                        qmi_message_##svc##_##msg##_output_unref, #svc " " #msg)

// A new, owned input of one message: auto in = QMI_INPUT(dms, uim_verify_pin);
#define QMI_INPUT(svc, msg)                                                                        \
    std::unique_ptr<std::remove_pointer_t<decltype(qmi_message_##svc##_##msg##_input_new())>,      \
                    ::qmi::CFree<qmi_message_##svc##_##msg##_input_unref>>(                        \
        qmi_message_##svc##_##msg##_input_new())

// Either the output of a successful request, or the error that ended it.
template <typename Output> class Reply
{
  public:
    using OutputPtr = std::unique_ptr<Output, void (*)(Output *)>;

    Reply(OutputPtr output, ErrorPtr error) : output_(std::move(output)), error_(std::move(error))
    {
    }

    bool ok() const { return !error_; }
    Output *get() const { return output_.get(); }
    const GError *error() const { return error_.get(); }

  private:
    OutputPtr output_;
    ErrorPtr error_;
};

namespace detail
{

template <typename Client, typename Input, typename Output, typename F>
struct CallClosure final : PendingRequest {
    CallClosure(const Request<Client, Input, Output> &r, Token o, F &&f)
        : request(r), owner(std::move(o)), on_reply(std::move(f))
    {
    }

    Request<Client, Input, Output> request;
    Token owner;
    F on_reply;
    PendingRegistration registration;
    bool aborted = false;

    void abort(const GError *error) override
    {
        registration.reset();
        aborted = true;
        if (owner.expired())
            return;
        on_reply(Reply<Output>(typename Reply<Output>::OutputPtr(nullptr, request.unref),
                               ErrorPtr(g_error_copy(error))));
    }

    static void done(GObject *source, GAsyncResult *res, gpointer data)
    {
        std::unique_ptr<CallClosure> self(static_cast<CallClosure *>(data));
        auto &req = self->request;
        self->registration.reset();

        ErrorPtr error;
        typename Reply<Output>::OutputPtr output(
            req.finish(reinterpret_cast<Client *>(source), res, ErrorOut(error)), req.unref);
        if (self->aborted)
            return; // already answered with the error
        // On a protocol error the output stays available: some messages
        // carry details (retry counters, cause codes) alongside it.
        if (output)
            req.result(output.get(), ErrorOut(error));
        if (self->owner.expired())
            return;
        self->on_reply(Reply<Output>(std::move(output), std::move(error)));
    }
};

} // namespace detail

template <typename Client, typename Input, typename Output, typename F>
void call(const Lifetime &owner, Client *client, const Request<Client, Input, Output> &request,
          std::type_identity_t<Input> *input, F &&on_reply, guint timeout = kDefaultTimeoutSeconds)
{
    using Closure = detail::CallClosure<Client, Input, Output, std::decay_t<F>>;
    auto *closure = new Closure(request, owner.token(), std::decay_t<F>(std::forward<F>(on_reply)));
    closure->registration =
        PendingRegistration(QMI_DEVICE(qmi_client_peek_device(QMI_CLIENT(client))), closure);
    request.send(client, input, timeout, owner.cancellable(), &Closure::done, closure);
}

// A reply handler for requests whose output does not matter: done(error),
// with nullptr on success.
template <typename Output, typename Done> auto only_status(Done done)
{
    return
        [done = std::move(done)](Reply<Output> r) mutable { done(r.ok() ? nullptr : r.error()); };
}

} // namespace qmi
