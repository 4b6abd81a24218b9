// flw::Client: a dispatch through the Deliverer, the answer through read_answer().
#include "chathooks/flw/client.hpp"

#include <utility>

#include "chathooks/flw/codec.hpp"
#include "delivery/client_support.hpp"
#include "delivery/json_post.hpp"

namespace chathooks::flw {

namespace {

// The final answer of a delivery, read; the delivery itself rides along for logging.
delivery::SendResult<Answer> to_result(const Field<std::vector<std::string>>& response_keys,
                                       delivery::SendResult<void> sent,
                                       const ParseOptions& options) {
  return delivery::detail::read_delivered<Answer>(
      std::move(sent), [&](const http::HttpResponse& response) {
        return read_answer(response_keys, response.status, response.body, options);
      });
}

}  // namespace

Client::Client(delivery::Deliverer deliverer, ParseOptions parse_options)
    : deliverer_(std::move(deliverer)), parse_options_(parse_options) {}

Result<Client> Client::create(std::shared_ptr<http::HttpTransport> transport,
                              delivery::DelivererOptions options, ParseOptions parse_options) {
  return delivery::detail::create_client<Client>("flw", std::move(transport), std::move(options),
                                                 parse_options);
}

delivery::SendResult<Answer> Client::send(const Dispatch& dispatch, std::string url) const {
  auto sent = deliverer_.deliver(delivery::detail::json_post(std::move(url), encode(dispatch)));
  return to_result(dispatch.response_keys, std::move(sent), parse_options_);
}

delivery::DeliveryHandle Client::send_async(const Dispatch& dispatch, std::string url,
                                            delivery::SendCallback<Answer> callback) const {
  // Only the response keys are needed to read the answer: keep them, not the dispatch.
  return deliverer_.deliver_async(
      delivery::detail::json_post(std::move(url), encode(dispatch)),
      [keys = dispatch.response_keys, options = parse_options_,
       callback = std::move(callback)](delivery::SendResult<void> sent) {
        if (callback) callback(to_result(keys, std::move(sent), options));
      });
}

delivery::PendingSend<Answer> Client::send_async(const Dispatch& dispatch, std::string url) const {
  auto [callback, future] = delivery::detail::promised_callback<Answer>();
  delivery::DeliveryHandle handle = send_async(dispatch, std::move(url), std::move(callback));
  return delivery::PendingSend<Answer>{std::move(future), std::move(handle)};
}

}  // namespace chathooks::flw
