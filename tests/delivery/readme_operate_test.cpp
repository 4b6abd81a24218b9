// The README's "Operating it" code, run: metrics, the log listener, an endpoint policy and a
// traceparent on one Deliverer, against a loopback receiver; the metrics then match the
// deliveries made.
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/delivery/endpoint_policy.hpp>
#include <chathooks/http/curl_transport.hpp>
#include <chathooks/log.hpp>
#include <chathooks/metrics/registry.hpp>
#include <chathooks/metrics/watch.hpp>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "catch.hpp"
#include "delivery_test_support.hpp"
#include "http/test_server.hpp"

using namespace chathooks;

TEST_CASE("README: operating it (metrics, log, endpoint policy, traceparent)") {
  chathooks_test::TestServer server;
  std::atomic<int> calls{0};
  std::string trace_seen;
  std::mutex mutex;
  server.server().Post("/hook", [&](const httplib::Request& request, httplib::Response& response) {
    std::lock_guard<std::mutex> lock(mutex);
    trace_seen = request.get_header_value("traceparent");
    response.status = ++calls == 1 ? 503 : 200;
  });
  server.start();
  std::vector<std::string> log_lines;
  http::CurlTransportOptions transport_options;
  transport_options.allow_private_addresses = true;
  auto transport = http::make_curl_transport(transport_options);
  const std::string url = server.url("/hook");

  // Metrics for everything the deliverer does; logs at info and above, one logfmt line each.
  auto metrics = metrics::Registry::create();
  log::set_listener([&](const log::Record& record) { log_lines.push_back(log::to_line(record)); },
                    log::Level::info);

  // Pause an endpoint after 5 failures in 5 minutes; at most 20 requests a second to each.
  delivery::EndpointPolicyOptions policy_options;
  policy_options.rate_limit.per_second = 20;
  policy_options.observer = metrics->delivery_observer();
  auto endpoints = delivery::EndpointPolicy::create(policy_options).value();
  (void)metrics::watch_endpoints(*metrics, endpoints);

  delivery::DelivererOptions options;
  options.observer = metrics->delivery_observer();
  options.endpoints = endpoints;
  options.make_traceparent = true;
  options.retry.initial_delay = std::chrono::milliseconds(10);
  auto deliverer = delivery::Deliverer::create(transport, options).value();

  http::HttpRequest request;  // a POST
  request.url = url;
  request.body = R"({"n":1})";
  auto sent = deliverer.deliver_async(std::move(request));
  const delivery::SendResult<void> result = sent.result.get();

  // Serve this on GET /metrics (chathooks serve --metrics-port does).
  const std::string exposition = metrics::to_prometheus(metrics->snapshot());
  log::set_listener(nullptr);

  REQUIRE(result.ok());
  CHECK(result.delivery.attempts.size() == 2);
  CHECK(TraceParent::parse(trace_seen).has_value());
  const auto snapshot = metrics->snapshot();
  // No DelivererOptions::label: the protocol label is left out.
  const metrics::Labels delivered{{"server.address", "127.0.0.1"}, {"outcome", "delivered"}};
  CHECK(snapshot.value("chathooks.deliveries", delivered) == 1.0);
  CHECK(snapshot.find("chathooks.delivery.attempts")->total() == 2.0);
  CHECK(snapshot.find("chathooks.delivery.retries")->total() == 1.0);
  CHECK(snapshot.find("http.client.request.duration")->total() == 2.0);
  CHECK(exposition.find("chathooks_deliveries_total{") != std::string::npos);
  REQUIRE(log_lines.size() == 3);  // the failed attempt (warning), the delivered one, the end
  CHECK(log_lines[0].rfind("level=warning event=delivery.attempt", 0) == 0);
  CHECK(log_lines[2].rfind("level=info event=delivery.end", 0) == 0);
}
