// What a test does when its server's binaries are absent: skip (exit status 77, which ctest
// shows as Skipped), or fail when $CHATHOOKS_REQUIRE_SERVERS is set (CI). Thread-safe.
#pragma once

#include <string>

namespace test_servers {

// The exit status ctest reports as Skipped (SKIP_RETURN_CODE of the server tests).
inline constexpr int skip_status = 77;

// True when $CHATHOOKS_REQUIRE_SERVERS is set and non-empty: a missing server binary is then a
// failure, not a skip.
bool servers_required();

// For a test program missing its server (`reason` says why): throws std::runtime_error when
// servers_required(), else prints "SKIPPED: <reason>" and exits the process with skip_status.
[[noreturn]] void skip_or_throw(const std::string& reason);

}  // namespace test_servers
