// Serving chathooks receivers on Boost.Beast (the chathooks::beast component): an event-driven
// HTTP/1.1 edge that slow or hostile clients cannot stall or fool.
// - Each connection has a header deadline and a body deadline (408 when one passes), a cap on
//   header size and field count (431), and a cap on open connections (503 beyond it).
// - A receiver sees only complete, correctly framed bodies: a truncated Content-Length body,
//   bad or unfinished chunking, conflicting or invalid Content-Length, Content-Length with
//   Transfer-Encoding and unknown transfer codings are refused with a 400 (or 501) that says
//   which, as problem+json (receiver::edge_refusal()).
// - Keep-alive works for senders that ask for it; after any refusal or unread body the
//   connection is closed (after a lingering read), so body bytes are never read as a request.
// - Waiting for a client costs a socket and a timer, not a thread: the threads only parse and
//   run the receivers' handlers.
// Usage:
//   chathooks::beast_adapter::Server server;              // its own threads (EdgeOptions)
//   server.mount("/webhooks/flw", std::move(receiver));   // or "*" for every path
//   auto port = server.listen("127.0.0.1", 8080);         // Result<std::uint16_t>
//   server.start();  ...  server.stop();                  // or the destructor
// Or pass the host's boost::asio::io_context to run the edge on the host's own loop.
// Header-only; it needs Boost.Asio and Boost.Beast (Debian: libboost-dev, 1.74 or later).
// Thread-safety: mount(), on_edge_refusal(), listen() and start() before serving, from one
// thread; stop() from any one thread; the hooks and handlers run on the server's threads,
// several at once.
#pragma once

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "chathooks/beast/connection.hpp"
#include "chathooks/beast/edge_options.hpp"
#include "chathooks/error.hpp"
#include "chathooks/receiver/edge_refusal.hpp"
#include "chathooks/receiver/receiver.hpp"

namespace chathooks::beast_adapter {
namespace detail {

// The listening socket: accepts connections and hands each to a Connection, or answers 503
// and closes it when EdgeOptions::max_connections are open. Lives as long as an accept is
// pending, so a host's loop may outlive the Server.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& io, std::shared_ptr<ServerState> state)
      : io_(io),
        acceptor_(boost::asio::make_strand(io)),
        retry_(acceptor_.get_executor()),
        state_(std::move(state)) {
    const chathooks::receiver::Reply busy = chathooks::receiver::edge_refusal(
        503, chathooks::Errc::queue_full, "too many connections are open; try again later");
    busy_ =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n"
        "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
        std::to_string(busy.response.body.size()) + "\r\n\r\n" + busy.response.body;
  }

  boost::asio::ip::tcp::acceptor& acceptor() noexcept { return acceptor_; }

  void accept() {
    acceptor_.async_accept(boost::asio::make_strand(io_),
                           [self = shared_from_this()](const boost::beast::error_code& ec,
                                                       boost::asio::ip::tcp::socket socket) {
                             self->on_accept(ec, std::move(socket));
                           });
  }

  void close() {
    boost::asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      boost::beast::error_code ignored;
      self->acceptor_.close(ignored);
      self->retry_.cancel();
    });
  }

 private:
  void on_accept(const boost::beast::error_code& ec, boost::asio::ip::tcp::socket socket) {
    if (!acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors (EMFILE) or a connection reset before it was accepted: try again a
      // little later rather than spin or give up.
      retry_.expires_after(std::chrono::milliseconds(50));
      retry_.async_wait([self = shared_from_this()](const boost::beast::error_code& wait_ec) {
        if (!wait_ec && self->acceptor_.is_open()) self->accept();
      });
      return;
    }
    if (state_->open.load() >= state_->options.max_connections) {
      // Best effort, without waiting: the client may not read it.
      boost::beast::error_code ignored;
      socket.non_blocking(true, ignored);
      socket.write_some(boost::asio::buffer(busy_), ignored);
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    } else {
      std::make_shared<Connection>(std::move(socket), state_)->start();
    }
    accept();
  }

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;
  std::shared_ptr<ServerState> state_;
  std::string busy_;
};

}  // namespace detail

/// An HTTP/1.1 server for chathooks receivers.
class Server {
 public:
  /// A server with its own event loop, run by EdgeOptions::threads threads from start().
  explicit Server(EdgeOptions options = {})
      : owned_io_(std::make_unique<boost::asio::io_context>(
            static_cast<int>(std::max<std::size_t>(options.threads, 1)))),
        io_(*owned_io_),
        state_(std::make_shared<detail::ServerState>()) {
    state_->options = options;
  }
  /// A server on the host's loop: it serves while the host runs `io` (start() does nothing),
  /// and EdgeOptions::threads is not used.
  Server(boost::asio::io_context& io, EdgeOptions options = {})
      : io_(io), state_(std::make_shared<detail::ServerState>()) {
    state_->options = options;
  }
  /// stop(), then releases the loop.
  ~Server() { stop(); }
  /// Not copyable: it owns sockets and threads.
  Server(const Server&) = delete;
  /// Not copyable.
  Server& operator=(const Server&) = delete;

  /// Serves `receiver` at `path` (the request target without its query; "*" for every path no
  /// other mount names; anything else gets 404). `on_reply` sees each of its replies.
  void mount(std::string path, chathooks::receiver::Receiver receiver, ReplyHook on_reply = {}) {
    state_->routes.push_back(
        detail::Route{std::move(path), std::move(receiver), std::move(on_reply)});
  }

  /// Sees each reply the edge makes itself (408, 400 for framing, 404, 431, ...).
  void on_edge_refusal(ReplyHook hook) { state_->on_edge_refusal = std::move(hook); }

  /// Binds `address` (IPv4 or IPv6 text) and `port` (0: any free port) and starts accepting.
  /// The bound port, or Errc::invalid_argument (the address) or Errc::connection_failed (the
  /// port cannot be bound).
  chathooks::Result<std::uint16_t> listen(const std::string& address, std::uint16_t port) {
    boost::beast::error_code ec;
    const auto ip = boost::asio::ip::make_address(address, ec);
    if (ec) {
      return chathooks::Error(chathooks::Errc::invalid_argument,
                              "'" + address + "' is not an IP address");
    }
    auto listener = std::make_shared<detail::Listener>(io_, state_);
    auto& acceptor = listener->acceptor();
    const boost::asio::ip::tcp::endpoint endpoint(ip, port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return chathooks::Error(
          chathooks::Errc::connection_failed,
          "cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message());
    }
    const std::uint16_t bound = acceptor.local_endpoint(ec).port();
    listener->accept();
    listeners_.push_back(std::move(listener));
    if (port_ == 0) port_ = bound;
    return bound;
  }

  /// The port of the first listen(), 0 before it.
  std::uint16_t port() const noexcept { return port_; }

  /// Runs the server's own loop on EdgeOptions::threads new threads (nothing on a host's loop).
  void start() {
    if (!owned_io_ || !threads_.empty()) return;
    for (std::size_t i = 0; i < std::max<std::size_t>(state_->options.threads, 1); ++i) {
      threads_.emplace_back([this] { run_loop(); });
    }
  }

  /// Stops accepting, closes idle connections, lets requests being handled finish for up to
  /// EdgeOptions::shutdown_grace, then (own loop) stops the loop, joins its threads and closes
  /// the connections still open. Idempotent.
  void stop() {
    if (stopped_) return;
    stopped_ = true;
    for (const auto& listener : listeners_) listener->close();
    std::vector<std::shared_ptr<detail::Connection>> live;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      state_->stopping = true;
      for (const auto& [key, weak] : state_->live) {
        if (auto connection = weak.lock()) live.push_back(std::move(connection));
      }
    }
    for (const auto& connection : live) connection->stop_soon();
    live.clear();
    if (!owned_io_) return;
    const auto deadline = std::chrono::steady_clock::now() + state_->options.shutdown_grace;
    while (!threads_.empty() && state_->open.load() > 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const bool ran = !threads_.empty();
    owned_io_->stop();
    for (auto& thread : threads_) thread.join();
    threads_.clear();
    if (!ran) return;
    // A connection still open after the grace (a body still arriving) was left open by the
    // stopped loop until the Server's destruction, its client waiting on a socket nobody
    // served: close it now, from here, as no thread runs the loop any more.
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      for (const auto& [key, weak] : state_->live) {
        if (auto connection = weak.lock()) live.push_back(std::move(connection));
      }
    }
    for (const auto& connection : live) connection->close_stopped();
  }

  /// The loop the server runs on.
  boost::asio::io_context& context() noexcept { return io_; }

 private:
  void run_loop() {
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception&) {
        // A handler threw past the edge's own guards (the receivers never throw): keep serving
        // the other connections. The connection whose handler threw is released with it.
      }
    }
  }

  std::unique_ptr<boost::asio::io_context> owned_io_;
  boost::asio::io_context& io_;
  std::shared_ptr<detail::ServerState> state_;
  std::vector<std::shared_ptr<detail::Listener>> listeners_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
  bool stopped_ = false;
};

}  // namespace chathooks::beast_adapter
