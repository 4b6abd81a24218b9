// watch_outbox() and watch_endpoints(): gauges read from a real SQLite outbox and a policy at
// each snapshot.
#include <chathooks/delivery/endpoint_policy.hpp>
#include <chathooks/metrics/watch.hpp>
#include <chathooks/outbox/sqlite_store.hpp>
#include <chathooks/outbox/worker.hpp>

#include <string>

#include "catch.hpp"
#include "outbox/outbox_test_support.hpp"

using chathooks::Errc;
using chathooks::metrics::Registry;

TEST_CASE("watch_outbox: the depth by state, read at each snapshot") {
  outbox_test::TempFile file;
  auto store = chathooks::outbox::open_sqlite_store(file.path()).value();
  auto registry = Registry::create();
  REQUIRE(chathooks::metrics::watch_outbox(*registry, store));
  CHECK(chathooks::metrics::watch_outbox(*registry, store).error().code() ==
        Errc::invalid_argument);  // once per registry
  CHECK(chathooks::metrics::watch_outbox(*registry, nullptr).error().code() ==
        Errc::invalid_argument);
  CHECK(registry->snapshot().value("chathooks.outbox.depth", {{"state", "pending"}}) == 0.0);
  chathooks::http::HttpRequest request;
  request.url = "https://hooks.example/a";
  REQUIRE(chathooks::outbox::enqueue(*store, request));
  REQUIRE(chathooks::outbox::enqueue(*store, request));
  const auto snapshot = registry->snapshot();
  CHECK(snapshot.value("chathooks.outbox.depth", {{"state", "pending"}}) == 2.0);
  CHECK(snapshot.value("chathooks.outbox.depth", {{"state", "dead"}}) == 0.0);
  CHECK(chathooks::metrics::to_prometheus(snapshot).find(
            "chathooks_outbox_depth{state=\"pending\"} 2\n") != std::string::npos);
}

TEST_CASE("watch_endpoints: each endpoint's breaker state and failures") {
  chathooks::delivery::EndpointPolicyOptions options;
  options.breaker.failure_threshold = 2;
  auto policy = chathooks::delivery::EndpointPolicy::create(options).value();
  auto registry = Registry::create();
  REQUIRE(chathooks::metrics::watch_endpoints(*registry, policy));
  const char* url = "https://hooks.example/a";
  chathooks::http::HttpResponse busy;
  busy.status = 503;
  for (int i = 0; i < 2; ++i) {
    const auto admission = policy->admit(url);
    policy->record(url, busy, admission.probe);
  }
  const auto snapshot = registry->snapshot();
  const std::string endpoint = "https://hooks.example:443";
  CHECK(snapshot.value("chathooks.endpoint.state", {{"endpoint", endpoint}, {"state", "open"}}) ==
        1.0);
  CHECK(snapshot.value("chathooks.endpoint.state", {{"endpoint", endpoint}, {"state", "closed"}}) ==
        0.0);
  CHECK(snapshot.value("chathooks.endpoint.consecutive_failures", {{"endpoint", endpoint}}) == 2.0);
}
