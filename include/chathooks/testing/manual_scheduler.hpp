// A Scheduler for tests: time stands still until the test advances it, and due tasks then run
// on the thread that called advance(). Together with a clock that reads now(), it makes the
// asynchronous delivery path deterministic and proves no thread sleeps while a delivery waits.
// Thread-safety: every member function is thread-safe. Tasks run without the lock held, so a
// task may schedule or cancel others.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "chathooks/delivery/scheduler.hpp"
#include "chathooks/export.hpp"

namespace chathooks::testing {

/// A hand-driven Scheduler. Its clock starts at steady_clock's epoch (time_since_epoch() == 0).
/// Pending tasks keep alive what they capture: run or cancel them before dropping the
/// scheduler, or those objects are never freed.
class CHATHOOKS_API ManualScheduler final : public delivery::Scheduler {
 public:
  /// No tasks, now() at the clock's epoch.
  ManualScheduler() = default;

  /// Queues `task` for now() + max(delay, 0). It runs only inside advance() or run_due().
  TaskId schedule_after(std::chrono::milliseconds delay, std::function<void()> task) override;
  /// Removes a pending task; see delivery::Scheduler::cancel.
  bool cancel(TaskId id) override;

  /// Moves the clock forward by `step`, running each task that falls due on the way, in order
  /// of due time, with now() set to that task's due time while it runs (tasks a task schedules
  /// run too if they fall due within the step). Returns how many tasks ran.
  std::size_t advance(std::chrono::milliseconds step);
  /// Runs the tasks due at now() without moving the clock. Returns how many ran.
  std::size_t run_due() { return advance(std::chrono::milliseconds(0)); }

  /// The scheduler's current time.
  std::chrono::steady_clock::time_point now() const;
  /// How many tasks are waiting.
  std::size_t pending() const;
  /// The delays tasks were scheduled with, in order, for assertions.
  std::vector<std::chrono::milliseconds> scheduled_delays() const;

 private:
  using Key = std::pair<std::chrono::steady_clock::time_point, TaskId>;

  mutable std::mutex mutex_;
  std::chrono::steady_clock::time_point now_{};
  TaskId next_id_ = 1;
  std::map<Key, std::function<void()>> tasks_;
  std::unordered_map<TaskId, std::chrono::steady_clock::time_point> due_;
  std::vector<std::chrono::milliseconds> delays_;
};

}  // namespace chathooks::testing
