// The values a receiver works with: the raw request a host hands in (Request), what the handler
// learns about the delivery besides its payload (Delivery), how a handler turns a payload away
// (Refusal, HandlerResult) and the answer the host writes back (Reply).
// A receiver never touches sockets: the host's HTTP server reads the request, calls
// Receiver::handle(), and writes Reply::response back as it is.
// Thread-safety: plain value types.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/json.hpp"
#include "chathooks/problem.hpp"
#include "chathooks/trace_context.hpp"

namespace chathooks::receiver {

/// One received HTTP request, as the host's server read it. Nothing in it is trusted.
struct CHATHOOKS_API Request {
  /// The request method as received ("POST").
  std::string method;
  /// Every header field as received, names in any case, repeated names kept.
  std::vector<std::pair<std::string, std::string>> headers;
  /// The body bytes exactly as received: signatures are verified over these, never over a
  /// re-encoding.
  std::string body;
  /// The peer's IP address as text ("203.0.113.7", "::1"), for source-address allow-lists;
  /// empty when the host does not know it (an allow-list then refuses the request).
  std::string remote_address;

  /// The value of the first header field named `name` (any case), if any.
  std::optional<std::string_view> header(std::string_view name) const noexcept;
  /// How many header fields are named `name` (any case).
  std::size_t header_count(std::string_view name) const noexcept;
};

/// What the receiver knows about a delivery besides its payload; passed to the handler.
struct Delivery {
  /// The `webhook-id` header (Standard Webhooks), empty when the request has none.
  std::string webhook_id;
  /// The key under which the delivery was deduplicated, empty when it had none (see the
  /// protocol receiver's header for how the key is chosen).
  std::string idempotency_key;
  /// Whether the authenticator that accepted the request proves who sent it
  /// (Authenticator::proves_sender()): false for allow_unauthenticated() and for an all_of()
  /// none of whose members proves it.
  bool authenticated = false;
  /// The request itself (headers, raw body, peer address); valid during the handler call.
  const Request* request = nullptr;
  /// Members the tolerant decode kept as they came (ReceiverOptions::parse_options, tolerant
  /// by default): the payload's Field reports is_unreadable() for each. Empty when none.
  std::vector<DecodeWarning> warnings;
  /// The request's W3C `traceparent`, when it has a valid one: pass `traceparent->child()` on
  /// to the calls the handler makes (chathooks/trace_context.hpp).
  std::optional<TraceParent> traceparent;
};

/// A handler's decision to turn a payload away with its own status (a 4xx or 5xx), e.g. 503
/// with a Retry-After while a dependency is down. The detail goes to the sender in the problem
/// body, so it must not hold secrets or internals.
struct Refusal {
  /// `Refusal(503, "database unavailable", std::chrono::seconds(30))`.
  Refusal(int status_code, std::string detail_text,
          std::optional<std::chrono::seconds> retry_after_seconds = std::nullopt)
      : status(status_code), detail(std::move(detail_text)), retry_after(retry_after_seconds) {}

  /// The HTTP status to answer with: 400 to 599. Any other value is answered as 500.
  int status;
  /// A short explanation for the sender.
  std::string detail;
  /// When set and not negative, sent as a Retry-After header (seconds).
  std::optional<std::chrono::seconds> retry_after;
};

/// What a handler returns: the answer to encode and send with status 200, or a Refusal.
/// Converts implicitly from both, so a handler writes `return response;` or
/// `return receiver::Refusal{503, "database unavailable"};`.
template <class T>
class HandlerResult {
 public:
  /// The handler answers with `answer` (sent with status 200).
  HandlerResult(T answer) : value_(std::move(answer)) {}  // NOLINT: implicit by design
  /// The handler turns the payload away.
  HandlerResult(Refusal refusal) : value_(std::move(refusal)) {}  // NOLINT: implicit by design
  /// The answer, or nullptr when the handler refused.
  const T* answer() const noexcept { return std::get_if<T>(&value_); }
  /// The refusal, or nullptr when the handler answered.
  const Refusal* refusal() const noexcept { return std::get_if<Refusal>(&value_); }

 private:
  std::variant<T, Refusal> value_;
};

/// For handlers that answer with an acknowledgement only (Boticario events): `return {};`
/// acknowledges with 200, `return receiver::Refusal{...};` refuses.
template <>
class HandlerResult<void> {
 public:
  /// The handler acknowledges the payload (200, empty body).
  HandlerResult() = default;
  /// The handler turns the payload away.
  HandlerResult(Refusal refusal) : refusal_(std::move(refusal)) {}  // NOLINT: implicit by design
  /// The refusal, or nullptr when the handler acknowledged.
  const Refusal* refusal() const noexcept { return refusal_ ? &*refusal_ : nullptr; }

 private:
  std::optional<Refusal> refusal_;
};

/// How a request ended.
enum class Disposition {
  handled,    ///< The handler answered; the answer is in the response (200).
  duplicate,  ///< An earlier delivery with the same key was handled: its answer is replayed
              ///< and the handler was not called.
  refused,    ///< The handler returned a Refusal (its status).
  rejected,   ///< A check failed before the handler ran (405, 413, 415, 401, 400, 409), or
              ///< the idempotency store failed (503).
  failed,     ///< The handler threw (500; the exception's text is in Reply::error only).
  conflict,   ///< The key was seen before with another body (409, Errc::idempotency_conflict):
              ///< not the same delivery, so neither handled nor answered as a duplicate.
};

/// The receiver's answer to one request.
struct Reply {
  /// What to write back to the sender: status, header fields (Content-Type, and Allow or
  /// Retry-After when they apply) and body. Error bodies are RFC 9457 problem documents
  /// (`application/problem+json`) with `type`, `title`, `status`, `detail` and, for payload
  /// errors, `pointer`; they never hold a secret, a signature or a handler's exception text.
  http::HttpResponse response;
  /// How the request ended.
  Disposition disposition = Disposition::rejected;
  /// Why, when disposition is not handled or duplicate: the full error for the host's logs
  /// (for `failed`, Errc::handler_failed with the exception's what()).
  std::optional<Error> error;
  /// Set when the idempotency store failed to record how the delivery ended (complete() after
  /// the handler answered, release() after a refusal or a throw). The response is sent as
  /// usual; the claim then expires after ReceiverOptions::claim_timeout, and a retry after that
  /// is handled again. Log it.
  std::optional<Error> store_error;
  /// The key the delivery was deduplicated under (Delivery::idempotency_key), empty when it
  /// had none or was rejected before its payload was decoded.
  std::string idempotency_key;
  /// Findings of the protocol's pre-send check on the handler's answer (e.g. a Flw response
  /// key the dispatch does not list). The answer is sent anyway; log these.
  Problems problems;
  /// Members of the payload the tolerant decode kept as they came (Delivery::warnings); the
  /// request was handled anyway. Log these.
  std::vector<DecodeWarning> warnings;
  /// How long the host's handler ran; zero when it did not run.
  std::chrono::nanoseconds handler_time{0};
};

/// The name of a Disposition ("handled", "duplicate", ...).
CHATHOOKS_API std::string_view to_string(Disposition disposition) noexcept;

}  // namespace chathooks::receiver
