// One end-to-end test bed: a private D-Bus bus standing in for the system
// bus, qmi-sim as the modem, and the real ofonod loading qmi.so from the
// build tree (see run-ofonod). Each TEST_CASE makes a fresh one.
#pragma once

#include "bus.hpp"
#include "process.hpp"

#include <memory>
#include <string>
#include <vector>

namespace e2e
{

struct TestBedOptions {
    // qmi.conf contents; "@DIR@" is replaced by the bed's directory. Empty:
    // one modem "sim0" on the simulator.
    std::string config;
    std::vector<std::string> sim_args;
    bool start_ofono = true;
    // OFONO_QMI_DISCOVERY for ofonod: "none" keeps the host's modems (udev,
    // QRTR) out of the tests; a discovery test sets "udev".
    std::string discovery = "none";
    // More libraries to preload into ofonod (before the sanitizer runtimes),
    // more ofonod arguments. ofonod inherits the test's environment.
    std::vector<std::string> ofono_preload;
    std::vector<std::string> ofono_args;
};

// A bed whose simulated modem offers these services (qmi-sim --services),
// e.g. "dms,nas,uim,wms"; start=false leaves ofonod to start_ofono().
inline TestBedOptions with_services(const std::string &services, bool start = true)
{
    TestBedOptions o;
    o.sim_args = {"--services", services};
    o.start_ofono = start;
    return o;
}

class TestBed
{
  public:
    explicit TestBed(TestBedOptions options = {});
    ~TestBed();
    TestBed(const TestBed &) = delete;
    TestBed &operator=(const TestBed &) = delete;

    // One control-socket command; returns the whole reply line ("OK ...").
    std::string sim(const std::string &command);
    // Like sim() but throws unless OK; returns the payload after "OK ".
    std::string sim_ok(const std::string &command);
    int sim_count(const std::string &command) { return std::stoi(sim_ok(command)); }

    Bus &bus() { return *bus_; }
    // The private bus, for other daemons that join it (ConnMan).
    const std::string &bus_address() const { return bus_address_; }
    const std::string &dir() const { return dir_; }
    std::string modem_device() const { return dir_ + "/modem"; }
    std::string ofono_log() const;
    std::string sim_log() const;

    void start_ofono();
    // Stops ofonod; returns false if it did not exit cleanly (crash, signal).
    bool stop_ofono();
    bool ofono_running() { return ofono_.running(); }
    // Sends a signal to ofonod (SIGSTOP to freeze it, SIGKILL to crash it).
    void signal_ofono(int sig);
    // SIGKILL and reap: ofonod dies without any cleanup, as in a crash.
    void kill_ofono();

    // Runs one of oFono's own test scripts (package ofono-scripts).
    int run_script(const std::string &name, const std::vector<std::string> &args,
                   std::string *output);

    // Powered / Online helpers on a modem; they wait for the property.
    bool set_modem_property(const std::string &modem, const std::string &name, bool value,
                            CallResult *result = nullptr);

  private:
    void start_bus();
    void start_sim();
    std::map<std::string, std::string> client_env() const;

    TestBedOptions options_;
    std::string dir_;
    std::string bus_address_;
    Process dbus_, sim_, ofono_;
    std::unique_ptr<Bus> bus_;
};

// Sanitizer reports (ASan/UBSan/LSan) in a log, for the sanitizer CI run.
bool has_sanitizer_report(const std::string &log);

extern bool g_sanitizer_report_seen;
// Set by a test runner: whether the running test has failed (logs are then
// printed when its bed is torn down).
extern bool (*g_current_test_failed)();

} // namespace e2e
