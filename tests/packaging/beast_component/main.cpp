// The beast component's consumer: serves a Boticario receiver on a chathooks::beast_adapter
// Server at 127.0.0.1 (any free port), posts it one status event twice on one keep-alive
// connection with a plain POSIX socket, and exits non-zero unless both were answered 200 on
// that connection and the event was handled once (the second is a duplicate by its message id).
// The README's beast example is quoted from it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <string>

#include "chathooks/beast/server.hpp"
#include "chathooks/boticario/receiver.hpp"
#include "chathooks/receiver/authenticator.hpp"

namespace {

constexpr const char* kEvent =
    R"({"event":{"messageId":"i3i4321d","type":"status","status":"delivered"}})";

int fail(const char* what) {
  std::fprintf(stderr, "beast_consumer: %s\n", what);
  return 1;
}

// Reads until `count` responses' status lines are in, or the socket times out or closes.
std::string read_responses(int fd, int count) {
  std::string in;
  char chunk[4096];
  auto responses = [&in] {
    int found = 0;
    for (std::size_t at = in.find("HTTP/1.1 "); at != std::string::npos;
         at = in.find("HTTP/1.1 ", at + 1))
      ++found;
    return found;
  };
  while (responses() < count) {
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) break;
    in.append(chunk, static_cast<std::size_t>(got));
  }
  return in;
}

}  // namespace

int main() {
  namespace receiver = chathooks::receiver;
  std::atomic<int> handled{0};
  receiver::ReceiverOptions options;
  options.authenticator = receiver::allow_unauthenticated();
  auto made = chathooks::boticario::make_receiver(
      [&handled](const chathooks::boticario::Event&,
                 const receiver::Delivery&) -> receiver::HandlerResult<void> {
        ++handled;
        return {};
      },
      std::move(options));
  if (!made) return fail("make_receiver failed");

  chathooks::beast_adapter::Server server;  // EdgeOptions{...} for other deadlines and caps
  server.mount("/events", std::move(*made));
  const auto port = server.listen("127.0.0.1", 0);
  if (!port) return fail("listen failed");
  server.start();  // serves on its own threads until stop() or the destructor

  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(*port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
    return fail("connect failed");
  const std::string body = kEvent;
  const std::string request =
      "POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  const std::string twice = request + request;
  if (::send(fd, twice.data(), twice.size(), 0) != static_cast<ssize_t>(twice.size()))
    return fail("send failed");
  const std::string answers = read_responses(fd, 2);
  ::close(fd);
  server.stop();

  if (answers.rfind("HTTP/1.1 200 ", 0) != 0) return fail("the first POST was not answered 200");
  if (answers.find("HTTP/1.1 200 ", 1) == std::string::npos)
    return fail("the second POST was not answered 200 on the same connection");
  if (handled.load() != 1) return fail("the event was not handled exactly once");
  std::printf("beast_consumer: ok\n");
  return 0;
}
