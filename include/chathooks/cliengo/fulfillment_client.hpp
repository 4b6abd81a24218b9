// The sending side of the Cliengo new-message (fulfillment) webhook: POSTs the chatbot memory
// (a Request) to the integrator's URL through a delivery::Deliverer (retries, Standard Webhooks
// signing, any HttpTransport) and decodes the answer: a typed Response, or "no override" for an
// empty body (the document: every member of the answer is optional).
//
//   auto client = cliengo::FulfillmentClient::create(http::make_curl_transport()).value();
//   auto result = client.call(request, "https://integrator.example/fulfillment");
//   if (!result.ok()) log(result.error->to_string());
//   else if (result.response) apply(*result.response);   // else: override nothing
//
// Thread-safety: a FulfillmentClient is immutable after construction and thin over a Deliverer
// (which is safe to share); copies share it. call() and call_async() may be called from any
// number of threads at once, and several clients may share one transport.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "chathooks/cliengo/request.hpp"
#include "chathooks/cliengo/response.hpp"
#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/transport.hpp"
#include "chathooks/json.hpp"

namespace chathooks::cliengo {

/// The outcome of one call. The error is kept beside the delivery (rather than replacing it, as
/// a Result would) so that the attempts can be logged whatever happened.
struct FulfillmentResult {
  /// The decoded answer. Empty ("no override") when the webhook answered 2xx with an empty or
  /// whitespace-only body, and when the call failed. A body of `{}` decodes to an empty
  /// Response, which overrides nothing either.
  std::optional<Response> response;
  /// Why the call failed: the delivery's error (not delivered: Errc::http_status,
  /// endpoint_gone, attempts_exhausted, a transport code, ...) or the decoder's error for a 2xx
  /// body that is not a Response (with the JSON Pointer of the member at fault). Empty on
  /// success.
  std::optional<Error> error;
  /// The delivery: every attempt, the final HTTP response.
  delivery::DeliveryResult delivery;

  /// Whether the webhook answered 2xx with an empty body or a valid Response.
  bool ok() const noexcept { return !error.has_value(); }
};

/// Receives the result of call_async(), exactly once.
using FulfillmentCallback = std::function<void(FulfillmentResult)>;

/// Decodes the body of a 2xx answer: std::nullopt (no override) for an empty or
/// whitespace-only body, else the Response or the decoder's error.
CHATHOOKS_API Result<std::optional<Response>> decode_answer(std::string_view body,
                                                            const ParseOptions& options = {});

/// Calls the fulfillment webhook.
class CHATHOOKS_API FulfillmentClient {
 public:
  /// A client over `deliverer` (share one Deliverer per delivery policy). `parse_options`
  /// bounds the decoding of answers.
  explicit FulfillmentClient(delivery::Deliverer deliverer, ParseOptions parse_options = {});

  /// A client with its own Deliverer over `transport`; the Deliverer's errors
  /// (Errc::invalid_argument for a null transport, Errc::invalid_secret for a bad signing key).
  static Result<FulfillmentClient> create(std::shared_ptr<http::HttpTransport> transport,
                                          delivery::DelivererOptions options = {},
                                          ParseOptions parse_options = {});

  /// POSTs `request` (compact JSON, `Content-Type: application/json`) to `url`, retrying as the
  /// Deliverer's policy says and waiting on the calling thread, and decodes the answer.
  FulfillmentResult call(const Request& request, std::string url) const;

  /// The same without blocking a thread; `callback` runs exactly once, on the thread
  /// Deliverer::deliver_async() names, and should be quick. The request is encoded before this
  /// returns. The handle cancels the delivery (the result then fails with Errc::cancelled).
  delivery::DeliveryHandle call_async(const Request& request, std::string url,
                                      FulfillmentCallback callback) const;

  /// The Deliverer in use.
  const delivery::Deliverer& deliverer() const noexcept { return deliverer_; }

 private:
  delivery::Deliverer deliverer_;
  ParseOptions parse_options_;
};

}  // namespace chathooks::cliengo
