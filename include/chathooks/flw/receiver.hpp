// The receiving side of the Flw chatbot webhook: a receiver::Receiver that decodes each
// dispatch, hands it to the host's handler and answers with the handler's Response as Flw reads
// it (200 with JSON: the branch key, contact update, metadata, messages). The answer is checked
// against the dispatch (check_response) and the findings are in Reply::problems.
//
//   auto receiver = flw::make_receiver(
//       [](const flw::Dispatch& dispatch, const receiver::Delivery&)
//           -> receiver::HandlerResult<flw::Response> {
//         return flw::ResponseBuilder().branch("CLIENTE_EXISTE").text("Olá!").build();
//       },
//       {receiver::allow_unauthenticated()}).value();
//   receiver::Reply reply = receiver.handle(request);  // write reply.response back
//
// Deduplication key: "flw:" + the `webhook-id` header. A request without one is not
// deduplicated: a dispatch holds no id of its own.
// Thread-safety: see receiver/receiver.hpp; the handler must be thread-safe.
#pragma once

#include <functional>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/flw/response.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks::flw {

/// The host's code for one dispatch: the Response to send, or a Refusal.
using DispatchHandler =
    std::function<receiver::HandlerResult<Response>(const Dispatch&, const receiver::Delivery&)>;

/// A receiver of Flw dispatches. Errc::invalid_argument when `handler` is empty,
/// options.authenticator is null, options.max_body_bytes is 0 or options.dedupe_window is not
/// positive.
CHATHOOKS_API Result<receiver::Receiver> make_receiver(DispatchHandler handler,
                                                       receiver::ReceiverOptions options);

}  // namespace chathooks::flw
