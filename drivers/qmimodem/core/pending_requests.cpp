#include "pending_requests.hpp"

#include <vector>

namespace qmi
{
namespace
{
using List = std::set<PendingRequest *>;

GQuark list_quark()
{
    static const GQuark quark = g_quark_from_static_string("qmi-plugin-pending-requests");
    return quark;
}

// The device's list, created on first use and freed with the device.
std::shared_ptr<List> list_of(QmiDevice *device, bool create)
{
    auto *held =
        static_cast<std::shared_ptr<List> *>(g_object_get_qdata(G_OBJECT(device), list_quark()));
    if (!held && create) {
        held = new std::shared_ptr<List>(std::make_shared<List>());
        g_object_set_qdata_full(G_OBJECT(device), list_quark(), held, [](gpointer data) {
            delete static_cast<std::shared_ptr<List> *>(data);
        });
    }
    return held ? *held : nullptr;
}

// Requests cannot start more than this many others while being aborted;
// more would be a loop.
constexpr int kMaxRounds = 64;
} // namespace

PendingRegistration::PendingRegistration(QmiDevice *device, PendingRequest *request)
{
    if (!device)
        return;
    auto list = list_of(device, true);
    list->insert(request);
    list_ = list;
    request_ = request;
}

void PendingRegistration::reset()
{
    if (auto list = list_.lock())
        list->erase(request_);
    list_.reset();
    request_ = nullptr;
}

void abort_pending_requests(QmiDevice *device, const GError *error)
{
    auto list = list_of(device, false);
    for (int round = 0; list && !list->empty() && round < kMaxRounds; ++round) {
        const std::vector<PendingRequest *> now(list->begin(), list->end());
        for (PendingRequest *request : now)
            if (list->count(request)) // an earlier abort may have ended it
                request->abort(error);
    }
}

} // namespace qmi
