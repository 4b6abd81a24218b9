// test_servers::run_fixture_program() (fixture_program.hpp).
#include "fixture_program.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>

#include "fixture_files.hpp"
#include "skip.hpp"

namespace test_servers {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Stops the server recorded in DIR, if any, and removes DIR's files.
void stop_recorded(const ServerKind& kind, const std::string& fixture_dir, const char* what) {
  if (const std::optional<ServerInfo> old = read_fixture_server(fixture_dir)) {
    std::printf("%s: stopping the server in %s\n", what, old->dir.c_str());
    remove_fixture_files(fixture_dir);  // the URI first: no test uses it now
    kind.stop_server(old->dir, old->bindir);
  } else {
    std::printf("%s: no server recorded in %s\n", what, fixture_dir.c_str());
  }
  remove_fixture_files(fixture_dir);
}

int start(const ServerKind& kind, const std::string& fixture_dir) {
  const Clock::time_point began = Clock::now();
  stop_recorded(kind, fixture_dir, "start: left by an earlier run");
  std::string searched;
  const std::optional<std::string> bindir = kind.find_bindir(searched);
  if (!bindir) {
    skip_or_throw(std::string(kind.name) + " server binaries not found (looked in " + searched +
                  ")");
  }
  const ServerInfo server = kind.start_server(*bindir);
  try {
    write_fixture_files(fixture_dir, server);
  } catch (...) {
    kind.stop_server(server.dir, server.bindir);
    throw;
  }
  std::printf("started %s from %s in %.2f s: %s\n", kind.name, bindir->c_str(),
              seconds_since(began), server.uri.c_str());
  return 0;
}

int stop(const ServerKind& kind, const std::string& fixture_dir) {
  const Clock::time_point began = Clock::now();
  stop_recorded(kind, fixture_dir, "stop");
  std::printf("stopped in %.2f s\n", seconds_since(began));
  return 0;
}

}  // namespace

int run_fixture_program(const ServerKind& kind, int argc, char** argv) {
  const std::string command = argc == 3 ? argv[1] : "";
  if (command != "start" && command != "stop") {
    std::fprintf(stderr, "usage: %s start|stop DIR\n", argc > 0 ? argv[0] : "chathooks_test_...");
    return 2;
  }
  try {
    return command == "start" ? start(kind, argv[2]) : stop(kind, argv[2]);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s %s: %s\n", command.c_str(), argv[2], error.what());
    return 1;
  }
}

}  // namespace test_servers
