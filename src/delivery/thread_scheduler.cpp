// The default Scheduler: one lazily started timer thread.
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "chathooks/delivery/scheduler.hpp"
#include "core/callback_scope.hpp"

namespace chathooks::delivery {

Scheduler::~Scheduler() = default;

namespace {

using Clock = std::chrono::steady_clock;

// What the timer thread shares with the scheduler object. The thread holds its own reference,
// so a scheduler destroyed from inside one of its tasks can detach the thread and leave it to
// finish with this state still alive.
struct SchedulerState {
  using Key = std::pair<Clock::time_point, Scheduler::TaskId>;

  std::mutex mutex;
  std::condition_variable wake;
  bool stop = false;
  Scheduler::TaskId next_id = 1;
  std::map<Key, std::function<void()>> tasks;
  std::unordered_map<Scheduler::TaskId, Clock::time_point> due;
};

void run_timer_thread(const std::shared_ptr<SchedulerState>& state) {
  std::unique_lock<std::mutex> lock(state->mutex);
  while (!state->stop) {
    if (state->tasks.empty()) {
      state->wake.wait(lock);
      continue;
    }
    const auto first = state->tasks.begin();
    const auto due_at = first->first.first;
    if (Clock::now() < due_at) {
      state->wake.wait_until(lock, due_at);
      continue;
    }
    {
      // A drain() called from here, by the task or by a destructor of what it captured (the
      // scope is declared first, so it ends after `task` is destroyed), must not wait: this
      // thread runs the retries it would wait for.
      const chathooks::detail::CallbackScope scope;
      std::function<void()> task = std::move(first->second);
      state->due.erase(first->first.second);
      state->tasks.erase(first);
      lock.unlock();
      try {
        task();
      } catch (...) {
        // A task's exception must not end the thread that every other timer depends on.
      }
      // `task` is destroyed here, unlocked: what it captured may release the scheduler.
    }
    lock.lock();
  }
}

class ThreadScheduler final : public Scheduler {
 public:
  ThreadScheduler() : state_(std::make_shared<SchedulerState>()) {}

  ~ThreadScheduler() override {
    std::map<SchedulerState::Key, std::function<void()>> dropped;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      state_->stop = true;
      dropped.swap(state_->tasks);
      state_->due.clear();
    }
    state_->wake.notify_all();
    std::lock_guard<std::mutex> lock(thread_mutex_);
    if (thread_.joinable()) {
      if (thread_.get_id() == std::this_thread::get_id()) {
        thread_.detach();  // Released by our own task: the loop sees `stop` when it returns.
      } else {
        thread_.join();
      }
    }
    // `dropped` is destroyed last, without any lock held.
  }

  TaskId schedule_after(std::chrono::milliseconds delay, std::function<void()> task) override {
    start_thread_once();
    // Once the task is queued it may run and release the last reference to this scheduler
    // before this function returns: from then on, touch only this local reference.
    const std::shared_ptr<SchedulerState> state = state_;
    const auto due_at = Clock::now() + (delay.count() > 0 ? delay : std::chrono::milliseconds(0));
    std::lock_guard<std::mutex> lock(state->mutex);
    const TaskId id = state->next_id++;
    const auto it = state->tasks.emplace(SchedulerState::Key(due_at, id), std::move(task)).first;
    state->due.emplace(id, due_at);
    if (it == state->tasks.begin()) state->wake.notify_all();  // A new earliest due time.
    return id;
  }

  bool cancel(TaskId id) override {
    std::function<void()> removed;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      const auto found = state_->due.find(id);
      if (found == state_->due.end()) return false;
      const auto task = state_->tasks.find(SchedulerState::Key(found->second, id));
      removed = std::move(task->second);
      state_->tasks.erase(task);
      state_->due.erase(found);
    }
    return true;  // `removed` is destroyed here, unlocked.
  }

 private:
  void start_thread_once() {
    std::lock_guard<std::mutex> lock(thread_mutex_);
    if (!thread_.joinable()) {
      thread_ = std::thread([state = state_] { run_timer_thread(state); });
    }
  }

  std::shared_ptr<SchedulerState> state_;
  std::mutex thread_mutex_;
  std::thread thread_;
};

}  // namespace

std::shared_ptr<Scheduler> make_thread_scheduler() { return std::make_shared<ThreadScheduler>(); }

}  // namespace chathooks::delivery
