// SignalWatch: SIGINT and SIGTERM taken on a thread with sigtimedwait.
#include "signal_watch.hpp"

#include <ctime>
#include <utility>

namespace chathooks_cli {

SignalWatch::SignalWatch(std::function<void(const std::atomic<bool>& done)> on_signal) {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
  thread_ = std::thread([this, on_signal = std::move(on_signal)] {
    // Wakes every 100 ms to see whether the watch is being destroyed.
    const timespec wait{0, 100 * 1000 * 1000};
    while (!done_.load()) {
      if (sigtimedwait(&signals_, nullptr, &wait) > 0) {
        requested_.store(true);
        on_signal(done_);
        return;
      }
    }
  });
}

SignalWatch::~SignalWatch() {
  done_.store(true);
  thread_.join();
}

}  // namespace chathooks_cli
