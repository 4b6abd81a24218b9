// The chathooks::beast edge's framing refusals on a real socket: a truncated header, truncated
// Content-Length and chunked bodies (ending or stalling), bad chunk sizes, conflicting, invalid,
// negative and duplicate Content-Length, Content-Length with Transfer-Encoding (both orders),
// unsupported transfer codings, oversized headers, too many fields, obs-fold and bad request lines.
// Each refusal is checked for its status, its problem+json `code` and `detail`, that the receiver's
// handler never ran, and that the connection is closed after it with nothing more written.
#include <string>

#include "catch.hpp"
#include "edge_fixture.hpp"

using namespace edge_test;

namespace {

// `e` is one refusal with `status`, `code` and `detail`, the only answer on its connection,
// which the server then closed.
void check_refusal(const Exchange& e, int status, const std::string& code,
                   const std::string& detail) {
  REQUIRE(e.response);
  INFO(e.response->head << "\r\n\r\n" << e.response->body);
  CHECK(e.response->status == status);
  CHECK(e.response->header("Content-Type") == "application/problem+json");
  CHECK(e.response->problem("code") == code);
  CHECK(e.response->problem("detail") == detail);
  CHECK(e.response->header("Connection") == "close");
  CHECK(e.after.empty());
  CHECK(e.closed);
}

const std::string kJson = "Content-Type: application/json";

}  // namespace

TEST_CASE("framing: a valid request is answered 200 and handled once (signed and unsigned)") {
  SECTION("unsigned") {
    Edge edge;
    REQUIRE(edge.port() != 0);
    const Exchange e = round_trip(edge.port(), valid_request({"Connection: close"}));
    REQUIRE(e.response);
    CHECK(e.response->status == 200);
    CHECK(edge.calls() == 1);
    CHECK(e.closed);
  }
  SECTION("signed, and refused with 401 when the signature is wrong") {
    Edge edge(fast_options(), signed_options());
    REQUIRE(edge.port() != 0);
    const Exchange good = round_trip(edge.port(), signed_request("msg_1"));
    REQUIRE(good.response);
    CHECK(good.response->status == 200);
    std::string forged = signed_request("msg_2");
    forged.replace(forged.find("webhook-id: msg_2"), 17, "webhook-id: msg_3");
    const Exchange bad = round_trip(edge.port(), forged);
    REQUIRE(bad.response);
    CHECK(bad.response->status == 401);
    CHECK(edge.calls() == 1);
  }
}

TEST_CASE("framing: a Content-Length body cut short by the client's close is 400") {
  Edge edge;
  const Exchange e = round_trip(edge.port(), head({kJson, "Content-Length: 20"}) + "{\"a\":1",
                                /*half_close=*/true);
  check_refusal(e, 400, "protocol",
                "the connection ended before the request body was complete (6 of 20 bytes "
                "arrived)");
  const Exchange seven =
      round_trip(edge.port(), head({kJson, "Content-Length: 20"}) + "1234567", true);
  check_refusal(seven, 400, "protocol",
                "the connection ended before the request body was complete (7 of 20 bytes "
                "arrived)");
  CHECK(edge.calls() == 0);
  // A body cut short is answered by the route's receiver (incomplete_body()), not by the edge.
  CHECK(edge.refusals() == 0);
  CHECK(edge.receiver_rejections() == 2);
}

TEST_CASE("framing: a header cut short by the client's close is 400") {
  Edge edge;
  check_refusal(round_trip(edge.port(), "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Le", true), 400,
                "protocol", "the connection ended before the request header was complete");
  CHECK(edge.calls() == 0);
}

TEST_CASE("framing: a Content-Length body that stalls is 408 at the body deadline and never 200") {
  Edge edge;
  const Exchange e = round_trip(edge.port(), head({kJson, "Content-Length: 20"}) + "1234567");
  check_refusal(e, 408, "timeout",
                "the request body was not complete within 400 ms (7 of 20 bytes arrived)");
  CHECK(e.elapsed >= 350ms);
  CHECK(edge.calls() == 0);
}

TEST_CASE("framing: a chunk size line that is not hex after a good chunk is 400") {
  Edge edge;
  const Exchange e = round_trip(edge.port(), head({kJson, "Transfer-Encoding: chunked"}) +
                                                 "2\r\n{}\r\nzz\r\n{}\r\n0\r\n\r\n");
  check_refusal(e, 400, "protocol", "the chunked body has a chunk size line that is not valid");
  CHECK(edge.calls() == 0);
}

TEST_CASE("framing: a chunked body without its last chunk is 400 on close and 408 on a stall") {
  Edge edge;
  const std::string partial = head({kJson, "Transfer-Encoding: chunked"}) + "5\r\n[1,2]\r\n";
  const Exchange closed = round_trip(edge.port(), partial, /*half_close=*/true);
  check_refusal(closed, 400, "protocol",
                "the connection ended before the request body was complete (5 bytes arrived)");
  const Exchange stalled = round_trip(edge.port(), partial);
  check_refusal(stalled, 408, "timeout",
                "the request body was not complete within 400 ms (5 bytes arrived)");
  CHECK(stalled.elapsed >= 350ms);
  CHECK(edge.calls() == 0);
}

TEST_CASE("framing: a whole chunked body is handled") {
  Edge edge;
  const std::string& body = event_body();
  char size[16];
  std::snprintf(size, sizeof size, "%zx", body.size() - 10);
  const Exchange e =
      round_trip(edge.port(), head({kJson, "Transfer-Encoding: chunked", "Connection: close"}) +
                                  size + "\r\n" + body.substr(0, body.size() - 10) + "\r\na\r\n" +
                                  body.substr(body.size() - 10) + "\r\n0\r\n\r\n");
  REQUIRE(e.response);
  CHECK(e.response->status == 200);
  CHECK(edge.calls() == 1);
}

TEST_CASE("framing: Content-Length values that conflict or are not numbers are 400") {
  Edge edge;
  const std::string body = "{\"a\":1}";
  SECTION("two different values, in two fields or one list") {
    check_refusal(round_trip(edge.port(),
                             head({kJson, "Content-Length: 7", "Content-Length: 8"}) + body + "x"),
                  400, "protocol",
                  "two different Content-Length values, '7' and '8' (RFC 9112 section 6.3)");
    check_refusal(round_trip(edge.port(), head({kJson, "Content-Length: 7, 9"}) + body), 400,
                  "protocol",
                  "two different Content-Length values, '7' and '9' (RFC 9112 section 6.3)");
  }
  SECTION("negative") {
    check_refusal(round_trip(edge.port(), head({kJson, "Content-Length: -7"}) + body), 400,
                  "protocol", "Content-Length '-7' is not a number of bytes");
  }
  SECTION("not digits") {
    check_refusal(round_trip(edge.port(), head({kJson, "Content-Length: 7a"}) + body), 400,
                  "protocol", "Content-Length '7a' is not a number of bytes");
  }
  SECTION("too large for 64 bits") {
    check_refusal(
        round_trip(edge.port(), head({kJson, "Content-Length: 99999999999999999999999"}) + body),
        400, "protocol", "Content-Length '99999999999999999999999' is too large");
  }
  CHECK(edge.calls() == 0);
}

TEST_CASE("framing: the same Content-Length given twice is accepted") {
  Edge edge;
  const std::string length = "Content-Length: " + std::to_string(event_body().size());
  const Exchange e =
      round_trip(edge.port(), head({kJson, length, length, "Connection: close"}) + event_body());
  REQUIRE(e.response);
  CHECK(e.response->status == 200);
  CHECK(edge.calls() == 1);
}

TEST_CASE("framing: Content-Length with Transfer-Encoding is 400 in either order") {
  Edge edge;
  const std::string detail =
      "Content-Length and Transfer-Encoding together: the body's length is ambiguous (RFC 9112 "
      "section 6.3)";
  const std::string chunks = "7\r\n{\"a\":1}\r\n0\r\n\r\n";
  check_refusal(
      round_trip(edge.port(),
                 head({kJson, "Content-Length: 7", "Transfer-Encoding: chunked"}) + chunks),
      400, "protocol", detail);
  check_refusal(
      round_trip(edge.port(),
                 head({kJson, "Transfer-Encoding: chunked", "Content-Length: 7"}) + chunks),
      400, "protocol", detail);
  CHECK(edge.calls() == 0);
}

TEST_CASE(
    "framing: Transfer-Encoding follows the receivers' rule (400 unless chunked is last, 501 "
    "before it)") {
  Edge edge;
  check_refusal(
      round_trip(edge.port(), head({kJson, "Transfer-Encoding: gzip"}) + "\x1f\x8b\x08\x00"), 400,
      "protocol",
      "Transfer-Encoding \"gzip\" does not end with chunked, so the body's length cannot be known");
  check_refusal(round_trip(edge.port(), head({kJson, "Transfer-Encoding: chunked, gzip"}) + "x"),
                400, "protocol",
                "Transfer-Encoding \"chunked, gzip\" does not end with chunked, so the body's "
                "length cannot be known");
  check_refusal(round_trip(edge.port(), head({kJson, "Transfer-Encoding: gzip, chunked"}) +
                                            "2\r\n{}\r\n0\r\n\r\n"),
                501, "protocol",
                "the transfer coding \"gzip\" is not implemented; only chunked is");
  CHECK(edge.calls() == 0);
}

TEST_CASE("framing: a header over max_header_bytes or with too many fields is 431") {
  Edge edge;
  SECTION("bytes") {
    check_refusal(
        round_trip(edge.port(),
                   head({kJson, "X-Big: " + std::string(3000, 'a'), "Content-Length: 2"}) + "{}"),
        431, "too_large", "the request header is larger than 2048 bytes");
  }
  SECTION("fields") {
    std::vector<std::string> fields = {kJson, "Content-Length: 2"};
    for (int i = 0; i < 20; ++i) fields.push_back("X-F" + std::to_string(i) + ": v");
    check_refusal(round_trip(edge.port(), head(fields) + "{}"), 431, "too_large",
                  "the request has more than 20 header fields");
  }
  CHECK(edge.calls() == 0);
}

TEST_CASE("framing: exactly max_header_fields fields are accepted") {
  Edge edge;
  std::vector<std::string> fields = {
      kJson, "Content-Length: " + std::to_string(event_body().size()), "Connection: close"};
  while (fields.size() < 19) fields.push_back("X-F" + std::to_string(fields.size()) + ": v");
  const Exchange e = round_trip(edge.port(), head(fields) + event_body());  // with Host: 20
  REQUIRE(e.response);
  CHECK(e.response->status == 200);
  CHECK(edge.calls() == 1);
}

TEST_CASE("framing: a header field folded over lines (obs-fold) is 400") {
  Edge edge;
  SECTION("an ordinary field") {
    check_refusal(
        round_trip(edge.port(), head({kJson, "X-Note: one", " two", "Content-Length: 2"}) + "{}"),
        400, "protocol", "a header field is folded over lines (obsolete, not accepted)");
  }
  SECTION("Transfer-Encoding folded onto its own line") {
    check_refusal(round_trip(edge.port(), head({kJson, "Transfer-Encoding:", "\tchunked"}) +
                                              "2\r\n{}\r\n0\r\n\r\n"),
                  400, "protocol", "a header field is folded over lines (obsolete, not accepted)");
  }
  CHECK(edge.calls() == 0);
}

TEST_CASE("framing: a request line that is not valid is 400") {
  Edge edge;
  SECTION("version") {
    check_refusal(round_trip(edge.port(), "POST /hook HTXP/1.1\r\nHost: x\r\n\r\n"), 400,
                  "protocol", "the HTTP version is not valid (HTTP/1.0 and HTTP/1.1 are)");
  }
  SECTION("method") {
    check_refusal(round_trip(edge.port(), "PO(ST /hook HTTP/1.1\r\nHost: x\r\n\r\n"), 400,
                  "protocol", "the request method is not a valid token");
  }
  SECTION("a field line ended by a bare LF") {
    check_refusal(round_trip(edge.port(), "POST /hook HTTP/1.1\r\nHost: x\nX: y\r\n\r\n"), 400,
                  "protocol", "a header field value is not valid");
  }
  CHECK(edge.calls() == 0);
}

TEST_CASE("framing: an unknown path is 404 from the edge and the receiver never sees it") {
  Edge edge;
  const std::string request = valid_request();
  check_refusal(round_trip(edge.port(), "POST /other" + request.substr(request.find(' ', 5))), 404,
                "invalid_argument", "no receiver at this path");
  CHECK(edge.calls() == 0);
}
