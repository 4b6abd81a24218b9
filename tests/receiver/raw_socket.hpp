// Test helpers for talking to a loopback server over a plain POSIX socket, byte for byte: what
// no HTTP client would send (cut bodies, broken chunks, contradictory framing headers, a second
// request hidden in a body), and everything the server writes back until it closes. Every read
// has a receive timeout, so a server that never answers fails a test instead of hanging it.
// Thread-safety: the functions use Catch2 assertions, so call them from the test's main thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "catch.hpp"

namespace chathooks_test {

/// A new connection to 127.0.0.1:`port` whose reads give up after `timeout_seconds` without a
/// byte. The test fails (REQUIRE) if it cannot be made.
inline int connect_loopback(int port, long timeout_seconds = 10) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval timeout{timeout_seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

/// Writes `bytes` to `fd` as far as the server takes them (it may close first).
inline void send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

/// Whether `answer` holds one whole response: its head and the Content-Length bytes after it.
inline bool has_whole_response(const std::string& answer) {
  const std::size_t head_end = answer.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  const std::size_t at = answer.find("Content-Length: ");
  if (at == std::string::npos || at > head_end) return true;
  const std::size_t length = std::stoul(answer.substr(at + 16));
  return answer.size() >= head_end + 4 + length;
}

/// How many responses `answer` holds, by their status lines.
inline std::size_t count_status_lines(const std::string& answer) {
  std::size_t count = 0;
  for (std::size_t at = answer.find("HTTP/1.1 "); at != std::string::npos;
       at = answer.find("HTTP/1.1 ", at + 1))
    ++count;
  return count;
}

/// What the server wrote on one connection.
struct RawAnswer {
  std::string bytes;    ///< everything, until the server closed or the timeout
  bool closed = false;  ///< the server closed the connection (else the read timed out)
  std::chrono::milliseconds took{0};  ///< from the first byte sent to the close or timeout
};

/// On one new connection: sends `request`, closes the writing side when `close_after`, and reads
/// everything the server writes until it closes the connection (or `timeout_seconds` pass
/// without a byte).
inline RawAnswer raw_exchange(int port, const std::string& request, bool close_after,
                              long timeout_seconds = 10) {
  const int fd = connect_loopback(port, timeout_seconds);
  const auto start = std::chrono::steady_clock::now();
  send_all(fd, request);
  if (close_after) ::shutdown(fd, SHUT_WR);
  RawAnswer answer;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      // A close with unread request bytes on the server's side arrives as a reset.
      answer.closed = n == 0 || errno == ECONNRESET;
      break;
    }
    answer.bytes.append(buffer, static_cast<std::size_t>(n));
  }
  answer.took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  ::close(fd);
  return answer;
}

/// On one new connection: sends `first`, waits for the whole answer to it, then sends `second`
/// (as a client reusing the connection would) and returns everything the server wrote until it
/// closed the connection (or 10 s passed without a byte).
inline std::string exchange(int port, const std::string& first, const std::string& second) {
  const int fd = connect_loopback(port);
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

}  // namespace chathooks_test
