// The framing checks of RFC 9112 section 6, shared by every receiver and by the HTTP edges.
#include "receiver/framing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "chathooks/open_enum.hpp"
#include "chathooks/receiver/edge_refusal.hpp"
#include "receiver/problem_reply.hpp"

namespace chathooks::receiver::detail {
namespace {

constexpr bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view text) noexcept {
  while (!text.empty() && is_ows(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ows(text.back())) text.remove_suffix(1);
  return text;
}

// The elements of a comma-separated field value, each trimmed (empty ones kept).
std::vector<std::string_view> list_elements(std::string_view value) {
  std::vector<std::string_view> elements;
  for (;;) {
    const std::size_t comma = value.find(',');
    elements.push_back(trim_ows(value.substr(0, comma)));
    if (comma == std::string_view::npos) return elements;
    value.remove_prefix(comma + 1);
  }
}

// A header value as a problem's detail quotes it: its first 40 bytes, those outside printable
// ASCII as \xNN (so the detail stays valid UTF-8 whatever the sender wrote).
std::string quoted(std::string_view value) {
  constexpr std::size_t kMax = 40;
  std::string text = "\"";
  for (const char c : value.substr(0, kMax)) {
    if (c >= 0x20 && c < 0x7f)
      text += c;
    else
      text += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
  }
  text += value.size() > kMax ? "...\"" : "\"";
  return text;
}

}  // namespace

Reply bad_framing(std::string detail, int status) {
  return error_reply(status, Disposition::rejected, Error(Errc::protocol, std::move(detail)));
}

namespace {

// RFC 9112 section 6.1: Transfer-Encoding, present. Exactly one field holding `chunked` alone
// passes; anything else is refused, so that every host (and cpp-httplib, which looks at the
// first field's whole value) reads the same body.
std::optional<Reply> check_transfer_encoding(const Request& request) {
  if (const std::size_t fields = request.header_count("Transfer-Encoding"); fields > 1)
    return bad_framing(fmt::format("Transfer-Encoding appears {} times; send one field", fields));
  const std::string_view value = *request.header("Transfer-Encoding");
  const auto codings = list_elements(value);
  for (const auto coding : codings)
    if (coding.empty())
      return bad_framing(fmt::format("Transfer-Encoding {} has an empty element", quoted(value)));
  if (!chathooks::detail::ascii_iequal(codings.back(), "chunked"))
    return bad_framing(fmt::format(
        "Transfer-Encoding {} does not end with chunked, so the body's length cannot be known",
        quoted(value)));
  for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
    if (chathooks::detail::ascii_iequal(codings[i], "chunked"))
      return bad_framing(
          fmt::format("Transfer-Encoding {} applies chunked more than once", quoted(value)));
  }
  if (codings.size() > 1)
    return bad_framing(fmt::format("the transfer coding {} is not implemented; only chunked is",
                                   quoted(codings.front())),
                       501);
  return std::nullopt;
}

// RFC 9112 section 6.3: every Content-Length field, and every element of a field's list, is
// digits and names the same length. `length` gets it (saturated at SIZE_MAX: over any cap).
std::optional<Reply> check_content_length(const Request& request,
                                          std::optional<std::size_t>& length) {
  std::string_view first;  // the first value's digits without leading zeros
  for (const auto& [name, value] : request.headers) {
    if (!chathooks::detail::ascii_iequal(name, "Content-Length")) continue;
    for (const auto element : list_elements(value)) {
      const bool digits =
          !element.empty() &&
          std::all_of(element.begin(), element.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits)
        return bad_framing(fmt::format("Content-Length {} is not a number of bytes (digits only)",
                                       quoted(element)));
      std::string_view significant = element;
      while (significant.size() > 1 && significant.front() == '0') significant.remove_prefix(1);
      if (!length) {
        first = significant;
        std::size_t n = 0;
        for (const char c : significant) {
          const auto digit = static_cast<std::size_t>(c - '0');
          n = n > (SIZE_MAX - digit) / 10 ? SIZE_MAX : n * 10 + digit;
        }
        length = n;
      } else if (significant != first) {
        return bad_framing(fmt::format("Content-Length has two different values, {} and {}",
                                       quoted(first), quoted(significant)));
      }
    }
  }
  return std::nullopt;
}

}  // namespace

// RFC 9112 section 6: how the body is framed. `length` gets the Content-Length, if any.
std::optional<Reply> check_framing(const Request& request, std::optional<std::size_t>& length) {
  const bool has_length = request.header("Content-Length").has_value();
  const bool has_coding = request.header("Transfer-Encoding").has_value();
  if (has_length && has_coding)
    return bad_framing(
        "Content-Length and Transfer-Encoding are both present, so the body's length is "
        "ambiguous");
  if (has_coding) return check_transfer_encoding(request);
  return check_content_length(request, length);
}

}  // namespace chathooks::receiver::detail

namespace chathooks::receiver {

std::optional<Reply> framing_refusal(const Request& head) {
  std::optional<std::size_t> length;
  return detail::check_framing(head, length);
}

}  // namespace chathooks::receiver
