// The default thread scheduler and ManualScheduler: order, cancellation, shutdown.
#include <sys/syscall.h>
#include <unistd.h>
#include <chathooks/delivery/scheduler.hpp>
#include <chathooks/testing/manual_scheduler.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <iterator>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"

using chathooks::delivery::make_thread_scheduler;
using chathooks::delivery::Scheduler;
using chathooks::testing::ManualScheduler;
using std::chrono::milliseconds;

namespace {

struct Log {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int> order;

  void add(int value) {
    std::lock_guard<std::mutex> lock(mutex);
    order.push_back(value);
    changed.notify_all();
  }
  bool wait_for_size(std::size_t size) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(60), [&] { return order.size() >= size; });
  }
};

// The threads of this process (their ids), as /proc/self/task lists them.
std::set<std::string> thread_ids() {
  std::set<std::string> ids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
    ids.insert(entry.path().filename().string());
  }
  return ids;
}

// The ids in `now` that are not in `before`.
std::set<std::string> new_threads(const std::set<std::string>& before,
                                  const std::set<std::string>& now) {
  std::set<std::string> added;
  std::set_difference(now.begin(), now.end(), before.begin(), before.end(),
                      std::inserter(added, added.end()));
  return added;
}

// A joined thread leaves /proc/self/task shortly after join() returns: wait (a minute at most)
// for thread `id` to be gone.
bool wait_until_gone(const std::string& id) {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (thread_ids().count(id) != 0 && std::chrono::steady_clock::now() < limit) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  return thread_ids().count(id) == 0;
}

}  // namespace

TEST_CASE("Thread scheduler runs tasks in due order, off the calling thread") {
  // When a task falls due depends on when schedule_after() was called, and a loaded machine can
  // stall this thread between two calls. So each call is bracketed by clock readings: a task's
  // due time lies in [before + delay, after + delay]. Any two tasks whose windows do not overlap
  // must run in that order; overlapping ones may run in either. The interesting pair is the
  // 30 ms task scheduled after the 60 ms one (due first, queued second): the scenario is rerun
  // until a run has that pair's windows apart, which takes one run unless this thread stalls
  // 30 ms at that exact point every time.
  using Clock = std::chrono::steady_clock;
  struct Planned {
    milliseconds delay;
    Clock::time_point earliest;
    Clock::time_point latest;
  };
  bool saw_inversion = false;
  for (int run = 0; run < 50 && !saw_inversion; ++run) {
    auto scheduler = make_thread_scheduler();
    Log log;
    std::atomic<bool> other_thread{true};
    const auto caller = std::this_thread::get_id();
    const std::vector<milliseconds> delays = {milliseconds(60), milliseconds(0), milliseconds(30),
                                              milliseconds(-5)};  // Negative: at once.
    std::vector<Planned> planned;
    for (std::size_t i = 0; i < delays.size(); ++i) {
      const milliseconds wait = std::max(delays[i], milliseconds(0));
      const auto before = Clock::now();
      scheduler->schedule_after(delays[i], [&log, &other_thread, caller, i] {
        if (std::this_thread::get_id() == caller) other_thread = false;
        log.add(static_cast<int>(i));
      });
      planned.push_back({delays[i], before + wait, Clock::now() + wait});
    }
    REQUIRE(log.wait_for_size(delays.size()));
    std::lock_guard<std::mutex> lock(log.mutex);
    std::vector<std::size_t> position(delays.size());
    for (std::size_t p = 0; p < log.order.size(); ++p) {
      position[static_cast<std::size_t>(log.order[p])] = p;
    }
    for (std::size_t a = 0; a < planned.size(); ++a) {
      for (std::size_t b = 0; b < planned.size(); ++b) {
        if (planned[a].latest < planned[b].earliest) {
          INFO("run " << run << ": task " << a << " (" << planned[a].delay.count()
                      << " ms) was due before task " << b << " (" << planned[b].delay.count()
                      << " ms)");
          CHECK(position[a] < position[b]);
        }
      }
    }
    CHECK(other_thread);
    saw_inversion = planned[2].latest < planned[0].earliest;  // 30 ms due before 60 ms.
  }
  CHECK(saw_inversion);
}

TEST_CASE("Thread scheduler never runs a task early") {
  auto scheduler = make_thread_scheduler();
  Log log;
  const auto start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration waited{};
  scheduler->schedule_after(milliseconds(50), [&] {
    waited = std::chrono::steady_clock::now() - start;
    log.add(1);
  });
  REQUIRE(log.wait_for_size(1));
  std::lock_guard<std::mutex> lock(log.mutex);
  CHECK(waited >= milliseconds(50));
}

TEST_CASE("Thread scheduler cancel removes a pending task") {
  auto scheduler = make_thread_scheduler();
  Log log;
  const auto id = scheduler->schedule_after(std::chrono::hours(1), [&] { log.add(99); });
  CHECK(id != 0);
  CHECK(scheduler->cancel(id));
  CHECK_FALSE(scheduler->cancel(id));  // Already gone.
  CHECK_FALSE(scheduler->cancel(12345));
  scheduler->schedule_after(milliseconds(1), [&] { log.add(1); });
  REQUIRE(log.wait_for_size(1));
  std::lock_guard<std::mutex> lock(log.mutex);
  CHECK(log.order == std::vector<int>{1});
}

TEST_CASE("Thread scheduler destruction drops pending tasks and survives throwing tasks") {
  auto alive = std::make_shared<int>(7);
  std::weak_ptr<int> watch = alive;
  Log log;
  {
    auto scheduler = make_thread_scheduler();
    scheduler->schedule_after(milliseconds(0), [] { throw 42; });
    scheduler->schedule_after(milliseconds(1), [&] { log.add(1); });
    REQUIRE(log.wait_for_size(1));  // Still running after the throw.
    scheduler->schedule_after(std::chrono::hours(1), [held = std::move(alive)] { (void)held; });
  }
  CHECK(watch.expired());  // The pending task was destroyed, never run.
}

TEST_CASE("Thread scheduler released by its own task winds down") {
  Log log;
  std::atomic<long> timer_tid{0};
  auto scheduler = make_thread_scheduler();
  auto* raw = scheduler.get();
  // The only reference moves into the task: destroying the task destroys the scheduler on its
  // own timer thread.
  raw->schedule_after(milliseconds(0), [owned = std::move(scheduler), &log, &timer_tid]() {
    timer_tid = static_cast<long>(::syscall(SYS_gettid));
    log.add(1);
  });
  REQUIRE(log.wait_for_size(1));
  // Nothing to join: the detached timer thread must end on its own (and free its state, which
  // the leak checker verifies at exit). A thread that has ended leaves /proc/self/task.
  const std::string task = "/proc/self/task/" + std::to_string(timer_tid.load());
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (::access(task.c_str(), F_OK) == 0 && std::chrono::steady_clock::now() < limit) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  CHECK(::access(task.c_str(), F_OK) != 0);
}

TEST_CASE("A thread scheduler starts its thread on first use, not before") {
  // A sanitizer runtime may start a helper thread of its own at the process's first
  // pthread_create (ThreadSanitizer does): create and join one thread first, so that the only
  // new thread below can be the scheduler's.
  std::thread([] {}).join();
  const auto before = thread_ids();
  auto scheduler = make_thread_scheduler();
  CHECK(new_threads(before, thread_ids()).empty());
  const auto id = scheduler->schedule_after(std::chrono::hours(1), [] {});
  const auto started = new_threads(before, thread_ids());
  REQUIRE(started.size() == 1);  // The timer thread.
  CHECK(scheduler->cancel(id));
  scheduler.reset();
  CHECK(wait_until_gone(*started.begin()));  // Joined: the timer thread has ended.
}

TEST_CASE("A thread scheduler with a task due in an hour is destroyed at once, task unrun") {
  auto alive = std::make_shared<int>(7);
  std::weak_ptr<int> watch = alive;
  std::atomic<bool> ran{false};
  auto scheduler = make_thread_scheduler();
  scheduler->schedule_after(std::chrono::hours(1), [held = std::move(alive), &ran] {
    (void)held;
    ran = true;
  });
  const auto start = std::chrono::steady_clock::now();
  scheduler.reset();
  // "At once" against the hour the task waits for: the bound only has to tell the two apart.
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(60));
  CHECK(watch.expired());
  CHECK_FALSE(ran);
}

TEST_CASE("ManualScheduler runs due tasks in order with its clock at their due time") {
  ManualScheduler scheduler;
  const auto epoch = scheduler.now();
  CHECK(epoch.time_since_epoch().count() == 0);
  std::vector<std::pair<int, milliseconds>> ran;
  auto record = [&](int n) {
    return [&, n] {
      ran.emplace_back(n, std::chrono::duration_cast<milliseconds>(scheduler.now() - epoch));
    };
  };
  scheduler.schedule_after(milliseconds(30), record(3));
  scheduler.schedule_after(milliseconds(10), record(1));
  const auto id = scheduler.schedule_after(milliseconds(20), record(2));
  scheduler.schedule_after(milliseconds(10), [&] {
    ran.emplace_back(10, std::chrono::duration_cast<milliseconds>(scheduler.now() - epoch));
    scheduler.schedule_after(milliseconds(5), record(15));  // Due within the same advance.
  });
  CHECK(scheduler.pending() == 4);
  CHECK(scheduler.cancel(id));
  CHECK(scheduler.advance(milliseconds(9)) == 0);
  CHECK(scheduler.advance(milliseconds(21)) == 4);
  CHECK(ran == std::vector<std::pair<int, milliseconds>>{{1, milliseconds(10)},
                                                         {10, milliseconds(10)},
                                                         {15, milliseconds(15)},
                                                         {3, milliseconds(30)}});
  CHECK(scheduler.now() - epoch == milliseconds(30));
  CHECK(scheduler.pending() == 0);
  CHECK(scheduler.run_due() == 0);
  CHECK(scheduler.scheduled_delays() ==
        std::vector<milliseconds>{milliseconds(30), milliseconds(10), milliseconds(20),
                                  milliseconds(10), milliseconds(5)});
}
