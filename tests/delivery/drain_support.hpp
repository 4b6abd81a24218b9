// Helpers for the shutdown tests of the asynchronous paths: a tally of delivery callbacks (each
// delivery's calls, outcome and thread), loopback receivers (a slow one that holds each request
// until the test releases it, a 503 one), a Deliverer policy whose retry wait only a shutdown
// can end, and a thread scheduler that tells when a retry timer is set. Thread-safety: a Tally's
// callbacks, the receivers' handlers and the scheduler may run on any thread while the test
// thread waits and reads.
#pragma once

#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/delivery/scheduler.hpp>
#include <chathooks/delivery/send_result.hpp>
#include <chathooks/error.hpp>
#include <chathooks/http/curl_transport.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/test_server.hpp"

namespace chathooks_test {

/// How one delivery ended, as its callback saw it.
struct Ending {
  int calls = 0;
  bool delivered = false;
  std::optional<chathooks::Errc> code;
  std::size_t attempts = 0;
  std::thread::id thread;
};

/// Every delivery's callback, by index.
class Tally {
 public:
  /// The callback of delivery `index`, for any result type of the SDK's sends.
  template <class T = void>
  chathooks::delivery::SendCallback<T> callback(int index) {
    return [this, index](chathooks::delivery::SendResult<T> result) {
      std::lock_guard<std::mutex> lock(mutex_);
      Ending& ending = endings_[index];
      if (++ending.calls == 1) {
        ending.delivered = result.ok();
        if (!result.ok()) ending.code = result.error().code();
        ending.attempts = result.delivery.attempts.size();
        ending.thread = std::this_thread::get_id();
      }
      ++total_;
      cv_.notify_all();
    };
  }
  /// Whether `n` callbacks in all ran within `limit`.
  bool wait(int n, std::chrono::seconds limit = std::chrono::seconds(120)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return total_ >= n; });
  }
  int total() {
    std::lock_guard<std::mutex> lock(mutex_);
    return total_;
  }
  Ending ending(int index) {
    std::lock_guard<std::mutex> lock(mutex_);
    return endings_[index];
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::map<int, Ending> endings_;
  int total_ = 0;
};

/// Receivers on 127.0.0.1: POST /slow holds each request until release() (then 200), POST /busy
/// answers 503, POST /flaky answers 503 to the first request with a given body and 200 to the
/// next, POST /ok answers 200 at once. slow_arrived(n) waits for n held requests.
class Receivers {
 public:
  Receivers() {
    server_.server().Post("/slow", [this](const httplib::Request&, httplib::Response& res) {
      server_.gate().wait(std::chrono::minutes(5));
      res.status = 200;
    });
    server_.server().Post(
        "/busy", [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
    server_.server().Post("/flaky", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex_);
      res.status = ++seen_[req.body] == 1 ? 503 : 200;
    });
    server_.server().Post(
        "/ok", [](const httplib::Request&, httplib::Response& res) { res.status = 200; });
    server_.start();
  }
  std::string url(const std::string& path) const { return server_.url(path); }
  /// Whether `n` requests are held by /slow within a minute.
  bool slow_arrived(int n) { return server_.gate().wait_for_waiters(n); }
  /// Lets every held and future /slow request answer 200.
  void release() { server_.gate().open(); }
  std::size_t requests() { return server_.requests(); }

 private:
  std::mutex mutex_;
  std::map<std::string, int> seen_;  // /flaky's requests by body
  TestServer server_;                // Last: stopped first, while the members above live.
};

/// Transport options that may reach the receivers, with generous timeouts.
inline chathooks::http::CurlTransportOptions patient_options() {
  auto options = dev_options();
  options.timeout = std::chrono::minutes(5);
  options.low_speed_limit_bytes = 0;
  return options;
}

/// A CurlTransport with patient_options().
inline std::shared_ptr<chathooks::http::HttpTransport> patient_transport() {
  return chathooks::http::make_curl_transport(patient_options());
}

/// The default thread scheduler, counting the timers set so that a test can wait for one.
class SignallingScheduler final : public chathooks::delivery::Scheduler {
 public:
  TaskId schedule_after(std::chrono::milliseconds delay, std::function<void()> task) override {
    const TaskId id = inner_->schedule_after(delay, std::move(task));
    std::lock_guard<std::mutex> lock(mutex_);
    ++scheduled_;
    cv_.notify_all();
    return id;
  }
  bool cancel(TaskId id) override { return inner_->cancel(id); }
  /// Whether `n` timers in all were set within a minute.
  bool wait_scheduled(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, std::chrono::minutes(1), [&] { return scheduled_ >= n; });
  }

 private:
  std::shared_ptr<chathooks::delivery::Scheduler> inner_ =
      chathooks::delivery::make_thread_scheduler();
  std::mutex mutex_;
  std::condition_variable cv_;
  int scheduled_ = 0;
};

/// Up to 3 attempts, the wait before a retry an hour: a delivery that got a 503 waits until
/// shut down. Its timers go to `scheduler`.
inline chathooks::delivery::DelivererOptions hour_wait_options(
    std::shared_ptr<chathooks::delivery::Scheduler> scheduler = nullptr) {
  chathooks::delivery::DelivererOptions options;
  options.scheduler = std::move(scheduler);
  options.retry.max_attempts = 3;
  options.retry.initial_delay = std::chrono::hours(1);
  options.retry.max_delay = std::chrono::hours(1);
  options.retry.jitter = 0.0;
  options.retry.deadline = std::chrono::hours(3);
  return options;
}

}  // namespace chathooks_test
