// chathooks_test_postgres start|stop DIR: the ctest fixture "postgres" (tests/postgres/
// CMakeLists.txt). `start` stops what an interrupted run left in DIR, starts a server and
// writes DIR/uri once it accepts connections; `stop` stops it and removes its directory and
// DIR's files. Exit status 77 (ctest: Skipped) when the server binaries are absent, unless
// $CHATHOOKS_REQUIRE_SERVERS is set (then 1).
#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include "fixture_files.hpp"
#include "server_control.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Stops the server recorded in DIR, if any, and removes DIR's files.
void stop_recorded(const std::string& fixture_dir, const char* what) {
  if (const std::optional<test_postgres::ServerInfo> old =
          test_postgres::read_fixture_server(fixture_dir)) {
    std::printf("%s: stopping the server in %s\n", what, old->dir.c_str());
    test_postgres::remove_fixture_files(fixture_dir);  // the URI first: no test uses it now
    test_postgres::stop_server(old->dir, old->bindir);
  } else {
    std::printf("%s: no server recorded in %s\n", what, fixture_dir.c_str());
  }
  test_postgres::remove_fixture_files(fixture_dir);
}

int start(const std::string& fixture_dir) {
  const Clock::time_point began = Clock::now();
  stop_recorded(fixture_dir, "start: left by an earlier run");
  std::string searched;
  const std::optional<std::string> bindir = test_postgres::find_bindir(searched);
  if (!bindir) {
    const std::string reason = "PostgreSQL server binaries not found (looked in " + searched + ")";
    if (test_postgres::servers_required()) {
      std::fprintf(stderr, "FAILED: %s; $CHATHOOKS_REQUIRE_SERVERS is set\n", reason.c_str());
      return 1;
    }
    std::fprintf(stderr, "SKIPPED: %s\n", reason.c_str());
    return 77;
  }
  const test_postgres::ServerInfo server = test_postgres::start_server(*bindir);
  try {
    test_postgres::write_fixture_files(fixture_dir, server);
  } catch (...) {
    test_postgres::stop_server(server.dir, server.bindir);
    throw;
  }
  std::printf("started PostgreSQL from %s in %.2f s: %s\n", bindir->c_str(), seconds_since(began),
              server.uri.c_str());
  return 0;
}

int stop(const std::string& fixture_dir) {
  const Clock::time_point began = Clock::now();
  stop_recorded(fixture_dir, "stop");
  std::printf("stopped in %.2f s\n", seconds_since(began));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc == 3 ? argv[1] : "";
  if (command != "start" && command != "stop") {
    std::fprintf(stderr, "usage: %s start|stop DIR\n",
                 argc > 0 ? argv[0] : "chathooks_test_postgres");
    return 2;
  }
  try {
    return command == "start" ? start(argv[2]) : stop(argv[2]);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s %s: %s\n", command.c_str(), argv[2], error.what());
    return 1;
  }
}
