// The sending side of the Grupo Boticario instant-message webhook: POSTs an event (a message,
// a delivery status, or an event of a type no document lists) to the integrator's URL through a
// delivery::Deliverer (retries, Standard Webhooks signing, any HttpTransport). A 2xx means
// delivered; the protocol gives the answer's body no meaning, so the result holds no value (the
// body is in SendResult::delivery.response). A 410 ends with Errc::endpoint_gone, so the host
// can disable the endpoint.
//
//   auto client = boticario::Client::create(http::make_curl_transport()).value();
//   auto sent = client.send(event, "https://integrator.example/events");
//   if (!sent) log(sent.error().to_string());
//
// Thread-safety: a Client is immutable after construction and thin over a Deliverer (which is
// safe to share); copies share it. send() and send_async() may be called from any number of
// threads at once, and the three protocols' clients may share one transport.
// drain() and shutdown() may be called from any thread. Shutting down: each async send ends
// once, delivered or its callback run with an Error (Errc::cancelled when stopped); destroying
// the last copy of the Deliverer (this client's copies included) without drain() cancels what
// is pending, as Deliverer::shutdown() does.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "chathooks/boticario/event.hpp"
#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/delivery/send_result.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/transport.hpp"

namespace chathooks::boticario {

/// Sends events.
class CHATHOOKS_API Client {
 public:
  /// A client over `deliverer` (share one Deliverer per delivery policy).
  explicit Client(delivery::Deliverer deliverer);

  /// A client with its own Deliverer over `transport`; the Deliverer's errors
  /// (Errc::invalid_argument for a null transport, Errc::invalid_secret for a bad signing key).
  static Result<Client> create(std::shared_ptr<http::HttpTransport> transport,
                               delivery::DelivererOptions options = {});

  /// POSTs `event` (compact JSON, `Content-Type: application/json`) to `url`, retrying as the
  /// Deliverer's policy says and waiting on the calling thread. ok() when the receiver answered
  /// 2xx.
  delivery::SendResult<void> send(const Event& event, std::string url) const;

  /// The same without blocking a thread; `callback` runs exactly once, on the thread
  /// Deliverer::deliver_async() names, and should be quick. The event is encoded before this
  /// returns. The handle cancels the delivery (the result is then Errc::cancelled).
  delivery::DeliveryHandle send_async(const Event& event, std::string url,
                                      delivery::SendCallback<void> callback) const;

  /// send_async() with a future instead of a callback (delivery::PendingSend).
  delivery::PendingSend<void> send_async(const Event& event, std::string url) const;

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
};

}  // namespace chathooks::boticario
