// boticario::EventSender: an event through the Deliverer; a 2xx is delivered.
#include "chathooks/boticario/event_sender.hpp"

#include <utility>

#include "chathooks/boticario/codec.hpp"
#include "clients/json_post.hpp"

namespace chathooks::boticario {

EventSender::EventSender(delivery::Deliverer deliverer) : deliverer_(std::move(deliverer)) {}

Result<EventSender> EventSender::create(std::shared_ptr<http::HttpTransport> transport,
                                        delivery::DelivererOptions options) {
  auto deliverer = delivery::Deliverer::create(std::move(transport), std::move(options));
  if (!deliverer) return std::move(deliverer).error();
  return EventSender(std::move(deliverer).value());
}

delivery::DeliveryResult EventSender::send(const Event& event, std::string url) const {
  return deliverer_.deliver(clients_detail::json_post(std::move(url), encode(event)));
}

delivery::DeliveryHandle EventSender::send_async(const Event& event, std::string url,
                                                 delivery::DeliveryCallback callback) const {
  return deliverer_.deliver_async(clients_detail::json_post(std::move(url), encode(event)),
                                  std::move(callback));
}

}  // namespace chathooks::boticario
