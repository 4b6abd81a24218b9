// What the answer to a Flw chatbot dispatch means, sans-I/O: read_answer() turns an HTTP status
// and body (or a transport failure) into an Answer: the flow the chatbot follows, the contact
// update, metadata and the messages to send, or the Error that says why there is none.
// flw::Client (client.hpp) applies it to what it delivers; a host that sends from its own queue
// applies it to what its transport returned.
//
// The rules (the Flw document: answer HTTP 200 to follow the main success flow, or 200 and
// {"response": KEY} for an alternative one):
// - 2xx with an empty or whitespace-only body: Flow::main, nothing else, no warning.
// - 2xx with a body that is not JSON (`OK`, a truncated document, bytes that are not UTF-8:
//   Errc::syntax or Errc::invalid_utf8 from the parser), or JSON that is not an
//   object (`null`, `[]`, `"text"`, `5`): Flow::main, nothing else, and one warning with an
//   empty pointer that says which ("the answer's body is an array, not an object: the main
//   flow follows").
// - 2xx with a Response, decoded tolerantly whatever ParseOptions::mode says
//   (DecodeMode::tolerant): a known member of an unexpected type or format is kept as it came
//   in `response` (its Field is_unreadable()) and named in `warnings`; the rest of the answer
//   counts. `response` absent, null or unreadable: Flow::main, with the Response's contact,
//   metadata and messages.
// - `response` is one of the dispatch's responseKeys: Flow::branch.
// - `response` is a string that is not in responseKeys (or the dispatch has none):
//   Flow::unlisted_branch. Not an error: the webhook answered, and what a flow does with a key
//   it did not offer is the host's decision (the document does not say).
// - Anything else is an Error: a status outside 200-299 (Errc::http_status; 410 is
//   Errc::endpoint_gone; whatever the body), a transport error (its own code), or a 2xx body
//   that breaks a limit of `options` (Errc::too_large, too_deep), names a member twice
//   (Errc::duplicate_key, unless `options` allows it) or holds a number the parser cannot read
//   (Errc::number_out_of_range): the decoder's error, JSON Pointer included.
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
  /// The decoded answer, whole (unknown members included, members kept as they came too);
  /// empty for an empty body and for a body that is not a JSON object.
  std::optional<Response> response;
  /// What was wrong with an answer that was read anyway: each member the tolerant decode kept
  /// as it came (its JSON Pointer and why: `{"/response", "expected string, got number"}`), or
  /// one warning with an empty pointer for a body that is not a JSON object (see the header
  /// comment). Empty for a well-formed answer. Log these: the webhook's answer is off.
  std::vector<DecodeWarning> warnings;
};

/// The Answer of an answer with HTTP `status` and `body`, for a dispatch that offered
/// `response_keys`. See the header comment for the rules. `options` bounds the decoding of the
/// body (its limits and duplicate-key policy; the decode is tolerant whatever its `mode`).
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
