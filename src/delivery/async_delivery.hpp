// Internal to the Deliverer: one asynchronous delivery, a small state machine driven by
// transport callbacks and scheduler timers (never by a blocked thread).
// Thread-safety: every member function is thread-safe; the callback runs without the lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "chathooks/delivery/deliverer.hpp"
#include "delivery/attempt.hpp"

namespace chathooks::delivery::detail {

class AsyncDelivery : public std::enable_shared_from_this<AsyncDelivery> {
 public:
  AsyncDelivery(std::shared_ptr<const Deliverer::Impl> impl, http::HttpRequest request,
                SendCallback<void> callback);

  /// Sends the first attempt. Call once, right after construction (needs shared_from_this).
  void start();
  /// See DeliveryHandle::cancel.
  void cancel();

 private:
  enum class Phase { idle, sending, waiting, done };

  void send_attempt();
  void on_outcome(int number, std::chrono::steady_clock::time_point sent_at,
                  std::chrono::milliseconds delay_before, std::optional<std::int64_t> timestamp,
                  Result<http::HttpResponse> outcome);
  void on_timer();
  /// Ends the delivery with `error` (or delivered if empty): marks it done, releases the lock,
  /// runs the callback.
  void finish(std::unique_lock<std::mutex>& lock);
  void fail(std::unique_lock<std::mutex>& lock, Error error);
  Error cancelled_error() const;

  const std::shared_ptr<const Deliverer::Impl> impl_;
  http::HttpRequest request_;
  SendCallback<void> callback_;

  std::mutex mutex_;
  Phase phase_ = Phase::idle;
  bool cancel_requested_ = false;
  int attempt_ = 0;
  std::chrono::milliseconds next_delay_{0};
  std::chrono::steady_clock::time_point start_{};
  Scheduler::TaskId timer_ = 0;
  http::TransferHandle transfer_;
  Progress progress_;
};

}  // namespace chathooks::delivery::detail
