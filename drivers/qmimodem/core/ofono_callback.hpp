// oFono's (cb, data) pair as a move-only object that is called exactly once
// while its owner lives: succeed() or fail(); dismiss() forgets it. If it is
// destroyed uncalled while the owner is alive it reports failure (so no
// request is ever left hanging); after the owner's lifetime ended it is
// dropped silently (oFono forbids callbacks after an atom's remove()).
#pragma once

#include "lifetime.hpp"

#include <ofono/types.h>

#include <cassert>
#include <tuple>
#include <utility>

namespace qmi {

// ofono/log.h also declares a function named ofono_error, which hides the
// struct in C++; this alias names the struct unambiguously.
using OfonoError = struct ofono_error;

inline constexpr OfonoError kNoError{OFONO_ERROR_TYPE_NO_ERROR, 0};
inline constexpr OfonoError kFailure{OFONO_ERROR_TYPE_FAILURE, 0};

namespace detail {
template <typename F> struct CallbackSignature;
template <typename... A> struct CallbackSignature<void (*)(const struct ofono_error *, A...)> {
    using Params = std::tuple<A...>; // the last one is oFono's void *data
    static constexpr std::size_t kValues = sizeof...(A) - 1;
};
} // namespace detail

template <typename Fn> class OfonoCallback {
    using Sig = detail::CallbackSignature<Fn>;

public:
    OfonoCallback() = default;
    OfonoCallback(Fn cb, void *data, Token owner) : cb_(cb), data_(data), owner_(std::move(owner))
    {
    }
    OfonoCallback(OfonoCallback &&o) noexcept
        : cb_(std::exchange(o.cb_, nullptr)), data_(o.data_), owner_(std::move(o.owner_))
    {
    }
    OfonoCallback &operator=(OfonoCallback &&o) noexcept
    {
        if (this != &o) {
            fail_if_pending();
            cb_ = std::exchange(o.cb_, nullptr);
            data_ = o.data_;
            owner_ = std::move(o.owner_);
        }
        return *this;
    }
    OfonoCallback(const OfonoCallback &) = delete;
    OfonoCallback &operator=(const OfonoCallback &) = delete;
    ~OfonoCallback() { fail_if_pending(); }

    bool pending() const { return cb_ != nullptr; }

    template <typename... V> void succeed(V &&...values)
    {
        invoke(kNoError, std::forward<V>(values)...);
    }

    // Failure with empty values (nullptr, 0) for the callback's other arguments.
    void fail(const OfonoError &error = kFailure)
    {
        fail_with_defaults(error, std::make_index_sequence<Sig::kValues>{});
    }

    void dismiss() { cb_ = nullptr; }

private:
    template <typename... V> void invoke(const OfonoError &error, V &&...values)
    {
        assert(cb_ && "oFono callback called twice");
        if (!cb_)
            return;
        Fn cb = std::exchange(cb_, nullptr);
        if (owner_.expired())
            return;
        cb(&error, std::forward<V>(values)..., data_);
    }

    template <std::size_t... I> void fail_with_defaults(const OfonoError &error, std::index_sequence<I...>)
    {
        invoke(error, std::tuple_element_t<I, typename Sig::Params>{}...);
    }

    void fail_if_pending()
    {
        if (cb_)
            fail();
    }

    Fn cb_ = nullptr;
    void *data_ = nullptr;
    Token owner_;
};

template <typename Fn> OfonoCallback<Fn> callback(const Lifetime &owner, Fn cb, void *data)
{
    return OfonoCallback<Fn>(cb, data, owner.token());
}

} // namespace qmi
