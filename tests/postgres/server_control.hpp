// Finds Debian's PostgreSQL server binaries and starts and stops a throwaway server in a
// temporary directory (initdb + pg_ctl, unix socket only, run as the `postgres` user when the
// caller is root): the machinery behind test_postgres::uri() and the chathooks_test_postgres
// fixture program. Not thread-safe: one thread starts or stops a given server.
#pragma once

#include <optional>
#include <string>

#include "servers/server_kind.hpp"

namespace test_postgres {

// A running server: its temporary directory (data in DIR/data, socket in DIR, log in
// DIR/server.log), the directory of the binaries that run it, and its libpq URI.
using test_servers::ServerInfo;

// PostgreSQL for the shared machinery of tests/servers: the functions below, and PQping.
extern const test_servers::ServerKind server_kind;

// The directory holding initdb and pg_ctl: $CHATHOOKS_TEST_PG_BINDIR when set (and nothing
// else then), else `pg_config --bindir` if it holds them, else the highest
// /usr/lib/postgresql/<version>/bin. std::nullopt when none does; `searched` then says where it
// looked.
std::optional<std::string> find_bindir(std::string& searched);

// The libpq URI of the server whose socket is in `socket_dir`, as user postgres, database
// postgres (percent-encoded).
std::string make_uri(const std::string& socket_dir);

// initdb + pg_ctl start -w in a new temporary directory; returns once the server accepts
// connections. Throws std::runtime_error (with initdb's or pg_ctl's output and the server log)
// on failure, leaving nothing behind.
ServerInfo start_server(const std::string& bindir);

// pg_ctl stop -m fast -w when a server runs in `dir`, then removes `dir`. Throws
// std::runtime_error when the server does not stop (the directory is then kept).
void stop_server(const std::string& dir, const std::string& bindir);

}  // namespace test_postgres
