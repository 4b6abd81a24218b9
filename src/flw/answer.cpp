// read_answer: what an answer to a Flw dispatch means (rules in chathooks/flw/answer.hpp).
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chathooks/flw/answer.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/json.hpp"
#include "delivery/json_post.hpp"

namespace chathooks::flw {

std::string_view to_string(Flow flow) noexcept {
  switch (flow) {
    case Flow::main:
      return "main";
    case Flow::branch:
      return "branch";
    case Flow::unlisted_branch:
      return "unlisted_branch";
  }
  return "main";
}

namespace {

// "an array", "null", ...: what a JSON root that is not an object is, for a warning.
std::string_view json_kind(const Json& value) noexcept {
  switch (value.type()) {
    case Json::Type::null:
      return "null";
    case Json::Type::boolean:
      return "a boolean";
    case Json::Type::int64:
    case Json::Type::uint64:
    case Json::Type::double_:
      return "a number";
    case Json::Type::string:
      return "a string";
    case Json::Type::array:
      return "an array";
    case Json::Type::object:
      break;
  }
  return "an object";
}

// The reason of the warning for a 2xx body that is not a JSON object, or nullopt when `error`
// (the decoder's) is about something else: a limit, a duplicate member, an unreadable number.
std::optional<std::string> not_an_object(std::string_view body, const ParseOptions& options,
                                         const Error& error) {
  if (error.code() == Errc::syntax || error.code() == Errc::invalid_utf8)
    return "the answer's body is not JSON (" + error.message() + "): the main flow follows";
  // The decoder refuses a root that is not an object with type_mismatch at the root, as soon as
  // it sees the root's first token; parse it whole (only on this path) to say what it is.
  if (error.code() != Errc::type_mismatch || !error.pointer().empty()) return std::nullopt;
  const auto root = Json::parse(body, options);
  if (root) {
    if (root->is_object()) return std::nullopt;
    return "the answer's body is " + std::string(json_kind(*root)) +
           ", not an object: the main flow follows";
  }
  const Error& parse_error = root.error();
  if (parse_error.code() == Errc::syntax || parse_error.code() == Errc::invalid_utf8)
    return "the answer's body is not JSON (" + parse_error.message() + "): the main flow follows";
  // Past a limit (an array nested too deep), yet certainly not an object.
  return "the answer's body is not an object (" + error.message() + "; " + parse_error.message() +
         "): the main flow follows";
}

}  // namespace

Result<Answer> read_answer(const Field<std::vector<std::string>>& response_keys, int status,
                           std::string_view body, const ParseOptions& options) {
  if (status < 200 || status > 299) return delivery::detail::status_error(status);

  Answer answer;
  answer.flow = Flow::main;
  if (delivery::detail::is_blank(body)) return answer;

  // Tolerant whatever options.mode says: an answer with one off-type member still tells the
  // chatbot where to go, and the member is kept as it came and named in answer.warnings.
  ParseOptions tolerant = options;
  tolerant.mode = DecodeMode::tolerant;
  std::vector<DecodeWarning> warnings;
  auto decoded = decode_response(body, tolerant, &warnings);
  if (!decoded) {
    // HTTP 200 follows the main flow (the Flw document); a body that says nothing readable
    // does not change that.
    auto reason = not_an_object(body, tolerant, decoded.error());
    if (!reason) return std::move(decoded).error();
    answer.warnings.push_back(DecodeWarning{std::string(), std::move(*reason)});
    return answer;
  }
  Response& response = *decoded;
  answer.warnings = std::move(warnings);

  if (const std::string* key = response.branch.get()) {
    const std::vector<std::string>* offered = response_keys.get();
    const bool listed =
        offered != nullptr && std::find(offered->begin(), offered->end(), *key) != offered->end();
    answer.flow = listed ? Flow::branch : Flow::unlisted_branch;
    answer.branch = *key;
  }
  answer.contact = response.contact;
  answer.metadata = response.metadata;
  if (const auto* messages = response.messages.get()) answer.messages = *messages;
  answer.response = std::move(response);
  return answer;
}

Result<Answer> read_answer(const Dispatch& dispatch, int status, std::string_view body,
                           const ParseOptions& options) {
  return read_answer(dispatch.response_keys, status, body, options);
}

Result<Answer> read_answer(const Dispatch& dispatch, const Result<http::HttpResponse>& response,
                           const ParseOptions& options) {
  if (!response) return response.error();
  return read_answer(dispatch.response_keys, response->status, response->body, options);
}

}  // namespace chathooks::flw
