// flw::make_receiver: Flw dispatches in, the handler's Response out, checked against the
// dispatch it answers.
#include "chathooks/flw/receiver.hpp"

#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "receiver/typed_receiver.hpp"

namespace chathooks::flw {
namespace {

receiver::detail::EncodedAnswer encode_answer(const Dispatch& dispatch, const Response& response) {
  return {"application/json", encode(response), check_response(response, &dispatch)};
}

}  // namespace

Result<receiver::Receiver> make_receiver(DispatchHandler handler,
                                         receiver::ReceiverOptions options) {
  receiver::detail::ProtocolSteps<Dispatch, Response> steps;
  steps.name = "flw";
  steps.decode = decode_dispatch;
  steps.encode = encode_answer;
  return receiver::detail::make_typed_receiver(std::move(steps), std::move(handler),
                                               std::move(options));
}

}  // namespace chathooks::flw
