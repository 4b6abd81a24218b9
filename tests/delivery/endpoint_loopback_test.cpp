// EndpointPolicy over the curl transport against a loopback receiver: the breaker opens on a
// flaky receiver, refuses without sending while open, probes and closes once it recovers; the
// rate limit spaces the asynchronous attempts (no more than the limit allows, within 10 %).
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/delivery/endpoint_policy.hpp>
#include <chathooks/http/curl_transport.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "catch.hpp"
#include "delivery_test_support.hpp"
#include "http/test_server.hpp"

using chathooks::Errc;
using chathooks::delivery::Deliverer;
using chathooks::delivery::DelivererOptions;
using chathooks::delivery::EndpointPolicy;
using chathooks::delivery::EndpointPolicyOptions;
using chathooks::delivery::EndpointState;
using std::chrono::milliseconds;

TEST_CASE("Breaker over loopback: opens on a flaky receiver, probes, closes when it recovers") {
  chathooks_test::TestServer server;
  std::atomic<int> calls{0};
  std::atomic<bool> healthy{false};
  server.server().Post("/hook", [&](const httplib::Request&, httplib::Response& response) {
    ++calls;
    response.status = healthy ? 200 : 503;
  });
  server.start();
  EndpointPolicyOptions policy_options;
  policy_options.breaker.failure_threshold = 3;
  policy_options.breaker.open_for = milliseconds(300);
  auto policy = EndpointPolicy::create(policy_options);
  REQUIRE(policy.ok());
  DelivererOptions options;
  options.retry.max_attempts = 1;  // each delivery is one attempt: the breaker counts them
  options.endpoints = *policy;
  auto deliverer = Deliverer::create(chathooks_test::loopback_transport(), options);
  REQUIRE(deliverer.ok());
  const auto send = [&] {
    return deliverer->deliver(chathooks_test::json_post(server.url("/hook"), "{}"));
  };

  for (int i = 0; i < 3; ++i) CHECK(send().error().code() == Errc::attempts_exhausted);
  CHECK(calls == 3);
  const auto refused = send();
  CHECK(refused.error().code() == Errc::circuit_open);
  CHECK(refused.delivery.attempts.empty());
  CHECK(calls == 3);  // nothing was sent while the endpoint is paused

  healthy = true;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool delivered = false;
  while (!delivered && std::chrono::steady_clock::now() < deadline) {
    delivered = send().ok();
    if (!delivered) std::this_thread::sleep_for(milliseconds(20));
  }
  CHECK(delivered);
  CHECK(calls == 4);  // the probe was the one request after the pause
  CHECK((*policy)->endpoints().at(0).state == EndpointState::closed);
  CHECK(send().ok());
}

TEST_CASE("Rate limit over loopback: asynchronous attempts spaced as the limit says") {
  chathooks_test::TestServer server;
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> arrivals;
  server.server().Post("/hook", [&](const httplib::Request&, httplib::Response& response) {
    std::lock_guard<std::mutex> lock(mutex);
    arrivals.push_back(std::chrono::steady_clock::now());
    response.status = 204;
  });
  server.start();
  EndpointPolicyOptions policy_options;
  policy_options.rate_limit.per_second = 50;
  policy_options.rate_limit.burst = 5;
  auto policy = EndpointPolicy::create(policy_options);
  REQUIRE(policy.ok());
  DelivererOptions options;
  options.endpoints = *policy;
  auto deliverer = Deliverer::create(chathooks_test::loopback_transport(), options);
  REQUIRE(deliverer.ok());

  constexpr int kSends = 60;
  std::vector<chathooks::delivery::PendingSend<void>> sends;
  const auto started = std::chrono::steady_clock::now();  // before the first slot is granted
  for (int i = 0; i < kSends; ++i)
    sends.push_back(deliverer->deliver_async(chathooks_test::json_post(server.url("/hook"), "{}")));
  for (auto& send : sends) {
    REQUIRE(send.result.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    CHECK(send.result.get().ok());
  }
  std::lock_guard<std::mutex> lock(mutex);
  REQUIRE(arrivals.size() == kSends);
  std::sort(arrivals.begin(), arrivals.end());
  // However the requests were delayed on the way, the k-th cannot arrive before its slot:
  // the burst at once, then one per 20 ms from the first grant. 10 % of slack.
  for (std::size_t k = 0; k < arrivals.size(); ++k) {
    const double seconds = std::chrono::duration<double>(arrivals[k] - started).count();
    const double allowed = 5.0 + seconds * 50.0 * 1.1;
    INFO("request " << k << " at " << seconds << " s");
    CHECK(static_cast<double>(k + 1) <= allowed + 1e-9);
  }
  // And the whole run took about as long as the limit says: 55 slots after the burst.
  const double total = std::chrono::duration<double>(arrivals.back() - started).count();
  CHECK(total >= 55.0 / 50.0 * 0.9);
}
