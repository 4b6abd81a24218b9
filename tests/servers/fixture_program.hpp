// The main() of a ctest fixture program, chathooks_test_<server> start|stop DIR (the fixtures
// "postgres" and "redis"). `start` stops what an interrupted run left in DIR, starts a server
// and writes DIR's fixture files (fixture_files.hpp) once it accepts connections; `stop` stops
// it and removes its directory and DIR's files. Exit status 77 (ctest: Skipped) when the
// server binaries are absent, unless $CHATHOOKS_REQUIRE_SERVERS is set (then 1); 2 on a usage
// error. Not thread-safe (a program's main).
#pragma once

#include "server_kind.hpp"

namespace test_servers {

int run_fixture_program(const ServerKind& kind, int argc, char** argv);

}  // namespace test_servers
