// Helpers of the client tests: the test vectors, a CurlTransport allowed to reach loopback, a
// quick retry policy, a receiver-side record of what the server saw (filled on server threads,
// read by the test thread), and a one-shot slot for asynchronous results.
// Thread-safety: Received and Slot are thread-safe; the rest are plain functions that use
// Catch2 assertions and belong on the test's main thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/http/curl_transport.hpp"

namespace clients_test {

/// The secret of the Standard Webhooks specification's reference vector.
inline constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// The bytes of tests/data/<name>; fails the test when the file cannot be read.
inline std::string load_vector(std::string_view name) {
  const std::string path = std::string(CHATHOOKS_TEST_DATA_DIR) + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  INFO("test vector " << path);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  REQUIRE_FALSE(out.str().empty());
  return out.str();
}

/// A shared CurlTransport that may reach 127.0.0.1 (the destination guard refuses it by
/// default).
inline std::shared_ptr<chathooks::http::HttpTransport> loopback_transport() {
  chathooks::http::CurlTransportOptions options;
  options.allow_private_addresses = true;
  return chathooks::http::make_curl_transport(options);
}

/// Four attempts a few milliseconds apart, no jitter, and a deadline generous enough for a
/// loaded machine under ASan.
inline chathooks::delivery::DelivererOptions quick_options() {
  chathooks::delivery::DelivererOptions options;
  options.retry.max_attempts = 4;
  options.retry.initial_delay = std::chrono::milliseconds(10);
  options.retry.multiplier = 2.0;
  options.retry.max_delay = std::chrono::milliseconds(50);
  options.retry.jitter = 0.0;
  options.retry.deadline = std::chrono::seconds(60);
  options.retry.retry_after_cap = std::chrono::seconds(5);
  return options;
}

/// What a test server received: bodies, content types and check results, appended by handler
/// threads.
class Received {
 public:
  struct Entry {
    std::string body;
    std::string content_type;
    /// Empty when the server's own check (decoding, signature) passed, else why it failed.
    std::string problem;
  };
  void add(Entry entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    entries_.push_back(std::move(entry));
  }
  std::vector<Entry> entries() {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_;
  }

 private:
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

/// Holds the one value an asynchronous callback delivers; the test thread waits for it.
template <class T>
class Slot {
 public:
  void put(T value) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      value_ = std::move(value);
      ++puts_;
    }
    cv_.notify_all();
  }
  /// The value, once put (std::nullopt if nothing came within `limit`).
  std::optional<T> take(std::chrono::milliseconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!cv_.wait_for(lock, limit, [&] { return value_.has_value(); })) return std::nullopt;
    return std::move(value_);
  }
  /// How many times put() ran (callbacks must run exactly once).
  int puts() {
    std::lock_guard<std::mutex> lock(mutex_);
    return puts_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<T> value_;
  int puts_ = 0;
};

}  // namespace clients_test
