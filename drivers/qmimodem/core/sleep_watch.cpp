#include "sleep_watch.hpp"

#include "errors.hpp"

#include <gio/gunixfdlist.h>
#include <ofono/log.h>

#include <unistd.h>

namespace qmi
{
namespace
{
constexpr const char *kLogind = "org.freedesktop.login1";
constexpr const char *kLogindPath = "/org/freedesktop/login1";
constexpr const char *kManager = "org.freedesktop.login1.Manager";
} // namespace

SleepWatch::SleepWatch(std::string log_name, MoveFunction<void(Done)> before_sleep,
                       MoveFunction<void()> after_resume)
    : name_(std::move(log_name)), before_sleep_(std::move(before_sleep)),
      after_resume_(std::move(after_resume))
{
    auto slot = life_.async([this](GObject *, GAsyncResult *res) {
        ErrorPtr error;
        GDBusConnection *bus = g_bus_get_finish(res, ErrorOut(error));
        if (!bus) {
            DBG("%s: no system bus, so no suspend handling: %s", name_.c_str(),
                error ? error->message : "unknown");
            return;
        }
        on_bus(bus);
    });
    g_bus_get(G_BUS_TYPE_SYSTEM, life_.cancellable(), slot.callback, slot.data);
}

SleepWatch::~SleepWatch()
{
    life_.end();
    if (bus_ && subscription_)
        g_dbus_connection_signal_unsubscribe(bus_.get(), subscription_);
    release();
}

void SleepWatch::on_bus(GDBusConnection *bus)
{
    bus_ = GRef<GDBusConnection>::adopt(bus);
    subscription_ = g_dbus_connection_signal_subscribe(
        bus_.get(), kLogind, kManager, "PrepareForSleep", kLogindPath, nullptr,
        G_DBUS_SIGNAL_FLAGS_NONE, &SleepWatch::on_signal, this, nullptr);
    inhibit();
}

void SleepWatch::on_signal(GDBusConnection *, const gchar *, const gchar *, const gchar *,
                           const gchar *, GVariant *parameters, gpointer data)
{
    gboolean sleeping = FALSE;
    if (!g_variant_is_of_type(parameters, G_VARIANT_TYPE("(b)")))
        return;
    g_variant_get(parameters, "(b)", &sleeping);
    static_cast<SleepWatch *>(data)->on_prepare_for_sleep(sleeping);
}

void SleepWatch::inhibit()
{
    if (!bus_ || fd_ >= 0 || inhibiting_)
        return;
    inhibiting_ = true;
    auto slot = life_.async([this](GObject *source, GAsyncResult *res) {
        inhibiting_ = false;
        ErrorPtr error;
        GUnixFDList *fds = nullptr;
        GVariant *reply = g_dbus_connection_call_with_unix_fd_list_finish(
            G_DBUS_CONNECTION(source), &fds, res, ErrorOut(error));
        if (!reply) {
            // No logind (or it refuses): suspend is then not ours to follow.
            DBG("%s: no sleep inhibitor from logind: %s", name_.c_str(),
                error ? error->message : "unknown");
            return;
        }
        gint32 index = -1;
        g_variant_get(reply, "(h)", &index);
        g_variant_unref(reply);
        if (fds) {
            fd_ = g_unix_fd_list_get(fds, index, nullptr);
            g_object_unref(fds);
        }
        DBG("%s: holding a sleep delay inhibitor (fd %d)", name_.c_str(), fd_);
    });
    g_dbus_connection_call_with_unix_fd_list(
        bus_.get(), kLogind, kLogindPath, kManager, "Inhibit",
        g_variant_new("(ssss)", "sleep", "oFono QMI modem",
                      "Quieting the modem and keeping SMS and calls across suspend", "delay"),
        G_VARIANT_TYPE("(h)"), G_DBUS_CALL_FLAGS_NONE, -1, nullptr, life_.cancellable(),
        slot.callback, slot.data);
}

void SleepWatch::on_prepare_for_sleep(bool sleeping)
{
    const unsigned round = ++round_;
    if (!sleeping) {
        ofono_info("%s: resumed; catching up with the modem", name_.c_str());
        inhibit();
        if (after_resume_)
            after_resume_();
        return;
    }
    ofono_info("%s: preparing for sleep", name_.c_str());
    auto ready = [this, round] {
        if (round != round_ || fd_ < 0)
            return;
        DBG("%s: ready to sleep", name_.c_str());
        release();
    };
    life_.after(kSleepDelayMs, ready);
    if (before_sleep_)
        before_sleep_(ready);
    else
        ready();
}

void SleepWatch::release()
{
    if (fd_ >= 0) {
        close(fd_);
        fd_ = -1;
    }
}

} // namespace qmi
