// cliengo::FulfillmentClient: the chatbot memory through the Deliverer, the answer decoded.
#include "chathooks/cliengo/fulfillment_client.hpp"

#include <utility>

#include "chathooks/cliengo/codec.hpp"
#include "clients/json_post.hpp"

namespace chathooks::cliengo {

namespace {

FulfillmentResult to_result(delivery::DeliveryResult delivery, const ParseOptions& options) {
  FulfillmentResult result;
  if (delivery.error) {
    result.error = *delivery.error;
  } else if (!delivery.response) {
    // A Deliverer reports success only with the 2xx it got; anything else is its bug.
    result.error = Error(Errc::internal, "delivered without a response");
  } else {
    auto answer = decode_answer(delivery.response->body, options);
    if (answer) {
      result.response = std::move(answer).value();
    } else {
      result.error = std::move(answer).error();
    }
  }
  result.delivery = std::move(delivery);
  return result;
}

}  // namespace

Result<std::optional<Response>> decode_answer(std::string_view body, const ParseOptions& options) {
  if (clients_detail::is_blank(body)) return std::optional<Response>();
  auto decoded = decode_response(body, options);
  if (!decoded) return std::move(decoded).error();
  return std::optional<Response>(std::move(decoded).value());
}

FulfillmentClient::FulfillmentClient(delivery::Deliverer deliverer, ParseOptions parse_options)
    : deliverer_(std::move(deliverer)), parse_options_(parse_options) {}

Result<FulfillmentClient> FulfillmentClient::create(std::shared_ptr<http::HttpTransport> transport,
                                                    delivery::DelivererOptions options,
                                                    ParseOptions parse_options) {
  auto deliverer = delivery::Deliverer::create(std::move(transport), std::move(options));
  if (!deliverer) return std::move(deliverer).error();
  return FulfillmentClient(std::move(deliverer).value(), parse_options);
}

FulfillmentResult FulfillmentClient::call(const Request& request, std::string url) const {
  return to_result(deliverer_.deliver(clients_detail::json_post(std::move(url), encode(request))),
                   parse_options_);
}

delivery::DeliveryHandle FulfillmentClient::call_async(const Request& request, std::string url,
                                                       FulfillmentCallback callback) const {
  return deliverer_.deliver_async(
      clients_detail::json_post(std::move(url), encode(request)),
      [options = parse_options_, callback = std::move(callback)](delivery::DeliveryResult result) {
        if (callback) callback(to_result(std::move(result), options));
      });
}

}  // namespace chathooks::cliengo
