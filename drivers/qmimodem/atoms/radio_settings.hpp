// radio-settings atom over NAS System Selection Preference:
// TechnologyPreference (any / gsm / umts / lte) and AvailableTechnologies
// (from DMS capabilities, read once when the atom is created).
#pragma once

#include "core/device.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"

#include <ofono/radio-settings.h>

namespace qmi {

class RadioSettingsAtom {
public:
    RadioSettingsAtom(ofono_radio_settings *atom, Device &device);
    ~RadioSettingsAtom();

    void query_rat_mode(OfonoCallback<ofono_radio_settings_rat_mode_query_cb_t> cb);
    void set_rat_mode(ofono_radio_access_mode mode,
                      OfonoCallback<ofono_radio_settings_rat_mode_set_cb_t> cb);
    void query_band(OfonoCallback<ofono_radio_settings_band_query_cb_t> cb);
    void set_band(ofono_radio_band_gsm gsm, ofono_radio_band_umts umts,
                  OfonoCallback<ofono_radio_settings_band_set_cb_t> cb);
    void query_available_rats(OfonoCallback<ofono_radio_settings_available_rats_query_cb_t> cb);

    const Lifetime &lifetime() const { return life_; }

private:
    ofono_radio_settings *atom_;
    GRef<QmiClientNas> nas_;
    unsigned supported_modes_ = 0; // QmiNasRatModePreference mask
    Lifetime life_;                // last member: ends first, before callbacks die
};

} // namespace qmi
