// The receiving side of the Cliengo new-message fulfillment webhook: a receiver::Receiver that
// decodes the chatbot's memory, hands it to the host's handler and answers with the handler's
// Response (200 with JSON: what the bot says and does next). A Response with nothing set is
// sent as `{}`, which overrides nothing. The answer is checked (check_response) and the
// findings are in receiver::Reply::problems.
//
//   auto receiver = cliengo::make_receiver(
//       [](const cliengo::Memory& memory, const receiver::Delivery&)
//           -> receiver::HandlerResult<cliengo::Response> {
//         return cliengo::ResponseBuilder().say("Hola!").build();
//       },
//       {receiver::allow_unauthenticated()}).value();
//
// Deduplication key: "cliengo:" + the `webhook-id` header. A request without one is not
// deduplicated.
// Thread-safety: see receiver/receiver.hpp; the handler must be thread-safe.
#pragma once

#include <functional>

#include "chathooks/cliengo/memory.hpp"
#include "chathooks/cliengo/response.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks::cliengo {

/// The host's code for one fulfillment request: the Response to send, or a Refusal.
using MemoryHandler =
    std::function<receiver::HandlerResult<Response>(const Memory&, const receiver::Delivery&)>;

/// A receiver of Cliengo fulfillment requests. Errc::invalid_argument when `handler` is empty,
/// options.authenticator is null, options.max_body_bytes is 0 or options.dedupe_window is not
/// positive.
CHATHOOKS_API Result<receiver::Receiver> make_receiver(MemoryHandler handler,
                                                       receiver::ReceiverOptions options);

}  // namespace chathooks::cliengo
