// What the answer to a Flw chatbot dispatch means, sans-I/O: interpret_response() turns an HTTP
// status and body (or a transport failure) into an Outcome: the branch the flow takes, the
// contact update, metadata and the messages to send. flw::Dispatcher (dispatcher.hpp) applies it
// to what it delivers; a host that sends from its own queue applies it to what its transport
// returned. to_json() gives the Outcome's documented JSON form (what `chathooks send` prints).
//
// The rules (the Flw document: answer HTTP 200 to follow the main success flow, or 200 and
// {"response": KEY} for an alternative one):
// - 2xx with an empty or whitespace-only body: Branch::main, nothing else.
// - 2xx with a Response whose `response` is absent or null: Branch::main, with the Response's
//   contact, metadata and messages.
// - `response` is one of the dispatch's responseKeys: Branch::response_key.
// - `response` is a string that is not in responseKeys (or the dispatch has none):
//   Branch::unlisted_key. Not an error: the webhook answered, and what a flow does with a key
//   it did not offer is the host's decision (the document does not say).
// - Anything else is Branch::failure with the reason in Outcome::error: a status outside
//   200-299 (Errc::http_status; 410 is Errc::endpoint_gone), a transport error (its own code),
//   or a body that does not decode as a Response (the decoder's error, JSON Pointer included).
//
// Thread-safety: pure functions over plain values; call them from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/field.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/flw/response.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/json.hpp"

namespace chathooks::flw {

/// Which way the chatbot flow goes after the webhook.
enum class Branch {
  main,          ///< The main success flow (no `response` key in the answer).
  response_key,  ///< An alternative flow: `response` is one of the dispatch's responseKeys.
  unlisted_key,  ///< `response` names a key the dispatch did not offer (kept in Outcome::key).
  failure,       ///< The webhook failed: Outcome::error says why.
};

/// "main", "response_key", "unlisted_key" or "failure" (the `branch` member of to_json()).
CHATHOOKS_API std::string_view to_string(Branch branch) noexcept;

/// The meaning of one answer to a dispatch.
struct Outcome {
  /// The branch taken.
  Branch branch = Branch::failure;
  /// The response key, for Branch::response_key and Branch::unlisted_key; empty otherwise.
  std::string key;
  /// The contact update (`contact` of the answer): absent when the answer had none, null when
  /// it was null. A member absent inside it is left alone, a null one is cleared.
  Field<Contact> contact;
  /// The answer's `metadata`: absent when the answer had none, null when it was null.
  Field<JsonObject> metadata;
  /// The messages to send, in order (empty when the answer had none).
  std::vector<OutgoingMessage> messages;
  /// The decoded answer, whole (unknown members included); empty for an empty body and for a
  /// failure.
  std::optional<Response> response;
  /// Why, for Branch::failure; empty otherwise.
  std::optional<Error> error;
  /// The delivery (every attempt, for logging) when the Outcome came from flw::Dispatcher;
  /// empty from interpret_response().
  std::optional<delivery::DeliveryResult> delivery;

  /// Whether the webhook answered usably (any branch but failure).
  bool ok() const noexcept { return branch != Branch::failure; }
};

/// The Outcome of an answer with HTTP `status` and `body`, for a dispatch that offered
/// `response_keys`. See the header comment for the rules. `options` bounds the decoding of the
/// body.
CHATHOOKS_API Outcome interpret_response(const Field<std::vector<std::string>>& response_keys,
                                         int status, std::string_view body,
                                         const ParseOptions& options = {});

/// The same, taking the response keys from `dispatch`.
CHATHOOKS_API Outcome interpret_response(const Dispatch& dispatch, int status,
                                         std::string_view body, const ParseOptions& options = {});

/// The same for what a transport returned: a response, or a transport Error (Branch::failure
/// with that error).
CHATHOOKS_API Outcome interpret_response(const Dispatch& dispatch,
                                         const Result<http::HttpResponse>& outcome,
                                         const ParseOptions& options = {});

/// The Outcome as one line of compact JSON, members in this order:
///   {"branch":"response_key","response":"CLIENTE_EXISTE","contact":{...},"metadata":{...},
///    "messages":[...]}
/// - `branch`: to_string(branch).
/// - `response`: the key (response_key, unlisted_key) or null (main, failure).
/// - `contact`, `metadata`: only when the answer had them (null when they were null), as the
///   Flw codec encodes them (unknown members kept).
/// - `messages`: always, possibly [].
/// - `error`: only for failure, as {"code":"<Errc name>","message":"...","pointer":"..."}.
/// The delivery attempts are not included (log them from Outcome::delivery).
CHATHOOKS_API std::string to_json(const Outcome& outcome);

}  // namespace chathooks::flw
