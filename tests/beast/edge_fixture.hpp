// Test helpers for the chathooks::beast edge: a Server on 127.0.0.1 (an ephemeral port) serving a
// real Boticario receiver at /hook whose handler counts its calls, short deadlines so that the
// deadline tests end in well under a second, Standard Webhooks signing, and a raw POSIX socket
// client (every read bounded by SO_RCVTIMEO) that sends exactly the bytes a test writes and
// reads the answers one by one.
// Thread-safety: Handled may be used from the server's threads and the test's at once; a Client
// belongs to one thread; nothing here asserts (Catch assertions stay on the test's main thread).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chathooks/beast/server.hpp"
#include "chathooks/boticario/receiver.hpp"
#include "chathooks/json.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"

namespace edge_test {

using namespace std::chrono_literals;
namespace edge = chathooks::beast_adapter;
using Clock = std::chrono::steady_clock;

/// The receivers' clock in these tests, and the timestamp signed requests carry.
inline constexpr std::int64_t kNow = 1700000000;
inline const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// The receiver's body cap: small, so that a 413 needs few bytes.
inline constexpr std::size_t kBodyCap = 4096;

/// The Boticario document's message event (tests/data), a body the receiver accepts.
inline const std::string& event_body() {
  static const std::string body = [] {
    std::ifstream in(std::string(CHATHOOKS_TEST_DATA_DIR) + "/boticario_message_event.json",
                     std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }();
  return body;
}

/// Every call of the receiver's handler; `during` (set before serving) runs inside each call.
struct Handled {
  std::atomic<int> calls{0};
  std::function<void()> during;
};

/// Options accepting unsigned requests, without deduplication (tests send one body many times).
inline chathooks::receiver::ReceiverOptions unsigned_options() {
  chathooks::receiver::ReceiverOptions options;
  options.authenticator = chathooks::receiver::allow_unauthenticated();
  options.deduplicate = false;
  options.max_body_bytes = kBodyCap;
  return options;
}

/// Options verifying Standard Webhooks signatures by kSecret, with the clock at kNow.
inline chathooks::receiver::ReceiverOptions signed_options() {
  chathooks::receiver::ReceiverOptions options = unsigned_options();
  options.authenticator = chathooks::receiver::standard_webhooks(
      chathooks::signing::Verifier::create({kSecret}).value());
  options.system_now = [] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(kNow));
  };
  return options;
}

/// Short deadlines: a deadline test costs well under a second.
inline edge::EdgeOptions fast_options() {
  edge::EdgeOptions options;
  options.header_timeout = 400ms;
  options.body_timeout = 400ms;
  options.write_timeout = 2s;
  options.linger_timeout = 300ms;
  options.max_header_bytes = 2048;
  options.max_header_fields = 20;
  options.threads = 2;
  options.shutdown_grace = 2s;
  return options;
}

/// A Boticario receiver whose handler counts into `handled` and acknowledges every event.
inline chathooks::receiver::Receiver boticario_receiver(
    std::shared_ptr<Handled> handled, chathooks::receiver::ReceiverOptions options) {
  return chathooks::boticario::make_receiver(
             [handled](const chathooks::boticario::Event&, const chathooks::receiver::Delivery&)
                 -> chathooks::receiver::HandlerResult<void> {
               handled->calls.fetch_add(1);
               if (handled->during) handled->during();
               return {};
             },
             std::move(options))
      .value();
}

/// A Server with its own threads serving boticario_receiver() at /hook, listening on
/// 127.0.0.1 and started from construction; counts the edge's own refusals.
class Edge {
 public:
  explicit Edge(edge::EdgeOptions options = fast_options(),
                chathooks::receiver::ReceiverOptions receiver_options = unsigned_options(),
                std::function<void()> during = {})
      : handled_(std::make_shared<Handled>()),
        refusals_(std::make_shared<std::atomic<int>>(0)),
        rejected_(std::make_shared<std::atomic<int>>(0)) {
    handled_->during = std::move(during);
    server_ = std::make_unique<edge::Server>(options);
    server_->mount("/hook", boticario_receiver(handled_, std::move(receiver_options)),
                   [rejected = rejected_](const chathooks::receiver::Request&,
                                          chathooks::receiver::Reply& reply) {
                     if (reply.disposition == chathooks::receiver::Disposition::rejected)
                       rejected->fetch_add(1);
                   });
    server_->on_edge_refusal(
        [refusals = refusals_](const chathooks::receiver::Request&, chathooks::receiver::Reply&) {
          refusals->fetch_add(1);
        });
    const auto port = server_->listen("127.0.0.1", 0);
    if (port) port_ = *port;
    server_->start();
  }

  std::uint16_t port() const noexcept { return port_; }
  int calls() const noexcept { return handled_->calls.load(); }
  int refusals() const noexcept { return refusals_->load(); }
  /// Replies of the mounted receiver (its hook) that were rejections, e.g. a body that did not
  /// arrive whole (Receiver::incomplete_body()).
  int receiver_rejections() const noexcept { return rejected_->load(); }
  edge::Server& server() noexcept { return *server_; }
  /// Stops and destroys the server (as its owner's scope would end).
  void destroy() { server_.reset(); }

 private:
  std::shared_ptr<Handled> handled_;
  std::shared_ptr<std::atomic<int>> refusals_;
  std::shared_ptr<std::atomic<int>> rejected_;
  std::unique_ptr<edge::Server> server_;
  std::uint16_t port_ = 0;
};

/// One response as read from the wire.
struct Response {
  int status = 0;
  std::string head;  ///< status line and fields, without the blank line
  std::string body;

  /// The value of field `name` (exact case as Beast writes it), or "".
  std::string header(std::string_view name) const {
    const std::string key = "\r\n" + std::string(name) + ": ";
    const std::size_t at = head.find(key);
    if (at == std::string::npos) return "";
    const std::size_t from = at + key.size();
    return head.substr(from, head.find("\r\n", from) - from);
  }
  /// A member of the problem+json body ("detail", "code"), or "" when absent.
  std::string problem(std::string_view member) const {
    const auto json = chathooks::Json::parse(body);
    if (!json) return "";
    const chathooks::Json* value = json->find(member);
    return value != nullptr && value->get_string() != nullptr ? *value->get_string() : "";
  }
};

/// The request line and fields of a POST to `path` with `fields` ("Name: value" each), ending
/// in the blank line.
inline std::string head(const std::vector<std::string>& fields, std::string_view path = "/hook",
                        std::string_view version = "HTTP/1.1") {
  std::string text = "POST " + std::string(path) + " " + std::string(version) + "\r\nHost: x\r\n";
  for (const auto& field : fields) text += field + "\r\n";
  return text + "\r\n";
}

/// A whole valid POST of event_body() with Content-Length, plus `fields`.
inline std::string valid_request(const std::vector<std::string>& fields = {}) {
  std::vector<std::string> all = {"Content-Type: application/json",
                                  "Content-Length: " + std::to_string(event_body().size())};
  all.insert(all.end(), fields.begin(), fields.end());
  return head(all) + event_body();
}

/// A valid POST of event_body() signed with kSecret at kNow.
inline std::string signed_request(const std::string& id) {
  const auto signer = chathooks::signing::Signer::create({kSecret}).value();
  return valid_request({"webhook-id: " + id, "webhook-timestamp: " + std::to_string(kNow),
                        "webhook-signature: " + signer.sign(id, kNow, event_body())});
}

/// A raw TCP client of 127.0.0.1:`port`.
class Client {
 public:
  explicit Client(std::uint16_t port, std::chrono::milliseconds receive_timeout = 5s) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return;
    set_receive_timeout(receive_timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) close();
  }
  ~Client() { close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const noexcept { return fd_ >= 0; }

  void set_receive_timeout(std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<decltype(tv.tv_sec)>(timeout.count() / 1000);
    tv.tv_usec = static_cast<decltype(tv.tv_usec)>((timeout.count() % 1000) * 1000);
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }

  /// Writes all of `bytes`; false when the server stopped taking them.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Ends the client's side of the stream (the server reads end of file).
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  /// Whether the server sent something (or closed) within `timeout`.
  bool readable_within(std::chrono::milliseconds timeout) {
    if (!pending_.empty()) return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  }

  /// Sends `bytes` `step` bytes at a time, one step every `interval`, until all are sent or the
  /// server answers (or closes); returns how many were sent.
  std::size_t trickle(std::string_view bytes, std::size_t step,
                      std::chrono::milliseconds interval) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const std::size_t n = std::min(step, bytes.size() - sent);
      if (!send(bytes.substr(sent, n))) break;
      sent += n;
      if (readable_within(interval)) break;
    }
    return sent;
  }

  /// The next whole response (head and Content-Length body), or nullopt when the connection
  /// ended or the receive timeout passed first.
  std::optional<Response> read_response() {
    for (;;) {
      const std::size_t end = pending_.find("\r\n\r\n");
      if (end != std::string::npos) {
        Response response;
        response.head = pending_.substr(0, end);
        if (response.head.rfind("HTTP/1.", 0) == 0 && response.head.size() >= 12)
          response.status = std::atoi(response.head.c_str() + 9);
        const std::string length = response.header("Content-Length");
        const std::size_t size = length.empty() ? 0 : std::stoul(length);
        if (pending_.size() >= end + 4 + size) {
          response.body = pending_.substr(end + 4, size);
          pending_.erase(0, end + 4 + size);
          return response;
        }
      }
      if (!receive()) return std::nullopt;
    }
  }

  /// Everything still unread until the server closes the connection (or the receive timeout
  /// passes: then closed() is false).
  std::string read_to_close() {
    while (receive()) {
    }
    return std::exchange(pending_, {});
  }

  /// Whether the last read saw the connection end (end of file or reset).
  bool closed() const noexcept { return closed_; }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  // One recv() into pending_; false at end of file, reset or timeout.
  bool receive() {
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      pending_.append(buffer, static_cast<std::size_t>(n));
      return true;
    }
    closed_ = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    return false;
  }

  int fd_ = -1;
  std::string pending_;
  bool closed_ = false;
};

/// What one connection got for `bytes`: the first response, what followed it until the
/// server closed, and whether it did close.
struct Exchange {
  std::optional<Response> response;
  std::string after;
  bool closed = false;
  std::chrono::milliseconds elapsed{0};
};

/// On a new connection: sends `bytes` (then ends the client's side when `half_close`), reads
/// one response and then everything until the server closes.
inline Exchange round_trip(std::uint16_t port, std::string_view bytes, bool half_close = false) {
  Exchange out;
  Client client(port);
  const auto start = Clock::now();
  if (!client.connected()) return out;
  client.send(bytes);
  if (half_close) client.shutdown_write();
  out.response = client.read_response();
  out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  out.after = client.read_to_close();
  out.closed = client.closed();
  return out;
}

inline std::chrono::milliseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

/// Waits up to `timeout` for `condition`, polling; whether it held.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() > deadline) return false;
    ::poll(nullptr, 0, 5);
  }
  return true;
}

}  // namespace edge_test
