// test_postgres::uri(): the fixture's shared server, else a private one for this process.
#include "postgres_server.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <stdexcept>

#include <libpq-fe.h>

#include "fixture_files.hpp"
#include "server_control.hpp"

#ifndef CHATHOOKS_TEST_POSTGRES_DIR
#error "CHATHOOKS_TEST_POSTGRES_DIR (the ctest fixture's directory) must be defined"
#endif

namespace test_postgres {
namespace {

// The server this process started; stopped when the process exits.
class PrivateServer {
 public:
  const std::string& start(const std::string& bindir) {
    server_ = start_server(bindir);
    std::fprintf(stderr,
                 "test_postgres: no shared server from the ctest fixture; started a private one "
                 "in %s (stopped at exit)\n",
                 server_->dir.c_str());
    return server_->uri;
  }
  PrivateServer() = default;
  PrivateServer(const PrivateServer&) = delete;
  PrivateServer& operator=(const PrivateServer&) = delete;
  ~PrivateServer() {
    if (!server_) return;
    try {
      stop_server(server_->dir, server_->bindir);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "test_postgres: stopping the private server: %s\n", error.what());
    }
  }

 private:
  std::optional<ServerInfo> server_;
};

std::string find_or_start() {
  const std::string shared = read_fixture_uri(CHATHOOKS_TEST_POSTGRES_DIR);
  if (!shared.empty()) {
    if (PQping(shared.c_str()) == PQPING_OK) return shared;
    std::fprintf(stderr,
                 "test_postgres: the fixture's server %s (from %s/uri) does not answer; "
                 "starting a private one\n",
                 shared.c_str(), CHATHOOKS_TEST_POSTGRES_DIR);
  }
  std::string searched;
  const std::optional<std::string> bindir = find_bindir(searched);
  if (!bindir) {
    const std::string reason = "PostgreSQL server binaries not found (looked in " + searched + ")";
    if (servers_required()) {
      throw std::runtime_error(reason + "; $CHATHOOKS_REQUIRE_SERVERS is set, so this fails");
    }
    std::fprintf(stderr, "SKIPPED: %s\n", reason.c_str());
    std::fflush(stderr);
    std::exit(77);
  }
  static PrivateServer server;
  return server.start(*bindir);
}

}  // namespace

const std::string& uri() {
  static const std::string value = find_or_start();
  return value;
}

}  // namespace test_postgres
