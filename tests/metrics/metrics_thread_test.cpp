// Many threads feeding one Registry's observers at once, with snapshots taken meanwhile: the
// totals are exact. Its own test program, labelled "concurrency", so that CI runs it under
// ThreadSanitizer.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/metrics/registry.hpp"
#include "metrics/metrics_test_support.hpp"

using chathooks::Errc;
using chathooks::metrics::GaugeValue;
using chathooks::metrics::Registry;
using chathooks::receiver::Disposition;
using namespace metrics_test;

TEST_CASE("threads feeding the observers concurrently give exact totals") {
  constexpr int kThreads = 8;
  constexpr int kRounds = 2000;
  auto registry = Registry::create();
  std::atomic<int> gauge_reads{0};
  REQUIRE(registry->add_gauge("chathooks.outbox.depth", "Depth.", [&] {
    gauge_reads.fetch_add(1);
    return std::vector<GaugeValue>{{{{"state", "pending"}}, 1}};
  }));
  const auto deliveries = registry->delivery_observer();
  const auto requests = registry->receiver_observer();
  const std::vector<std::string> hosts{"a.example.com", "b.example.com", "c.example.com"};
  const std::vector<std::string> protocols{"flw", "boticario", "cliengo"};

  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done.load()) {
      const auto snapshot = registry->snapshot();
      // Every attempt is counted once in the histogram and once in the attempts counter, but
      // not at the same instant: only that neither runs ahead of the final total.
      CHECK(snapshot.find("chathooks.delivery.attempts")->total() <= 2.0 * kThreads * kRounds);
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        // Threads share label sets (so they race on the same series) and make new ones.
        const auto& host = hosts[static_cast<std::size_t>((t + i) % 3)];
        const auto& protocol = protocols[static_cast<std::size_t>(i % 3)];
        const auto info = delivery(protocol, host);
        attempt_end(*deliveries, info, 503, std::nullopt, 2ms, std::chrono::milliseconds(10), 1);
        attempt_end(*deliveries, info, 200, std::nullopt, 1ms, std::nullopt, 2);
        delivery_end(*deliveries, info,
                     i % 10 == 0 ? std::optional<Errc>(Errc::cancelled) : std::nullopt);
        request(*requests, protocol, 200,
                i % 4 == 0 ? Disposition::duplicate : Disposition::handled, 1ms, 500us, 1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  done.store(true);
  reader.join();

  const auto snapshot = registry->snapshot();
  constexpr double kEach = static_cast<double>(kThreads) * kRounds;
  CHECK(snapshot.find("chathooks.delivery.attempts")->total() == 2 * kEach);
  CHECK(snapshot.find("chathooks.delivery.retries")->total() == kEach);
  CHECK(snapshot.find("http.client.request.duration")->total() == 2 * kEach);
  CHECK(snapshot.find("chathooks.deliveries")->total() == kEach);
  CHECK(snapshot.value("chathooks.deliveries", {{"chathooks.protocol", "flw"},
                                                {"server.address", "a.example.com"},
                                                {"outcome", "cancelled"},
                                                {"error.type", "cancelled"}}) ==
        // i % 10 == 0 means i % 3 == 0 (flw) for i % 30 == 0; host a for (t + i) % 3 == 0.
        [&] {
          double n = 0;
          for (int t = 0; t < kThreads; ++t)
            for (int i = 0; i < kRounds; i += 30)
              if ((t + i) % 3 == 0) ++n;
          return n;
        }());
  CHECK(snapshot.find("chathooks.receiver.replies")->total() == kEach);
  CHECK(snapshot.find("chathooks.receiver.dedupe_hits")->total() == kEach / 4);
  CHECK(snapshot.find("chathooks.receiver.decode_warnings")->total() == kEach);
  CHECK(snapshot.find("chathooks.receiver.handler.duration")->total() == kEach);
  const auto* server = snapshot.find("http.server.request.duration");
  REQUIRE(server->samples.size() == 3);
  double sum = 0;
  for (const auto& sample : server->samples) sum += sample.sum;
  CHECK(sum == Approx(kEach * 0.001));
  CHECK(snapshot.find("chathooks.delivery.attempts")->samples.size() == 9);
  CHECK(gauge_reads.load() >= 2);
}
