// HTTP messages as plain values: the request a transport sends and the response it returns.
// HttpHeaders keeps header fields in order, looks names up case-insensitively and allows a name
// more than once. It refuses, at insertion, any name that is not an RFC 9110 token and any value
// holding CR, LF or NUL, so a header can never smuggle a second header or a second request.
// Thread-safety: plain values; distinct objects may be used from distinct threads freely, one
// object needs external synchronisation if one thread writes it while another reads it.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"

/// HTTP as the SDK uses it: request and response values, the HttpTransport interface every
/// client sends through, the libcurl implementation (CurlTransport) and a test double
/// (FakeTransport).
namespace chathooks::http {

/// Ordered HTTP header fields with case-insensitive names. Every entry it holds is valid: set()
/// and add() check the name and value and return Errc::invalid_request instead of storing them.
class CHATHOOKS_API HttpHeaders {
 public:
  /// One header field: name (as given) and value.
  using Entry = std::pair<std::string, std::string>;
  /// Iterates the fields in order, read-only (changes go through set() and add(), which check).
  using const_iterator = std::vector<Entry>::const_iterator;

  /// Checks a field without storing it: the name must be a non-empty token (letters, digits and
  /// the symbols ! # $ % & ' * + - . ^ _ | ~ and backquote), the value must not contain CR, LF or
  /// NUL. Errc::invalid_request, saying which rule failed, otherwise.
  [[nodiscard]] static Result<void> validate(std::string_view name, std::string_view value);

  /// Replaces every field named `name` (any case) with one field, placed where the first one
  /// was (or at the end). On an invalid field nothing changes.
  [[nodiscard]] Result<void> set(std::string name, std::string value);
  /// Appends a field, keeping existing ones of the same name. On an invalid field nothing
  /// changes.
  [[nodiscard]] Result<void> add(std::string name, std::string value);

  /// The value of the first field named `name` (any case), if any.
  std::optional<std::string> get(std::string_view name) const;
  /// The values of every field named `name`, in order.
  std::vector<std::string> get_all(std::string_view name) const;
  /// Whether a field named `name` exists.
  bool contains(std::string_view name) const;
  /// Removes every field named `name`; returns how many were removed.
  std::size_t remove(std::string_view name);
  /// Removes every field.
  void clear() noexcept { entries_.clear(); }

  /// How many fields (a repeated name counts each time).
  std::size_t size() const noexcept { return entries_.size(); }
  /// Whether there are no fields.
  bool empty() const noexcept { return entries_.empty(); }
  /// The first field, in insertion (or received) order.
  const_iterator begin() const noexcept { return entries_.begin(); }
  /// Past the last field.
  const_iterator end() const noexcept { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
};

/// What a transport sends. The body is sent as is; set Content-Type in `headers`.
/// Header fields are checked when added (HttpHeaders); the method and URL are checked when the
/// request is sent: a method that is not a token, a URL that is not absolute http(s) or holds
/// spaces or control characters, or a Content-Length or Transfer-Encoding field (the transport
/// computes those from the body) fail with Errc::invalid_request before anything is sent.
struct HttpRequest {
  /// The method: a token such as "POST", "PUT" or "GET".
  std::string method = "POST";
  /// An absolute http:// or https:// URL.
  std::string url;
  /// Header fields to send in addition to the ones the transport adds (User-Agent can be
  /// overridden here).
  HttpHeaders headers;
  /// The request body (may be empty).
  std::string body;
  /// Total time allowed for this request; 0 means the transport's default.
  std::chrono::milliseconds timeout{0};
};

/// What a server answered. Any status, 4xx and 5xx included, is a response, not an error.
struct HttpResponse {
  /// The HTTP status code, e.g. 200 or 404.
  int status = 0;
  /// The response's header fields, in the order received.
  HttpHeaders headers;
  /// The response body (never larger than the transport's cap).
  std::string body;
};

}  // namespace chathooks::http
