// Sending a record to the host's log listener (chathooks/log.hpp), for the library's own code.
// Build a Record only after log::enabled(level) said yes: a disabled log then costs one atomic
// load. Thread-safety: callable from any thread.
#pragma once

#include "chathooks/log.hpp"

namespace chathooks::detail {

/// Hands `record` to the listener if one is set for its level; what it throws is dropped.
void emit_log(const log::Record& record) noexcept;

}  // namespace chathooks::detail
