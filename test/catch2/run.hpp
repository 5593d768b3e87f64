// Runs Catch2's session. Catch::Session is only visible where Catch2's
// implementation is compiled (impl.cpp), so a program with its own main
// calls this instead.
#pragma once

int catch2_run(int argc, char **argv);
