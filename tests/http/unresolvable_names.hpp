// Host names that fail to resolve without asking any resolver: the test program's own
// getaddrinfo() (unresolvable_names.cpp, linked into it) refuses them, so no query leaves the
// process. Thread-safety: lookups() may be read from any thread.
#pragma once

namespace unresolvable_names {

/// Names ending in this fail with EAI_NONAME ("no such name"). ".invalid" (RFC 6761) as well,
/// so that even a program built without the interposer would not find them.
inline constexpr const char* kSuffix = ".unresolvable.invalid";

/// How many lookups of such names the interposer has refused so far.
int lookups();

}  // namespace unresolvable_names
