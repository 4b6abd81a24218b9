// Running a cpp-httplib server on a thread of its own (the chathooks::httplib component), for a
// program that serves webhooks while its main thread does something else (sends itself a test
// delivery, waits for Ctrl-C): BackgroundServer binds, serves on a new thread, and is stopped and
// joined by stop() or its destructor, whatever happened before. block_stop_signals() and
// wait_for_stop_signal() let such a program wait for SIGINT/SIGTERM and then shut down cleanly.
// Header-only, POSIX (signals and threads); it needs cpp-httplib's header and library.
// Thread-safety: construct, start, stop and destroy a BackgroundServer from one thread; the
// routes run on the server's threads. block_stop_signals() acts on the calling thread only.
#pragma once

#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>

namespace chathooks::httplib_adapter {

/// Blocks SIGINT and SIGTERM in the calling thread. Threads started after it inherit the mask:
/// call it before any thread starts, so that only wait_for_stop_signal() takes them. Returns
/// the set, for wait_for_stop_signal().
inline sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

/// Waits until one of `signals` (blocked by block_stop_signals()) arrives; returns its number,
/// or -1 when the set is not valid.
inline int wait_for_stop_signal(const sigset_t& signals) {
  int caught = 0;
  return sigwait(&signals, &caught) == 0 ? caught : -1;
}

/// One server on its own thread. Add routes to server() before start().
class BackgroundServer {
 public:
  BackgroundServer() {
    // A kept-alive connection holds a server thread until it closes or this timeout passes, and
    // stop() waits for that thread: keep the wait short should a client leave one open.
    server_.set_keep_alive_timeout(1);
    server_.set_read_timeout(5, 0);
    server_.set_write_timeout(5, 0);
  }
  ~BackgroundServer() { stop(); }
  BackgroundServer(const BackgroundServer&) = delete;
  BackgroundServer& operator=(const BackgroundServer&) = delete;

  /// The server, to add routes to.
  ::httplib::Server& server() noexcept { return server_; }

  /// Binds `host` on `port` (0: any free port) and serves on a new thread. False when the port
  /// cannot be bound or the server is not accepting within `limit`. Call it once.
  bool start(const std::string& host, int port, std::chrono::milliseconds limit) {
    host_ = host;
    port_ =
        port == 0 ? server_.bind_to_any_port(host) : (server_.bind_to_port(host, port) ? port : -1);
    if (port_ <= 0) return false;
    // The socket already listens: connections made from now on wait in its backlog until the
    // thread accepts them.
    thread_ = std::thread([this] {
      server_.listen_after_bind();
      finished_.store(true);
    });
    // httplib 0.11 offers no readiness callback: poll is_running(), which listen_after_bind()
    // sets before it accepts.
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!server_.is_running()) {
      if (finished_.load() || std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }

  /// Stops serving and joins the thread, after the requests being served are answered. Does
  /// nothing when not started or already stopped.
  void stop() {
    if (!thread_.joinable()) return;
    // stop() only acts once listen_after_bind() is running (and must not be repeated then):
    // wait for that, unless the thread already ended, and stop once.
    while (!finished_.load() && !server_.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!finished_.load()) server_.stop();
    thread_.join();
  }

  /// The bound port; -1 before start() or when it could not bind.
  int port() const noexcept { return port_; }

  /// "http://<host>:<port><path>" (an IPv6 host in brackets).
  std::string url(std::string_view path) const {
    const bool ipv6 = host_.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_) +
           std::string(path);
  }

 private:
  ::httplib::Server server_;
  std::string host_;
  int port_ = -1;
  std::thread thread_;
  std::atomic<bool> finished_{false};
};

}  // namespace chathooks::httplib_adapter
