// RAII owners for GLib/GObject resources. The vocabulary is explicit at every
// call site: adopt() takes over a transfer-full pointer, ref() adds a reference.
#pragma once

#include <glib-object.h>

#include <cstdint>
#include <memory>
#include <vector>
#include <utility>

namespace qmi
{

template <typename T> class GRef
{
  public:
    GRef() = default;
    static GRef adopt(T *p)
    {
        GRef r;
        r.p_ = p;
        return r;
    }
    static GRef ref(T *p) { return adopt(p ? static_cast<T *>(g_object_ref(p)) : nullptr); }

    GRef(const GRef &o) : p_(o.p_ ? static_cast<T *>(g_object_ref(o.p_)) : nullptr) {}
    GRef(GRef &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    GRef &operator=(GRef o) noexcept
    {
        std::swap(p_, o.p_);
        return *this;
    }
    ~GRef()
    {
        if (p_)
            g_object_unref(p_);
    }

    T *get() const { return p_; }
    T *release() { return std::exchange(p_, nullptr); }
    void reset() { GRef().swap(*this); }
    void swap(GRef &o) noexcept { std::swap(p_, o.p_); }
    explicit operator bool() const { return p_ != nullptr; }

  private:
    T *p_ = nullptr;
};

// Deleter calling a C free function, usable as a unique_ptr deleter type.
template <auto Free> struct CFree {
    template <typename T> void operator()(T *p) const { Free(p); }
};

using ErrorPtr = std::unique_ptr<GError, CFree<g_error_free>>;
using CharPtr = std::unique_ptr<char, CFree<g_free>>;
using KeyFilePtr = std::unique_ptr<GKeyFile, CFree<g_key_file_unref>>;
using ArrayPtr = std::unique_ptr<GArray, CFree<g_array_unref>>;

// A copy of some bytes as the byte GArray that libqmi's raw-data setters take.
inline ArrayPtr byte_array(const std::uint8_t *data, std::size_t len)
{
    GArray *a = g_array_sized_new(FALSE, FALSE, 1, static_cast<guint>(len));
    g_array_append_vals(a, data, static_cast<guint>(len));
    return ArrayPtr(a);
}
inline ArrayPtr byte_array(const std::vector<std::uint8_t> &bytes)
{
    return byte_array(bytes.data(), bytes.size());
}

// Receives a GError** out-parameter into an ErrorPtr:
//   ErrorPtr err; f(..., ErrorOut(err));
class ErrorOut
{
  public:
    explicit ErrorOut(ErrorPtr &target) : target_(target) {}
    ~ErrorOut() { target_.reset(raw_); }
    ErrorOut(const ErrorOut &) = delete;
    ErrorOut &operator=(const ErrorOut &) = delete;
    operator GError **() { return &raw_; }

  private:
    ErrorPtr &target_;
    GError *raw_ = nullptr;
};

} // namespace qmi
