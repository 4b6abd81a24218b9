// AsyncDelivery: attempts through send_async(), waits as Scheduler timers, cancellation.
//
// Locking: mutex_ is never held while calling the transport (a send_async() may run its
// callback inline, which takes mutex_) or the user's callback. It is held while calling
// Scheduler::schedule_after(), whose contract forbids running the task inline.
#include "delivery/async_delivery.hpp"

#include <exception>
#include <string>
#include <utility>

#include "core/callback_scope.hpp"
#include "delivery/delivery_tracker.hpp"

namespace chathooks::delivery::detail {

AsyncDelivery::AsyncDelivery(std::shared_ptr<const Deliverer::Impl> impl, http::HttpRequest request,
                             SendCallback<void> callback)
    : impl_(std::move(impl)), request_(std::move(request)), callback_(std::move(callback)) {}

AsyncDelivery::~AsyncDelivery() {
  // Nothing else can reach this object now, so no lock. Reached with the callback still here
  // only when a scheduler or transport destroyed what held the delivery without running it.
  if (deferred_result_) {
    // The scheduler dropped the task that was to run the callback: run it here.
    report(std::move(deferred_callback_), std::move(*deferred_result_));
    return;
  }
  if (phase_ == Phase::done || !callback_) {
    if (tracker_id_ != 0) impl_->tracker->remove(tracker_id_);
    return;
  }
  release_admission();  // a probe's slot must not stay taken
  progress_.error = Error(Errc::cancelled,
                          "the delivery's retry timer or transfer was dropped "
                          "without running (scheduler or transport stopped)");
  report(std::move(callback_), std::move(progress_).finish());
}

void AsyncDelivery::refuse(Error error) {
  std::unique_lock<std::mutex> lock(mutex_);
  progress_.record.message_id = message_id_for(*impl_, request_);
  events_ = events_for(*impl_, request_, progress_.record.message_id);
  fail(lock, std::move(error));
}

void AsyncDelivery::start() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    progress_.record.message_id = message_id_for(*impl_, request_);
    events_ = events_for(*impl_, request_, progress_.record.message_id);
    start_ = impl_->steady_now();
  }
  send_attempt();
}

Error AsyncDelivery::cancelled_error() const {
  return Error(Errc::cancelled, "the delivery was cancelled after " +
                                    std::to_string(progress_.record.attempts.size()) + " attempt" +
                                    (progress_.record.attempts.size() == 1 ? "" : "s"));
}

void AsyncDelivery::release_admission() {
  if (!admitted_) return;
  admitted_ = false;
  impl_->endpoints->record(request_.url, Error(Errc::cancelled, "the attempt was not sent"),
                           probe_);
  probe_ = false;
}

void AsyncDelivery::finish(std::unique_lock<std::mutex>& lock) {
  release_admission();
  phase_ = Phase::done;
  transfer_ = http::TransferHandle();
  SendResult<void> result = std::move(progress_).finish();
  SendCallback<void> callback = std::move(callback_);
  if (chathooks::detail::in_caller_call()) {
    // Ending inside deliver_async() or cancel(): the callback runs on the scheduler, never
    // inside the host's call (the host may hold a lock the callback takes).
    deferred_callback_ = std::move(callback);
    deferred_result_.emplace(std::move(result));
    try {
      auto self = shared_from_this();
      impl_->scheduler->schedule_after(std::chrono::milliseconds(0),
                                       [self] { self->run_deferred(); });
      return;
    } catch (...) {
      // A scheduler that refuses: better inline than never.
      callback = std::move(deferred_callback_);
      result = std::move(*deferred_result_);
      deferred_result_.reset();
    }
  }
  lock.unlock();
  report(std::move(callback), std::move(result));
}

void AsyncDelivery::run_deferred() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!deferred_result_) return;  // abandon() ran it already
  SendCallback<void> callback = std::move(deferred_callback_);
  SendResult<void> result = std::move(*deferred_result_);
  deferred_result_.reset();
  lock.unlock();
  report(std::move(callback), std::move(result));
}

void AsyncDelivery::report(SendCallback<void> callback, SendResult<void> result) {
  events_.delivery_end(result.delivery, result.ok() ? nullptr : &result.error());
  {
    // Marked as a callback: a drain() it calls must not wait (see Deliverer::drain). The
    // callback is destroyed inside the mark too: it may hold the last Deliverer copy.
    const chathooks::detail::CallbackScope scope;
    if (callback) {
      try {
        callback(std::move(result));
      } catch (...) {
        // Documented: dropped. It must not unwind into a transport or scheduler thread.
      }
    }
    callback = nullptr;
  }
  // Only now has the delivery ended for drain(): its callback has returned.
  if (tracker_id_ != 0) {
    impl_->tracker->remove(tracker_id_);
    tracker_id_ = 0;
  }
}

bool AsyncDelivery::abandon() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (phase_ == Phase::done) {
    // Ended, its callback still waiting for the scheduler: drain() runs it now rather than
    // wait on a scheduler that the draining thread itself may drive. Not a cancellation.
    lock.unlock();
    run_deferred();
    return false;
  }
  const Phase was = phase_;
  const Scheduler::TaskId timer = timer_;
  const http::TransferHandle transfer = transfer_;
  cancel_requested_ = true;
  if (was == Phase::sending) {
    // The attempt's own outcome will be ignored (on_outcome() finds the delivery done).
    const auto now = impl_->steady_now();
    record_outcome(*impl_, progress_, attempt_, sent_delay_before_, to_ms(now - sent_at_),
                   sent_timestamp_,
                   Error(Errc::cancelled, "the Deliverer shut down with this attempt in flight"),
                   to_ms(now - start_));
    events_.attempt_end(progress_.record.attempts.back(), now - sent_at_, std::nullopt);
  }
  release_admission();
  progress_.error = cancelled_error();
  phase_ = Phase::done;
  transfer_ = http::TransferHandle();
  SendResult<void> result = std::move(progress_).finish();
  SendCallback<void> callback = std::move(callback_);
  lock.unlock();
  // Stop what would otherwise run later; both find the delivery done if they run anyway.
  if (was == Phase::waiting) impl_->scheduler->cancel(timer);
  if (was == Phase::sending) transfer.cancel();
  report(std::move(callback), std::move(result));
  return true;
}

void AsyncDelivery::fail(std::unique_lock<std::mutex>& lock, Error error) {
  progress_.error = std::move(error);
  finish(lock);
}

void AsyncDelivery::send_attempt() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (phase_ == Phase::done || phase_ == Phase::sending) return;
  if (cancel_requested_) return fail(lock, cancelled_error());

  if (impl_->endpoints && !admitted_) {
    const Admission admission = impl_->endpoints->admit(request_.url);
    if (admission.verdict == Admission::Verdict::refuse) return fail(lock, *admission.error);
    admitted_ = true;
    probe_ = admission.probe;
    if (admission.verdict == Admission::Verdict::wait) {
      // The slot is reserved: come back when it is due, without asking again.
      phase_ = Phase::waiting;
      next_delay_ += admission.wait;
      try {
        auto self = shared_from_this();
        timer_ = impl_->scheduler->schedule_after(admission.wait, [self] { self->on_timer(); });
      } catch (const std::exception& e) {
        fail(lock, Error(Errc::internal, std::string("cannot schedule the attempt: ") + e.what()));
      }
      return;
    }
  }
  const int number = ++attempt_;
  auto prepared = prepare_attempt(*impl_, request_, progress_.record.message_id,
                                  to_ms(impl_->steady_now() - start_));
  if (!prepared.ok()) return fail(lock, prepared.error());
  phase_ = Phase::sending;
  timer_ = 0;
  const auto delay_before = next_delay_;
  const auto timestamp = prepared->timestamp;
  const auto sent_at = impl_->steady_now();
  sent_at_ = sent_at;
  sent_timestamp_ = timestamp;
  sent_delay_before_ = delay_before;
  // Under the lock, so that a cancel or drain cannot end the delivery before its observer hears
  // of the attempt.
  events_.attempt_start(number, delay_before);
  lock.unlock();

  auto self = shared_from_this();
  http::TransferHandle handle;
  try {
    handle = impl_->transport->send_async(
        std::move(prepared).value().request,
        [self, number, sent_at, delay_before, timestamp](Result<http::HttpResponse> outcome) {
          self->on_outcome(number, sent_at, delay_before, timestamp, std::move(outcome));
        });
  } catch (const std::exception& thrown) {
    // A transport that throws made a failed attempt, recorded and decided on like any other:
    // an exception out of here would leave deliver_async() (or the timer thread) with the
    // delivery also ending through its callback.
    on_outcome(number, sent_at, delay_before, timestamp,
               Error(Errc::internal, std::string("the transport threw: ") + thrown.what()));
    return;
  } catch (...) {
    on_outcome(number, sent_at, delay_before, timestamp,
               Error(Errc::internal, "the transport threw a non-standard exception"));
    return;
  }

  lock.lock();
  if (phase_ == Phase::done && cancel_requested_) {
    // abandon() ended the delivery while send_async() ran: the transfer must not outlive it.
    lock.unlock();
    handle.cancel();
    return;
  }
  // The outcome may already be in (inline transports), even a later attempt under way.
  if (phase_ != Phase::sending || attempt_ != number) return;
  transfer_ = handle;
  const bool cancel_now = cancel_requested_;  // cancel() found no handle to cancel.
  lock.unlock();
  if (cancel_now) handle.cancel();
}

void AsyncDelivery::on_outcome(int number, std::chrono::steady_clock::time_point sent_at,
                               std::chrono::milliseconds delay_before,
                               std::optional<std::int64_t> timestamp,
                               Result<http::HttpResponse> outcome) {
  const auto done_at = impl_->steady_now();
  std::unique_lock<std::mutex> lock(mutex_);
  if (phase_ != Phase::sending || attempt_ != number) return;  // Never expected: be safe.
  transfer_ = http::TransferHandle();
  if (admitted_) {
    admitted_ = false;
    impl_->endpoints->record(request_.url, outcome, probe_);
    probe_ = false;
  }
  const auto next =
      record_outcome(*impl_, progress_, number, delay_before, to_ms(done_at - sent_at), timestamp,
                     std::move(outcome), to_ms(done_at - start_));
  // Under the lock, so that the next attempt's start cannot come first.
  events_.attempt_end(progress_.record.attempts.back(), done_at - sent_at,
                      cancel_requested_ ? std::nullopt : next);
  if (!next) return finish(lock);
  if (cancel_requested_) return fail(lock, cancelled_error());

  phase_ = Phase::waiting;
  next_delay_ = *next;
  try {
    auto self = shared_from_this();
    timer_ = impl_->scheduler->schedule_after(*next, [self] { self->on_timer(); });
  } catch (const std::exception& e) {
    fail(lock, Error(Errc::internal, std::string("cannot schedule the next attempt: ") + e.what()));
  }
}

void AsyncDelivery::on_timer() { send_attempt(); }

void AsyncDelivery::cancel() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (phase_ == Phase::done || cancel_requested_) return;
  cancel_requested_ = true;
  if (phase_ == Phase::waiting) {
    const auto timer = timer_;
    lock.unlock();
    // False: the timer is firing right now, and send_attempt() will see the request.
    if (!impl_->scheduler->cancel(timer)) return;
    lock.lock();
    if (phase_ == Phase::waiting) fail(lock, cancelled_error());
  } else if (phase_ == Phase::sending) {
    const auto transfer = transfer_;
    lock.unlock();
    transfer.cancel();  // The transport reports; on_outcome() then ends the delivery.
  }
  // idle: send_attempt() is about to run and will see the request.
}

}  // namespace chathooks::delivery::detail
