// The checks a request passes before a transport sends anything: the method is an RFC 9110
// token, the URL is an absolute http(s) URL without spaces or control characters (and, through a
// proxy, does not name a guarded address literal), and no header field claims to frame the
// body. Header-only (inline) so that the fuzz target tests/fuzz/fuzz_http_request.cpp reaches it
// in a shared build without the library exporting it. Internal to src/transport (not
// installed); callers link libcurl, whose URL parser this uses.
// Thread-safety: pure functions.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>
#include <string_view>

#include "chathooks/error.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/open_enum.hpp"
#include "http/address_guard.hpp"

namespace chathooks::http::detail {

/// What checking a request learns: where it goes, for connection accounting.
struct RequestTarget {
  /// "scheme://host:port", lower case: the key for per-host connection limits.
  std::string origin;
};

/// The longest method accepted.
inline constexpr std::size_t kMaxMethodLength = 32;

/// `text` with ASCII letters in lower case.
inline std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// Whether `c` is an RFC 9110 token character.
inline bool is_token_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// The method: 1 to kMaxMethodLength token characters, else Errc::invalid_request.
inline Result<void> check_method(std::string_view method) {
  if (method.empty() || method.size() > kMaxMethodLength) {
    return Error(Errc::invalid_request, "HTTP method must be 1 to 32 token characters");
  }
  for (const char c : method) {
    if (!is_token_char(c)) {
      return Error(Errc::invalid_request, "HTTP method holds a character that is not allowed");
    }
  }
  return {};
}

/// No Content-Length or Transfer-Encoding field (the transport computes those from the body),
/// else Errc::invalid_request.
inline Result<void> check_framing_headers(const HttpHeaders& headers) {
  for (const auto& [name, value] : headers) {
    if (chathooks::detail::ascii_iequal(name, "Content-Length") ||
        chathooks::detail::ascii_iequal(name, "Transfer-Encoding")) {
      return Error(Errc::invalid_request,
                   name + " is computed by the transport from the body; do not set it");
    }
  }
  return {};
}

/// The URL: absolute http(s), no byte <= 0x20 or 0x7f, parsed by libcurl (the parser that will
/// send it, so that the check and the transfer cannot disagree); with `literal_guard`, a host
/// that is a guarded address literal is Errc::blocked_destination (through a proxy the
/// transport never sees the address it connects to).
inline Result<RequestTarget> check_url(const std::string& text, bool literal_guard) {
  struct CurlFree {
    void operator()(char* p) const { curl_free(p); }
  };
  struct UrlFree {
    void operator()(CURLU* p) const { curl_url_cleanup(p); }
  };
  using CurlText = std::unique_ptr<char, CurlFree>;

  if (text.empty()) return Error(Errc::invalid_request, "empty URL");
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) {
      return Error(Errc::invalid_request, "URL holds a space or a control character");
    }
  }
  std::unique_ptr<CURLU, UrlFree> url(curl_url());
  if (!url) return Error(Errc::internal, "out of memory parsing URL");
  if (const CURLUcode rc = curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0);
      rc != CURLUE_OK) {
    return Error(Errc::invalid_request, std::string("malformed URL: ") + curl_url_strerror(rc));
  }
  char* raw = nullptr;
  curl_url_get(url.get(), CURLUPART_SCHEME, &raw, 0);
  const CurlText scheme(raw);
  raw = nullptr;
  curl_url_get(url.get(), CURLUPART_HOST, &raw, 0);
  const CurlText host(raw);
  raw = nullptr;
  curl_url_get(url.get(), CURLUPART_PORT, &raw, CURLU_DEFAULT_PORT);
  const CurlText port(raw);
  if (!scheme || !host || !port) return Error(Errc::invalid_request, "URL lacks scheme or host");
  const std::string scheme_text = lower_ascii(scheme.get());
  if (scheme_text != "http" && scheme_text != "https") {
    return Error(Errc::invalid_request, "URL scheme must be http or https");
  }
  if (literal_guard && is_blocked_host_literal(host.get())) {
    return Error(Errc::blocked_destination,
                 std::string("destination ") + host.get() +
                     " is a loopback, private or special-purpose address; set "
                     "allow_private_addresses to allow it");
  }
  return RequestTarget{scheme_text + "://" + lower_ascii(host.get()) + ":" + port.get()};
}

}  // namespace chathooks::http::detail
