// Fuzz target: what is checked before a request is sent, without sending anything. The input
// is lines (fuzz_support.hpp's split_fields): the method, the URL, then header fields
// "name:value" up to an empty line, then a body. Checks, against simple oracles written here:
// - HttpHeaders::validate accepts exactly a non-empty token name and a value without CR, LF or
//   NUL, and set()/add() store exactly what validate accepts (nothing changes otherwise);
// - the transport's method check (src/http/request_check.hpp) accepts exactly 1 to 32
//   token characters, and its framing check refuses exactly Content-Length and
//   Transfer-Encoding in any case;
// - an accepted URL holds no space or control byte and gives a lower-case http(s) origin, and
//   the proxy literal guard only ever adds Errc::blocked_destination.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/http/message.hpp"
#include "fuzz_support.hpp"
#include "http/request_check.hpp"

namespace {

using chathooks::Errc;
using chathooks::http::HttpHeaders;
using chathooks_fuzz::require;

bool is_tchar(char c) {
  static constexpr std::string_view kOthers = "!#$%&'*+-.^_`|~";
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         kOthers.find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

bool is_field_value(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  return out;
}

// One header line through validate, add and set.
void check_field(HttpHeaders& headers, std::string_view name, std::string_view value) {
  const bool valid = is_token(name) && is_field_value(value);
  require(HttpHeaders::validate(name, value).ok() == valid, "validate() disagrees with RFC 9110",
          std::string(name) + ": " + std::string(value));

  const std::size_t before = headers.size();
  const auto added = headers.add(std::string(name), std::string(value));
  require(added.ok() == valid, "add() disagrees with validate()", name);
  require(headers.size() == before + (valid ? 1 : 0), "add() changed the wrong number of fields",
          name);
  if (!valid) return;
  const auto all = headers.get_all(lower(name));
  require(!all.empty() && all.back() == value, "add() did not append the value", name);

  HttpHeaders copy = headers;
  require(copy.set(std::string(name), std::string(value)).ok(), "set() refused a valid field",
          name);
  require(copy.get_all(name) == std::vector<std::string>{std::string(value)},
          "set() did not leave exactly one field", name);
  copy.remove(name);
  require(!copy.contains(name), "remove() left a field", name);
}

void check_url(const std::string& url) {
  namespace detail = chathooks::http::detail;
  const auto open = detail::check_url(url, false);
  const auto guarded = detail::check_url(url, true);
  if (!open) {
    require(!guarded.ok(), "the literal guard accepted a URL refused without it", url);
    return;
  }
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    require(u > 0x20 && u != 0x7f, "a URL with a space or control byte was accepted", url);
  }
  const std::string& origin = open->origin;
  require(origin.rfind("http://", 0) == 0 || origin.rfind("https://", 0) == 0,
          "an accepted URL's origin is not http(s)", origin);
  require(origin == lower(origin), "an origin is not lower case", origin);
  if (guarded) {
    require(guarded->origin == origin, "the literal guard changed the origin", url);
  } else {
    require(guarded.error().code() == Errc::blocked_destination,
            "the literal guard failed with another code", url);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace detail = chathooks::http::detail;
  const auto fields = chathooks_fuzz::split_fields(chathooks_fuzz::as_text(data, size), 3);
  const std::string_view method = fields[0];
  const std::string url(fields[1]);
  std::string_view rest = fields[2];

  require(detail::check_method(method).ok() == (is_token(method) && method.size() <= 32),
          "check_method disagrees with RFC 9110", method);
  check_url(url);

  HttpHeaders headers;
  bool framing = false;
  while (!rest.empty()) {
    const auto line_fields = chathooks_fuzz::split_fields(rest, 2);
    const std::string_view line = line_fields[0];
    rest = line_fields[1];
    if (line.empty()) break;
    const auto colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    const std::string_view value =
        colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    check_field(headers, name, value);
    if (HttpHeaders::validate(name, value).ok()) {
      const std::string n = lower(name);
      framing = framing || n == "content-length" || n == "transfer-encoding";
    }
  }
  require(detail::check_framing_headers(headers).ok() == !framing,
          "check_framing_headers disagrees on Content-Length / Transfer-Encoding");
  // The body as one header value: refused exactly when it holds CR, LF or NUL.
  require(HttpHeaders::validate("X-Body", rest).ok() == is_field_value(rest),
          "validate() misjudged a value", rest);
  return 0;
}
