// HTTP/1.1 framing through the cpp-httplib wiring of the chathooks::httplib component (mount()
// of chathooks/httplib/receiver.hpp), on raw sockets: bodies cut short (then a close or a
// stall), broken or unfinished chunked bodies, contradictory or malformed Content-Length and
// Transfer-Encoding. Each is refused with a problem document that says what was wrong, and the
// handler never sees the body. Every body sent is the documented Flw dispatch, which the
// handler answers with 200 when it arrives whole and well framed; so each refusal here would be
// a 200 if the adapter decoded what it got. Also: one request per connection.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/options.hpp"
#include "loopback_fixture.hpp"
#include "loopback_protocols.hpp"
#include "raw_socket.hpp"

using namespace chathooks_test;
using chathooks::receiver::Disposition;

namespace {

// The server's read timeout in these tests (httplib's default is 5 s). A stalled request must
// be answered once it passes (the answer cannot come sooner), and before the client's own
// 10 s receive timeout, which makes RawAnswer::closed false.
constexpr long kReadTimeoutSeconds = 1;

// A Flw receiver without authentication or deduplication (every delivery reaches the handler,
// which records it), on a loopback server whose reads time out after kReadTimeoutSeconds. The
// server is declared last, so that it stops before the record goes.
struct Framing {
  Protocol protocol = flw_protocol();
  std::shared_ptr<Calls> calls = std::make_shared<Calls>();
  std::unique_ptr<LoopbackServer> server;

  Framing() {
    chathooks::receiver::ReceiverOptions options;
    options.authenticator = chathooks::receiver::allow_unauthenticated();
    options.deduplicate = false;
    auto receiver = protocol.make(calls, std::move(options));
    REQUIRE(receiver);
    server = std::make_unique<LoopbackServer>(std::move(*receiver), [](httplib::Server& s) {
      s.set_read_timeout(kReadTimeoutSeconds, 0);
    });
    REQUIRE(server->ready());
  }
  int port() const { return server->port(); }
  const std::string& body() const { return protocol.body; }
};

// A POST head to the hook with `headers` (each line ends with CRLF).
std::string head(const std::string& headers) {
  return std::string("POST ") + kHookPath +
         " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + headers + "\r\n";
}

std::string chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

// The first response in `bytes`: status, header block and body.
struct Parsed {
  int status = 0;
  std::string head;
  std::string body;
};

Parsed parse(const std::string& bytes) {
  Parsed parsed;
  const std::size_t head_end = bytes.find("\r\n\r\n");
  if (bytes.rfind("HTTP/1.1 ", 0) != 0 || head_end == std::string::npos) return parsed;
  parsed.status = std::stoi(bytes.substr(9, 3));
  parsed.head = bytes.substr(0, head_end + 2);
  std::size_t length = bytes.size() - head_end - 4;
  if (const std::size_t at = parsed.head.find("Content-Length: "); at != std::string::npos)
    length = std::stoul(parsed.head.substr(at + 16));
  parsed.body = bytes.substr(head_end + 4, length);
  return parsed;
}

// The string member at `pointer` of a problem document.
std::string member(const std::string& body, std::string_view pointer) {
  const auto json = chathooks::Json::parse(body);
  REQUIRE(json);
  const chathooks::Json* value = json->at_pointer(pointer);
  REQUIRE(value != nullptr);
  REQUIRE(value->is_string());
  return *value->get_string();
}

// The server answered one request, with a rejection of `status` whose error says `detail`,
// and the handler was never called.
void check_recorded(const Framing& f, int status, const std::string& detail) {
  CHECK(f.calls->total() == 0);
  const auto seen = f.server->seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].status == status);
  CHECK(seen[0].disposition == Disposition::rejected);
  CHECK_THAT(seen[0].error, Catch::Contains(detail));
}

// As check_recorded(), and `answer` is exactly that reply, a problem document with code
// `code`, after which the server closed the connection.
void check_refused(const Framing& f, const RawAnswer& answer, int status, const std::string& code,
                   const std::string& detail) {
  INFO(answer.bytes);
  CHECK(answer.closed);
  CHECK(count_status_lines(answer.bytes) == 1);
  const Parsed parsed = parse(answer.bytes);
  CHECK(parsed.status == status);
  CHECK(parsed.head.find("Content-Type: application/problem+json\r\n") != std::string::npos);
  CHECK(member(parsed.body, "/code") == code);
  CHECK_THAT(member(parsed.body, "/detail"), Catch::Contains(detail));
  check_recorded(f, status, detail);
}

// After the sender closed its side: httplib 0.11.4 writes no response to a peer whose side is
// closed once it has read all its bytes (SocketStream::is_writable() peeks, and an end of
// stream counts as a dead socket). So no 200 may come, and the server must have refused.
void check_refused_after_close(const Framing& f, const RawAnswer& answer, int status,
                               const std::string& detail) {
  INFO(answer.bytes);
  CHECK(answer.closed);
  CHECK(answer.bytes.find("HTTP/1.1 200") == std::string::npos);
  if (!answer.bytes.empty()) CHECK(parse(answer.bytes).status == status);
  check_recorded(f, status, detail);
}

}  // namespace

TEST_CASE("framing: a whole body, by Content-Length or chunked, is handled") {
  Framing f;
  const std::string by_length =
      head("Content-Length: " + std::to_string(f.body().size()) + "\r\n") + f.body();
  const std::string half = f.body().substr(0, f.body().size() / 2);
  const std::string chunked = head("Transfer-Encoding: chunked\r\n") + chunk(half) +
                              chunk(f.body().substr(half.size())) + "0\r\n\r\n";
  for (const std::string& request : {by_length, chunked}) {
    const RawAnswer answer = raw_exchange(f.port(), request, false);
    INFO(answer.bytes);
    CHECK(parse(answer.bytes).status == 200);
    CHECK(parse(answer.bytes).body == f.protocol.answer);
    CHECK(answer.closed);
  }
  CHECK(f.calls->total() == 2);
}

TEST_CASE("framing: a body shorter than its Content-Length, then a close, is 400") {
  Framing f;
  const std::string request =
      head("Content-Length: " + std::to_string(f.body().size()) + "\r\n") + f.body().substr(0, 10);
  const RawAnswer answer = raw_exchange(f.port(), request, true);
  check_refused_after_close(f, answer, 400,
                            "the body ended after 10 of the " + std::to_string(f.body().size()) +
                                " bytes Content-Length announced");
}

TEST_CASE("framing: a body shorter than its Content-Length, then a stall, is 400 at the timeout") {
  Framing f;
  const std::string request =
      head("Content-Length: " + std::to_string(f.body().size() + 1) + "\r\n") + f.body();
  const RawAnswer answer = raw_exchange(f.port(), request, false);
  check_refused(f, answer, 400, "protocol",
                "the body ended after " + std::to_string(f.body().size()) + " of the " +
                    std::to_string(f.body().size() + 1) + " bytes Content-Length announced");
  CHECK(answer.took >= std::chrono::seconds(kReadTimeoutSeconds));
}

TEST_CASE("framing: a bad chunk size after a good chunk is 400") {
  Framing f;
  const std::string request =
      head("Transfer-Encoding: chunked\r\n") + chunk(f.body()) + "zz\r\n0\r\n\r\n";
  const RawAnswer answer = raw_exchange(f.port(), request, false);
  check_refused(f, answer, 400, "protocol",
                "the chunked body is malformed or cut short after " +
                    std::to_string(f.body().size()) + " bytes");
}

TEST_CASE("framing: a chunked body without its last chunk is 400 at the timeout") {
  Framing f;
  const std::string request = head("Transfer-Encoding: chunked\r\n") + chunk(f.body());
  SECTION("then a stall") {
    const RawAnswer answer = raw_exchange(f.port(), request, false);
    check_refused(f, answer, 400, "protocol", "the chunked body is malformed or cut short");
    CHECK(answer.took >= std::chrono::seconds(kReadTimeoutSeconds));
  }
  SECTION("then a close") {
    const RawAnswer answer = raw_exchange(f.port(), request, true);
    check_refused_after_close(f, answer, 400, "the chunked body is malformed or cut short");
  }
}

TEST_CASE("framing: two different Content-Length values are 400 before the body is read") {
  Framing f;
  const std::string length = std::to_string(f.body().size());
  SECTION("in two fields") {
    const std::string request =
        head("Content-Length: " + length + "\r\nContent-Length: 40\r\n") + f.body();
    check_refused(f, raw_exchange(f.port(), request, false), 400, "protocol",
                  "Content-Length has two different values, \"" + length + "\" and \"40\"");
  }
  SECTION("in one list") {
    const std::string request = head("Content-Length: " + length + ", 40\r\n") + f.body();
    check_refused(f, raw_exchange(f.port(), request, false), 400, "protocol",
                  "Content-Length has two different values, \"" + length + "\" and \"40\"");
  }
}

TEST_CASE("framing: the same Content-Length twice is one length") {
  Framing f;
  const std::string length = std::to_string(f.body().size());
  const std::string request =
      head("Content-Length: " + length + "\r\nContent-Length: 0" + length + "\r\n") + f.body();
  const RawAnswer answer = raw_exchange(f.port(), request, false);
  INFO(answer.bytes);
  CHECK(parse(answer.bytes).status == 200);
  CHECK(f.calls->total() == 1);
}

TEST_CASE("framing: a negative or non-digit Content-Length is 400 before the body is read") {
  // LEN stands for the body's length: httplib's strtoull would read "LENabc" as LEN.
  const std::string pattern = GENERATE(as<std::string>{}, "-5", "-LEN", "abc", "LENabc", "+LEN",
                                       "LEN.0", "0xLEN", "LEN LEN");
  Framing f;
  std::string length = pattern;
  for (std::size_t at; (at = length.find("LEN")) != std::string::npos;)
    length.replace(at, 3, std::to_string(f.body().size()));
  INFO("Content-Length: " << length);
  const std::string request = head("Content-Length: " + length + "\r\n") + f.body();
  const RawAnswer answer = raw_exchange(f.port(), request, false);
  check_refused(f, answer, 400, "protocol",
                "Content-Length \"" + length + "\" is not a number of bytes (digits only)");
}

TEST_CASE("framing: Content-Length with Transfer-Encoding is 400 before the body is read") {
  Framing f;
  const std::string request = head("Content-Length: " + std::to_string(f.body().size()) +
                                   "\r\nTransfer-Encoding: chunked\r\n") +
                              chunk(f.body()) + "0\r\n\r\n";
  check_refused(f, raw_exchange(f.port(), request, false), 400, "protocol",
                "Content-Length and Transfer-Encoding are both present");
}

TEST_CASE("framing: a Transfer-Encoding other than chunked is refused before the body is read") {
  Framing f;
  SECTION("not ending with chunked: 400, the length cannot be known") {
    const std::string request = head("Transfer-Encoding: gzip\r\n") + f.body();
    check_refused(f, raw_exchange(f.port(), request, false), 400, "protocol",
                  "Transfer-Encoding \"gzip\" does not end with chunked");
  }
  SECTION("another coding before chunked: 501") {
    const std::string request =
        head("Transfer-Encoding: gzip, chunked\r\n") + chunk(f.body()) + "0\r\n\r\n";
    check_refused(f, raw_exchange(f.port(), request, false), 501, "protocol",
                  "the transfer coding \"gzip\" is not implemented; only chunked is");
    const Parsed parsed = parse(raw_exchange(f.port(), request, false).bytes);
    CHECK(member(parsed.body, "/title") == "Not Implemented");
  }
  SECTION("chunked twice: 400") {
    const std::string request =
        head("Transfer-Encoding: chunked, chunked\r\n") + chunk(f.body()) + "0\r\n\r\n";
    check_refused(f, raw_exchange(f.port(), request, false), 400, "protocol",
                  "applies chunked more than once");
  }
  SECTION("two fields: 400") {
    const std::string request =
        head("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + chunk(f.body()) +
        "0\r\n\r\n";
    check_refused(f, raw_exchange(f.port(), request, false), 400, "protocol",
                  "Transfer-Encoding appears 2 times");
  }
}

TEST_CASE("framing: without Content-Length or Transfer-Encoding the body is empty") {
  Framing f;
  // httplib would read this body until the close or the read timeout; by RFC 9112 it is not
  // part of the request.
  const RawAnswer answer = raw_exchange(f.port(), head("") + f.body(), false);
  INFO(answer.bytes);
  CHECK(count_status_lines(answer.bytes) == 1);
  const Parsed parsed = parse(answer.bytes);
  CHECK(parsed.status == 400);
  CHECK(member(parsed.body, "/code") == "syntax");
  CHECK(f.calls->total() == 0);
  REQUIRE(f.server->seen().size() == 1);
  CHECK(f.server->seen()[0].body_bytes == 0);
}

TEST_CASE("keep-alive: a good request is answered with Connection: close, a second is not") {
  Framing f;
  const std::string request =
      head("Content-Length: " + std::to_string(f.body().size()) + "\r\n") + f.body();
  const std::string answer = exchange(f.port(), request, request);
  INFO(answer);
  CHECK(count_status_lines(answer) == 1);
  const Parsed parsed = parse(answer);
  CHECK(parsed.status == 200);
  CHECK(parsed.head.find("Connection: close\r\n") != std::string::npos);
  CHECK(f.calls->total() == 1);
}

TEST_CASE("keep-alive: after a refused framing the body's bytes are never a request") {
  Framing f;
  const std::string hidden = std::string("GET ") + kHookPath + " HTTP/1.1\r\nHost: x\r\n\r\n";
  SECTION("Content-Length with Transfer-Encoding") {
    const std::string request =
        head("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n") + chunk(hidden) + "0\r\n\r\n";
    const std::string answer = exchange(f.port(), request, hidden);
    INFO(answer);
    CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(count_status_lines(answer) == 1);
  }
  SECTION("a bad chunk size") {
    const std::string request =
        head("Transfer-Encoding: chunked\r\n") + chunk(f.body()) + "zz\r\n\r\n" + hidden;
    const std::string answer = exchange(f.port(), request, hidden);
    INFO(answer);
    CHECK(answer.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(count_status_lines(answer) == 1);
  }
  CHECK(f.server->seen().size() == 1);
  CHECK(f.calls->total() == 0);
}
