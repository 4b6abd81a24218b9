// Process and port helpers behind the Redis test server (redis_control.cpp): a free TCP port on
// 127.0.0.1, the pid a pidfile names, whether that pid is a live redis-server, and waiting for
// it to exit. Thread-safe (calls share nothing).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

namespace test_redis {

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read, closed); the
// caller retries when someone takes it first. Throws std::runtime_error.
int free_tcp_port();

// The pid in `pidfile`, or std::nullopt when there is none.
std::optional<pid_t> read_pidfile(const std::string& pidfile);

// True when `pid` is a live (not zombie) process whose command line names redis-server.
bool is_live_redis_server(pid_t pid);

// Waits until `pid` is no live redis-server; false if it still is after `timeout`.
bool wait_until_gone(pid_t pid, std::chrono::milliseconds timeout);

}  // namespace test_redis
