// devinfo atom over DMS: Manufacturer, Model, Revision, Serial (IMEI).
// oFono's core asks for these one after another; the atom sends all four
// DMS queries at once when it is created and answers from their results, so
// the whole chain costs one round trip.
#pragma once

#include "core/device.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"

#include <ofono/devinfo.h>

#include <optional>
#include <string>
#include <vector>

namespace qmi {

class DevinfoAtom {
public:
    using QueryCallback = OfonoCallback<ofono_devinfo_query_cb_t>;

    DevinfoAtom(ofono_devinfo *atom, Device &device);
    ~DevinfoAtom();

    void query_manufacturer(QueryCallback cb) { manufacturer_.answer(std::move(cb), life_); }
    void query_model(QueryCallback cb) { model_.answer(std::move(cb), life_); }
    void query_revision(QueryCallback cb) { revision_.answer(std::move(cb), life_); }
    void query_serial(QueryCallback cb) { serial_.answer(std::move(cb), life_); }

    const Lifetime &lifetime() const { return life_; }

private:
    // One attribute: the DMS answer (or its error) once it has arrived, and
    // the oFono queries waiting for it meanwhile.
    class Attribute {
    public:
        void answer(QueryCallback cb, const Lifetime &life);
        void resolve(std::optional<std::string> value, OfonoError error);

    private:
        bool resolved_ = false;
        std::optional<std::string> value_;
        OfonoError error_{};
        std::vector<QueryCallback> waiting_;
    };

    void prefetch(QmiClientDms *dms);

    ofono_devinfo *atom_;
    Attribute manufacturer_, model_, revision_, serial_;
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
