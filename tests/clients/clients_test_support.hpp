// Helpers of the client tests: the test vectors (decoded or not), a client over a CurlTransport
// allowed to reach loopback, quick retry policies, the checks every client test makes of a
// delivery and of a failure, a loopback server that records what it receives (Received, filled
// on server threads and read by the test thread), a route that fails before it answers, and a
// one-shot slot for asynchronous results.
// Thread-safety: Received, RecordingServer and Slot are thread-safe; the rest are plain functions
// that use Catch2 assertions and belong on the test's main thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/delivery/send_result.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "codec/codec_test_support.hpp"
#include "http/test_server.hpp"

namespace clients_test {

/// The secret of the Standard Webhooks specification's reference vector.
inline constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// The bytes of tests/data/<name>; fails the test when the file cannot be read.
using codec_test::load_vector;

/// tests/data/<name> decoded by `decode` (a codec's decode_*, called with default options and
/// no warning list); fails the test when it does not decode.
template <class Decode>
auto decode_vector(std::string_view name, Decode decode) {
  auto decoded = decode(load_vector(name), chathooks::ParseOptions{}, nullptr);
  INFO("test vector " << name);
  REQUIRE(decoded.ok());
  return std::move(decoded).value();
}

/// The Flw document's dispatch (tests/data/flw_dispatch.json).
inline chathooks::flw::Dispatch documented_dispatch() {
  return decode_vector("flw_dispatch.json", &chathooks::flw::decode_dispatch);
}

/// The Cliengo document's request, the chatbot's memory (tests/data/cliengo_request.json).
inline chathooks::cliengo::Memory documented_memory() {
  return decode_vector("cliengo_request.json", &chathooks::cliengo::decode_memory);
}

/// A shared CurlTransport that may reach 127.0.0.1 (the destination guard refuses it by
/// default).
using chathooks_test::loopback_transport;

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

/// quick_options() that sign each request with kSecret.
inline chathooks::delivery::DelivererOptions signing_options() {
  chathooks::delivery::DelivererOptions options = quick_options();
  options.signing_keys = {kSecret};
  return options;
}

/// A `Client` (flw::, cliengo:: or boticario::Client) over loopback_transport().
template <class Client>
Client make_client(chathooks::delivery::DelivererOptions options = quick_options()) {
  auto client = Client::create(loopback_transport(), std::move(options));
  REQUIRE(client.ok());
  return std::move(client).value();
}

/// Delivered, whatever the answer means: the record's response is a 2xx, and the last attempt
/// got it without a transport error.
inline void check_delivered(const chathooks::delivery::DeliveryRecord& delivery) {
  REQUIRE_FALSE(delivery.attempts.empty());
  REQUIRE(delivery.response.has_value());
  CHECK(delivery.response->status >= 200);
  CHECK(delivery.response->status <= 299);
  CHECK(delivery.attempts.back().status == delivery.response->status);
  CHECK_FALSE(delivery.attempts.back().error.has_value());
}

/// Whether T is a delivery::SendResult (which holds its Result as `result`).
template <class T>
struct IsSendResult : std::false_type {};
template <class T>
struct IsSendResult<chathooks::delivery::SendResult<T>> : std::true_type {};

/// A failure (a SendResult or a Result): the error, and no answer to read by mistake.
template <class Sent>
void check_no_answer(const Sent& sent) {
  CHECK_FALSE(sent.ok());
  CHECK_FALSE(static_cast<bool>(sent));
  if constexpr (IsSendResult<Sent>::value) CHECK_FALSE(sent.result.ok());
  CHECK_THROWS_AS(sent.value(), chathooks::BadResultAccess);
}

/// A failure with the error code `code` (and check_no_answer()).
template <class Sent>
void check_error(const Sent& sent, chathooks::Errc code) {
  check_no_answer(sent);
  REQUIRE_FALSE(sent.ok());
  CHECK(sent.error().code() == code);
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

/// The loopback server of a client test: answer() routes record each request in received(),
/// with `decode` (a codec's decode_*) failing on the body as the entry's problem.
template <class Decode>
class RecordingServer : public chathooks_test::TestServer {
 public:
  explicit RecordingServer(Decode decode) : decode_(decode) {}
  // Stopped before received_ goes: no handler may still be adding to it.
  ~RecordingServer() { stop(); }
  RecordingServer(const RecordingServer&) = delete;
  RecordingServer& operator=(const RecordingServer&) = delete;

  /// Answers POSTs to `path` with `status` and `body` (as JSON; no body when empty).
  void answer(const std::string& path, int status, std::string body) {
    server().Post(
        path, [this, status, body](const httplib::Request& request, httplib::Response& response) {
          Received::Entry entry{request.body, request.get_header_value("Content-Type"), ""};
          auto decoded = decode_(request.body, chathooks::ParseOptions{}, nullptr);
          if (!decoded) entry.problem = decoded.error().to_string();
          received_.add(std::move(entry));
          response.status = status;
          if (!body.empty()) response.set_content(body, "application/json");
        });
  }
  /// What the answer() routes received.
  Received& received() { return received_; }

 private:
  const Decode decode_;
  Received received_;
};

/// Answers POSTs to `path` with 500 the first `failures` times, then with 200 and `body` (as
/// JSON), counting the requests in `calls`.
inline void fail_then_answer(chathooks_test::TestServer& server, const std::string& path,
                             int failures, std::string body, std::atomic<int>& calls) {
  server.server().Post(
      path, [&calls, failures, body](const httplib::Request&, httplib::Response& response) {
        if (++calls <= failures) {
          response.status = 500;
          return;
        }
        response.status = 200;
        response.set_content(body, "application/json");
      });
}

/// Holds the one value an asynchronous callback delivers; the test thread waits for it.
template <class T>
class Slot {
 public:
  void put(T value) {
    // Notify with the lock held: once the waiter can see the value it may return, and the test
    // then destroys this Slot; a notify after unlocking could touch the destroyed condition
    // variable (ThreadSanitizer reported exactly that: pthread_cond_broadcast on the callback's
    // thread racing pthread_cond_destroy on the test's).
    std::lock_guard<std::mutex> lock(mutex_);
    value_ = std::move(value);
    ++puts_;
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
