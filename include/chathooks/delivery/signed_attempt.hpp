// The attempt-level signing hook of delivery: puts the Standard Webhooks headers on one attempt
// of a request. The Deliverer calls it before every attempt; hosts that send from their own
// durable queue call it themselves, with the message id they stored when they enqueued.
// Thread-safety: free functions over the caller's objects; a Signer may be shared.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/signing/signer.hpp"

namespace chathooks::delivery {

/// The message id of `request`: its `webhook-id` header if it has a non-empty one, otherwise a
/// new signing::new_message_id(), which is then set as the header. Call it once per message,
/// before the first attempt, so that every retry carries the same id and the receiver can
/// deduplicate.
CHATHOOKS_API std::string ensure_message_id(http::HttpRequest& request);

/// Sets, replacing any earlier values, `webhook-id` to `message_id`, `webhook-timestamp` to
/// `now` in whole Unix seconds (rounded down), and `webhook-signature` to
/// signer.sign(message_id, timestamp, request.body) over the exact body bytes. Call it before
/// each attempt: the timestamp must be fresh, since receivers refuse old ones.
/// Errc::invalid_request if `message_id` cannot be a header value (CR, LF or NUL); then the request
/// is unchanged.
CHATHOOKS_API Result<void> sign_attempt(http::HttpRequest& request, const signing::Signer& signer,
                                        std::string_view message_id,
                                        std::chrono::system_clock::time_point now);

}  // namespace chathooks::delivery
