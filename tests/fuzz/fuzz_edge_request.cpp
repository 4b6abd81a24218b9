// Fuzz target: the chathooks::beast edge's request framing (chathooks/beast/framing.hpp's
// parse_request(), the same parser settings and checks as a connection), over raw bytes as a
// client would send them. Small limits (2 KiB of header, 16 fields, 1 KiB of body) so that the
// 431 and 413 paths are reached with small inputs. Every input must give a complete request,
// "incomplete" or a refusal, and:
// - a refusal has a status from 400 to 599 and a non-empty reason;
// - a complete request has a method, a target, at most 16 fields with non-empty names, a body
//   of at most the body limit, no Content-Length beside Transfer-Encoding and no
//   Transfer-Encoding other than `chunked` (what the edge promises its receivers);
// - parsing the same bytes twice gives the same outcome;
// - the bytes cut at an arbitrary point (as a read may end on a connection): when the first
//   part alone is complete, the whole is the same request (later bytes belong to the next
//   one); when the first part alone is refused, the whole is refused with the same status.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "chathooks/beast/edge_options.hpp"
#include "chathooks/beast/framing.hpp"
#include "fuzz_support.hpp"

namespace {

namespace edge = chathooks::beast_adapter;
using chathooks_fuzz::require;

constexpr std::size_t kBodyLimit = 1024;

edge::EdgeOptions fuzz_options() {
  edge::EdgeOptions options;
  options.max_header_bytes = 2048;
  options.max_header_fields = 16;
  return options;
}

bool same_request(const chathooks::receiver::Request& a, const chathooks::receiver::Request& b) {
  if (a.method != b.method || a.body != b.body || a.headers.size() != b.headers.size())
    return false;
  auto left = a.headers.begin();
  auto right = b.headers.begin();
  for (; left != a.headers.end(); ++left, ++right) {
    if (left->first != right->first || left->second != right->second) return false;
  }
  return true;
}

bool same_outcome(const edge::ParsedRequest& a, const edge::ParsedRequest& b) {
  if (a.outcome.index() != b.outcome.index() || a.target != b.target) return false;
  if (const auto* refusal = std::get_if<edge::EdgeRefusal>(&a.outcome)) {
    const auto& other = std::get<edge::EdgeRefusal>(b.outcome);
    return refusal->status == other.status && refusal->code == other.code &&
           refusal->detail == other.detail;
  }
  if (const auto* request = std::get_if<chathooks::receiver::Request>(&a.outcome))
    return same_request(*request, std::get<chathooks::receiver::Request>(b.outcome));
  return true;
}

void check_single(const edge::ParsedRequest& parsed, const edge::EdgeOptions& options,
                  std::string_view input) {
  if (const auto* refusal = std::get_if<edge::EdgeRefusal>(&parsed.outcome)) {
    require(refusal->status >= 400 && refusal->status <= 599, "a refusal's status is not 4xx/5xx",
            input);
    require(!refusal->detail.empty(), "a refusal without a reason", input);
    return;
  }
  const auto* request = std::get_if<chathooks::receiver::Request>(&parsed.outcome);
  if (request == nullptr) return;  // incomplete
  require(!request->method.empty(), "a complete request without a method", input);
  require(!parsed.target.empty(), "a complete request without a target", input);
  require(request->body.size() <= kBodyLimit, "a body larger than the limit was accepted", input);
  require(request->headers.size() <= options.max_header_fields,
          "more header fields than the limit were accepted", input);
  bool length = false;
  bool encoding = false;
  for (const auto& [name, value] : request->headers) {
    require(!name.empty(), "a header field without a name", input);
    if (edge::detail::iequal(name, "content-length")) length = true;
    if (edge::detail::iequal(name, "transfer-encoding")) {
      encoding = true;
      require(edge::detail::iequal(edge::detail::trim(value), "chunked"),
              "a Transfer-Encoding other than chunked was accepted", input);
    }
  }
  require(!(length && encoding), "Content-Length and Transfer-Encoding together were accepted",
          input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = chathooks_fuzz::as_text(data, size);
  const edge::EdgeOptions options = fuzz_options();

  const edge::ParsedRequest parsed = edge::parse_request(input, options, kBodyLimit);
  check_single(parsed, options, input);
  require(same_outcome(parsed, edge::parse_request(input, options, kBodyLimit)),
          "the same bytes parsed twice gave different outcomes", input);

  // An arbitrary cut, from the input itself so that the fuzzer can steer it.
  if (size == 0) return 0;
  const std::size_t cut = (static_cast<std::size_t>(data[size - 1]) * 257 + size) % size;
  const edge::ParsedRequest first = edge::parse_request(input.substr(0, cut), options, kBodyLimit);
  check_single(first, options, input);
  if (std::holds_alternative<chathooks::receiver::Request>(first.outcome)) {
    require(same_outcome(first, parsed), "a complete request changed with the bytes after it",
            input);
  } else if (const auto* refusal = std::get_if<edge::EdgeRefusal>(&first.outcome)) {
    const auto* whole = std::get_if<edge::EdgeRefusal>(&parsed.outcome);
    require(whole != nullptr && whole->status == refusal->status,
            "a request refused on its first bytes was not refused the same way whole", input);
  }
  return 0;
}
