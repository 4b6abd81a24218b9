// Finds Debian's redis-server and starts and stops a throwaway server in a temporary directory
// (TCP on 127.0.0.1 at a free port, a unix socket, no persistence, daemonized): the machinery
// behind test_redis::uri() and the chathooks_test_redis fixture program. Not thread-safe: one
// thread starts or stops a given server.
#pragma once

#include <string>

#include "servers/server_kind.hpp"

namespace test_redis {

using test_servers::ServerInfo;

// Redis for the shared machinery of tests/servers:
// - find_bindir: the directory holding redis-server: $CHATHOOKS_TEST_REDIS_BINDIR when set (and
//   nothing else then), else the one in $PATH, else /usr/bin or /usr/sbin;
// - start_server: redis-server in a new temporary directory /tmp/chathooks-redis.XXXXXX (data,
//   socket, DIR/redis.pid and DIR/redis.log), listening on 127.0.0.1 at a free port (another
//   one is tried when the port is taken meanwhile) and on socket_path(DIR), daemonized; returns
//   once PING answers PONG on both (within 10 s, else it throws with the log's tail);
// - stop_server: SHUTDOWN NOSAVE the server in DIR, SIGKILL if it does not exit within 10 s;
// - answers: PING answers PONG.
extern const test_servers::ServerKind server_kind;

// The unix socket of the server in `dir`: DIR/redis.sock.
std::string socket_path(const std::string& dir);

// True when PING to `target` (redis://HOST:PORT or a socket path) answers PONG.
bool answers(const std::string& target);

}  // namespace test_redis
