// test_servers::ProcessServer (process_server.hpp).
#include "process_server.hpp"

#include <cstdio>
#include <exception>
#include <optional>
#include <utility>

#include "fixture_files.hpp"
#include "skip.hpp"

namespace test_servers {

ProcessServer::ProcessServer(const ServerKind& kind, const std::string& fixture_dir) : kind_(kind) {
  if (std::optional<ServerInfo> shared = read_shared_server(fixture_dir)) {
    if (kind.answers(shared->uri)) {
      info_ = std::move(*shared);
      return;
    }
    std::fprintf(stderr,
                 "%s: the fixture's server %s (from %s/uri) does not answer; starting a private "
                 "one\n",
                 kind.log_prefix, shared->uri.c_str(), fixture_dir.c_str());
  }
  std::string searched;
  const std::optional<std::string> bindir = kind.find_bindir(searched);
  if (!bindir) {
    skip_or_throw(std::string(kind.name) + " server binaries not found (looked in " + searched +
                  ")");
  }
  info_ = kind.start_server(*bindir);
  started_here_ = true;
  std::fprintf(stderr,
               "%s: no shared server from the ctest fixture; started a private one in %s "
               "(stopped at exit)\n",
               kind.log_prefix, info_.dir.c_str());
}

ProcessServer::~ProcessServer() {
  if (!started_here_) return;
  try {
    kind_.stop_server(info_.dir, info_.bindir);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s: stopping the private server: %s\n", kind_.log_prefix, error.what());
  }
}

}  // namespace test_servers
