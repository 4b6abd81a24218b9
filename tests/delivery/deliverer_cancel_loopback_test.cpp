// Cancelling Deliverer::deliver_async on the real stack (CurlTransport's worker, the default
// timer thread, servers on 127.0.0.1): while an attempt is on the wire to a server that never
// answers, while the delivery waits for its retry timer, and many deliveries cancelled at
// arbitrary moments from other threads. The callback runs exactly once with Errc::cancelled, no
// other attempt starts, and the timer task (which keeps the delivery alive) is destroyed.
// Concurrency tests (ctest label "concurrency"): run under TSan as well as ASan.
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/delivery/scheduler.hpp>
#include <chathooks/http/curl_transport.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "http/silent_server.hpp"
#include "http/test_server.hpp"

using chathooks::Errc;
using chathooks::delivery::Deliverer;
using chathooks::delivery::DelivererOptions;
using chathooks::delivery::DeliveryHandle;
using chathooks::delivery::Scheduler;
using chathooks::delivery::SendResult;
using chathooks::http::HttpRequest;
using chathooks_test::SilentServer;
using chathooks_test::TestServer;
using std::chrono::milliseconds;

namespace {

/// Every callback of one delivery, and the thread each ran on.
class Calls {
 public:
  chathooks::delivery::SendCallback<void> callback() {
    return [this](SendResult<void> result) {
      std::lock_guard<std::mutex> lock(mutex_);
      results_.push_back(std::move(result));
      thread_ = std::this_thread::get_id();
      cv_.notify_all();
    };
  }
  bool wait(std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return !results_.empty(); });
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mutex_);
    return results_.size();
  }
  SendResult<void> first() {
    std::lock_guard<std::mutex> lock(mutex_);
    return results_.at(0);
  }
  std::thread::id thread() {
    std::lock_guard<std::mutex> lock(mutex_);
    return thread_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<SendResult<void>> results_;
  std::thread::id thread_;
};

/// The default thread scheduler, observed: counts the timers scheduled and the tasks destroyed
/// (run or cancelled), and lets a test wait for a timer.
class ObservedScheduler final : public Scheduler {
 public:
  TaskId schedule_after(milliseconds delay, std::function<void()> task) override {
    struct Sentinel {
      explicit Sentinel(ObservedScheduler* o) : owner(o) {}
      Sentinel(const Sentinel&) = delete;
      Sentinel& operator=(const Sentinel&) = delete;
      ~Sentinel() { owner->destroyed(); }
      ObservedScheduler* owner;
    };
    auto sentinel = std::make_shared<Sentinel>(this);
    const TaskId id = inner_->schedule_after(
        delay, [this, task = std::move(task), sentinel = std::move(sentinel)] {
          task();
          std::lock_guard<std::mutex> lock(mutex_);
          ++ran_;
        });
    std::lock_guard<std::mutex> lock(mutex_);
    ++scheduled_;
    cv_.notify_all();
    return id;
  }
  bool cancel(TaskId id) override { return inner_->cancel(id); }

  bool wait_scheduled(int count, std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return scheduled_ >= count; });
  }
  int scheduled() {
    std::lock_guard<std::mutex> lock(mutex_);
    return scheduled_;
  }
  int ran_tasks() {
    std::lock_guard<std::mutex> lock(mutex_);
    return ran_;
  }
  /// Whether `count` tasks in all were destroyed (run or not) within `limit`.
  bool wait_destroyed(int count, std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return destroyed_ >= count; });
  }

 private:
  void destroyed() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++destroyed_;
    cv_.notify_all();
  }

  std::shared_ptr<Scheduler> inner_ = chathooks::delivery::make_thread_scheduler();
  std::mutex mutex_;
  std::condition_variable cv_;
  int scheduled_ = 0;
  int destroyed_ = 0;
  int ran_ = 0;
};

std::shared_ptr<chathooks::http::HttpTransport> loopback_transport() {
  chathooks::http::CurlTransportOptions options;
  options.allow_private_addresses = true;  // 127.0.0.1: these tests opt in.
  options.timeout = std::chrono::minutes(5);
  return chathooks::http::make_curl_transport(options);
}

HttpRequest post(const std::string& url) {
  HttpRequest request;
  request.url = url;
  request.body = "{\"event\":\"message\"}";
  return request;
}

}  // namespace

TEST_CASE("Cancelling a delivery whose attempt is on the wire to a silent server",
          "[concurrency]") {
  SilentServer server(SilentServer::Mode::accept_and_hold);
  auto scheduler = std::make_shared<ObservedScheduler>();
  Calls calls;
  {
    DelivererOptions options;
    options.retry.max_attempts = 5;
    options.retry.initial_delay = milliseconds(1);
    options.retry.deadline = std::chrono::minutes(10);
    options.scheduler = scheduler;
    auto deliverer = Deliverer::create(loopback_transport(), options);
    REQUIRE(deliverer.ok());
    const DeliveryHandle handle =
        deliverer->deliver_async(post(server.url("/hold")), calls.callback());
    REQUIRE(server.wait_bytes(1));  // The request reached the server, which holds it.
    CHECK(calls.count() == 0);
    handle.cancel();
    REQUIRE(calls.wait());
    handle.cancel();  // Again, after the end: nothing.
  }  // The Deliverer, its transport and their threads are gone: nothing can call back later.
  REQUIRE(calls.count() == 1);
  const auto result = calls.first();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::cancelled);
  REQUIRE(result.delivery.attempts.size() == 1);
  REQUIRE(result.delivery.attempts[0].error.has_value());
  CHECK(result.delivery.attempts[0].error->code() == Errc::cancelled);
  CHECK(server.accepted() == 1);  // No second attempt.
  CHECK(scheduler->scheduled() == 0);
}

TEST_CASE("Cancelling a delivery that waits for its retry timer", "[concurrency]") {
  TestServer server;
  server.server().Post("/busy",
                       [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
  server.start();
  auto scheduler = std::make_shared<ObservedScheduler>();
  Calls calls;
  DelivererOptions options;
  options.retry.max_attempts = 3;
  options.retry.initial_delay = std::chrono::hours(1);  // Only a cancellation ends the wait.
  options.retry.max_delay = std::chrono::hours(1);
  options.retry.jitter = 0.0;
  options.retry.deadline = std::chrono::hours(3);
  options.scheduler = scheduler;
  auto deliverer = Deliverer::create(loopback_transport(), options);
  REQUIRE(deliverer.ok());
  const DeliveryHandle handle =
      deliverer->deliver_async(post(server.url("/busy")), calls.callback());
  REQUIRE(scheduler->wait_scheduled(1));
  CHECK(calls.count() == 0);
  handle.cancel();
  // Documented: a waiting delivery ends at once, its callback on the scheduler's thread (never
  // inside cancel()).
  REQUIRE(calls.wait());
  REQUIRE(calls.count() == 1);
  CHECK(calls.thread() != std::this_thread::get_id());
  const auto result = calls.first();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::cancelled);
  REQUIRE(result.delivery.attempts.size() == 1);
  CHECK(result.delivery.attempts[0].status == 503);
  REQUIRE(result.delivery.response.has_value());
  CHECK(result.delivery.response->status == 503);
  // Two tasks: the timer, which held the delivery, destroyed without running, and the one that
  // ran the callback.
  CHECK(scheduler->scheduled() == 2);
  REQUIRE(scheduler->wait_destroyed(2));
  CHECK(scheduler->ran_tasks() == 1);
  handle.cancel();
  CHECK(calls.count() == 1);
  CHECK(server.requests() == 1);
}

TEST_CASE("Many deliveries cancelled at arbitrary moments: each ends once, cancelled",
          "[concurrency]") {
  // Every attempt fails with 503 and is retried after 1 to 2 ms, so each cancellation lands on
  // an attempt in flight, a timer about to fire, or one firing: the races the state machine
  // must win every time.
  constexpr int kDeliveries = 60;
  TestServer server;
  server.server().Post("/busy",
                       [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
  server.start();
  DelivererOptions options;
  options.retry.max_attempts = 100000;
  options.retry.initial_delay = milliseconds(1);
  options.retry.max_delay = milliseconds(2);
  options.retry.deadline = std::chrono::minutes(10);
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<int> calls(kDeliveries, 0);
  std::vector<std::optional<Errc>> codes(kDeliveries);
  int finished = 0;
  std::vector<DeliveryHandle> handles;
  // Declared after the state its callbacks use, so destroyed before it.
  auto deliverer = Deliverer::create(loopback_transport(), options);
  REQUIRE(deliverer.ok());
  for (int i = 0; i < kDeliveries; ++i) {
    handles.push_back(
        deliverer->deliver_async(post(server.url("/busy")), [&, i](SendResult<void> r) {
          std::lock_guard<std::mutex> lock(mutex);
          if (++calls[static_cast<std::size_t>(i)] == 1) {
            codes[static_cast<std::size_t>(i)] =
                r.ok() ? std::nullopt : std::optional<Errc>(r.error().code());
          }
          ++finished;
          cv.notify_all();
        }));
  }
  // Two threads cancel, each half, after varying pauses (the pauses only vary where each
  // cancellation lands; nothing waits on them for correctness).
  std::vector<std::thread> cancellers;
  for (int t = 0; t < 2; ++t) {
    cancellers.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t + 1));
      for (int i = t; i < kDeliveries; i += 2) {
        std::this_thread::sleep_for(std::chrono::microseconds(random() % 3000));
        handles[static_cast<std::size_t>(i)].cancel();
      }
    });
  }
  for (auto& thread : cancellers) thread.join();
  {
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(120), [&] { return finished >= kDeliveries; }));
  }
  for (auto& handle : handles) handle.cancel();  // Late cancellations change nothing.
  std::lock_guard<std::mutex> lock(mutex);
  CHECK(finished == kDeliveries);
  for (int i = 0; i < kDeliveries; ++i) {
    INFO(i);
    CHECK(calls[static_cast<std::size_t>(i)] == 1);
    CHECK(codes[static_cast<std::size_t>(i)] == Errc::cancelled);
  }
}
