// The default thread scheduler and ManualScheduler: order, cancellation, shutdown.
#include <sys/syscall.h>
#include <unistd.h>
#include <chathooks/delivery/scheduler.hpp>
#include <chathooks/testing/manual_scheduler.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
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

}  // namespace

TEST_CASE("Thread scheduler runs tasks in due order, off the calling thread") {
  auto scheduler = make_thread_scheduler();
  Log log;
  std::atomic<bool> other_thread{true};
  const auto caller = std::this_thread::get_id();
  scheduler->schedule_after(milliseconds(60), [&] { log.add(3); });
  scheduler->schedule_after(milliseconds(0), [&] {
    other_thread = std::this_thread::get_id() != caller;
    log.add(1);
  });
  scheduler->schedule_after(milliseconds(30), [&] { log.add(2); });
  scheduler->schedule_after(milliseconds(-5), [&] { log.add(0); });  // Negative: at once.
  REQUIRE(log.wait_for_size(4));
  std::lock_guard<std::mutex> lock(log.mutex);
  // 1 and 0 are both due at once (a negative delay counts as zero), in either order.
  CHECK(log.order[0] + log.order[1] == 1);
  CHECK(log.order[2] == 2);
  CHECK(log.order[3] == 3);
  CHECK(other_thread);
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

TEST_CASE("A never used thread scheduler starts no thread and is destroyed at once") {
  auto scheduler = make_thread_scheduler();
  const auto id = scheduler->schedule_after(std::chrono::hours(1), [] {});
  CHECK(scheduler->cancel(id));
  scheduler.reset();
  SUCCEED();
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
