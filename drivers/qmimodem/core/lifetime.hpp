// Ties asynchronous work to the lifetime of its owner (an atom, the modem).
// Every QMI request and deferred callback holds a weak token; end() cancels
// pending requests and makes every late reply a no-op. Owners call end() at
// the top of their destructor, before any member that holds callbacks dies.
#pragma once

#include "gobject_ptr.hpp"
#include "move_function.hpp"

#include <gio/gio.h>

#include <memory>

namespace qmi {

using Token = std::weak_ptr<const void>;

class Lifetime {
public:
    Lifetime();
    ~Lifetime();
    Lifetime(const Lifetime &) = delete;
    Lifetime &operator=(const Lifetime &) = delete;

    // Cancel everything pending and start a fresh lifetime (for owners that
    // outlive one session, like the modem across disable/enable).
    void renew();
    void end();

    bool alive() const { return alive_ != nullptr; }
    Token token() const { return alive_; }
    GCancellable *cancellable() const { return cancellable_.get(); }

    // Runs fn from the main loop, unless the lifetime ended first. Used for
    // callbacks that would otherwise re-enter oFono's core from a driver op.
    void defer(MoveFunction<void()> fn) const;
    // Runs fn after ms milliseconds, unless the lifetime ended first. Only
    // for guards (a request the modem never completes), never for polling.
    void after(unsigned ms, MoveFunction<void()> fn) const;

    // A GAsyncReadyCallback + user_data pair for GIO-style calls that are not
    // QMI client requests (device open, client allocation): fn runs only
    // while the lifetime lasts.
    struct AsyncSlot {
        GAsyncReadyCallback callback;
        gpointer data;
    };
    AsyncSlot async(MoveFunction<void(GObject *, GAsyncResult *)> fn) const;

private:
    std::shared_ptr<const void> alive_;
    GRef<GCancellable> cancellable_;
};

} // namespace qmi
