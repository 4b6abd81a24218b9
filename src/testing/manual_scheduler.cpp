// ManualScheduler: a hand-driven clock and task queue for tests.
#include "chathooks/testing/manual_scheduler.hpp"

namespace chathooks::testing {

delivery::Scheduler::TaskId ManualScheduler::schedule_after(std::chrono::milliseconds delay,
                                                            std::function<void()> task) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto due_at = now_ + (delay.count() > 0 ? delay : std::chrono::milliseconds(0));
  const TaskId id = next_id_++;
  tasks_.emplace(Key(due_at, id), std::move(task));
  due_.emplace(id, due_at);
  delays_.push_back(delay);
  return id;
}

bool ManualScheduler::cancel(TaskId id) {
  std::function<void()> removed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = due_.find(id);
    if (found == due_.end()) return false;
    const auto task = tasks_.find(Key(found->second, id));
    removed = std::move(task->second);
    tasks_.erase(task);
    due_.erase(found);
  }
  return true;  // `removed` is destroyed here, unlocked.
}

std::size_t ManualScheduler::advance(std::chrono::milliseconds step) {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto target = now_ + (step.count() > 0 ? step : std::chrono::milliseconds(0));
  std::size_t ran = 0;
  while (!tasks_.empty() && tasks_.begin()->first.first <= target) {
    const auto first = tasks_.begin();
    now_ = first->first.first;
    {
      std::function<void()> task = std::move(first->second);
      due_.erase(first->first.second);
      tasks_.erase(first);
      lock.unlock();
      task();
      ++ran;
    }
    lock.lock();
  }
  if (target > now_) now_ = target;  // A task may have advanced further itself.
  return ran;
}

std::chrono::steady_clock::time_point ManualScheduler::now() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return now_;
}

std::size_t ManualScheduler::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tasks_.size();
}

std::vector<std::chrono::milliseconds> ManualScheduler::scheduled_delays() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return delays_;
}

}  // namespace chathooks::testing
