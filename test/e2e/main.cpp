// Catch2 runner for the end-to-end suites: a sanitizer report in any
// ofonod or simulator log fails the run even when every assertion passed.
#include <catch2/catch.hpp>

#include "run.hpp"

#include "testbed.hpp"

#include <iostream>

int main(int argc, char **argv)
{
    e2e::g_current_test_failed = [] { return !Catch::getResultCapture().lastAssertionPassed(); };
    int failed = catch2_run(argc, argv);
    if (e2e::g_sanitizer_report_seen) {
        std::cerr << "sanitizer report in an ofonod or qmi-sim log (printed above)\n";
        return failed ? failed : 1;
    }
    return failed;
}
