// The files through which a ctest fixture (chathooks_test_postgres or chathooks_test_redis
// start|stop DIR) hands its shared server to the test programs: DIR/uri holds the server's URI,
// written only once the server accepts connections; DIR/server holds its directory and binary
// directory, for `stop` and for cleaning up after an interrupted run. Not thread-safe (one fixture
// process writes them; readers only read).
#pragma once

#include <optional>
#include <string>

#include "server_kind.hpp"

namespace test_servers {

// The URI in DIR/uri, or "" when there is none.
std::string read_fixture_uri(const std::string& fixture_dir);

// The server recorded in DIR/server, if any (its uri is then empty).
std::optional<ServerInfo> read_fixture_server(const std::string& fixture_dir);

// The fixture's shared server: DIR/server with the URI of DIR/uri; std::nullopt while either
// is missing.
std::optional<ServerInfo> read_shared_server(const std::string& fixture_dir);

// Records `server` in DIR/server, then (atomically, by rename) its URI in DIR/uri. Creates DIR.
void write_fixture_files(const std::string& fixture_dir, const ServerInfo& server);

// Removes DIR/uri (first, so no test picks the server up any more) and DIR/server, then DIR if
// it is empty.
void remove_fixture_files(const std::string& fixture_dir);

}  // namespace test_servers
