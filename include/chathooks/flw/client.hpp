// The sending side of the Flw chatbot webhook: POSTs a dispatch to the customer's URL through a
// delivery::Deliverer (retries, Standard Webhooks signing, any HttpTransport) and reads the
// answer into an Answer (answer.hpp): the flow, branch, contact update, metadata and messages.
// Every failure (non-2xx after retries, a transport error, an answer that does not decode) is
// the SendResult's Error, never an exception.
//
//   auto client = flw::Client::create(http::make_curl_transport()).value();
//   auto sent = client.send(dispatch, "https://customer.example/webhook");
//   if (sent) follow(sent.value().branch);
//
// Thread-safety: a Client is immutable after construction and thin over a Deliverer (which is
// safe to share); copies share the Deliverer and its transport. send() and send_async() may be
// called from any number of threads at once, and the three protocols' clients may share one
// transport.
// drain() and shutdown() may be called from any thread. Shutting down: each async send ends
// once, delivered or its callback run with an Error (Errc::cancelled when stopped); destroying
// the last copy of the Deliverer (this client's copies included) without drain() cancels what
// is pending, as Deliverer::shutdown() does.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/delivery/send_result.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/flw/answer.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/http/transport.hpp"
#include "chathooks/json.hpp"

namespace chathooks::flw {

/// Sends dispatches and reads their answers.
class CHATHOOKS_API Client {
 public:
  /// A Client over `deliverer` (share one Deliverer per delivery policy). `parse_options`
  /// bounds the decoding of answers.
  explicit Client(delivery::Deliverer deliverer, ParseOptions parse_options = {});

  /// A Client with its own Deliverer over `transport`; the Deliverer's errors
  /// (Errc::invalid_argument for a null transport, Errc::invalid_secret for a bad signing key).
  static Result<Client> create(std::shared_ptr<http::HttpTransport> transport,
                               delivery::DelivererOptions options = {},
                               ParseOptions parse_options = {});

  /// POSTs `dispatch` (compact JSON, `Content-Type: application/json`) to `url`, retrying as
  /// the Deliverer's policy says and waiting on the calling thread, then reads the final
  /// answer (read_answer()).
  delivery::SendResult<Answer> send(const Dispatch& dispatch, std::string url) const;

  /// The same without blocking a thread. `callback` runs exactly once, on the thread
  /// Deliverer::deliver_async() names (a transport or scheduler thread, never inside this call
  /// or DeliveryHandle::cancel()); it should be quick. The dispatch is encoded
  /// before this returns, so `dispatch` need not outlive the call. The handle cancels the
  /// delivery (the result is then Errc::cancelled).
  delivery::DeliveryHandle send_async(const Dispatch& dispatch, std::string url,
                                      delivery::SendCallback<Answer> callback) const;

  /// send_async() with a future instead of a callback (delivery::PendingSend).
  delivery::PendingSend<Answer> send_async(const Dispatch& dispatch, std::string url) const;

  /// Ends this client's asynchronous sends: Deliverer::drain() of its Deliverer (shared with
  /// the copies of this client and with any client built over the same Deliverer, which it
  /// drains too). Returns how many sends it cancelled, each callback run with Errc::cancelled.
  std::size_t drain(std::chrono::steady_clock::time_point deadline) const {
    return deliverer_.drain(deadline);
  }
  /// Deliverer::shutdown() of its Deliverer: cancels every pending send at once.
  std::size_t shutdown() const { return deliverer_.shutdown(); }

  /// The Deliverer in use.
  const delivery::Deliverer& deliverer() const noexcept { return deliverer_; }

 private:
  delivery::Deliverer deliverer_;
  ParseOptions parse_options_;
};

}  // namespace chathooks::flw
