// read_answer: what an answer to a Flw dispatch means (rules in chathooks/flw/answer.hpp).
#include <algorithm>
#include <string>
#include <utility>

#include "chathooks/flw/answer.hpp"
#include "chathooks/flw/codec.hpp"
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

Result<Answer> read_answer(const Field<std::vector<std::string>>& response_keys, int status,
                           std::string_view body, const ParseOptions& options) {
  if (status < 200 || status > 299) return delivery::detail::status_error(status);

  Answer answer;
  answer.flow = Flow::main;
  if (delivery::detail::is_blank(body)) return answer;

  auto decoded = decode_response(body, options);
  if (!decoded) return std::move(decoded).error();
  Response& response = *decoded;

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
