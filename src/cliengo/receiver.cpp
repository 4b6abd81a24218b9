// cliengo::make_receiver: the chatbot's memory in, the handler's Response out.
#include "chathooks/cliengo/receiver.hpp"

#include "chathooks/cliengo/codec.hpp"
#include "chathooks/cliengo/response_builder.hpp"
#include "receiver/typed_receiver.hpp"

namespace chathooks::cliengo {
namespace {

receiver::detail::EncodedAnswer encode_answer(const Memory&, const Response& response) {
  return {"application/json", encode(response), check_response(response)};
}

}  // namespace

Result<receiver::Receiver> make_receiver(MemoryHandler handler, receiver::ReceiverOptions options) {
  receiver::detail::ProtocolSteps<Memory, Response> steps;
  steps.name = "cliengo";
  steps.decode = decode_memory;
  steps.encode = encode_answer;
  return receiver::detail::make_typed_receiver(std::move(steps), std::move(handler),
                                               std::move(options));
}

}  // namespace chathooks::cliengo
