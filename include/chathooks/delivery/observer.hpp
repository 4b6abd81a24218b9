// Live hooks on deliveries: a DeliveryObserver sees each attempt start and end (with the wait
// before the next one) and each delivery end, as they happen, for the Deliverer, the three
// protocol clients (which deliver through one) and the outbox Worker. Metrics
// (chathooks/metrics/registry.hpp) and `chathooks send`'s live attempt lines are observers.
//
//   struct Printer : delivery::DeliveryObserver {
//     void on_attempt_end(const delivery::AttemptEnd& e) override { log(e.attempt.status); }
//   };
//   options.observer = std::make_shared<Printer>();
//
// Thread-safety: an observer is called from the threads that run deliveries (the caller of
// deliver(), the transport's callback thread, the scheduler's thread, a Worker's thread),
// concurrently for different deliveries, so it must be thread-safe. The events of one delivery
// come one at a time, in order: attempt start, attempt end, ..., delivery end. The views in an
// event are valid during the call only. An observer should be quick (it runs inside the
// delivery, an asynchronous one under its lock) and must not call DeliveryHandle::cancel(),
// drain() or shutdown(); what it throws is caught and dropped.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "chathooks/delivery/send_result.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"

namespace chathooks::delivery {

/// Which delivery an event is about.
struct DeliveryInfo {
  /// "flw", "boticario", "cliengo" for the protocol clients, "outbox" for a Worker, else
  /// DelivererOptions::label (empty by default).
  std::string_view protocol;
  /// The webhook-id (empty for an unsigned delivery of a request without one).
  std::string_view message_id;
  /// The request's method.
  std::string_view method;
  /// The request's URL.
  std::string_view url;
  /// The URL's host, without port or brackets (OpenTelemetry's `server.address`).
  std::string_view host;
  /// The request's W3C `traceparent` header, empty when it has none.
  std::string_view traceparent;
};

/// An attempt is about to be handed to the transport.
struct AttemptStart {
  /// The delivery.
  const DeliveryInfo& delivery;
  /// 1 for the first attempt.
  int number;
  /// How long the delivery waited before this attempt (zero for the first).
  std::chrono::milliseconds delay_before;
};

/// An attempt ended.
struct AttemptEnd {
  /// The delivery.
  const DeliveryInfo& delivery;
  /// The attempt, as the DeliveryRecord will hold it.
  const Attempt& attempt;
  /// From handing the request to the transport to its outcome, at the steady clock's
  /// resolution (Attempt::duration is whole milliseconds).
  std::chrono::nanoseconds elapsed;
  /// The wait before the next attempt, when there will be one; empty when the delivery ends
  /// with this attempt (delivered, given up or cancelled).
  std::optional<std::chrono::milliseconds> next_delay;
};

/// A delivery ended (once per delivery; for the outbox, when its message is delivered or dead).
struct DeliveryEnd {
  /// The delivery.
  const DeliveryInfo& delivery;
  /// Every attempt made (for the outbox: this run's attempt only; the store keeps the others).
  const DeliveryRecord& record;
  /// Why it was not delivered; nullptr when it was.
  const Error* error;
};

/// The state of an endpoint's circuit breaker (endpoint_policy.hpp).
enum class EndpointState {
  closed,     ///< Attempts go.
  open,       ///< Paused after repeated failures: attempts are refused until a probe may go.
  half_open,  ///< One probe is under way; the other attempts are refused.
  disabled,   ///< Answered 410: refused until re-enabled.
};

/// "closed", "open", "half_open", "disabled".
CHATHOOKS_API std::string_view to_string(EndpointState state) noexcept;

/// An endpoint's breaker changed state.
struct EndpointEvent {
  /// The endpoint: scheme, host and port ("https://hooks.example:443").
  std::string_view endpoint;
  /// The state before.
  EndpointState from;
  /// The state after.
  EndpointState to;
  /// Consecutive failures counted when it changed.
  int consecutive_failures;
  /// For open: how long until a probe may go.
  std::chrono::milliseconds retry_in;
};

/// Receives delivery events. Override what you need; the defaults do nothing.
class CHATHOOKS_API DeliveryObserver {
 public:
  /// Destroys the observer.
  virtual ~DeliveryObserver();
  /// An attempt is starting.
  virtual void on_attempt_start(const AttemptStart& event);
  /// An attempt ended.
  virtual void on_attempt_end(const AttemptEnd& event);
  /// The delivery ended.
  virtual void on_delivery_end(const DeliveryEnd& event);
  /// An endpoint's circuit breaker changed state (EndpointPolicyOptions::observer).
  virtual void on_endpoint_state(const EndpointEvent& event);

 protected:
  /// For derived classes only: an observer is used through a pointer.
  DeliveryObserver() = default;
  /// For derived classes that choose to be copyable.
  DeliveryObserver(const DeliveryObserver&) = default;
  /// See the copy constructor.
  DeliveryObserver& operator=(const DeliveryObserver&) = default;
};

/// One observer that calls each of `observers` in order (null ones skipped), each shielded
/// from what the others throw.
CHATHOOKS_API std::shared_ptr<DeliveryObserver> observe_all(
    std::vector<std::shared_ptr<DeliveryObserver>> observers);

}  // namespace chathooks::delivery
