#include "lifetime.hpp"

namespace qmi {

Lifetime::Lifetime() { renew(); }

Lifetime::~Lifetime() { end(); }

void Lifetime::renew()
{
    end();
    alive_ = std::make_shared<char>();
    cancellable_ = GRef<GCancellable>::adopt(g_cancellable_new());
}

void Lifetime::end()
{
    alive_.reset();
    if (cancellable_) {
        g_cancellable_cancel(cancellable_.get());
        cancellable_.reset();
    }
}

namespace {
struct Deferred {
    Token token;
    MoveFunction<void()> fn;
};

gboolean run_deferred(gpointer data)
{
    auto *d = static_cast<Deferred *>(data);
    if (!d->token.expired())
        d->fn();
    return G_SOURCE_REMOVE;
}

void free_deferred(gpointer data) { delete static_cast<Deferred *>(data); }
struct AsyncClosure {
    Token token;
    MoveFunction<void(GObject *, GAsyncResult *)> fn;
};

void run_async(GObject *source, GAsyncResult *res, gpointer data)
{
    std::unique_ptr<AsyncClosure> c(static_cast<AsyncClosure *>(data));
    if (!c->token.expired())
        c->fn(source, res);
}
} // namespace

Lifetime::AsyncSlot Lifetime::async(MoveFunction<void(GObject *, GAsyncResult *)> fn) const
{
    return {run_async, new AsyncClosure{token(), std::move(fn)}};
}

void Lifetime::defer(MoveFunction<void()> fn) const
{
    auto *d = new Deferred{token(), std::move(fn)};
    g_idle_add_full(G_PRIORITY_DEFAULT, run_deferred, d, free_deferred);
}

void Lifetime::after(unsigned ms, MoveFunction<void()> fn) const
{
    auto *d = new Deferred{token(), std::move(fn)};
    g_timeout_add_full(G_PRIORITY_DEFAULT, ms, run_deferred, d, free_deferred);
}

} // namespace qmi
