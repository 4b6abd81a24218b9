// What the shared test server machinery (tests/servers/) needs to know of one kind of server
// (PostgreSQL, Redis): a running server's record, and how to find, start, stop and ping one.
// Each kind (tests/postgres, tests/redis) defines one ServerKind. Plain data: thread-safe to
// read.
#pragma once

#include <optional>
#include <string>

namespace test_servers {

// A running server: its temporary directory (data, socket and log), the directory of the
// binaries that run it, and the URI clients connect to.
struct ServerInfo {
  std::string dir;
  std::string bindir;
  std::string uri;
};

struct ServerKind {
  // For messages: "PostgreSQL", and the prefix of the support library's lines, "test_postgres".
  const char* name;
  const char* log_prefix;
  // The directory of the server binaries, or std::nullopt; `searched` then says where it
  // looked (and how to install them).
  std::optional<std::string> (*find_bindir)(std::string& searched);
  // Starts a server in a new temporary directory; returns once it accepts connections. Throws
  // std::runtime_error, leaving nothing behind, on failure.
  ServerInfo (*start_server)(const std::string& bindir);
  // Stops the server running in `dir`, if any, then removes `dir`. Throws std::runtime_error
  // when the server does not stop (the directory is then kept).
  void (*stop_server)(const std::string& dir, const std::string& bindir);
  // True when the server at `uri` answers.
  bool (*answers)(const std::string& uri);
};

}  // namespace test_servers
