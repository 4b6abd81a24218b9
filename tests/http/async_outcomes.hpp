// The outcomes of `n` asynchronous transport sends, for the transport tests: each callback's
// Result (the first one, if it ran more than once) and how often each callback ran.
// Thread-safety: callbacks may run on any thread while the test thread waits and reads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/http/transport.hpp"

namespace chathooks_test {

/// The code of a failed result; nothing when it succeeded.
inline std::optional<chathooks::Errc> code_of(
    const chathooks::Result<chathooks::http::HttpResponse>& result) {
  if (result.ok()) return std::nullopt;
  return result.error().code();
}

/// Collects the outcome of N callbacks and counts how often each one ran.
class Outcomes {
 public:
  explicit Outcomes(std::size_t n) : results_(n), calls_(n, 0) {}

  /// The callback of send number `i`.
  chathooks::http::HttpCallback callback(std::size_t i) {
    return [this, i](chathooks::Result<chathooks::http::HttpResponse> result) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (calls_[i]++ == 0) results_[i].emplace(std::move(result));
      ++done_;
      cv_.notify_all();
    };
  }
  /// Whether every callback ran within `limit`.
  bool wait_all(std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return done_ >= results_.size(); });
  }
  /// Whether callback `i` ran within `limit`.
  bool wait_one(std::size_t i, std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return calls_[i] > 0; });
  }
  /// How often callback `i` ran.
  std::size_t calls(std::size_t i) {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_[i];
  }
  /// The result callback `i` got (it must have run).
  chathooks::Result<chathooks::http::HttpResponse>& result(std::size_t i) {
    std::lock_guard<std::mutex> lock(mutex_);
    return *results_[i];
  }
  /// The code callback `i` failed with; nothing when it succeeded or has not run.
  std::optional<chathooks::Errc> code(std::size_t i) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!results_[i]) return std::nullopt;
    return code_of(*results_[i]);
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::optional<chathooks::Result<chathooks::http::HttpResponse>>> results_;
  std::vector<std::size_t> calls_;
  std::size_t done_ = 0;
};

}  // namespace chathooks_test
