// Problem documents for the receiver's error answers.
#include "receiver/problem_reply.hpp"

#include <string>
#include <utility>

#include "json/writer.hpp"

namespace chathooks::receiver::detail {

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return status < 500 ? "Client Error" : "Server Error";
  }
}

Reply problem_reply(int status, Disposition disposition, Error error, std::string_view detail,
                    bool with_pointer) {
  using chathooks::detail::write_key;
  using chathooks::detail::write_string;
  std::string body = chathooks::detail::write_compact([&](chathooks::detail::Writer& w) {
    w.StartObject();
    write_key(w, "type");
    write_string(w, "about:blank");
    write_key(w, "title");
    write_string(w, reason_phrase(status));
    write_key(w, "status");
    w.Int64(status);
    write_key(w, "detail");
    write_string(w, detail);
    write_key(w, "code");
    write_string(w, to_string(error.code()));
    if (with_pointer) {
      write_key(w, "pointer");
      write_string(w, error.pointer());
    }
    w.EndObject();
  });

  Reply reply;
  reply.response.status = status;
  // The names and values are constants or digits: set() cannot refuse them.
  (void)reply.response.headers.set("Content-Type", "application/problem+json");
  reply.response.body = std::move(body);
  reply.disposition = disposition;
  reply.error = std::move(error);
  return reply;
}

Reply error_reply(int status, Disposition disposition, Error error, bool with_pointer) {
  const std::string message = error.message();
  return problem_reply(status, disposition, std::move(error), message, with_pointer);
}

}  // namespace chathooks::receiver::detail
