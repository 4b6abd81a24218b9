// SilentServer: a raw TCP listener on 127.0.0.1 that misbehaves in one chosen way, for the
// transport's failure-mode tests: it never accepts (the kernel completes the handshake and
// queues the request), accepts and never answers, or accepts and closes or resets at once. It
// serves any number of connections at a time, counts them, and lets a test wait for them.
// Thread-safety: every member is safe to call from any thread.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace chathooks_test {

class SilentServer {
 public:
  enum class Mode {
    never_accept,      ///< listen() only: connections complete in the kernel's backlog.
    accept_and_hold,   ///< accept, read and discard whatever arrives, never answer.
    accept_and_close,  ///< accept and close at once (FIN), without reading.
    accept_and_reset,  ///< accept and reset at once (RST).
  };

  explicit SilentServer(Mode mode) : mode_(mode) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    ::listen(listener_, 128);
    socklen_t length = sizeof(address);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    if (::pipe(stop_) != 0) stop_[0] = stop_[1] = -1;
    if (mode_ != Mode::never_accept) thread_ = std::thread([this] { run(); });
  }
  ~SilentServer() {
    if (stop_[1] >= 0) (void)!::write(stop_[1], "x", 1);
    if (thread_.joinable()) thread_.join();
    for (const int fd : held_) ::close(fd);
    ::close(listener_);
    if (stop_[0] >= 0) ::close(stop_[0]);
    if (stop_[1] >= 0) ::close(stop_[1]);
  }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  /// Connections accepted so far (always 0 for never_accept).
  std::size_t accepted() {
    std::lock_guard<std::mutex> lock(mutex_);
    return accepted_;
  }
  /// Blocks until `count` connections were accepted or `limit` passes; returns whether they were.
  bool wait_accepted(std::size_t count, std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return accepted_ >= count; });
  }
  /// Blocks until at least `bytes` request bytes arrived in total (accept_and_hold only).
  bool wait_bytes(std::size_t bytes, std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return received_ >= bytes; });
  }

 private:
  void run() {
    for (;;) {
      std::vector<pollfd> fds;
      fds.push_back({stop_[0], POLLIN, 0});
      fds.push_back({listener_, POLLIN, 0});
      for (const int fd : held_) fds.push_back({fd, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), -1) < 0) continue;
      if (fds[0].revents != 0) return;
      std::vector<int> gone;
      for (std::size_t i = 2; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        char buffer[4096];
        const auto n = ::recv(fds[i].fd, buffer, sizeof(buffer), 0);
        if (n <= 0) {
          gone.push_back(fds[i].fd);  // The client gave up.
          continue;
        }
        std::lock_guard<std::mutex> lock(mutex_);
        received_ += static_cast<std::size_t>(n);
        cv_.notify_all();
      }
      for (const int fd : gone) {
        ::close(fd);
        held_.erase(std::find(held_.begin(), held_.end(), fd));
      }
      if (fds[1].revents != 0) accept_one();
    }
  }

  void accept_one() {
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) return;
    if (mode_ == Mode::accept_and_reset) {
      linger option{};
      option.l_onoff = 1;
      option.l_linger = 0;
      ::setsockopt(client, SOL_SOCKET, SO_LINGER, &option, sizeof(option));
    }
    if (mode_ == Mode::accept_and_hold) {
      held_.push_back(client);
    } else {
      ::close(client);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    ++accepted_;
    cv_.notify_all();
  }

  const Mode mode_;
  int listener_ = -1;
  int port_ = 0;
  int stop_[2] = {-1, -1};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::size_t accepted_ = 0;  // mutex_
  std::size_t received_ = 0;  // mutex_
  std::vector<int> held_;     // Open connections: the server thread's, then the destructor's.
};

}  // namespace chathooks_test
