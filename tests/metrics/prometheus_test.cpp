// to_prometheus(): the exact text for a small registry, histogram buckets written cumulative,
// names and units, escaping, and the order of families and samples.
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/metrics/registry.hpp"
#include "metrics/metrics_test_support.hpp"

using chathooks::metrics::Family;
using chathooks::metrics::GaugeValue;
using chathooks::metrics::Kind;
using chathooks::metrics::kPrometheusContentType;
using chathooks::metrics::Registry;
using chathooks::metrics::RegistryOptions;
using chathooks::metrics::Sample;
using chathooks::metrics::Snapshot;
using chathooks::metrics::to_prometheus;
using namespace metrics_test;

TEST_CASE("the Prometheus text of a delivery that succeeded on its second attempt") {
  RegistryOptions options;
  options.duration_buckets = {0.1, 1};
  auto registry = Registry::create(options);
  auto observer = registry->delivery_observer();
  const auto info = delivery("flw", "hooks.example.com");
  attempt_end(*observer, info, 503, std::nullopt, 200ms, std::chrono::milliseconds(1000), 1);
  attempt_end(*observer, info, 200, std::nullopt, 4ms, std::nullopt, 2);
  delivery_end(*observer, info);

  const std::string labels = R"(chathooks_protocol="flw",server_address="hooks.example.com")";
  const std::string ok = labels + R"(,http_request_method="POST",http_response_status_code="200")";
  const std::string unavailable =
      labels + R"(,http_request_method="POST",http_response_status_code="503",error_type="503")";
  const std::string expected =
      "# HELP chathooks_deliveries_total Deliveries ended, by outcome.\n"
      "# TYPE chathooks_deliveries_total counter\n"
      "chathooks_deliveries_total{" +
      labels + R"(,outcome="delivered"})" +
      " 1\n"
      "# HELP chathooks_delivery_attempts_total Delivery attempts ended.\n"
      "# TYPE chathooks_delivery_attempts_total counter\n"
      "chathooks_delivery_attempts_total{" +
      labels +
      "} 2\n"
      "# HELP chathooks_delivery_retries_total Delivery attempts followed by another attempt.\n"
      "# TYPE chathooks_delivery_retries_total counter\n"
      "chathooks_delivery_retries_total{" +
      labels +
      "} 1\n"
      "# HELP chathooks_receiver_conflicts_total Requests whose idempotency key was seen before "
      "with another body.\n"
      "# TYPE chathooks_receiver_conflicts_total counter\n"
      "# HELP chathooks_receiver_decode_warnings_total Payload members the tolerant decode kept "
      "as they came.\n"
      "# TYPE chathooks_receiver_decode_warnings_total counter\n"
      "# HELP chathooks_receiver_dedupe_hits_total Requests answered as duplicates of a delivery "
      "already handled.\n"
      "# TYPE chathooks_receiver_dedupe_hits_total counter\n"
      "# HELP chathooks_receiver_handler_duration_seconds Time spent in the host's handler.\n"
      "# TYPE chathooks_receiver_handler_duration_seconds histogram\n"
      "# HELP chathooks_receiver_replies_total Requests a receiver answered.\n"
      "# TYPE chathooks_receiver_replies_total counter\n"
      "# HELP http_client_request_duration_seconds Duration of delivery attempts, from handing "
      "the request to the transport to its outcome.\n"
      "# TYPE http_client_request_duration_seconds histogram\n"
      "http_client_request_duration_seconds_bucket{" +
      ok + R"(,le="0.1"})" +
      " 1\n"
      "http_client_request_duration_seconds_bucket{" +
      ok + R"(,le="1"})" +
      " 1\n"
      "http_client_request_duration_seconds_bucket{" +
      ok + R"(,le="+Inf"})" +
      " 1\n"
      "http_client_request_duration_seconds_sum{" +
      ok +
      "} 0.004\n"
      "http_client_request_duration_seconds_count{" +
      ok +
      "} 1\n"
      "http_client_request_duration_seconds_bucket{" +
      unavailable + R"(,le="0.1"})" +
      " 0\n"
      "http_client_request_duration_seconds_bucket{" +
      unavailable + R"(,le="1"})" +
      " 1\n"
      "http_client_request_duration_seconds_bucket{" +
      unavailable + R"(,le="+Inf"})" +
      " 1\n"
      "http_client_request_duration_seconds_sum{" +
      unavailable +
      "} 0.2\n"
      "http_client_request_duration_seconds_count{" +
      unavailable +
      "} 1\n"
      "# HELP http_server_request_duration_seconds Duration of Receiver::handle(), the handler "
      "included.\n"
      "# TYPE http_server_request_duration_seconds histogram\n";
  CHECK(to_prometheus(registry->snapshot()) == expected);
  CHECK(std::string(kPrometheusContentType) == "text/plain; version=0.0.4; charset=utf-8");
}

TEST_CASE("histogram buckets are written cumulative, +Inf last, equal to _count") {
  Snapshot snapshot;
  Family f;
  f.name = "x.latency";
  f.unit = "s";
  f.help = "Latency.";
  f.kind = Kind::histogram;
  f.bounds = {0.005, 0.5, 2.5};
  Sample s;
  s.bucket_counts = {3, 0, 2, 4};
  s.count = 9;
  s.value = 9;
  s.sum = 12.25;
  f.samples.push_back(s);
  snapshot.families.push_back(f);
  CHECK(to_prometheus(snapshot) ==
        "# HELP x_latency_seconds Latency.\n"
        "# TYPE x_latency_seconds histogram\n"
        "x_latency_seconds_bucket{le=\"0.005\"} 3\n"
        "x_latency_seconds_bucket{le=\"0.5\"} 3\n"
        "x_latency_seconds_bucket{le=\"2.5\"} 5\n"
        "x_latency_seconds_bucket{le=\"+Inf\"} 9\n"
        "x_latency_seconds_sum 12.25\n"
        "x_latency_seconds_count 9\n");
}

TEST_CASE("label values and help text are escaped, label names get underscores") {
  auto registry = Registry::create();
  REQUIRE(registry->add_gauge("chathooks.outbox.depth", "Depth \\ by state\nper store.", [] {
    return std::vector<GaugeValue>{{{{"outbox.state", "a\\b\"c\nd"}}, 2}};
  }));
  const std::string text = to_prometheus(registry->snapshot());
  CHECK(text.find("# HELP chathooks_outbox_depth Depth \\\\ by state\\nper store.\n"
                  "# TYPE chathooks_outbox_depth gauge\n"
                  "chathooks_outbox_depth{outbox_state=\"a\\\\b\\\"c\\nd\"} 2\n") !=
        std::string::npos);
}

TEST_CASE("names (units, _total, characters Prometheus does not allow) and values") {
  Snapshot snapshot;
  const auto add = [&](std::string name, std::string unit, Kind kind, double value) {
    Family f;
    f.name = std::move(name);
    f.unit = std::move(unit);
    f.help = "H.";
    f.kind = kind;
    Sample s;
    s.value = value;
    f.samples.push_back(s);
    snapshot.families.push_back(f);
  };
  add("e.wait_seconds", "s", Kind::gauge, 0.5);   // the unit is not repeated
  add("d.sent", "By", Kind::counter, 1024);       // bytes, then _total
  add("c.queue", "{message}", Kind::gauge, 3);    // an annotation adds nothing
  add("b.requests_total", "", Kind::counter, 7);  // _total is not repeated
  add("a.odd-name/x", "", Kind::gauge, std::numeric_limits<double>::infinity());
  add("9.nan", "", Kind::gauge, std::numeric_limits<double>::quiet_NaN());
  CHECK(to_prometheus(snapshot) ==
        "# HELP _9_nan H.\n# TYPE _9_nan gauge\n_9_nan NaN\n"
        "# HELP a_odd_name_x H.\n# TYPE a_odd_name_x gauge\na_odd_name_x +Inf\n"
        "# HELP b_requests_total H.\n# TYPE b_requests_total counter\nb_requests_total 7\n"
        "# HELP c_queue H.\n# TYPE c_queue gauge\nc_queue 3\n"
        "# HELP d_sent_bytes_total H.\n# TYPE d_sent_bytes_total counter\nd_sent_bytes_total "
        "1024\n"
        "# HELP e_wait_seconds H.\n# TYPE e_wait_seconds gauge\ne_wait_seconds 0.5\n");
}

TEST_CASE("samples are written sorted by labels, whatever order the snapshot holds") {
  Snapshot snapshot;
  Family f;
  f.name = "depth";
  f.help = "Depth.";
  f.kind = Kind::gauge;
  for (const char* state : {"pending", "dead", "leased"}) {
    Sample s;
    s.labels = {{"state", state}};
    s.value = 1;
    f.samples.push_back(s);
  }
  snapshot.families.push_back(f);
  CHECK(to_prometheus(snapshot) ==
        "# HELP depth Depth.\n# TYPE depth gauge\n"
        "depth{state=\"dead\"} 1\ndepth{state=\"leased\"} 1\ndepth{state=\"pending\"} 1\n");
}
