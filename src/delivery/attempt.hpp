// Internal to the Deliverer: what deliver() and deliver_async() share (the Impl, preparing one
// attempt, recording its outcome).
// Thread-safety: Impl is immutable; the functions touch only their arguments.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "chathooks/delivery/deliverer.hpp"
#include "delivery/delivery_events.hpp"

namespace chathooks::delivery {

namespace detail {
class DeliveryTracker;
}  // namespace detail

struct Deliverer::Impl {
  std::shared_ptr<http::HttpTransport> transport;
  RetrySchedule schedule;
  std::optional<signing::Signer> signer;
  std::function<std::chrono::system_clock::time_point()> system_now;
  std::function<std::chrono::steady_clock::time_point()> steady_now;
  std::function<void(std::chrono::milliseconds)> sleep;
  std::shared_ptr<Scheduler> scheduler;
  /// The asynchronous deliveries not yet ended; never null.
  std::shared_ptr<detail::DeliveryTracker> tracker;
  /// DelivererOptions::observer, label and make_traceparent.
  std::shared_ptr<DeliveryObserver> observer;
  std::string label;
  bool make_traceparent = false;
  /// DelivererOptions::endpoints; may be null.
  std::shared_ptr<EndpointPolicy> endpoints;
};

namespace detail {

/// A delivery under way: its record so far and, once it is over without success, why.
struct Progress {
  DeliveryRecord record;
  std::optional<Error> error;

  /// The SendResult this delivery ends with.
  SendResult<void> finish() &&;
};

/// One attempt's request, ready to send.
struct PreparedAttempt {
  http::HttpRequest request;
  std::optional<std::int64_t> timestamp;
};

/// The message id of a delivery: set on `request` when signing, read from it otherwise. Also
/// gives the request a new traceparent when the Deliverer makes them and it has none.
std::string message_id_for(const Deliverer::Impl& impl, http::HttpRequest& request);

/// The events of a delivery of `request` (after message_id_for()).
DeliveryEvents events_for(const Deliverer::Impl& impl, const http::HttpRequest& request,
                          const std::string& message_id);

/// A copy of `base` for one attempt: signed with a fresh timestamp, its timeout shortened to
/// what is left of the deadline.
Result<PreparedAttempt> prepare_attempt(const Deliverer::Impl& impl, const http::HttpRequest& base,
                                        const std::string& message_id,
                                        std::chrono::milliseconds elapsed);

/// Records attempt `number` in `result` and decides what comes next: the delay before the next
/// attempt, or std::nullopt when the delivery is over (progress.error set unless delivered).
std::optional<std::chrono::milliseconds> record_outcome(const Deliverer::Impl& impl,
                                                        Progress& progress, int number,
                                                        std::chrono::milliseconds delay_before,
                                                        std::chrono::milliseconds duration,
                                                        std::optional<std::int64_t> timestamp,
                                                        Result<http::HttpResponse> outcome,
                                                        std::chrono::milliseconds elapsed);

/// Non-negative whole milliseconds of a steady-clock interval.
std::chrono::milliseconds to_ms(std::chrono::steady_clock::duration duration);

}  // namespace detail
}  // namespace chathooks::delivery
