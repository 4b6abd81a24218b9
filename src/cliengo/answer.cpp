// read_answer: what an answer to a Cliengo fulfillment call means (rules in
// chathooks/cliengo/answer.hpp).
#include "chathooks/cliengo/answer.hpp"

#include <string>
#include <utility>

#include "chathooks/cliengo/codec.hpp"
#include "delivery/json_post.hpp"

namespace chathooks::cliengo {

Result<Answer> read_answer(int status, std::string_view body, const ParseOptions& options) {
  if (status < 200 || status > 299) return delivery::detail::status_error(status);
  Answer answer;
  if (delivery::detail::is_blank(body)) return answer;
  auto decoded = decode_response(body, options);
  if (!decoded) return std::move(decoded).error();
  answer.response = std::move(decoded).value();
  return answer;
}

Result<Answer> read_answer(const Result<http::HttpResponse>& response,
                           const ParseOptions& options) {
  if (!response) return response.error();
  return read_answer(response->status, response->body, options);
}

}  // namespace chathooks::cliengo
