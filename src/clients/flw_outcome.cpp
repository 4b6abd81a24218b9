// interpret_response: what an answer to a Flw dispatch means (rules in flw/outcome.hpp).
#include <algorithm>
#include <string>
#include <utility>

#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/outcome.hpp"
#include "clients/json_post.hpp"

namespace chathooks::flw {

std::string_view to_string(Branch branch) noexcept {
  switch (branch) {
    case Branch::main:
      return "main";
    case Branch::response_key:
      return "response_key";
    case Branch::unlisted_key:
      return "unlisted_key";
    case Branch::failure:
      return "failure";
  }
  return "failure";
}

namespace {

Outcome failure(Error error) {
  Outcome outcome;
  outcome.branch = Branch::failure;
  outcome.error = std::move(error);
  return outcome;
}

Error status_error(int status) {
  // The same codes a Deliverer gives up with, so that a host can treat both alike (410: disable
  // the endpoint).
  if (status == 410) {
    return Error(Errc::endpoint_gone, "the webhook answered HTTP 410 Gone");
  }
  return Error(Errc::http_status, "the webhook answered HTTP " + std::to_string(status));
}

}  // namespace

Outcome interpret_response(const Field<std::vector<std::string>>& response_keys, int status,
                           std::string_view body, const ParseOptions& options) {
  if (status < 200 || status > 299) return failure(status_error(status));

  Outcome outcome;
  outcome.branch = Branch::main;
  if (clients_detail::is_blank(body)) return outcome;

  auto decoded = decode_response(body, options);
  if (!decoded) return failure(std::move(decoded).error());
  Response& response = *decoded;

  if (const std::string* key = response.response.get()) {
    const std::vector<std::string>* offered = response_keys.get();
    const bool listed =
        offered != nullptr && std::find(offered->begin(), offered->end(), *key) != offered->end();
    outcome.branch = listed ? Branch::response_key : Branch::unlisted_key;
    outcome.key = *key;
  }
  outcome.contact = response.contact;
  outcome.metadata = response.metadata;
  if (const auto* messages = response.messages.get()) outcome.messages = *messages;
  outcome.response = std::move(response);
  return outcome;
}

Outcome interpret_response(const Dispatch& dispatch, int status, std::string_view body,
                           const ParseOptions& options) {
  return interpret_response(dispatch.response_keys, status, body, options);
}

Outcome interpret_response(const Dispatch& dispatch, const Result<http::HttpResponse>& outcome,
                           const ParseOptions& options) {
  if (!outcome) return failure(outcome.error());
  return interpret_response(dispatch.response_keys, outcome->status, outcome->body, options);
}

}  // namespace chathooks::flw
