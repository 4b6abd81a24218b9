// cliengo::Client: the chatbot memory through the Deliverer, the answer through read_answer().
#include "chathooks/cliengo/client.hpp"

#include <utility>

#include "chathooks/cliengo/codec.hpp"
#include "delivery/client_support.hpp"
#include "delivery/json_post.hpp"

namespace chathooks::cliengo {

namespace {

delivery::SendResult<Answer> to_result(delivery::SendResult<void> sent,
                                       const ParseOptions& options) {
  return delivery::detail::read_delivered<Answer>(
      std::move(sent), [&](const http::HttpResponse& response) {
        return read_answer(response.status, response.body, options);
      });
}

}  // namespace

Client::Client(delivery::Deliverer deliverer, ParseOptions parse_options)
    : deliverer_(std::move(deliverer)), parse_options_(parse_options) {}

Result<Client> Client::create(std::shared_ptr<http::HttpTransport> transport,
                              delivery::DelivererOptions options, ParseOptions parse_options) {
  return delivery::detail::create_client<Client>("cliengo", std::move(transport),
                                                 std::move(options), parse_options);
}

delivery::SendResult<Answer> Client::send(const Memory& memory, std::string url) const {
  return to_result(deliverer_.deliver(delivery::detail::json_post(std::move(url), encode(memory))),
                   parse_options_);
}

delivery::DeliveryHandle Client::send_async(const Memory& memory, std::string url,
                                            delivery::SendCallback<Answer> callback) const {
  return deliverer_.deliver_async(
      delivery::detail::json_post(std::move(url), encode(memory)),
      [options = parse_options_, callback = std::move(callback)](delivery::SendResult<void> sent) {
        if (callback) callback(to_result(std::move(sent), options));
      });
}

delivery::PendingSend<Answer> Client::send_async(const Memory& memory, std::string url) const {
  auto [callback, future] = delivery::detail::promised_callback<Answer>();
  delivery::DeliveryHandle handle = send_async(memory, std::move(url), std::move(callback));
  return delivery::PendingSend<Answer>{std::move(future), std::move(handle)};
}

}  // namespace chathooks::cliengo
