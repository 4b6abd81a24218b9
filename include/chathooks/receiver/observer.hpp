// A live hook on a receiver: a ReceiverObserver sees every request a Receiver answered (handle(),
// a precheck() that refused, incomplete_body()), with its status, error, webhook-id, whether it
// was a duplicate or a conflict, the tolerant decode's warnings and the handler's time. Metrics
// (chathooks/metrics/registry.hpp) are one.
//
// Thread-safety: called on the threads that call handle(), concurrently, after the reply is
// made and before it is returned; it must be thread-safe and quick. The references in an event
// are valid during the call only. What it throws is caught and dropped.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

#include "chathooks/export.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks::receiver {

/// One request answered.
struct RequestEvent {
  /// "flw", "boticario" or "cliengo".
  std::string_view protocol;
  /// The request (its head only for a precheck() or incomplete_body() refusal).
  const Request& request;
  /// The answer: reply.response.status, reply.disposition (duplicate, conflict...),
  /// reply.error (code and JSON Pointer), reply.warnings, reply.idempotency_key.
  const Reply& reply;
  /// The request's webhook-id header, empty when it has none.
  std::string_view webhook_id;
  /// The request's W3C traceparent header, empty when it has none.
  std::string_view traceparent;
  /// Time spent in the host's handler; zero when it did not run.
  std::chrono::nanoseconds handler_time{0};
  /// Time handle() took, the handler included (zero for precheck() and incomplete_body()).
  std::chrono::nanoseconds total_time{0};
};

/// Receives request events.
class CHATHOOKS_API ReceiverObserver {
 public:
  /// Destroys the observer.
  virtual ~ReceiverObserver();
  /// A request was answered.
  virtual void on_request(const RequestEvent& event) = 0;

 protected:
  /// For derived classes only: an observer is used through a pointer.
  ReceiverObserver() = default;
  /// For derived classes that choose to be copyable.
  ReceiverObserver(const ReceiverObserver&) = default;
  /// See the copy constructor.
  ReceiverObserver& operator=(const ReceiverObserver&) = default;
};

/// One observer that calls each of `observers` in order (null ones skipped), each shielded
/// from what the others throw.
CHATHOOKS_API std::shared_ptr<ReceiverObserver> observe_all(
    std::vector<std::shared_ptr<ReceiverObserver>> observers);

}  // namespace chathooks::receiver
