// The JSON POST the protocol clients send.
#include "delivery/json_post.hpp"

#include <string>
#include <utility>

namespace chathooks::delivery::detail {

http::HttpRequest json_post(std::string url, std::string body) {
  http::HttpRequest request;
  request.method = "POST";
  request.url = std::move(url);
  request.body = std::move(body);
  // Constant, valid fields: set() cannot refuse them.
  (void)request.headers.set("Content-Type", "application/json");
  (void)request.headers.set("Accept", "application/json");
  return request;
}

bool is_blank(std::string_view body) noexcept {
  for (const char c : body) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

Error status_error(int status) {
  if (status == 410) return Error(Errc::endpoint_gone, "the webhook answered HTTP 410 Gone");
  return Error(Errc::http_status, "the webhook answered HTTP " + std::to_string(status));
}

}  // namespace chathooks::delivery::detail
