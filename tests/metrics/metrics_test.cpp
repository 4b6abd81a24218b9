// The Registry fed synthetic delivery and receiver events: what each metric counts and with
// which labels, histogram buckets, the bounds on label values, gauges, the snapshot's lookups,
// and an observer that keeps its registry alive.
#include <chrono>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/metrics/registry.hpp"
#include "metrics/metrics_test_support.hpp"

using chathooks::Errc;
using chathooks::metrics::GaugeValue;
using chathooks::metrics::Kind;
using chathooks::metrics::Labels;
using chathooks::metrics::Registry;
using chathooks::metrics::RegistryOptions;
using chathooks::receiver::Disposition;
using namespace metrics_test;

namespace {

const Labels kFlwHost{{"chathooks.protocol", "flw"}, {"server.address", "hooks.example.com"}};

}  // namespace

TEST_CASE("a new registry has every built-in family, with no samples") {
  const auto snapshot = Registry::create()->snapshot();
  const std::vector<std::pair<std::string, Kind>> expected{
      {"chathooks.deliveries", Kind::counter},
      {"chathooks.delivery.attempts", Kind::counter},
      {"chathooks.delivery.retries", Kind::counter},
      {"chathooks.receiver.conflicts", Kind::counter},
      {"chathooks.receiver.decode_warnings", Kind::counter},
      {"chathooks.receiver.dedupe_hits", Kind::counter},
      {"chathooks.receiver.handler.duration", Kind::histogram},
      {"chathooks.receiver.replies", Kind::counter},
      {"http.client.request.duration", Kind::histogram},
      {"http.server.request.duration", Kind::histogram},
  };
  REQUIRE(snapshot.families.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(i);
    CHECK(snapshot.families[i].name == expected[i].first);
    CHECK(snapshot.families[i].kind == expected[i].second);
    CHECK(snapshot.families[i].samples.empty());
    CHECK(snapshot.families[i].unit == (expected[i].second == Kind::histogram ? "s" : ""));
    CHECK(!snapshot.families[i].help.empty());
  }
  const auto* duration = snapshot.find("http.client.request.duration");
  REQUIRE(duration);
  CHECK(duration->bounds == std::vector<double>{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
                                                0.75, 1, 2.5, 5, 7.5, 10});
  CHECK(snapshot.find("no.such.metric") == nullptr);
}

TEST_CASE("attempts: a duration per attempt, with status, method and error type") {
  auto registry = Registry::create();
  auto observer = registry->delivery_observer();
  const auto info = delivery("flw", "hooks.example.com");
  attempt_end(*observer, info, 503, std::nullopt, 200ms, std::chrono::milliseconds(1000), 1);
  attempt_end(*observer, info, std::nullopt, Errc::timeout, 30s, std::chrono::milliseconds(2000),
              2);
  attempt_end(*observer, info, 200, std::nullopt, 4ms, std::nullopt, 3);

  const auto snapshot = registry->snapshot();
  const auto* duration = snapshot.find("http.client.request.duration");
  REQUIRE(duration);
  REQUIRE(duration->samples.size() == 3);

  const auto* ok = duration->find({{"chathooks.protocol", "flw"},
                                   {"server.address", "hooks.example.com"},
                                   {"http.request.method", "POST"},
                                   {"http.response.status_code", "200"}});
  REQUIRE(ok);
  CHECK(ok->count == 1);
  CHECK(ok->sum == Approx(0.004));
  CHECK(!ok->label("error.type"));

  // A status >= 400 is its own error type, as OpenTelemetry says.
  const auto* unavailable = duration->find({{"http.response.status_code", "503"},
                                            {"error.type", "503"},
                                            {"chathooks.protocol", "flw"},
                                            {"http.request.method", "POST"},
                                            {"server.address", "hooks.example.com"}});
  REQUIRE(unavailable);
  CHECK(unavailable->sum == Approx(0.2));

  // A transport error: the Errc name, no status label.
  const auto* timed_out = duration->find({{"chathooks.protocol", "flw"},
                                          {"server.address", "hooks.example.com"},
                                          {"http.request.method", "POST"},
                                          {"error.type", "timeout"}});
  REQUIRE(timed_out);
  CHECK(!timed_out->label("http.response.status_code"));
  CHECK(timed_out->bucket_counts.back() == 1);  // 30 s is above the last bound (10 s)

  CHECK(snapshot.value("chathooks.delivery.attempts", kFlwHost) == 3.0);
  CHECK(snapshot.value("chathooks.delivery.retries", kFlwHost) == 2.0);
  // No delivery ended yet.
  CHECK(snapshot.find("chathooks.deliveries")->samples.empty());
}

TEST_CASE("deliveries: delivered, failed with the error code, cancelled") {
  auto registry = Registry::create();
  auto observer = registry->delivery_observer();
  const auto flw = delivery("flw", "hooks.example.com");
  const auto outbox = delivery("outbox", "other.example.com");
  delivery_end(*observer, flw);
  delivery_end(*observer, flw);
  delivery_end(*observer, flw, Errc::attempts_exhausted);
  delivery_end(*observer, outbox, Errc::cancelled);
  delivery_end(*observer, outbox, Errc::endpoint_gone);

  const auto snapshot = registry->snapshot();
  const auto* deliveries = snapshot.find("chathooks.deliveries");
  REQUIRE(deliveries);
  CHECK(deliveries->samples.size() == 4);
  CHECK(deliveries->total() == 5.0);
  CHECK(snapshot.value("chathooks.deliveries", {{"chathooks.protocol", "flw"},
                                                {"server.address", "hooks.example.com"},
                                                {"outcome", "delivered"}}) == 2.0);
  CHECK(snapshot.value("chathooks.deliveries", {{"chathooks.protocol", "flw"},
                                                {"server.address", "hooks.example.com"},
                                                {"outcome", "failed"},
                                                {"error.type", "attempts_exhausted"}}) == 1.0);
  CHECK(snapshot.value("chathooks.deliveries", {{"chathooks.protocol", "outbox"},
                                                {"server.address", "other.example.com"},
                                                {"outcome", "cancelled"},
                                                {"error.type", "cancelled"}}) == 1.0);
  CHECK(snapshot.value("chathooks.deliveries", {{"chathooks.protocol", "outbox"},
                                                {"server.address", "other.example.com"},
                                                {"outcome", "failed"},
                                                {"error.type", "endpoint_gone"}}) == 1.0);
  // Labels must match exactly: a subset is not a sample.
  CHECK(!snapshot.value("chathooks.deliveries", {{"chathooks.protocol", "flw"}}));
}

TEST_CASE("a value equal to a bucket's bound is counted in that bucket") {
  RegistryOptions options;
  options.duration_buckets = {0.005, 0.01, 10};
  auto registry = Registry::create(options);
  auto observer = registry->delivery_observer();
  const auto info = delivery("flw", "hooks.example.com");
  for (const std::chrono::nanoseconds elapsed :
       {0ns, -5ns, std::chrono::nanoseconds(5ms), 5ms + 1ns, std::chrono::nanoseconds(10ms),
        std::chrono::nanoseconds(10s), 10s + 1ns})
    attempt_end(*observer, info, 200, std::nullopt, elapsed);

  const auto snapshot = registry->snapshot();
  const auto* duration = snapshot.find("http.client.request.duration");
  REQUIRE(duration);
  CHECK(duration->bounds == std::vector<double>{0.005, 0.01, 10});
  REQUIRE(duration->samples.size() == 1);
  const auto& sample = duration->samples[0];
  // 0, -5ns (counted as 0) and 5ms in le=0.005; 5ms+1ns and 10ms in le=0.01; 10s in le=10;
  // 10s+1ns above. Not cumulative.
  CHECK(sample.bucket_counts == std::vector<std::uint64_t>{3, 2, 1, 1});
  CHECK(sample.count == 7);
  CHECK(sample.value == 7.0);
  CHECK(sample.sum == Approx(20.020000002).epsilon(1e-15));  // summed in whole nanoseconds
}

TEST_CASE("bucket bounds are sorted, and repeated, negative and non-finite ones dropped") {
  RegistryOptions options;
  options.duration_buckets = {1,
                              0.5,
                              -1,
                              1,
                              std::numeric_limits<double>::infinity(),
                              std::numeric_limits<double>::quiet_NaN()};
  const auto snapshot = Registry::create(options)->snapshot();
  for (const char* name : {"http.client.request.duration", "http.server.request.duration",
                           "chathooks.receiver.handler.duration"}) {
    CAPTURE(name);
    REQUIRE(snapshot.find(name));
    CHECK(snapshot.find(name)->bounds == std::vector<double>{0.5, 1});
  }
}

TEST_CASE("label values are bounded: methods, status codes and hosts") {
  RegistryOptions options;
  options.max_server_addresses = 2;
  auto registry = Registry::create(options);
  auto observer = registry->delivery_observer();
  attempt_end(*observer, delivery("flw", "a.example.com"), 200, std::nullopt, 1ms);
  attempt_end(*observer, delivery("flw", "b.example.com"), 200, std::nullopt, 1ms);
  attempt_end(*observer, delivery("flw", "c.example.com"), 200, std::nullopt, 1ms);
  attempt_end(*observer, delivery("flw", "d.example.com"), 200, std::nullopt, 1ms);
  // A host kept before the cap was reached stays itself in label sets first seen later.
  attempt_end(*observer, delivery("flw", "a.example.com"), 404, std::nullopt, 1ms);
  delivery_end(*observer, delivery("flw", "e.example.com"));
  attempt_end(*observer, delivery("flw", "b.example.com", "BREW"), 999, std::nullopt, 1ms);

  const auto snapshot = registry->snapshot();
  CHECK(snapshot.value("chathooks.delivery.attempts",
                       {{"chathooks.protocol", "flw"}, {"server.address", "a.example.com"}}) ==
        2.0);
  CHECK(snapshot.value("chathooks.delivery.attempts",
                       {{"chathooks.protocol", "flw"}, {"server.address", "b.example.com"}}) ==
        2.0);
  CHECK(snapshot.value("chathooks.delivery.attempts",
                       {{"chathooks.protocol", "flw"}, {"server.address", "_OTHER"}}) == 2.0);
  CHECK(snapshot.find("chathooks.delivery.attempts")->samples.size() == 3);
  CHECK(snapshot.value("chathooks.deliveries", {{"chathooks.protocol", "flw"},
                                                {"server.address", "_OTHER"},
                                                {"outcome", "delivered"}}) == 1.0);
  // 999 is out of range, and as a status >= 400 it is also the error type.
  CHECK(snapshot.value("http.client.request.duration", {{"chathooks.protocol", "flw"},
                                                        {"server.address", "b.example.com"},
                                                        {"http.request.method", "_OTHER"},
                                                        {"http.response.status_code", "_OTHER"},
                                                        {"error.type", "_OTHER"}}) == 1.0);
  // Nothing in any label holds the message id or the URL.
  for (const auto& family : snapshot.families)
    for (const auto& sample : family.samples)
      for (const auto& [name, label] : sample.labels) {
        CHECK(label.find("msg_") == std::string::npos);
        CHECK(label.find("https://") == std::string::npos);
      }
}

TEST_CASE("requests: replies, duplicates, conflicts, warnings and durations") {
  auto registry = Registry::create();
  auto observer = registry->receiver_observer();
  request(*observer, "flw", 200, Disposition::handled, 3ms, 2ms, 2);
  request(*observer, "flw", 200, Disposition::handled, 1ms, 1ms);
  request(*observer, "flw", 200, Disposition::duplicate, 100us);
  request(*observer, "flw", 409, Disposition::conflict, 100us);
  request(*observer, "flw", 503, Disposition::refused, 2ms, 1ms, 1);
  // A precheck() refusal: no time at all.
  request(*observer, "boticario", 405, Disposition::rejected, 0ns);

  const auto snapshot = registry->snapshot();
  const Labels flw{{"chathooks.protocol", "flw"}};
  const Labels boticario{{"chathooks.protocol", "boticario"}};
  CHECK(snapshot.value("chathooks.receiver.replies", {{"chathooks.protocol", "flw"},
                                                      {"http.response.status_code", "200"},
                                                      {"disposition", "handled"}}) == 2.0);
  CHECK(snapshot.value("chathooks.receiver.replies", {{"chathooks.protocol", "flw"},
                                                      {"http.response.status_code", "200"},
                                                      {"disposition", "duplicate"}}) == 1.0);
  CHECK(snapshot.value("chathooks.receiver.replies", {{"chathooks.protocol", "boticario"},
                                                      {"http.response.status_code", "405"},
                                                      {"disposition", "rejected"}}) == 1.0);
  CHECK(snapshot.find("chathooks.receiver.replies")->total() == 6.0);
  CHECK(snapshot.value("chathooks.receiver.dedupe_hits", flw) == 1.0);
  CHECK(snapshot.value("chathooks.receiver.conflicts", flw) == 1.0);
  CHECK(snapshot.value("chathooks.receiver.decode_warnings", flw) == 3.0);
  // A protocol seen gets its counters, at zero when nothing happened.
  CHECK(snapshot.value("chathooks.receiver.dedupe_hits", boticario) == 0.0);
  CHECK(snapshot.value("chathooks.receiver.conflicts", boticario) == 0.0);
  CHECK(snapshot.value("chathooks.receiver.decode_warnings", boticario) == 0.0);

  // Server durations by protocol and status: the duplicate's and the handled ones share 200.
  const auto* server = snapshot.find("http.server.request.duration");
  REQUIRE(server);
  const auto* ok =
      server->find({{"chathooks.protocol", "flw"}, {"http.response.status_code", "200"}});
  REQUIRE(ok);
  CHECK(ok->count == 3);
  CHECK(ok->sum == Approx(0.0041));
  // The precheck refusal has no time: no server duration sample for it.
  CHECK(!server->find({{"chathooks.protocol", "boticario"}, {"http.response.status_code", "405"}}));
  CHECK(server->total() == 5.0);

  // The handler ran three times (twice handled, once refused).
  const auto* handler = snapshot.find("chathooks.receiver.handler.duration");
  REQUIRE(handler);
  CHECK(handler->total() == 3.0);
  const auto* handled = handler->find({{"chathooks.protocol", "flw"}, {"disposition", "handled"}});
  REQUIRE(handled);
  CHECK(handled->count == 2);
  CHECK(handled->sum == Approx(0.003));
  CHECK(handler->find({{"chathooks.protocol", "flw"}, {"disposition", "refused"}}));
}

TEST_CASE("gauges are read at each snapshot") {
  auto registry = Registry::create();
  double pending = 3;
  int reads = 0;
  REQUIRE(registry->add_gauge("chathooks.outbox.depth", "Messages in the outbox, by state.", [&] {
    ++reads;
    return std::vector<GaugeValue>{{{{"state", "pending"}}, pending}, {{{"state", "dead"}}, 1}};
  }));
  CHECK(reads == 0);
  auto first = registry->snapshot();
  CHECK(reads == 1);
  const auto* depth = first.find("chathooks.outbox.depth");
  REQUIRE(depth);
  CHECK(depth->kind == Kind::gauge);
  CHECK(depth->help == "Messages in the outbox, by state.");
  // Sorted by labels.
  REQUIRE(depth->samples.size() == 2);
  CHECK(depth->samples[0].label("state") == "dead");
  CHECK(first.value("chathooks.outbox.depth", {{"state", "pending"}}) == 3.0);

  pending = 7;
  CHECK(registry->snapshot().value("chathooks.outbox.depth", {{"state", "pending"}}) == 7.0);
  CHECK(reads == 2);
  // The first snapshot is a value: it kept what it read.
  CHECK(first.value("chathooks.outbox.depth", {{"state", "pending"}}) == 3.0);
}

TEST_CASE("a gauge that throws has no samples, the others are read") {
  auto registry = Registry::create();
  REQUIRE(registry->add_gauge("a.broken", "Throws.", []() -> std::vector<GaugeValue> {
    throw std::runtime_error("database gone");
  }));
  REQUIRE(registry->add_gauge("b.fine", "Reads.", [] { return std::vector<GaugeValue>{{{}, 1}}; }));
  const auto snapshot = registry->snapshot();
  REQUIRE(snapshot.find("a.broken"));
  CHECK(snapshot.find("a.broken")->samples.empty());
  CHECK(snapshot.value("b.fine", {}) == 1.0);
}

TEST_CASE("add_gauge refuses bad names, taken names and no read function") {
  auto registry = Registry::create();
  const auto read = [] { return std::vector<GaugeValue>{}; };
  REQUIRE(registry->add_gauge("chathooks.outbox.depth", "", read));
  for (const char* name :
       {"", "9lives", "has space", "dash-ed", "chathooks.outbox.depth", "chathooks_outbox_depth",
        "chathooks.deliveries", "http.client.request.duration"}) {
    CAPTURE(name);
    const auto added = registry->add_gauge(name, "", read);
    REQUIRE(!added);
    CHECK(added.error().code() == Errc::invalid_argument);
  }
  const auto empty = registry->add_gauge("chathooks.other", "", {});
  REQUIRE(!empty);
  CHECK(empty.error().code() == Errc::invalid_argument);
  CHECK(registry->snapshot().families.size() == 11);
}

TEST_CASE("an observer keeps its registry alive after the last other reference is gone") {
  auto registry = Registry::create();
  const std::weak_ptr<Registry> weak = registry;
  auto deliveries = registry->delivery_observer();
  auto requests = registry->receiver_observer();
  registry.reset();
  REQUIRE(!weak.expired());
  // Still usable (AddressSanitizer would catch a use after free here).
  attempt_end(*deliveries, delivery("flw", "hooks.example.com"), 200, std::nullopt, 1ms);
  delivery_end(*deliveries, delivery("flw", "hooks.example.com"));
  request(*requests, "flw", 200, Disposition::handled, 1ms, 1ms);
  CHECK(weak.lock()->snapshot().value("chathooks.delivery.attempts", kFlwHost) == 1.0);
  deliveries.reset();
  CHECK(!weak.expired());
  requests.reset();
  CHECK(weak.expired());
}

TEST_CASE("delivery_observer() ignores attempt starts") {
  auto registry = Registry::create();
  auto observer = registry->delivery_observer();
  const auto info = delivery("flw", "hooks.example.com");
  observer->on_attempt_start({info, 1, std::chrono::milliseconds(0)});
  const auto snapshot = registry->snapshot();
  for (const auto& family : snapshot.families) CHECK(family.samples.empty());
}
