// Request smuggling through the cpp-httplib wiring of the chathooks::httplib component: a body
// the receiver refuses unread stays on the connection, and must never be parsed as a next
// request. mount() closes every connection after one request (chathooks/httplib/receiver.hpp
// says why); these tests send a second request hidden where the first one's body should be, on
// a raw socket.
#include <cstdio>
#include <string>

#include "catch.hpp"
#include "chathooks/flw/receiver.hpp"
#include "loopback_fixture.hpp"
#include "raw_socket.hpp"

namespace {

using chathooks_test::count_status_lines;
using chathooks_test::exchange;

chathooks::receiver::Receiver flw_receiver() {
  chathooks::receiver::ReceiverOptions options;
  options.authenticator = chathooks::receiver::allow_unauthenticated();
  return chathooks::flw::make_receiver(
             [](const chathooks::flw::Dispatch&, const chathooks::receiver::Delivery&)
                 -> chathooks::receiver::HandlerResult<chathooks::flw::Response> {
               return chathooks::flw::Response{};
             },
             options)
      .value();
}

const std::string kHidden = "GET /hook HTTP/1.1\r\nHost: x\r\n\r\n";

}  // namespace

TEST_CASE("smuggling: a request hidden in a body refused by Content-Length is never served") {
  chathooks_test::LoopbackServer server(flw_receiver());
  REQUIRE(server.ready());
  const std::string first = std::string("POST ") + chathooks_test::kHookPath +
                            " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            "Content-Length: 2097152\r\n\r\n";
  const std::string answer = exchange(server.port(), first, kHidden);
  INFO(answer);
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(count_status_lines(answer) == 1);
  CHECK(server.seen().size() == 1);
}

TEST_CASE("smuggling: a request after a chunked body cut at the cap is never served") {
  chathooks_test::LoopbackServer server(flw_receiver());
  REQUIRE(server.ready());
  const std::size_t size = (1u << 20) + 100;
  char chunk_size[32];
  std::snprintf(chunk_size, sizeof chunk_size, "%zx\r\n", size);
  const std::string first = std::string("POST ") + chathooks_test::kHookPath +
                            " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n" +
                            chunk_size + std::string(size, ' ') + "\r\n0\r\n\r\n";
  const std::string answer = exchange(server.port(), first, kHidden);
  INFO(answer.substr(0, 500));
  CHECK(answer.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(count_status_lines(answer) == 1);
  CHECK(server.seen().size() == 1);
}

TEST_CASE("smuggling: even a request answered in full gets no second one on its connection") {
  chathooks_test::LoopbackServer server(flw_receiver());
  REQUIRE(server.ready());
  const std::string first = std::string("POST ") + chathooks_test::kHookPath +
                            " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            "Content-Length: 2\r\n\r\n{}";
  const std::string answer = exchange(server.port(), first, kHidden);
  INFO(answer);
  CHECK(count_status_lines(answer) == 1);
  CHECK(server.seen().size() == 1);
}
