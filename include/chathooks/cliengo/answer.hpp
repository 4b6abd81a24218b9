// What the answer to a Cliengo fulfillment call means, sans-I/O: read_answer() turns an HTTP
// status and body (or a transport failure) into an Answer, the Response that overrides what the
// bot knows, says and does, or nothing to override; or the Error that says why there is none.
// cliengo::Client (client.hpp) applies it to what it delivers; a host that sends from its own
// queue applies it to what its transport returned.
//
// The rules (the Cliengo document: every member of the answer is optional):
// - 2xx with an empty or whitespace-only body: no override (Answer::response empty).
// - 2xx with a JSON object: that Response (`{}` is an empty Response, which overrides nothing
//   either).
// - Anything else is an Error: a status outside 200-299 (Errc::http_status; 410 is
//   Errc::endpoint_gone), a transport error (its own code), or a body that does not decode as
//   a Response (the decoder's error, JSON Pointer included).
//
// Thread-safety: pure functions over plain values; call them from any thread.
#pragma once

#include <optional>
#include <string_view>

#include "chathooks/cliengo/response.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/json.hpp"

namespace chathooks::cliengo {

/// The meaning of one answer to the memory Cliengo sent.
struct Answer {
  /// The decoded answer; empty when the webhook answered with an empty body (override nothing).
  std::optional<Response> response;

  /// Whether the answer carries a Response (possibly an empty one).
  bool has_response() const noexcept { return response.has_value(); }
};

/// The Answer of an answer with HTTP `status` and `body`. See the header comment for the rules.
/// `options` bounds the decoding of the body.
CHATHOOKS_API Result<Answer> read_answer(int status, std::string_view body,
                                         const ParseOptions& options = {});

/// The same for what a transport returned: a response, or a transport Error (returned as it is).
CHATHOOKS_API Result<Answer> read_answer(const Result<http::HttpResponse>& response,
                                         const ParseOptions& options = {});

}  // namespace chathooks::cliengo
