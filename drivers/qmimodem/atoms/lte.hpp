// lte atom over WDS: the default attach APN is the modem's default 3GPP
// profile (Get Default Profile Number, then Modify Profile with the APN,
// PDP type and credentials), which the modem uses when it attaches to LTE.
#pragma once

#include "core/device.hpp"
#include "core/gobject_ptr.hpp"
#include "core/lifetime.hpp"
#include "core/ofono_callback.hpp"

#include <ofono/lte.h>

namespace qmi
{

class LteAtom
{
  public:
    LteAtom(ofono_lte *atom, Device &device);
    ~LteAtom();
    LteAtom(const LteAtom &) = delete;
    LteAtom &operator=(const LteAtom &) = delete;

    void set_default_attach_info(const ofono_lte_default_attach_info *info,
                                 OfonoCallback<ofono_lte_cb_t> cb);

    const Lifetime &lifetime() const { return life_; }

  private:
    ofono_lte *atom_;
    Device &device_;
    GRef<QmiClientWds> wds_;
    Lifetime life_; // last member: ends first, before callbacks die
};

} // namespace qmi
