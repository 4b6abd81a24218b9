// What the answer to a Flw chatbot dispatch means, sans-I/O: read_answer() turns an HTTP status
// and body (or a transport failure) into an Answer: the flow the chatbot follows, the contact
// update, metadata and the messages to send, or the Error that says why there is none.
// flw::Client (client.hpp) applies it to what it delivers; a host that sends from its own queue
// applies it to what its transport returned.
//
// The rules (the Flw document: answer HTTP 200 to follow the main success flow, or 200 and
// {"response": KEY} for an alternative one):
// - 2xx with an empty or whitespace-only body: Flow::main, nothing else.
// - 2xx with a Response whose `response` is absent or null: Flow::main, with the Response's
//   contact, metadata and messages.
// - `response` is one of the dispatch's responseKeys: Flow::branch.
// - `response` is a string that is not in responseKeys (or the dispatch has none):
//   Flow::unlisted_branch. Not an error: the webhook answered, and what a flow does with a key
//   it did not offer is the host's decision (the document does not say).
// - Anything else is an Error: a status outside 200-299 (Errc::http_status; 410 is
//   Errc::endpoint_gone), a transport error (its own code), or a body that does not decode as
//   a Response (the decoder's error, JSON Pointer included).
//
// Thread-safety: pure functions over plain values; call them from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/field.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/flw/response.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/json.hpp"

namespace chathooks::flw {

/// Which flow the chatbot follows after the webhook.
enum class Flow {
  main,             ///< The main success flow (no `response` key in the answer).
  branch,           ///< An alternative flow: `response` is one of the dispatch's responseKeys.
  unlisted_branch,  ///< `response` names a key the dispatch did not offer (kept in branch).
};

/// "main", "branch" or "unlisted_branch".
CHATHOOKS_API std::string_view to_string(Flow flow) noexcept;

/// The meaning of one answer to a dispatch.
struct Answer {
  /// The flow taken.
  Flow flow = Flow::main;
  /// The branch (the answer's `response` member), for Flow::branch and Flow::unlisted_branch;
  /// empty for Flow::main.
  std::string branch;
  /// The contact update (`contact` of the answer): absent when the answer had none, null when
  /// it was null. A member absent inside it is left alone, a null one is cleared.
  Field<Contact> contact;
  /// The answer's `metadata`: absent when the answer had none, null when it was null.
  Field<JsonObject> metadata;
  /// The messages to send (`messages`), in order (empty when the answer had none).
  std::vector<OutgoingMessage> messages;
  /// The decoded answer, whole (unknown members included); empty for an empty body.
  std::optional<Response> response;
};

/// The Answer of an answer with HTTP `status` and `body`, for a dispatch that offered
/// `response_keys`. See the header comment for the rules. `options` bounds the decoding of the
/// body.
CHATHOOKS_API Result<Answer> read_answer(const Field<std::vector<std::string>>& response_keys,
                                         int status, std::string_view body,
                                         const ParseOptions& options = {});

/// The same, taking the response keys from `dispatch`.
CHATHOOKS_API Result<Answer> read_answer(const Dispatch& dispatch, int status,
                                         std::string_view body, const ParseOptions& options = {});

/// The same for what a transport returned: a response, or a transport Error (returned as it is).
CHATHOOKS_API Result<Answer> read_answer(const Dispatch& dispatch,
                                         const Result<http::HttpResponse>& response,
                                         const ParseOptions& options = {});

}  // namespace chathooks::flw
