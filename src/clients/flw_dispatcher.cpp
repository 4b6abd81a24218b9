// flw::Dispatcher: a dispatch through the Deliverer, the answer through interpret_response.
#include "chathooks/flw/dispatcher.hpp"

#include <utility>

#include "chathooks/flw/codec.hpp"
#include "clients/json_post.hpp"

namespace chathooks::flw {

namespace {

// The final answer of a delivery, interpreted; the delivery itself rides along for logging.
Outcome to_outcome(const Field<std::vector<std::string>>& response_keys,
                   delivery::DeliveryResult result, const ParseOptions& options) {
  Outcome outcome;
  if (result.error) {
    outcome.branch = Branch::failure;
    outcome.error = *result.error;
  } else if (result.response) {
    outcome =
        interpret_response(response_keys, result.response->status, result.response->body, options);
  } else {
    // A Deliverer reports success only with the 2xx it got; anything else is its bug.
    outcome.branch = Branch::failure;
    outcome.error = Error(Errc::internal, "delivered without a response");
  }
  outcome.delivery = std::move(result);
  return outcome;
}

}  // namespace

Dispatcher::Dispatcher(delivery::Deliverer deliverer, ParseOptions parse_options)
    : deliverer_(std::move(deliverer)), parse_options_(parse_options) {}

Result<Dispatcher> Dispatcher::create(std::shared_ptr<http::HttpTransport> transport,
                                      delivery::DelivererOptions options,
                                      ParseOptions parse_options) {
  auto deliverer = delivery::Deliverer::create(std::move(transport), std::move(options));
  if (!deliverer) return std::move(deliverer).error();
  return Dispatcher(std::move(deliverer).value(), parse_options);
}

Outcome Dispatcher::dispatch(const Dispatch& dispatch, std::string url) const {
  auto result = deliverer_.deliver(clients_detail::json_post(std::move(url), encode(dispatch)));
  return to_outcome(dispatch.response_keys, std::move(result), parse_options_);
}

delivery::DeliveryHandle Dispatcher::dispatch_async(const Dispatch& dispatch, std::string url,
                                                    OutcomeCallback callback) const {
  // Only the response keys are needed to interpret the answer: keep them, not the dispatch.
  return deliverer_.deliver_async(
      clients_detail::json_post(std::move(url), encode(dispatch)),
      [keys = dispatch.response_keys, options = parse_options_,
       callback = std::move(callback)](delivery::DeliveryResult result) {
        if (callback) callback(to_outcome(keys, std::move(result), options));
      });
}

}  // namespace chathooks::flw
