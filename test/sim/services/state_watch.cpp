#include "state_watch.hpp"

#include <glib.h>

#include <utility>

namespace qmisim
{

struct StateWatch::Source {
    GSource base;
    StateWatch *watch;
};

StateWatch::StateWatch(std::function<bool()> ready, std::function<void()> fire)
    : ready_(std::move(ready)), fire_(std::move(fire))
{
    static GSourceFuncs funcs = {
        [](GSource *source, gint *timeout) -> gboolean {
            *timeout = -1;
            return reinterpret_cast<Source *>(source)->watch->ready_();
        },
        [](GSource *source) -> gboolean {
            return reinterpret_cast<Source *>(source)->watch->ready_();
        },
        [](GSource *source, GSourceFunc, gpointer) -> gboolean {
            reinterpret_cast<Source *>(source)->watch->fire_();
            return G_SOURCE_CONTINUE;
        },
        nullptr,
        nullptr,
        nullptr,
    };
    source_ = reinterpret_cast<Source *>(g_source_new(&funcs, sizeof(Source)));
    source_->watch = this;
    g_source_attach(&source_->base, nullptr);
}

StateWatch::~StateWatch()
{
    g_source_destroy(&source_->base);
    g_source_unref(&source_->base);
}

} // namespace qmisim
