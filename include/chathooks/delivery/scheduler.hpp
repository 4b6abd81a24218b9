// Timers for the asynchronous delivery path: the Deliverer waits between attempts by asking a
// Scheduler to run the next attempt later, so no thread is blocked while it waits. Implement
// Scheduler to put those timers on the host's own event loop (asio, libuv, a framework's
// timer wheel); make_thread_scheduler() is the default, one timer thread; ManualScheduler
// (manual_scheduler.hpp) is the test double.
// Thread-safety: implementations must be safe to call from any thread; the one from
// make_thread_scheduler() is.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "chathooks/export.hpp"

namespace chathooks::delivery {

/// Runs functions after a delay. A small interface so a host can use its own timers.
class CHATHOOKS_API Scheduler {
 public:
  /// Identifies a scheduled task for cancel(). Never 0.
  using TaskId = std::uint64_t;

  /// Destroys the scheduler; what happens to pending tasks is the implementation's to say (the
  /// one from make_thread_scheduler() destroys them without running them). A Deliverer's
  /// delivery whose timer task is destroyed unrun ends with Errc::cancelled, never in silence.
  virtual ~Scheduler();

  /// Runs `task` once, no earlier than `delay` from now (zero or negative: as soon as
  /// possible), on a thread of the scheduler's choosing. Must not run `task` on the calling
  /// thread before returning (the Deliverer holds a lock while it schedules).
  virtual TaskId schedule_after(std::chrono::milliseconds delay, std::function<void()> task) = 0;

  /// Removes a task that has not started. Returns true if it was removed (it will never run,
  /// and is destroyed before cancel returns), false if it already ran, is running, or is
  /// unknown.
  virtual bool cancel(TaskId id) = 0;

 protected:
  /// For derived classes only: a Scheduler is used through a pointer.
  Scheduler() = default;
  /// For derived classes that choose to be copyable; protected so that the interface itself
  /// cannot be copied (sliced) through a base reference.
  Scheduler(const Scheduler&) = default;
  /// See the copy constructor: available to derived classes only.
  Scheduler& operator=(const Scheduler&) = default;
};

/// The default Scheduler: one timer thread, started on the first schedule_after() (so a
/// scheduler that is never used never starts a thread), running due tasks one at a time in
/// order of their due time (ties in the order scheduled). Tasks should be quick: a long task
/// delays the others. Its thread counts as an SDK callback thread: a Deliverer::drain() called
/// from a task does not wait (it would wait for this very thread). What a task throws is caught and
/// dropped. Destroying the scheduler stops the thread and destroys the tasks still pending without
/// running them; if its last reference is released by a task on the timer thread itself, the thread
/// winds down on its own after that task returns.
CHATHOOKS_API std::shared_ptr<Scheduler> make_thread_scheduler();

}  // namespace chathooks::delivery
