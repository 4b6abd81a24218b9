// Test helpers for the transport tests: a cpp-httplib server on 127.0.0.1 (an ephemeral port)
// that counts requests and connections, a Gate that handlers block on until a test releases
// them, a raw-socket server for misbehaviour httplib cannot produce, a port nothing listens on,
// and transports and requests that may reach them.
// Thread-safety: every member of the classes is safe to use from handlers and the test thread at
// once; closed_port() uses Catch2 assertions and belongs on the test's main thread.
#pragma once

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "catch.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/http/message.hpp"

namespace chathooks_test {

/// Handlers wait on it; the test opens it (the server's destructor too, so that stop() never
/// waits on a blocked handler).
class Gate {
 public:
  void open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }
  bool is_open() {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_;
  }
  /// Blocks until open or `limit` passes; returns whether it opened.
  bool wait(std::chrono::milliseconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_;
    cv_.notify_all();
    const bool opened = cv_.wait_for(lock, limit, [&] { return open_; });
    --waiting_;
    return opened;
  }
  /// Blocks until at least `count` handlers are waiting, or `limit` passes.
  bool wait_for_waiters(int count, std::chrono::milliseconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return waiting_ >= count; });
  }
  /// Sleeps up to `step` unless the gate opens; returns whether it is open.
  bool sleep_unless_open(std::chrono::milliseconds step) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, step, [&] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
  int waiting_ = 0;
};

/// A cpp-httplib server on 127.0.0.1. Register handlers on server(), then start().
class TestServer {
 public:
  explicit TestServer(std::size_t threads = 32) {
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server_.set_keep_alive_max_count(1000000);
    server_.set_keep_alive_timeout(5);
    // httplib writes headers and body separately: without TCP_NODELAY, Nagle's algorithm and
    // the client's delayed ACK add ~40 ms to every response.
    server_.set_tcp_nodelay(true);
    server_.set_pre_routing_handler([this](const httplib::Request& request, httplib::Response&) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++requests_;
      // Each connection has its own client port: distinct ports are distinct connections.
      ports_.insert(request.remote_port);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    // httplib listens with a backlog of 5; dozens of simultaneous connects would overflow it
    // and stall on SYN retransmission (1 s). Linux lets listen() raise the backlog afterwards.
    int listener = -1;
    server_.set_socket_options([&listener](int fd) {
      httplib::default_socket_options(fd);
      listener = fd;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (listener >= 0) ::listen(listener, 1024);
  }
  ~TestServer() { stop(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  httplib::Server& server() { return server_; }
  Gate& gate() { return gate_; }
  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  void start() {
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost; wait for it (a few ms at most).
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void stop() {
    gate_.open();
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }

  std::size_t requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::size_t connections() {
    std::lock_guard<std::mutex> lock(mutex_);
    return ports_.size();
  }

 private:
  httplib::Server server_;
  Gate gate_;
  int port_ = -1;
  std::thread thread_;
  std::mutex mutex_;
  std::size_t requests_ = 0;
  std::set<int> ports_;
};

/// A listening TCP socket on 127.0.0.1 whose connections `serve` handles one at a time on a
/// thread (the accepted socket is closed by the caller of serve).
class RawServer {
 public:
  explicit RawServer(std::function<void(int socket)> serve) : serve_(std::move(serve)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    ::listen(listener_, 16);
    socklen_t length = sizeof(address);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int client = ::accept(listener_, nullptr, nullptr);
        if (client < 0 || stopping_) {
          if (client >= 0) ::close(client);
          return;
        }
        serve_(client);
      }
    });
  }
  ~RawServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);  // Wakes accept().
    thread_.join();
    ::close(listener_);
  }
  RawServer(const RawServer&) = delete;
  RawServer& operator=(const RawServer&) = delete;

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  /// Reads until the end of the request headers (enough for the small requests of the tests).
  static void read_request(int socket) {
    std::string seen;
    char buffer[4096];
    while (seen.find("\r\n\r\n") == std::string::npos) {
      const auto n = ::recv(socket, buffer, sizeof(buffer), 0);
      if (n <= 0) return;
      seen.append(buffer, static_cast<std::size_t>(n));
    }
  }
  /// Closes with a TCP reset rather than an orderly FIN.
  static void reset(int socket) {
    linger option{};
    option.l_onoff = 1;
    option.l_linger = 0;
    ::setsockopt(socket, SOL_SOCKET, SO_LINGER, &option, sizeof(option));
    ::close(socket);
  }

 private:
  std::function<void(int)> serve_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

/// A port of 127.0.0.1 that nothing listens on: an ephemeral one bound without listening, then
/// closed, so that connecting to it is refused. Fails the test when no port can be had.
inline int closed_port() {
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(probe >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  socklen_t length = sizeof(address);
  REQUIRE(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  ::close(probe);
  return ntohs(address.sin_port);
}

// Loopback is private: every test but the guard's turns the destination guard off.
inline chathooks::http::CurlTransportOptions dev_options() {
  chathooks::http::CurlTransportOptions options;
  options.allow_private_addresses = true;
  return options;
}

/// A CurlTransport with dev_options(): one that may reach the loopback servers above.
inline std::shared_ptr<chathooks::http::HttpTransport> loopback_transport() {
  return chathooks::http::make_curl_transport(dev_options());
}

inline chathooks::http::HttpRequest post(const std::string& url, std::string body = "{}") {
  chathooks::http::HttpRequest request;
  request.url = url;
  request.body = std::move(body);
  return request;
}

}  // namespace chathooks_test
