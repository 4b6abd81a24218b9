// Helpers for the delivery tests: a fake clock that a fake sleeper (or a ManualScheduler)
// moves, policies with exact delays, a JSON request, and the reference Standard Webhooks signature
// computed with OpenSSL, independently of chathooks' Signer. Thread-safety: FakeTime is
// thread-safe; the rest are plain functions (json_post() uses Catch2 assertions: call it from the
// test's main thread).
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/delivery/retry_schedule.hpp>
#include <chathooks/http/message.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"

namespace chathooks_test {

/// The reference vector of the Standard Webhooks specification and libraries.
inline constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
inline constexpr const char* kVectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
inline constexpr std::int64_t kVectorTimestamp = 1614265330;
inline constexpr const char* kVectorBody = "{\"test\": 2432232314}";
inline constexpr const char* kVectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

/// A wall clock and a monotonic clock that move only when told to.
class FakeTime {
 public:
  explicit FakeTime(std::int64_t unix_seconds = kVectorTimestamp)
      : system_(std::chrono::seconds(unix_seconds)) {}

  std::chrono::system_clock::time_point system_now() {
    std::lock_guard<std::mutex> lock(mutex_);
    return system_;
  }
  std::chrono::steady_clock::time_point steady_now() {
    std::lock_guard<std::mutex> lock(mutex_);
    return steady_;
  }
  void advance(std::chrono::milliseconds step) {
    std::lock_guard<std::mutex> lock(mutex_);
    system_ += step;
    steady_ += step;
  }
  /// The sleeper: advances the clocks and records the wait.
  void sleep(std::chrono::milliseconds delay) {
    std::lock_guard<std::mutex> lock(mutex_);
    system_ += delay;
    steady_ += delay;
    sleeps_.push_back(delay);
  }
  std::vector<std::chrono::milliseconds> sleeps() {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }

  /// Options whose clocks, sleeper and random source (fixed at `random`) are this object's.
  chathooks::delivery::DelivererOptions options(double random = 0.0) {
    chathooks::delivery::DelivererOptions options;
    options.system_now = [this] { return system_now(); };
    options.steady_now = [this] { return steady_now(); };
    options.sleep = [this](std::chrono::milliseconds delay) { sleep(delay); };
    options.random = [random] { return random; };
    return options;
  }

 private:
  std::mutex mutex_;
  std::chrono::system_clock::time_point system_;
  std::chrono::steady_clock::time_point steady_{};
  std::vector<std::chrono::milliseconds> sleeps_;
};

/// 4 attempts, 100 ms doubling to 1 s, jitter 0.5 (a random source of 0 gives the exact
/// backoff), a 60 s deadline, Retry-After capped at 10 s.
inline chathooks::delivery::RetryPolicy exact_policy() {
  chathooks::delivery::RetryPolicy policy;
  policy.max_attempts = 4;
  policy.initial_delay = std::chrono::milliseconds(100);
  policy.multiplier = 2.0;
  policy.max_delay = std::chrono::milliseconds(1000);
  policy.jitter = 0.5;
  policy.deadline = std::chrono::seconds(60);
  policy.retry_after_cap = std::chrono::seconds(10);
  return policy;
}

/// A request that POSTs `body` to `url` as JSON (Content-Type: application/json).
inline chathooks::http::HttpRequest json_post(std::string url, std::string body) {
  chathooks::http::HttpRequest request;
  request.url = std::move(url);
  request.body = std::move(body);
  REQUIRE(request.headers.set("Content-Type", "application/json").ok());
  return request;
}

inline std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

inline std::string unbase64(std::string_view text) {
  std::string out(3 * text.size() / 4 + 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(&out[0]),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) return {};
  std::size_t size = static_cast<std::size_t>(written);
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --size;
  out.resize(size);
  return out;
}

/// The reference v1 signature: "v1," + base64(HMAC-SHA256(key, id + "." + ts + "." + body)),
/// where key is the base64 after "whsec_".
inline std::string reference_signature(std::string_view secret, std::string_view id,
                                       std::string_view timestamp, std::string_view body) {
  std::string_view encoded = secret;
  if (encoded.substr(0, 6) == "whsec_") encoded.remove_prefix(6);
  const std::string key = unbase64(encoded);
  std::string content;
  content.append(id).append(".").append(timestamp).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &mac_size);
  return "v1," + base64(mac, mac_size);
}

}  // namespace chathooks_test
