// The receiving side of the Grupo Boticario webhook: a receiver::Receiver that decodes each
// event (a message, a delivery status, or a type no document lists, kept whole), hands it to the
// host's handler and acknowledges it with 200 and an empty body.
//
//   auto receiver = boticario::make_receiver(
//       [](const boticario::Event& event, const receiver::Delivery&)
//           -> receiver::HandlerResult<void> {
//         if (auto* message = std::get_if<boticario::MessageEvent>(&event)) store(*message);
//         return {};
//       },
//       {receiver::allow_unauthenticated()}).value();
//
// Deduplication key: "boticario:" + the `webhook-id` header when the request has one; otherwise
// "boticario:" + `event.messageId` + the event's type and status. The type and status are part
// of the key because the document's examples give one message's incoming event and its
// sent/delivered/read status events the same `event.messageId`: keyed on the id alone, the
// status events would be taken for duplicates. An event without `event.messageId` and without
// `webhook-id` is not deduplicated.
// Thread-safety: see receiver/receiver.hpp; the handler must be thread-safe.
#pragma once

#include <functional>

#include "chathooks/boticario/event.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks::boticario {

/// The host's code for one event: `return {};` acknowledges it, a Refusal refuses it.
using EventHandler =
    std::function<receiver::HandlerResult<void>(const Event&, const receiver::Delivery&)>;

/// A receiver of Boticario events. Errc::invalid_argument when `handler` is empty,
/// options.authenticator is null, options.max_body_bytes is 0 or options.dedupe_window is not
/// positive.
CHATHOOKS_API Result<receiver::Receiver> make_receiver(EventHandler handler,
                                                       receiver::ReceiverOptions options);

}  // namespace chathooks::boticario
