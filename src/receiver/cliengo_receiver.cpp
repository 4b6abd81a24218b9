// cliengo::make_receiver: the chatbot's memory in, the handler's Response out.
#include "chathooks/cliengo/receiver.hpp"

#include "chathooks/cliengo/codec.hpp"
#include "chathooks/cliengo/response_builder.hpp"
#include "typed_receiver.hpp"

namespace chathooks::cliengo {
namespace {

receiver::EncodedAnswer encode_answer(const Request&, const Response& response) {
  return {"application/json", encode(response), check_response(response)};
}

}  // namespace

Result<receiver::Receiver> make_receiver(FulfillmentHandler handler,
                                         receiver::ReceiverOptions options) {
  receiver::ProtocolSteps<Request, Response> steps;
  steps.name = "cliengo";
  steps.decode = decode_request;
  steps.encode = encode_answer;
  return receiver::make_typed_receiver(std::move(steps), std::move(handler), std::move(options));
}

}  // namespace chathooks::cliengo
