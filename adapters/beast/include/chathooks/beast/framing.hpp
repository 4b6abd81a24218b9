// How the chathooks::beast edge judges a request's framing: which parse failures and header
// shapes it refuses, with which status and which precise reason, and the conversion of a
// parsed header into a chathooks receiver::Request. Beast's parser already refuses most bad
// framing (RFC 9112 §6.3); these functions add what it lets through (a Transfer-Encoding the
// receivers refuse, too many fields) and say what exactly was wrong, from the raw header bytes
// when the parser stopped inside them. parse_request() runs the whole check on bytes in memory:
// the edge's fuzz target and tests use it. Header-only.
// Thread-safety: pure functions.
#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "chathooks/beast/edge_options.hpp"
#include "chathooks/error.hpp"
#include "chathooks/receiver/edge_refusal.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks::beast_adapter {

/// A request the edge answers itself, without a receiver: status, Errc and reason.
struct EdgeRefusal {
  int status = 400;                                  ///< the HTTP status to answer with
  chathooks::Errc code = chathooks::Errc::protocol;  ///< why, for receiver::edge_refusal()
  std::string detail;                                ///< what exactly was wrong, for the sender
};

namespace detail {

inline bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

inline std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A client's value, quoted for a reason: at most 40 printable ASCII characters.
inline std::string quoted(std::string_view value) {
  std::string out = "'";
  for (std::size_t i = 0; i < value.size() && i < 40; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    out += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
  }
  if (value.size() > 40) out += "...";
  return out + "'";
}

inline bool all_digits(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// The reason Beast refused a Content-Length or Transfer-Encoding field, found again in the raw
// header (Beast reports only "bad Content-Length"). `head` is what was received of the header.
inline std::string length_fields_reason(std::string_view head, bool transfer_encoding_error) {
  std::vector<std::string_view> lengths;
  std::size_t encodings = 0;
  std::size_t line_start = head.find('\n');  // skips the request line
  while (line_start != std::string_view::npos && line_start + 1 < head.size()) {
    const std::size_t begin = line_start + 1;
    std::size_t end = head.find('\n', begin);
    std::string_view line = head.substr(begin, end == std::string_view::npos ? end : end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the end of the header
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      const std::string_view name = line.substr(0, colon);
      const std::string_view value = trim(line.substr(colon + 1));
      if (iequal(name, "content-length")) {
        // A list ("5, 5") is one value per element.
        std::size_t from = 0;
        while (from <= value.size()) {
          const std::size_t comma = value.find(',', from);
          lengths.push_back(
              trim(value.substr(from, comma == std::string_view::npos ? comma : comma - from)));
          if (comma == std::string_view::npos) break;
          from = comma + 1;
        }
      } else if (iequal(name, "transfer-encoding")) {
        ++encodings;
      }
    }
    line_start = end;
  }
  if (!lengths.empty() && encodings > 0)
    return "Content-Length and Transfer-Encoding together: the body's length is ambiguous "
           "(RFC 9112 section 6.3)";
  // Beast reads "007" as 7: compare the values as numbers, without their leading zeros.
  const auto number = [](std::string_view value) {
    const std::size_t first = value.find_first_not_of('0');
    return first == std::string_view::npos ? std::string_view("0") : value.substr(first);
  };
  for (const std::string_view value : lengths) {
    if (!all_digits(value)) return "Content-Length " + quoted(value) + " is not a number of bytes";
    if (number(value).size() > 19) return "Content-Length " + quoted(value) + " is too large";
  }
  for (const std::string_view value : lengths) {
    if (number(value) != number(lengths.front()))
      return "two different Content-Length values, " + quoted(lengths.front()) + " and " +
             quoted(value) + " (RFC 9112 section 6.3)";
  }
  if (encodings > 1) return "Transfer-Encoding given more than once";
  return transfer_encoding_error ? "the Transfer-Encoding header is not valid"
                                 : "the Content-Length header is not valid";
}

}  // namespace detail

/// The refusal for a parse failure `ec` of the request parser; `head` is the bytes received and
/// not yet consumed (the header, when the failure is in it).
inline EdgeRefusal refusal_for(const boost::beast::error_code& ec, std::string_view head,
                               const EdgeOptions& options) {
  namespace http = boost::beast::http;
  using chathooks::Errc;
  if (ec == http::error::header_limit)
    return {
        431, Errc::too_large,
        "the request header is larger than " + std::to_string(options.max_header_bytes) + " bytes"};
  if (ec == http::error::body_limit)
    return {413, Errc::payload_too_large, "the request body is larger than the receiver accepts"};
  if (ec == http::error::bad_content_length)
    return {400, Errc::protocol, detail::length_fields_reason(head, false)};
  if (ec == http::error::bad_transfer_encoding)
    return {400, Errc::protocol, detail::length_fields_reason(head, true)};
  if (ec == http::error::bad_chunk)
    return {400, Errc::protocol, "the chunked body has a chunk size line that is not valid"};
  if (ec == http::error::bad_chunk_extension)
    return {400, Errc::protocol, "the chunked body has a chunk extension that is not valid"};
  if (ec == http::error::bad_line_ending)
    return {400, Errc::protocol, "a line of the request does not end in CRLF"};
  if (ec == http::error::bad_method)
    return {400, Errc::protocol, "the request method is not a valid token"};
  if (ec == http::error::bad_target)
    return {400, Errc::protocol, "the request target is not valid"};
  if (ec == http::error::bad_version)
    return {400, Errc::protocol, "the HTTP version is not valid (HTTP/1.0 and HTTP/1.1 are)"};
  if (ec == http::error::bad_field)
    return {400, Errc::protocol, "a header field name is not valid"};
  if (ec == http::error::bad_value)
    return {400, Errc::protocol, "a header field value is not valid"};
  if (ec == http::error::bad_obs_fold)
    return {400, Errc::protocol, "a header field is folded over lines (obsolete, not accepted)"};
  if (ec == http::error::partial_message)
    return {400, Errc::protocol, "the connection ended before the request was complete"};
  return {400, Errc::protocol, "the request could not be parsed: " + ec.message()};
}

/// Whether the header at the start of `bytes` (up to its blank line) folds a field over lines
/// (obs-fold: a line that begins with SP or HTAB). Beast 1.74 never reports
/// http::error::bad_obs_fold: it accepts a fold and joins the lines with a space, so
/// "Transfer-Encoding:\r\n chunked" was read as chunked. RFC 9112 section 5.2 lets a server
/// either do that or refuse with 400; the edge refuses, so that no proxy in front of it that reads
/// the fold differently can disagree with it about a field such as Transfer-Encoding.
inline bool has_obs_fold(std::string_view bytes) noexcept {
  const std::string_view head = bytes.substr(0, bytes.find("\r\n\r\n"));
  for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;
       at = head.find("\r\n", at + 2)) {
    if (at + 2 < head.size() && (head[at + 2] == ' ' || head[at + 2] == '\t')) return true;
  }
  return false;
}

/// What the parser accepts but the edge refuses, checked once the header is parsed: too many
/// fields (431), and a Transfer-Encoding the receivers refuse (receiver::framing_refusal(): 400
/// when it does not end with `chunked`, since the body's end is then unknown; 501 for a coding
/// before `chunked`, which the edge does not decode). One rule for every server in front of a
/// receiver: the edge applies it before any body byte is read.
template <class Fields>
std::optional<EdgeRefusal> check_header(const Fields& fields, const EdgeOptions& options) {
  std::size_t count = 0;
  chathooks::receiver::Request framing;  // the Transfer-Encoding fields, when there are any
  for (const auto& field : fields) {
    ++count;
    if (field.name() == boost::beast::http::field::transfer_encoding)
      framing.headers.emplace_back("Transfer-Encoding",
                                   std::string(field.value().data(), field.value().size()));
  }
  if (count > options.max_header_fields)
    return EdgeRefusal{431, chathooks::Errc::too_large,
                       "the request has more than " + std::to_string(options.max_header_fields) +
                           " header fields"};
  if (framing.headers.empty()) return std::nullopt;
  if (auto refused = chathooks::receiver::framing_refusal(framing)) {
    return EdgeRefusal{refused->response.status,
                       refused->error ? refused->error->code() : chathooks::Errc::protocol,
                       refused->error ? refused->error->message() : "bad framing"};
  }
  return std::nullopt;
}

/// The receiver's view of a parsed header: method, every field as received, peer address.
template <class Header>
chathooks::receiver::Request to_request_head(const Header& header, std::string remote_address) {
  chathooks::receiver::Request request;
  request.method.assign(header.method_string().data(), header.method_string().size());
  request.headers.reserve(16);
  for (const auto& field : header) {
    request.headers.emplace_back(
        std::string(field.name_string().data(), field.name_string().size()),
        std::string(field.value().data(), field.value().size()));
  }
  request.remote_address = std::move(remote_address);
  return request;
}

/// Whether the request asks for `100 Continue` before it sends its body.
template <class Fields>
bool expects_continue(const Fields& fields) {
  const auto expect = fields.find(boost::beast::http::field::expect);
  if (expect == fields.end()) return false;
  return detail::iequal(
      detail::trim(std::string_view(expect->value().data(), expect->value().size())),
      "100-continue");
}

/// The outcome of parse_request(): a request the receiver may see, a refusal, or "the bytes
/// end before the request does".
struct ParsedRequest {
  /// Nothing yet (incomplete), the complete request, or the refusal.
  std::variant<std::monostate, chathooks::receiver::Request, EdgeRefusal> outcome;
  /// The request target (path and query) when the header was parsed.
  std::string target;
  /// Whether the bytes ended before the request did.
  bool incomplete() const noexcept { return outcome.index() == 0; }
};

/// Parses one request from `bytes` exactly as the edge does on a connection (same parser
/// settings, same checks), with `body_limit` as the body cap. For tests and fuzzing.
inline ParsedRequest parse_request(std::string_view bytes, const EdgeOptions& options,
                                   std::size_t body_limit) {
  namespace http = boost::beast::http;
  ParsedRequest result;
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  // As on a connection, the header alone first (no body cap, not eager), so that its checks
  // come before anything the body holds; then the body, eagerly, under `body_limit`. (Parsing
  // eagerly from the start refused "Transfer-Encoding: gzip, chunked" with a bad chunk as 400
  // or 501 depending on how much of the body was there; found by fuzz_edge_request.)
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  boost::beast::error_code ec;
  std::string_view rest = bytes;
  // The fields as the header ended, as a connection takes them: a chunked body's trailer
  // fields, which Beast appends to the same container, are not the request's (with them a
  // request could carry more fields than max_header_fields; found by fuzz_edge_request).
  std::optional<chathooks::receiver::Request> head;
  while (!parser.is_done()) {
    const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    // The parser wants more bytes than remain: the request is incomplete, once the header (if
    // it was parsed) has had its checks, as on a connection.
    const bool need_more = ec == http::error::need_more;
    if (need_more) ec = {};
    if (ec) {
      result.outcome = refusal_for(ec, rest, options);
      return result;
    }
    rest.remove_prefix(used);
    if (parser.is_header_done() && result.target.empty()) {
      const auto target = parser.get().target();
      result.target.assign(target.data(), target.size());
      if (result.target.empty()) result.target = "/";
      if (has_obs_fold(bytes)) {
        result.outcome = refusal_for(http::error::bad_obs_fold, {}, options);
        return result;
      }
      if (auto refused = check_header(parser.get(), options)) {
        result.outcome = std::move(*refused);
        return result;
      }
      head = to_request_head(parser.get(), "");
      const auto length = parser.content_length();
      if (length && *length > body_limit) {
        result.outcome = refusal_for(http::error::body_limit, {}, options);
        return result;
      }
      parser.body_limit(body_limit);
      parser.eager(true);
    }
    // After need_more Beast expects more input: put() again on the same bytes breaks its
    // contract (parse_chunk_header's assertions fail when a chunked body stops inside its
    // trailer; found by fuzz_edge_request).
    if (need_more || (used == 0 && !parser.is_done())) return result;
  }
  chathooks::receiver::Request request =
      head ? std::move(*head) : to_request_head(parser.get(), "");
  request.body = std::move(parser.get().body());
  result.outcome = std::move(request);
  return result;
}

}  // namespace chathooks::beast_adapter
