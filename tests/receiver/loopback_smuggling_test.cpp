// Request smuggling through the cpp-httplib wiring of the chathooks::httplib component: a body
// the receiver refuses unread stays on the connection, and must never be parsed as a next
// request. mount() closes every connection after one request (chathooks/httplib/receiver.hpp
// says why); these tests send a second request hidden where the first one's body should be, on
// a raw socket.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>

#include "catch.hpp"
#include "chathooks/flw/receiver.hpp"
#include "loopback_fixture.hpp"

namespace {

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

// Whether `answer` holds one whole response: its head and the Content-Length bytes after it.
bool has_whole_response(const std::string& answer) {
  const std::size_t head_end = answer.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  const std::size_t at = answer.find("Content-Length: ");
  if (at == std::string::npos || at > head_end) return true;
  const std::size_t length = std::stoul(answer.substr(at + 16));
  return answer.size() >= head_end + 4 + length;
}

// Writes `bytes` to `fd` as far as the server takes them (it may close first).
void send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

// On one new connection to 127.0.0.1:`port`: sends `first`, waits for the whole answer to it,
// then sends `second` (as a client reusing the connection would) and returns everything the
// server wrote until it closed the connection (or 10 s passed without a byte).
std::string exchange(int port, const std::string& first, const std::string& second) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  send_all(fd, first);
  std::string answer;
  bool second_sent = false;
  char buffer[4096];
  for (;;) {
    if (!second_sent && has_whole_response(answer)) {
      send_all(fd, second);
      second_sent = true;
    }
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

std::size_t count_status_lines(const std::string& answer) {
  std::size_t count = 0;
  for (std::size_t at = answer.find("HTTP/1.1 "); at != std::string::npos;
       at = answer.find("HTTP/1.1 ", at + 1))
    ++count;
  return count;
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
