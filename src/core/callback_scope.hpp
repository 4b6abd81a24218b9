// Marks the threads that are running a callback or timer task of the SDK's asynchronous paths
// (the curl transport's worker, the timer thread, a delivery's callback on any thread), so that
// drain() can tell it must not wait: the thread it would block may be the one that ends the
// other pending work.
// Internal. Thread-safety: the mark is per thread.
#pragma once

namespace chathooks::detail {

/// How many SDK callbacks the current thread is inside of (nested: a callback may end another
/// delivery, whose callback then runs on the same thread).
inline thread_local int callback_depth = 0;

/// While alive, the current thread counts as running an SDK callback.
class CallbackScope {
 public:
  CallbackScope() noexcept { ++callback_depth; }
  ~CallbackScope() { --callback_depth; }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;
};

/// Whether the current thread is inside an SDK callback or timer task.
inline bool in_callback() noexcept { return callback_depth > 0; }

}  // namespace chathooks::detail
