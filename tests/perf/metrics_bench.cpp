// metrics_bench: what a metrics::Registry's observers cost per event, the figure to hold against
// receiver_bench's handle_ns and transport_bench's time per request (the target: observers and
// metrics within 3% of their throughput).
//
//   metrics_bench [--rounds N] [--millis M]
//
// Events are built before timing (as the Deliverer and the Receiver build them before calling
// their observer), spread over 9 label sets (3 protocols, 3 hosts), and fed to the observers in a
// loop. It prints `event=<attempt_end|delivery_end|request> threads=<1|2> ns=...`: nanoseconds of
// wall time per event per thread, the median of N rounds (default 7) of about M ms each (default
// 200); with 2 threads both feed the same registry at once, so the figure includes contention
// on its locks. Then `snapshot_us=` and `prometheus_us=`: one snapshot() and one to_prometheus()
// of the registry so filled.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.hpp"
#include "chathooks/metrics/registry.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

const char* const kProtocols[] = {"flw", "boticario", "cliengo"};
const char* const kHosts[] = {"a.example.com", "b.example.com", "c.example.com"};

// The events a thread feeds, built once.
struct Events {
  std::vector<chathooks::delivery::DeliveryInfo> infos;
  chathooks::delivery::Attempt attempt;
  chathooks::delivery::DeliveryRecord record;
  chathooks::receiver::Request request;
  chathooks::receiver::Reply reply;

  Events() {
    for (const char* protocol : kProtocols)
      for (const char* host : kHosts) {
        chathooks::delivery::DeliveryInfo info;
        info.protocol = protocol;
        info.host = host;
        info.method = "POST";
        info.url = "https://example.invalid/hook";
        info.message_id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
        infos.push_back(info);
      }
    attempt.status = 200;
    request.method = "POST";
    reply.response.status = 200;
    reply.disposition = chathooks::receiver::Disposition::handled;
  }
};

// Calls `feed(i)` for about `millis` ms on each of `threads` threads at once; ns per call.
double time_per_event(int threads, int millis, const std::function<void(std::size_t)>& feed) {
  std::atomic<bool> go{false};
  std::vector<double> ns(static_cast<std::size_t>(threads), 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      while (!go.load()) {
      }
      const auto start = Clock::now();
      const auto until = start + std::chrono::milliseconds(millis);
      std::size_t n = 0;
      while (Clock::now() < until)
        for (int k = 0; k < 1000; ++k) feed(n++);
      ns[static_cast<std::size_t>(t)] =
          static_cast<double>((Clock::now() - start).count()) / static_cast<double>(n);
    });
  go.store(true);
  for (auto& thread : pool) thread.join();
  double sum = 0;
  for (const double v : ns) sum += v;
  return sum / threads;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = perf::parse_args(argc, argv);
  auto registry = chathooks::metrics::Registry::create();
  auto deliveries = registry->delivery_observer();
  auto requests = registry->receiver_observer();
  const Events events;

  const std::vector<std::pair<const char*, std::function<void(std::size_t)>>> kinds{
      {"attempt_end",
       [&](std::size_t i) {
         deliveries->on_attempt_end(
             {events.infos[i % events.infos.size()], events.attempt, 1234567ns, std::nullopt});
       }},
      {"delivery_end",
       [&](std::size_t i) {
         deliveries->on_delivery_end(
             {events.infos[i % events.infos.size()], events.record, nullptr});
       }},
      {"request",
       [&](std::size_t i) {
         chathooks::receiver::RequestEvent event{
             kProtocols[i % 3], events.request, events.reply, "msg_1", "", 800us, 1200us};
         requests->on_request(event);
       }},
  };
  for (const auto& [name, feed] : kinds)
    for (const int threads : {1, 2}) {
      std::vector<double> rounds;
      for (int r = 0; r < args.rounds; ++r)
        rounds.push_back(time_per_event(threads, args.millis, feed));
      std::printf("event=%s threads=%d ns=%.1f\n", name, threads, perf::median(rounds));
    }

  const auto start = Clock::now();
  const auto snapshot = registry->snapshot();
  const auto mid = Clock::now();
  const auto text = chathooks::metrics::to_prometheus(snapshot);
  const auto end = Clock::now();
  std::printf("snapshot_us=%.1f prometheus_us=%.1f prometheus_bytes=%zu\n",
              std::chrono::duration<double, std::micro>(mid - start).count(),
              std::chrono::duration<double, std::micro>(end - mid).count(), text.size());
  return 0;
}
