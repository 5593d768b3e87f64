// Catch2's implementation, compiled once per build (see meson.build).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "run.hpp"

int catch2_run(int argc, char **argv) { return Catch::Session().run(argc, argv); }
