// What a test that needs Redis includes: the URI and unix socket of a real server (the ctest
// fixture's shared one, else a private one this process starts and stops at exit), unique key
// prefixes to isolate each test case, and command() to run one Redis command through hiredis.
// The server listens on 127.0.0.1 at a free port, never on Redis's default 6379. When the
// server binary is absent the process prints "SKIPPED: ..." and exits with 77 (ctest:
// Skipped), or, with $CHATHOOKS_REQUIRE_SERVERS set, uri() throws. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace test_redis {

// "redis://127.0.0.1:PORT". The first call (of this or unix_socket()) finds or starts the
// server; later calls return the same string.
const std::string& uri();

// The same server's unix socket, e.g. /tmp/chathooks-redis.Ab12Cd/redis.sock (mode 0700).
const std::string& unix_socket();

// "<name>:<pid>:<counter>:<time>:", unique across processes and calls: the key prefix of one
// test case.
std::string unique_prefix(std::string_view name);

// Runs one command, e.g. command(uri(), {"PTTL", key}), on a new connection to `target`
// ("redis://HOST:PORT", or the absolute path of a unix socket) and returns the reply as text:
// a status or string as it is, an integer in decimal, nil as "(nil)", an array as its elements'
// texts each followed by '\n'. Throws std::runtime_error on an error reply or when the
// connection fails (also when the server closes it, as SHUTDOWN does), std::invalid_argument
// for a malformed target or no arguments.
std::string command(const std::string& target, const std::vector<std::string>& args);

}  // namespace test_redis
