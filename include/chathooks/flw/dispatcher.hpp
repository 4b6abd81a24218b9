// The sending side of the Flw chatbot webhook: POSTs a dispatch to the customer's URL through a
// delivery::Deliverer (retries, Standard Webhooks signing, any HttpTransport) and interprets the
// answer into an Outcome (outcome.hpp): the branch, contact update, metadata and messages. Every
// failure (non-2xx after retries, a transport error, an answer that does not decode) is an
// Outcome with Branch::failure and the reason, never an exception.
//
//   auto dispatcher = flw::Dispatcher::create(http::make_curl_transport()).value();
//   flw::Outcome outcome = dispatcher.dispatch(dispatch, "https://customer.example/webhook");
//   if (outcome.branch == flw::Branch::response_key) follow(outcome.key);
//
// Thread-safety: a Dispatcher is immutable after construction and thin over a Deliverer (which
// is safe to share); copies share the Deliverer and its transport. dispatch() and
// dispatch_async() may be called from any number of threads at once, and several Dispatchers,
// FulfillmentClients and EventSenders may share one transport.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/flw/outcome.hpp"
#include "chathooks/http/transport.hpp"
#include "chathooks/json.hpp"

namespace chathooks::flw {

/// Receives the Outcome of dispatch_async(), exactly once.
using OutcomeCallback = std::function<void(Outcome)>;

/// Sends dispatches and interprets their answers.
class CHATHOOKS_API Dispatcher {
 public:
  /// A Dispatcher over `deliverer` (share one Deliverer per delivery policy). `parse_options`
  /// bounds the decoding of answers.
  explicit Dispatcher(delivery::Deliverer deliverer, ParseOptions parse_options = {});

  /// A Dispatcher with its own Deliverer over `transport`; the Deliverer's errors
  /// (Errc::invalid_argument for a null transport, Errc::invalid_secret for a bad signing key).
  static Result<Dispatcher> create(std::shared_ptr<http::HttpTransport> transport,
                                   delivery::DelivererOptions options = {},
                                   ParseOptions parse_options = {});

  /// POSTs `dispatch` (compact JSON, `Content-Type: application/json`) to `url`, retrying as
  /// the Deliverer's policy says and waiting on the calling thread, then interprets the final
  /// answer. Outcome::delivery holds every attempt.
  Outcome dispatch(const Dispatch& dispatch, std::string url) const;

  /// The same without blocking a thread. `callback` runs exactly once, on the thread
  /// Deliverer::deliver_async() names (a transport or scheduler thread, the cancelling thread,
  /// or the calling thread before this returns); it should be quick. The dispatch is encoded
  /// before this returns, so `dispatch` need not outlive the call. The handle cancels the
  /// delivery (the Outcome is then a failure with Errc::cancelled).
  delivery::DeliveryHandle dispatch_async(const Dispatch& dispatch, std::string url,
                                          OutcomeCallback callback) const;

  /// The Deliverer in use.
  const delivery::Deliverer& deliverer() const noexcept { return deliverer_; }

 private:
  delivery::Deliverer deliverer_;
  ParseOptions parse_options_;
};

}  // namespace chathooks::flw
