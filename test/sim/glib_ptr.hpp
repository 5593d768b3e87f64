// Small RAII helpers for GLib/GObject resources used by the simulator.
#pragma once

#include <glib-object.h>
#include <glib.h>

#include <functional>
#include <memory>
#include <utility>

namespace qmisim
{

template <auto Free> struct FreeWith {
    template <typename T> void operator()(T *p) const noexcept { Free(p); }
};

// unique_ptr that releases with the given C function.
template <typename T, auto Free> using Owned = std::unique_ptr<T, FreeWith<Free>>;

template <typename T> using GObjectPtr = Owned<T, g_object_unref>;
using GCharPtr = Owned<gchar, g_free>;
using GStrvPtr = Owned<gchar *, g_strfreev>;

// Out-parameter slot for GError: `f(..., err.out())`, freed on scope exit.
class ErrorSlot
{
  public:
    ErrorSlot() = default;
    ErrorSlot(const ErrorSlot &) = delete;
    ErrorSlot &operator=(const ErrorSlot &) = delete;
    ~ErrorSlot() { clear(); }

    GError **out()
    {
        clear();
        return &error_;
    }
    void clear()
    {
        if (error_)
            g_error_free(error_);
        error_ = nullptr;
    }
    explicit operator bool() const { return error_ != nullptr; }
    const GError *get() const { return error_; }
    const char *message() const { return error_ ? error_->message : "no error"; }
    bool matches(GQuark domain, int code) const { return g_error_matches(error_, domain, code); }

  private:
    GError *error_ = nullptr;
};

// Owns a main-context source id; removes the source unless it already ended.
class SourceId
{
  public:
    SourceId() = default;
    explicit SourceId(guint id) : id_(id) {}
    SourceId(const SourceId &) = delete;
    SourceId &operator=(const SourceId &) = delete;
    SourceId(SourceId &&o) noexcept : id_(std::exchange(o.id_, 0)) {}
    SourceId &operator=(SourceId &&o) noexcept
    {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, 0);
        }
        return *this;
    }
    ~SourceId() { reset(); }

    void reset(guint id = 0)
    {
        if (id_)
            g_source_remove(id_);
        id_ = id;
    }
    // Call from inside the source's own callback when it returns G_SOURCE_REMOVE.
    void forget() { id_ = 0; }
    explicit operator bool() const { return id_ != 0; }

  private:
    guint id_ = 0;
};

// One-shot timer running `fn` on the default main context; returns the source
// id for a SourceId. Inside `fn`, call forget() on that SourceId first.
inline guint add_timeout(unsigned ms, std::function<void()> fn)
{
    return g_timeout_add_full(
        G_PRIORITY_DEFAULT, ms,
        [](gpointer data) -> gboolean {
            (*static_cast<std::function<void()> *>(data))();
            return G_SOURCE_REMOVE;
        },
        new std::function<void()>(std::move(fn)),
        [](gpointer data) { delete static_cast<std::function<void()> *>(data); });
}

} // namespace qmisim
