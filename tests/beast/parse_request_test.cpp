// chathooks::beast_adapter::parse_request() on bytes in memory, without sockets: complete
// requests (Content-Length, chunked, fields and target kept), incomplete ones (a header or body
// cut short) and refusals with the edge's status and reason (conflicting or invalid
// Content-Length, Content-Length with Transfer-Encoding, unknown transfer codings, a body over
// the cap, header size and field count, obs-fold, bad chunks); also refusal_for() on errors.
#include <string>
#include <variant>

#include "catch.hpp"
#include "chathooks/beast/framing.hpp"

namespace edge = chathooks::beast_adapter;

namespace {

edge::EdgeOptions options() {
  edge::EdgeOptions o;
  o.max_header_bytes = 1024;
  o.max_header_fields = 10;
  return o;
}

edge::ParsedRequest parse(const std::string& bytes, std::size_t body_limit = 100) {
  return edge::parse_request(bytes, options(), body_limit);
}

// The refusal parse_request() made, or a 0-status one when it made none.
edge::EdgeRefusal refusal(const edge::ParsedRequest& parsed) {
  const auto* refused = std::get_if<edge::EdgeRefusal>(&parsed.outcome);
  return refused != nullptr ? *refused : edge::EdgeRefusal{0, chathooks::Errc::internal, ""};
}

const std::string kHead = "POST /hook?x=1 HTTP/1.1\r\nHost: h\r\n";

}  // namespace

TEST_CASE("parse_request: complete requests give the receiver's Request") {
  SECTION("Content-Length") {
    const auto parsed = parse(kHead + "Content-Length: 2\r\nX-A: b\r\n\r\n{}");
    const auto* request = std::get_if<chathooks::receiver::Request>(&parsed.outcome);
    REQUIRE(request != nullptr);
    CHECK(parsed.target == "/hook?x=1");
    CHECK(request->method == "POST");
    CHECK(request->body == "{}");
    CHECK(request->header("x-a") == std::optional<std::string_view>("b"));
  }
  SECTION("chunked, in two chunks") {
    const auto parsed =
        parse(kHead + "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n1;ext=1\r\n}\r\n0\r\n\r\n");
    const auto* request = std::get_if<chathooks::receiver::Request>(&parsed.outcome);
    REQUIRE(request != nullptr);
    CHECK(request->body == "{}");
  }
  SECTION("no body") {
    const auto parsed = parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    REQUIRE(std::holds_alternative<chathooks::receiver::Request>(parsed.outcome));
    CHECK(parsed.target == "/");
  }
  SECTION("equal duplicate Content-Length") {
    const auto parsed = parse(kHead + "Content-Length: 2\r\nContent-Length: 02\r\n\r\n{}");
    REQUIRE(std::holds_alternative<chathooks::receiver::Request>(parsed.outcome));
  }
}

TEST_CASE("parse_request: bytes that end before the request does are incomplete") {
  CHECK(parse("").incomplete());
  CHECK(parse(kHead).incomplete());
  CHECK(parse(kHead + "Content-Length: 5\r\n\r\n{}").incomplete());
  CHECK(parse(kHead + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n").incomplete());
}

TEST_CASE("parse_request: framing that is refused and the reason") {
  using chathooks::Errc;
  struct Case {
    std::string bytes;
    int status;
    Errc code;
    std::string detail;
  };
  const std::string both =
      "Content-Length and Transfer-Encoding together: the body's length is "
      "ambiguous (RFC 9112 section 6.3)";
  const std::vector<Case> cases = {
      {kHead + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400, Errc::protocol,
       "two different Content-Length values, '2' and '3' (RFC 9112 section 6.3)"},
      {kHead + "Content-Length: -1\r\n\r\n", 400, Errc::protocol,
       "Content-Length '-1' is not a number of bytes"},
      {kHead + "Content-Length: 0x10\r\n\r\n", 400, Errc::protocol,
       "Content-Length '0x10' is not a number of bytes"},
      {kHead + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", 400, Errc::protocol,
       both},
      {kHead + "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n", 400, Errc::protocol,
       both},
      {kHead + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
       Errc::protocol, "Transfer-Encoding given more than once"},
      {kHead + "Transfer-Encoding: gzip\r\n\r\n", 400, Errc::protocol,
       "Transfer-Encoding \"gzip\" does not end with chunked, so the body's length cannot be "
       "known"},
      {kHead + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501, Errc::protocol,
       "the transfer coding \"gzip\" is not implemented; only chunked is"},
      {kHead + "Content-Length: 101\r\n\r\n", 413, Errc::payload_too_large,
       "the request body is larger than the receiver accepts"},
      {kHead + "X-Big: " + std::string(2000, 'a') + "\r\n\r\n", 431, Errc::too_large,
       "the request header is larger than 1024 bytes"},
      {kHead + std::string("A: 1\r\nB: 1\r\nC: 1\r\nD: 1\r\nE: 1\r\nF: 1\r\nG: 1\r\nH: 1\r\n") +
           "I: 1\r\nJ: 1\r\n\r\n",
       431, Errc::too_large, "the request has more than 10 header fields"},
      {kHead + "X-A: one\r\n two\r\nContent-Length: 0\r\n\r\n", 400, Errc::protocol,
       "a header field is folded over lines (obsolete, not accepted)"},
      {kHead + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\nzz\r\n", 400, Errc::protocol,
       "the chunked body has a chunk size line that is not valid"},
      {"POST /hook HTTP/1.1\r\nHost: h\nX: y\r\n\r\n", 400, Errc::protocol,
       "a header field value is not valid"},
      {"POST /hook HTTP/3\r\nHost: h\r\n\r\n", 400, Errc::protocol,
       "the HTTP version is not valid (HTTP/1.0 and HTTP/1.1 are)"},
  };
  for (const Case& c : cases) {
    INFO(c.bytes.substr(0, 200));
    const edge::EdgeRefusal got = refusal(parse(c.bytes));
    CHECK(got.status == c.status);
    CHECK(got.code == c.code);
    CHECK(got.detail == c.detail);
  }
}

TEST_CASE("parse_request: a chunked body over the cap is 413") {
  const std::string body(150, 'a');
  const auto got =
      refusal(parse(kHead + "Transfer-Encoding: chunked\r\n\r\n96\r\n" + body + "\r\n0\r\n\r\n"));
  CHECK(got.status == 413);
  CHECK(got.code == chathooks::Errc::payload_too_large);
}

TEST_CASE("parse_request: a chunked body's trailer fields are not the request's fields") {
  // As on a connection, the request's fields are its header's: trailers cannot carry it past
  // max_header_fields (found by fuzz_edge_request).
  std::string bytes = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  for (int i = 0; i < 150; ++i) bytes += "X-T" + std::to_string(i) + ": v\r\n";
  bytes += "\r\n";
  const auto parsed = parse(bytes);
  const auto* request = std::get_if<chathooks::receiver::Request>(&parsed.outcome);
  REQUIRE(request != nullptr);
  CHECK(request->headers.size() == 2);
  CHECK(request->body.empty());
}
