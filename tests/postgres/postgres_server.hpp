// What a test that needs PostgreSQL includes: the URI of a real server (the ctest fixture's
// shared one, else a private one this process starts and stops at exit), unique names to
// isolate each test case in its own schema, and libpq helpers to run SQL. When the server
// binaries are absent the process prints "SKIPPED: ..." and exits with 77 (ctest: Skipped),
// or, with $CHATHOOKS_REQUIRE_SERVERS set, uri() throws. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace test_postgres {

// libpq URI of the server, e.g.
// postgresql:///postgres?host=%2Ftmp%2Fchathooks-pg.Ab12Cd&user=postgres (superuser postgres, trust
// authentication, unix socket only). The first call finds or starts the server; later calls return
// the same string.
const std::string& uri();

// A lowercase identifier "<prefix>_<pid>_<counter>_<time>", unique across processes and calls,
// at most 63 bytes (PostgreSQL's limit): a schema or table name of one test case. `prefix`
// must match [a-z][a-z0-9_]* and have at most 30 characters; std::invalid_argument otherwise.
std::string unique_name(std::string_view prefix);

// Connects to `uri` and runs `sql` (one or more statements); throws std::runtime_error with
// the server's message on failure.
void run_sql(const std::string& uri, const std::string& sql);

// Runs the query `sql` and returns the first column of its first row (its text form; "" for
// NULL); throws std::runtime_error on failure or when no row comes back.
std::string query_value(const std::string& uri, const std::string& sql);

}  // namespace test_postgres
