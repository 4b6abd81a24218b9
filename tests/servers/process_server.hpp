// The server one test process uses, for test_postgres::uri() and test_redis::uri(): the ctest
// fixture's shared server when it answers, else a private one started for this process and
// stopped when the ProcessServer is destroyed (kept in a function-local static: at exit).
// Construct it once (a function-local static makes that thread-safe); info() may then be read
// from any thread.
#pragma once

#include <string>

#include "server_kind.hpp"

namespace test_servers {

class ProcessServer {
 public:
  // Finds the server recorded in `fixture_dir` or starts a private one. When the server
  // binaries are absent: skip_or_throw() (skip.hpp).
  ProcessServer(const ServerKind& kind, const std::string& fixture_dir);
  ProcessServer(const ProcessServer&) = delete;
  ProcessServer& operator=(const ProcessServer&) = delete;
  ~ProcessServer();

  const ServerInfo& info() const { return info_; }

 private:
  const ServerKind& kind_;
  ServerInfo info_;
  bool started_here_ = false;
};

}  // namespace test_servers
