// Deliverer over CurlTransport against a real cpp-httplib server on 127.0.0.1: the retries,
// Retry-After, final statuses and signatures seen by an actual receiver. Delays are a few
// milliseconds (one real second for Retry-After: 1), so the whole file runs in about two
// seconds.
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/http/curl_transport.hpp>
#include <chathooks/signing/verifier.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "delivery_test_support.hpp"
#include "http/test_server.hpp"

using chathooks::Errc;
using chathooks::delivery::Deliverer;
using chathooks::delivery::DelivererOptions;
using chathooks::delivery::SendResult;
using chathooks::http::HttpRequest;
using chathooks_test::TestServer;
using std::chrono::milliseconds;

namespace {

DelivererOptions quick_options() {
  DelivererOptions options;
  options.retry.max_attempts = 4;
  options.retry.initial_delay = milliseconds(10);
  options.retry.multiplier = 2.0;
  options.retry.max_delay = milliseconds(50);
  options.retry.jitter = 0.0;
  options.retry.deadline = std::chrono::seconds(30);  // Generous: a loaded machine under ASan.
  options.retry.retry_after_cap = std::chrono::seconds(5);
  return options;
}

Deliverer make(DelivererOptions options = quick_options()) {
  auto deliverer = Deliverer::create(chathooks_test::loopback_transport(), std::move(options));
  REQUIRE(deliverer.ok());
  return std::move(deliverer).value();
}

HttpRequest post(const TestServer& server, const std::string& path,
                 std::string body = "{\"event\":\"message\"}") {
  return chathooks_test::json_post(server.url(path), std::move(body));
}

/// What the receiver saw, one entry per request.
struct Seen {
  std::mutex mutex;
  std::vector<std::string> ids;
  std::vector<std::string> timestamps;
  std::vector<std::string> verdicts;  // "ok" or the verification error.
  int count = 0;

  int next() {
    std::lock_guard<std::mutex> lock(mutex);
    return ++count;
  }
};

}  // namespace

TEST_CASE("Loopback: fails twice then succeeds") {
  TestServer server;
  Seen seen;
  server.server().Post("/flaky", [&](const httplib::Request&, httplib::Response& res) {
    const int n = seen.next();
    res.status = n <= 2 ? 503 : 200;
    res.set_content(n <= 2 ? "busy" : "done", "text/plain");
  });
  server.start();

  const auto result = make().deliver(post(server, "/flaky"));
  REQUIRE(result.ok());
  CHECK(result.delivery.response->status == 200);
  CHECK(result.delivery.response->body == "done");
  REQUIRE(result.delivery.attempts.size() == 3);
  CHECK(result.delivery.attempts[0].status == 503);
  CHECK(result.delivery.attempts[1].status == 503);
  CHECK(result.delivery.attempts[2].status == 200);
  CHECK(result.delivery.attempts[1].delay_before == milliseconds(10));
  CHECK(result.delivery.attempts[2].delay_before == milliseconds(20));
  CHECK(server.requests() == 3);
}

TEST_CASE("Loopback: 429 with Retry-After: 1 waits one second") {
  TestServer server;
  Seen seen;
  server.server().Post("/limited", [&](const httplib::Request&, httplib::Response& res) {
    if (seen.next() == 1) {
      res.status = 429;
      res.set_header("Retry-After", "1");
    } else {
      res.status = 204;
    }
  });
  server.start();

  const auto started = std::chrono::steady_clock::now();
  const auto result = make().deliver(post(server, "/limited"));
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(result.ok());
  REQUIRE(result.delivery.attempts.size() == 2);
  CHECK(result.delivery.attempts[0].status == 429);
  CHECK(result.delivery.attempts[1].delay_before == milliseconds(1000));
  CHECK(took >= milliseconds(1000));  // The real sleeper waited (never shorter than asked).
}

TEST_CASE("Loopback: 410 is endpoint_gone and 400 is not retried") {
  TestServer server;
  server.server().Post("/gone",
                       [](const httplib::Request&, httplib::Response& res) { res.status = 410; });
  server.server().Post("/bad", [](const httplib::Request&, httplib::Response& res) {
    res.status = 400;
    res.set_content("{\"error\":\"missing field\"}", "application/json");
  });
  server.start();
  const auto deliverer = make();

  const auto gone = deliverer.deliver(post(server, "/gone"));
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code() == Errc::endpoint_gone);
  CHECK(gone.delivery.attempts.size() == 1);

  const auto bad = deliverer.deliver(post(server, "/bad"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code() == Errc::http_status);
  CHECK(bad.delivery.attempts.size() == 1);
  CHECK(bad.delivery.response->body == "{\"error\":\"missing field\"}");
  CHECK(server.requests() == 2);
}

TEST_CASE("Loopback: a receiver checks the signatures, webhook-id unchanged across retries") {
  auto verifier = chathooks::signing::Verifier::create({chathooks_test::kSecret});
  REQUIRE(verifier.ok());
  TestServer server;
  Seen seen;
  server.server().Post("/signed", [&](const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.get_header_value("webhook-id");
    const std::string timestamp = req.get_header_value("Webhook-Timestamp");
    const std::string signature = req.get_header_value("WEBHOOK-SIGNATURE");
    auto checked = verifier->verify(id, timestamp, signature, req.body);
    // And the reference algorithm, independent of chathooks.
    const bool reference = signature == chathooks_test::reference_signature(
                                            chathooks_test::kSecret, id, timestamp, req.body);
    std::lock_guard<std::mutex> lock(seen.mutex);
    seen.ids.push_back(id);
    seen.timestamps.push_back(timestamp);
    seen.verdicts.push_back(!checked.ok() ? checked.error().message()
                            : !reference  ? std::string("reference mismatch")
                                          : std::string("ok"));
    res.status = ++seen.count <= 2 ? 500 : 200;
  });
  server.start();

  auto options = quick_options();
  options.signing_keys = {chathooks_test::kSecret};
  const std::string body = "{\"text\":\"ol\xC3\xA1\",\"n\":1}";  // Non-ASCII bytes, signed as is.
  const auto result = make(options).deliver(post(server, "/signed", body));
  REQUIRE(result.ok());
  CHECK(result.delivery.attempts.size() == 3);
  std::lock_guard<std::mutex> lock(seen.mutex);
  CHECK(seen.verdicts == std::vector<std::string>{"ok", "ok", "ok"});
  REQUIRE(seen.ids.size() == 3);
  CHECK(seen.ids[0] == result.delivery.message_id);
  CHECK(seen.ids[1] == result.delivery.message_id);
  CHECK(seen.ids[2] == result.delivery.message_id);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(seen.timestamps[i] == std::to_string(*result.delivery.attempts[i].timestamp));
  }
}

TEST_CASE("Loopback: nothing listening is retried, then attempts run out") {
  // Connections to a closed port are refused.
  const int port = chathooks_test::closed_port();
  HttpRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/nobody";
  request.body = "{}";
  const auto result = make().deliver(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::attempts_exhausted);
  REQUIRE(result.delivery.attempts.size() == 4);
  for (const auto& attempt : result.delivery.attempts) {
    REQUIRE(attempt.error.has_value());
    CHECK(attempt.error->code() == Errc::connection_refused);
  }
}

TEST_CASE("Loopback: async delivery over the curl worker and the timer thread") {
  TestServer server;
  Seen seen;
  server.server().Post("/async", [&](const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(seen.mutex);
      seen.ids.push_back(req.get_header_value("webhook-id"));
    }
    res.status = seen.next() <= 2 ? 502 : 202;
  });
  server.start();

  auto options = quick_options();
  options.signing_keys = {chathooks_test::kSecret};
  int sleeps = 0;
  options.sleep = [&](milliseconds) { ++sleeps; };  // Must stay unused on the async path.
  const auto deliverer = make(options);

  std::mutex mutex;
  std::condition_variable done;
  std::optional<SendResult<void>> outcome;
  deliverer.deliver_async(post(server, "/async"), [&](SendResult<void> result) {
    std::lock_guard<std::mutex> lock(mutex);
    outcome = std::move(result);
    done.notify_all();
  });
  std::unique_lock<std::mutex> lock(mutex);
  REQUIRE(done.wait_for(lock, std::chrono::seconds(60), [&] { return outcome.has_value(); }));
  REQUIRE(outcome->ok());
  CHECK(outcome->delivery.attempts.size() == 3);
  CHECK(outcome->delivery.response->status == 202);
  CHECK(sleeps == 0);
  std::lock_guard<std::mutex> seen_lock(seen.mutex);
  CHECK(seen.ids == std::vector<std::string>(3, outcome->delivery.message_id));
}
