// Internal: telling the outside about one answered request: the ReceiverObserver of the
// receiver's options and the log listener (chathooks/log.hpp).
// Thread-safety: callable from any thread; the observer must be thread-safe (documented).
#pragma once

#include <chrono>

#include "chathooks/receiver/request.hpp"

namespace chathooks::receiver::detail {

struct ReceiverCore;

/// Reports `reply` to `request` (observer, then log); never throws.
void report_request(const ReceiverCore& core, const Request& request, const Reply& reply,
                    std::chrono::nanoseconds total_time) noexcept;

}  // namespace chathooks::receiver::detail
