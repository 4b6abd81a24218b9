// Suffixes that make a test case's names (a PostgreSQL schema, a Redis key prefix) unique
// across processes and calls. Thread-safe.
#pragma once

#include <string>

namespace test_servers {

// "<s><pid><s><counter><s><time>" with s = `separator`: the process id, a per-process counter
// and the low 32 bits of the microseconds since the epoch in 8 hex digits; at most 33 bytes,
// of [0-9a-f] and the separator.
std::string unique_suffix(char separator);

}  // namespace test_servers
