// Marks the threads that are running a callback or timer task of the SDK's asynchronous paths
// (the curl transport's worker, the timer thread, a delivery's callback on any thread), so that
// drain() can tell it must not wait: the thread it would block may be the one that ends the
// other pending work.
// It also marks the threads inside a call that starts or cancels a delivery (deliver_async(),
// a client's send_async(), DeliveryHandle::cancel()): a delivery that ends there must not run
// its callback inline, so it hands the callback to the Deliverer's Scheduler instead.
// Internal. Thread-safety: the marks are per thread.
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

/// How many calls that start or cancel a delivery the current thread is inside of.
inline thread_local int caller_depth = 0;

/// While alive, the current thread is inside a call of the host's that must not run a delivery
/// callback before it returns.
class CallerScope {
 public:
  CallerScope() noexcept { ++caller_depth; }
  ~CallerScope() { --caller_depth; }
  CallerScope(const CallerScope&) = delete;
  CallerScope& operator=(const CallerScope&) = delete;
};

/// Whether a delivery ending now on this thread must hand its callback to the scheduler.
inline bool in_caller_call() noexcept { return caller_depth > 0; }

}  // namespace chathooks::detail
