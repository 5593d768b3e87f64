// A move-only std::function: our callbacks capture move-only values
// (OfonoCallback), which std::function cannot hold. (std::move_only_function
// is C++23.)
#pragma once

#include <memory>
#include <utility>

namespace qmi {

template <typename Sig> class MoveFunction;

template <typename R, typename... A> class MoveFunction<R(A...)> {
public:
    MoveFunction() = default;
    template <typename F>
        requires(!std::is_same_v<std::decay_t<F>, MoveFunction>)
    MoveFunction(F &&f) : impl_(std::make_unique<Impl<std::decay_t<F>>>(std::forward<F>(f)))
    {
    }
    MoveFunction(MoveFunction &&) noexcept = default;
    MoveFunction &operator=(MoveFunction &&) noexcept = default;

    explicit operator bool() const { return impl_ != nullptr; }
    R operator()(A... a) { return impl_->call(std::forward<A>(a)...); }

private:
    struct Base {
        virtual ~Base() = default;
        virtual R call(A... a) = 0;
    };
    template <typename F> struct Impl final : Base {
        explicit Impl(F &&f) : f(std::move(f)) {}
        explicit Impl(const F &f) : f(f) {}
        R call(A... a) override { return f(std::forward<A>(a)...); }
        F f;
    };
    std::unique_ptr<Base> impl_;
};

} // namespace qmi
