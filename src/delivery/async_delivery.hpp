// Internal to the Deliverer: one asynchronous delivery, a small state machine driven by
// transport callbacks and scheduler timers (never by a blocked thread).
// Thread-safety: every member function is thread-safe; the callback runs without the lock.
// Ending: exactly one of finish() (the delivery's own end), abandon() (drain or shutdown) and the
// destructor (a timer or transfer callback dropped without running) runs the callback; then the
// delivery leaves its Deliverer's DeliveryTracker. A delivery that ends inside deliver_async() or
// cancel() hands its callback to the scheduler (run_deferred()) instead of running it there.
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
  /// Runs the callback with Errc::cancelled if the delivery never ended: what held it (a timer
  /// task, a transfer callback) was destroyed without running.
  ~AsyncDelivery();
  AsyncDelivery(const AsyncDelivery&) = delete;
  AsyncDelivery& operator=(const AsyncDelivery&) = delete;

  /// Sets the id under which the DeliveryTracker knows this delivery (0: not tracked); called
  /// by DeliveryTracker::add() under its lock, before any drain() can reach the delivery.
  void track(std::uint64_t id) { tracker_id_ = id; }

  /// Ends the delivery with `error` before any attempt, on the calling thread (instead of
  /// start()).
  void refuse(Error error);
  /// Sends the first attempt. Call once, right after construction (needs shared_from_this).
  void start();
  /// See DeliveryHandle::cancel.
  void cancel();
  /// Ends the delivery now, on the calling thread, with Errc::cancelled (an attempt in flight is
  /// recorded as cancelled and its transfer cancelled; a retry timer is removed). Returns false
  /// if it had already ended or is ending on another thread.
  bool abandon();

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
  /// Tells the endpoint policy that the admitted attempt was not sent (cancelled).
  void release_admission();
  /// Runs `callback` with `result` as an SDK callback, then leaves the tracker.
  void report(SendCallback<void> callback, SendResult<void> result);
  /// Runs the callback that finish() handed to the scheduler, unless already run.
  void run_deferred();

  const std::shared_ptr<const Deliverer::Impl> impl_;
  http::HttpRequest request_;
  SendCallback<void> callback_;
  std::uint64_t tracker_id_ = 0;

  std::mutex mutex_;
  Phase phase_ = Phase::idle;
  bool cancel_requested_ = false;
  int attempt_ = 0;
  std::chrono::milliseconds next_delay_{0};
  // The attempt in flight, for abandon() to record.
  std::chrono::steady_clock::time_point sent_at_{};
  std::optional<std::int64_t> sent_timestamp_;
  std::chrono::milliseconds sent_delay_before_{0};
  std::chrono::steady_clock::time_point start_{};
  Scheduler::TaskId timer_ = 0;
  http::TransferHandle transfer_;
  Progress progress_;
  /// The endpoint policy reserved a slot for the next attempt (its wait is on the timer), and
  /// whether that attempt is the breaker's probe; both cleared once its outcome is recorded.
  bool admitted_ = false;
  bool probe_ = false;
  /// Set with the message id (start() or refuse()); then read only.
  DeliveryEvents events_;
  /// A delivery that ended inside deliver_async() or cancel(): its callback and result, until
  /// the scheduler (or drain, or the destructor when the scheduler drops the task) runs it.
  SendCallback<void> deferred_callback_;
  std::optional<SendResult<void>> deferred_result_;
};

}  // namespace chathooks::delivery::detail
