// The default main for the unit tests and the simulator self-tests.
#include "run.hpp"

int main(int argc, char **argv) { return catch2_run(argc, argv); }
