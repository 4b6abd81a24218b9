// boticario::Client: an event through the Deliverer; a 2xx is delivered.
#include "chathooks/boticario/client.hpp"

#include <utility>

#include "chathooks/boticario/codec.hpp"
#include "delivery/client_support.hpp"
#include "delivery/json_post.hpp"

namespace chathooks::boticario {

Client::Client(delivery::Deliverer deliverer) : deliverer_(std::move(deliverer)) {}

Result<Client> Client::create(std::shared_ptr<http::HttpTransport> transport,
                              delivery::DelivererOptions options) {
  return delivery::detail::create_client<Client>("boticario", std::move(transport),
                                                 std::move(options));
}

delivery::SendResult<void> Client::send(const Event& event, std::string url) const {
  return deliverer_.deliver(delivery::detail::json_post(std::move(url), encode(event)));
}

delivery::DeliveryHandle Client::send_async(const Event& event, std::string url,
                                            delivery::SendCallback<void> callback) const {
  return deliverer_.deliver_async(delivery::detail::json_post(std::move(url), encode(event)),
                                  std::move(callback));
}

delivery::PendingSend<void> Client::send_async(const Event& event, std::string url) const {
  auto [callback, future] = delivery::detail::promised_callback<void>();
  delivery::DeliveryHandle handle = send_async(event, std::move(url), std::move(callback));
  return delivery::PendingSend<void>{std::move(future), std::move(handle)};
}

}  // namespace chathooks::boticario
