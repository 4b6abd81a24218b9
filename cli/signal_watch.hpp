// SIGINT and SIGTERM for the long-running subcommands (serve, outbox run): the signals are
// blocked in every thread (threads started later inherit the mask) and taken by a thread of
// the watch's own with sigtimedwait, so no code runs in a signal handler.
// Thread-safety: requested() may be read from any thread; create one watch per process.
#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace chathooks_cli {

class SignalWatch {
 public:
  /// Blocks the signals, then watches for them. When one arrives, calls `on_signal(done)` once,
  /// on the watch's thread; `done` turns true when the watch is being destroyed, so that a
  /// callback that waits for something can give up.
  explicit SignalWatch(std::function<void(const std::atomic<bool>& done)> on_signal);
  /// Stops watching (waits for the callback to return).
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

  /// Whether a signal arrived.
  bool requested() const { return requested_.load(); }

 private:
  sigset_t signals_{};
  std::atomic<bool> done_{false};
  std::atomic<bool> requested_{false};
  std::thread thread_;
};

}  // namespace chathooks_cli
