// What every send reports, in one shape for the three protocols and the Deliverer under them:
// SendResult<T> holds the typed answer (or why there is none) as a Result<T>, and always the
// DeliveryRecord (the webhook-id, every attempt, the last HTTP response), so the attempts can be
// logged whatever happened.
//
//   delivery::SendResult<flw::Answer> sent = client.send(dispatch, url);
//   for (const auto& attempt : sent.delivery.attempts) log(attempt);
//   if (!sent) return report(sent.error());
//   follow(sent.value().branch);
//
// Thread-safety: plain value types.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/http/message.hpp"

namespace chathooks::delivery {

/// One attempt of a delivery.
struct Attempt {
  /// 1 for the first attempt.
  int number = 1;
  /// How long the delivery waited before this attempt (zero for the first).
  std::chrono::milliseconds delay_before{0};
  /// From handing the request to the transport to its outcome (monotonic clock).
  std::chrono::milliseconds duration{0};
  /// The HTTP status, when the attempt got a response.
  std::optional<int> status;
  /// The transport error, when it did not.
  std::optional<Error> error;
  /// The webhook-timestamp this attempt carried (signed deliveries only).
  std::optional<std::int64_t> timestamp;
};

/// The record of one delivery, whatever its outcome.
struct DeliveryRecord {
  /// The webhook-id of the message: the same on every attempt. Empty for an unsigned delivery
  /// of a request without a webhook-id header.
  std::string message_id;
  /// Every attempt made, in order (none if the delivery failed before sending).
  std::vector<Attempt> attempts;
  /// The last HTTP response received: the 2xx on success, otherwise the last failing response
  /// (e.g. a 400 with the receiver's problem+json explanation), if any attempt got one.
  std::optional<http::HttpResponse> response;
};

/// The outcome of one send: the typed answer `T` (void where the protocol answers nothing) or
/// the Error that says why not, and always the delivery record.
///
/// The error codes: not delivered (Errc::endpoint_gone for a 410, http_status for a status
/// that is not retried, attempts_exhausted, deadline_exceeded, cancelled, the transport's own
/// code for a transport error that is not retried, invalid_argument/invalid_request for a
/// request that could not be prepared), or delivered but the answer does not decode (the
/// decoder's code, with the JSON Pointer of the member at fault).
template <class T>
struct SendResult {
  /// The answer, or why there is none.
  Result<T> result;
  /// Every attempt, the webhook-id and the last HTTP response.
  DeliveryRecord delivery;

  /// Whether the webhook was delivered and its answer understood.
  bool ok() const noexcept { return result.ok(); }
  /// Same as ok().
  explicit operator bool() const noexcept { return ok(); }
  /// The error. Throws BadResultAccess when ok().
  const Error& error() const& { return result.error(); }
  /// The answer (nothing for SendResult<void>). Throws BadResultAccess, carrying the Error,
  /// when !ok().
  decltype(auto) value() & { return result.value(); }
  /// The answer (nothing for SendResult<void>). Throws BadResultAccess, carrying the Error,
  /// when !ok().
  decltype(auto) value() const& { return result.value(); }
  /// The answer, moved out into a value (so `auto a = client.send(...).value();` holds no
  /// dangling reference). Throws BadResultAccess, carrying the Error, when !ok().
  auto value() && { return std::move(result).value(); }
};

/// Receives the outcome of an asynchronous send, exactly once.
template <class T>
using SendCallback = std::function<void(SendResult<T>)>;

}  // namespace chathooks::delivery
