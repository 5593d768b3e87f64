// RAII for g_signal_connect: disconnects when destroyed. Used for libqmi
// indications ("serving-system", "event-report", ...) and device signals.
#pragma once

#include "gobject_ptr.hpp"
#include "move_function.hpp"

#include <glib-object.h>

#include <memory>
#include <utility>

namespace qmi {

class SignalConnection {
public:
    SignalConnection() = default;
    SignalConnection(gpointer instance, const char *signal, GCallback handler, gpointer data)
        : instance_(G_OBJECT(instance)), id_(g_signal_connect(instance, signal, handler, data))
    {
        g_object_add_weak_pointer(instance_, reinterpret_cast<gpointer *>(&instance_));
    }
    SignalConnection(SignalConnection &&o) noexcept { *this = std::move(o); }
    SignalConnection &operator=(SignalConnection &&o) noexcept
    {
        if (this != &o) {
            disconnect();
            instance_ = o.instance_;
            id_ = std::exchange(o.id_, 0);
            if (instance_) {
                g_object_remove_weak_pointer(instance_, reinterpret_cast<gpointer *>(&o.instance_));
                g_object_add_weak_pointer(instance_, reinterpret_cast<gpointer *>(&instance_));
            }
            o.instance_ = nullptr;
        }
        return *this;
    }
    SignalConnection(const SignalConnection &) = delete;
    SignalConnection &operator=(const SignalConnection &) = delete;
    ~SignalConnection() { disconnect(); }

    void disconnect()
    {
        if (instance_) {
            if (id_)
                g_signal_handler_disconnect(instance_, id_);
            g_object_remove_weak_pointer(instance_, reinterpret_cast<gpointer *>(&instance_));
        }
        instance_ = nullptr;
        id_ = 0;
    }

private:
    GObject *instance_ = nullptr;
    gulong id_ = 0;
};

// Connects a member function: on_signal(Args...) is called with the signal's
// arguments after the instance pointer.
template <auto Method, typename Owner, typename... Args> struct SignalThunk {
    static void handle(gpointer, Args... args, gpointer data)
    {
        (static_cast<Owner *>(data)->*Method)(args...);
    }
};

template <auto Method, typename... Args, typename Owner>
SignalConnection connect_signal(gpointer instance, const char *signal, Owner *owner)
{
    return SignalConnection(instance, signal,
                            G_CALLBACK((&SignalThunk<Method, Owner, Args...>::handle)), owner);
}

} // namespace qmi
