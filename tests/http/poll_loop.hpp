// A host event loop for HostDrivenCurlTransport in the transport tests and transport_bench: one
// thread blocked in poll() on the sockets the transport asked for, an eventfd that wakes it when
// the transport (or the test) changes them from another thread, and the transport's one timer.
// It calls the transport through a weak reference, so that a test may release the transport
// from any thread or callback; detach() stops calling it (waiting for a call in progress), so
// that a test can then destroy it on its own thread.
// Thread-safety: watch() and set_timer() may be called from any thread; start(), detach() and
// stop() from the test's thread.
#pragma once

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chathooks/http/host_driven_transport.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace chathooks_test {

class PollLoop final : public chathooks::http::HostLoop {
 public:
  using Clock = std::chrono::steady_clock;

  PollLoop() : wake_fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}
  ~PollLoop() override {
    stop();
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }
  PollLoop(const PollLoop&) = delete;
  PollLoop& operator=(const PollLoop&) = delete;

  /// Starts the loop's thread, driving `transport`.
  void start(std::weak_ptr<chathooks::http::HostDrivenCurlTransport> transport) {
    {
      std::lock_guard<std::mutex> lock(dispatch_mutex_);
      target_ = std::move(transport);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    thread_ = std::thread([this] { run(); });
    loop_id_ = thread_.get_id();
  }

  /// Stops calling the transport; a call in progress has returned when this returns.
  void detach() {
    std::lock_guard<std::mutex> lock(dispatch_mutex_);
    target_.reset();
  }

  /// Ends the loop's thread (not from the loop's own thread).
  void stop() {
    std::thread thread;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      thread.swap(thread_);
    }
    wake();
    if (thread.joinable()) thread.join();
  }

  void watch(int fd, bool read, bool write) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (fd < 0) return;
      const auto slot = static_cast<std::size_t>(fd);
      if (slot >= fds_.size()) fds_.resize(slot + 1);
      Watch& entry = fds_[slot];
      if (entry.events == 0) entry.generation = next_generation_++;  // Watched anew.
      entry.events = static_cast<short>((read ? POLLIN : 0) | (write ? POLLOUT : 0));
      if (std::this_thread::get_id() == loop_id_) return;
    }
    wake();
  }

  void set_timer(std::optional<std::chrono::milliseconds> after) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      timer_.reset();
      if (after) timer_ = Clock::now() + *after;
      if (std::this_thread::get_id() == loop_id_) return;
    }
    wake();
  }

 private:
  struct Watch {
    short events = 0;              // 0: not watched
    std::uint64_t generation = 0;  // a new one for each socket watched anew (fds are reused)
  };

  void wake() {
    const std::uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }

  void run() {
    std::vector<pollfd> polled;
    std::vector<std::uint64_t> generations;
    for (;;) {
      int timeout = -1;
      polled.clear();
      generations.clear();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        for (std::size_t fd = 0; fd < fds_.size(); ++fd) {
          if (fds_[fd].events == 0) continue;
          polled.push_back(pollfd{static_cast<int>(fd), fds_[fd].events, 0});
          generations.push_back(fds_[fd].generation);
        }
        if (timer_) {
          const auto left = std::chrono::ceil<std::chrono::milliseconds>(*timer_ - Clock::now());
          timeout = static_cast<int>(std::max<std::int64_t>(0, left.count()));
        }
      }
      polled.push_back(pollfd{wake_fd_, POLLIN, 0});
      if (::poll(polled.data(), polled.size(), timeout) < 0) continue;  // EINTR
      if (polled.back().revents != 0) {
        std::uint64_t count = 0;
        (void)!::read(wake_fd_, &count, sizeof count);
      }
      polled.pop_back();
      std::lock_guard<std::mutex> dispatch(dispatch_mutex_);
      auto transport = target_.lock();
      if (!transport) continue;
      for (std::size_t i = 0; i < polled.size(); ++i) {
        const short events = polled[i].revents;
        if (events == 0 || (events & POLLNVAL) != 0) continue;
        if (!still_watched(polled[i].fd, generations[i])) continue;  // Closed meanwhile.
        transport->on_socket(polled[i].fd, (events & (POLLIN | POLLHUP)) != 0,
                             (events & POLLOUT) != 0, (events & POLLERR) != 0);
      }
      bool fire = false;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (timer_ && *timer_ <= Clock::now()) {
          timer_.reset();
          fire = true;
        }
      }
      if (fire) transport->on_timer();
      // The transport may be destroyed here, on this thread, if a callback released it.
    }
  }

  bool still_watched(int fd, std::uint64_t generation) {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto slot = static_cast<std::size_t>(fd);
    return slot < fds_.size() && fds_[slot].events != 0 && fds_[slot].generation == generation;
  }

  const int wake_fd_;
  std::mutex dispatch_mutex_;  // held while the transport is called
  std::weak_ptr<chathooks::http::HostDrivenCurlTransport> target_;  // dispatch_mutex_

  std::mutex mutex_;
  std::vector<Watch> fds_;                  // by fd; mutex_
  std::uint64_t next_generation_ = 1;       // mutex_
  std::optional<Clock::time_point> timer_;  // mutex_
  bool stopping_ = false;                   // mutex_
  std::thread thread_;                      // mutex_
  std::thread::id loop_id_;                 // mutex_
};

}  // namespace chathooks_test
