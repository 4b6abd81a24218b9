// A program for deliverer_exit_test.cpp: starts three asynchronous deliveries and returns from
// main with them pending, the way a host's shutdown path often does, then lets the SDK objects'
// destructors run. Each callback prints one line, "delivery N: delivered" or
// "delivery N: <Errc name>", so the test sees that every delivery got exactly one outcome.
//
//   exit_helper return SLOW_URL BUSY_URL OK_URL   # returns without drain()
//   exit_helper drain FLAKY_URL OK_URL OK_URL      # drain(5 min) first, then returns
//
// In "return" mode the first delivery is on the wire to a receiver that holds it, the second
// waits for a retry timer (after a 503) and the third has been delivered before main returns.
// Thread-safety: the callbacks print under a mutex.
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/error.hpp>
#include <chathooks/http/curl_transport.hpp>
#include <chathooks/testing/manual_scheduler.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace {

std::mutex print_mutex;
std::condition_variable printed;
int delivered = 0;

chathooks::delivery::SendCallback<void> report(int index) {
  return [index](chathooks::delivery::SendResult<void> result) {
    std::lock_guard<std::mutex> lock(print_mutex);
    const std::string outcome =
        result.ok() ? "delivered" : std::string(chathooks::to_string(result.error().code()));
    std::printf("delivery %d: %s\n", index, outcome.c_str());
    std::fflush(stdout);
    if (result.ok()) ++delivered;
    printed.notify_all();
  };
}

chathooks::http::HttpRequest post(const char* url, int index) {
  chathooks::http::HttpRequest request;
  request.url = url;
  request.body = "{\"n\":" + std::to_string(index) + "}";
  return request;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: exit_helper return|drain URL URL URL\n");
    return 2;
  }
  const bool drain = std::strcmp(argv[1], "drain") == 0;
  chathooks::http::CurlTransportOptions transport_options;
  transport_options.allow_private_addresses = true;
  transport_options.timeout = std::chrono::minutes(5);
  transport_options.low_speed_limit_bytes = 0;
  auto transport = chathooks::http::make_curl_transport(transport_options);

  chathooks::delivery::DelivererOptions options;
  options.retry.max_attempts = 3;
  options.retry.jitter = 0.0;
  options.retry.deadline = std::chrono::hours(3);
  options.retry.initial_delay = drain ? std::chrono::milliseconds(50) : std::chrono::hours(1);
  options.retry.max_delay = options.retry.initial_delay;
  // In "return" mode, timers that never fire, whose count says when the 503 has been answered.
  auto manual = std::make_shared<chathooks::testing::ManualScheduler>();
  if (!drain) options.scheduler = manual;
  auto deliverer = chathooks::delivery::Deliverer::create(transport, options).value();

  for (int i = 0; i < 3; ++i) deliverer.deliver_async(post(argv[2 + i], i), report(i));

  if (drain) {
    const std::size_t cancelled =
        deliverer.drain(std::chrono::steady_clock::now() + std::chrono::minutes(5));
    std::fprintf(stderr, "drain cancelled %zu\n", cancelled);
    return 0;
  }
  // Until the third is delivered and the second waits for its retry (polled: the scheduler is
  // a test double without a notification).
  {
    std::unique_lock<std::mutex> lock(print_mutex);
    printed.wait(lock, [] { return delivered == 1; });
  }
  while (manual->pending() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::fprintf(stderr, "returning with deliveries pending\n");
  return 0;  // No drain(): the destructors must give the pending two their outcome.
}
