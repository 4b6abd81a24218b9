// What the three protocol clients (flw, boticario, cliengo) share beyond the JSON POST: making
// one over its own Deliverer, and turning a finished delivery into the protocol's SendResult.
// Private to the library. Thread-safety: pure functions.
#pragma once

#include <memory>
#include <utility>

#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/delivery/send_result.hpp"
#include "chathooks/error.hpp"
#include "chathooks/http/transport.hpp"

namespace chathooks::delivery::detail {

/// `Client(Deliverer, extra...)` over a new Deliverer for `transport`, or the Deliverer's error.
/// The Deliverer's label is `protocol` unless the options name one.
template <class Client, class... Extra>
Result<Client> create_client(const char* protocol, std::shared_ptr<http::HttpTransport> transport,
                             DelivererOptions options, Extra&&... extra) {
  if (options.label.empty()) options.label = protocol;
  auto deliverer = Deliverer::create(std::move(transport), std::move(options));
  if (!deliverer) return std::move(deliverer).error();
  return Client(std::move(deliverer).value(), std::forward<Extra>(extra)...);
}

/// The protocol's result for a finished delivery: its error when not delivered, else what
/// `read(const http::HttpResponse&)` makes of the 2xx answer. The record rides along.
template <class T, class Read>
SendResult<T> read_delivered(SendResult<void> sent, Read&& read) {
  if (!sent.ok()) return SendResult<T>{Result<T>(sent.error()), std::move(sent.delivery)};
  if (!sent.delivery.response) {
    // A Deliverer reports success only with the 2xx it got; anything else is its bug.
    return SendResult<T>{Result<T>(Error(Errc::internal, "delivered without a response")),
                         std::move(sent.delivery)};
  }
  Result<T> answer = read(*sent.delivery.response);
  return SendResult<T>{std::move(answer), std::move(sent.delivery)};
}

}  // namespace chathooks::delivery::detail
