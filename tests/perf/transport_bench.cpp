// Transport benchmark (built with the tests, not run by ctest). Against a cpp-httplib server on
// 127.0.0.1 in this process, side by side in one run:
//   sync:  requests per second of CurlTransport::send over one reused connection, divided by
//          bare libcurl doing the same POSTs on one reused easy handle
//          -> sync_vs_bare_curl=<r> (target >= 0.9)
//   async: 2,000 POSTs from one calling thread through send_async to a receiver that takes
//          100 ms each, at most 64 connections; elapsed divided by the ideal 2000 / 64 x 100 ms
//          -> async_slow_receiver_vs_ideal=<r> (target <= 1.15), and peak_rss_mb=<m> for that
//          run (the peak is reset just before it through /proc/self/clear_refs).
//   host-driven: rounds of 2,000 POSTs from one calling thread through send_async to a receiver
//          that answers at once, at most 64 connections, through HostDrivenCurlTransport driven
//          by a poll() loop on a thread of the bench (tests/http/poll_loop.hpp) and through
//          CurlTransport, in alternating order; requests per second of the first divided by the
//          second, the median of the rounds' ratios
//          -> host_driven_vs_threaded=<r> (target >= 0.95)
//   observed: synchronous Deliverer::deliver() over one reused connection, with a metrics
//          Registry's observer (DelivererOptions::observer) and without, in paired slices of
//          alternating order; requests per second observed / plain, the median of the pairs
//          -> observed_vs_plain=<r> (target >= 0.97: observing costs at most 3 %)
// Usage: transport_bench [sync_requests]   (default 5000)
#include <curl/curl.h>
#include <httplib.h>
#include <sched.h>
#include <sys/socket.h>
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/http/curl_transport.hpp>
#include <chathooks/http/host_driven_transport.hpp>
#include <chathooks/metrics/registry.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/poll_loop.hpp"

using namespace chathooks::http;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kBody = R"({"event":{"type":"status","status":"delivered","id":"wamid.1"}})";

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the calling thread: what one side costs the client, whatever the scheduler
// does to the wall clock on a loaded machine.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

/// Wall-clock rate and client CPU seconds per request of one slice.
struct Slice {
  double rps = 0;
  double cpu_per_request = 0;
};

std::size_t discard(char*, std::size_t size, std::size_t count, void* body) {
  static_cast<std::string*>(body)->append(size * count, ' ');
  return size * count;
}

// Bare libcurl: one easy handle configured once, the same POST performed over and over.
class BareCurl {
 public:
  explicit BareCurl(const std::string& url) : easy_(curl_easy_init()) {
    headers_ = curl_slist_append(nullptr, "Content-Type: application/json");
    headers_ = curl_slist_append(headers_, "Expect:");
    curl_easy_setopt(easy_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(kBody.size()));
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, kBody.data());
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &discard);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &body_);
  }
  ~BareCurl() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(easy_);
  }
  BareCurl(const BareCurl&) = delete;
  BareCurl& operator=(const BareCurl&) = delete;

  Slice run(int n) {
    const auto start = Clock::now();
    const double cpu_start = thread_cpu_seconds();
    for (int i = 0; i < n; ++i) {
      body_.clear();
      if (curl_easy_perform(easy_) != CURLE_OK) {
        std::fprintf(stderr, "bare curl request failed\n");
        std::exit(1);
      }
    }
    return Slice{n / seconds_since(start), (thread_cpu_seconds() - cpu_start) / n};
  }

 private:
  CURL* easy_;
  curl_slist* headers_ = nullptr;
  std::string body_;
};

Slice sdk_run(HttpTransport& transport, const std::string& url, int n) {
  HttpRequest request;
  request.url = url;
  request.body = kBody;
  (void)request.headers.set("Content-Type", "application/json");
  const auto start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  for (int i = 0; i < n; ++i) {
    auto result = transport.send(request);
    if (!result || result->status != 200) {
      std::fprintf(stderr, "SDK request failed: %s\n",
                   result ? "bad status" : result.error().message().c_str());
      std::exit(1);
    }
  }
  return Slice{n / seconds_since(start), (thread_cpu_seconds() - cpu_start) / n};
}

/// Requests per second of `n` deliver() calls of `request` through `deliverer`.
double deliver_run(const chathooks::delivery::Deliverer& deliverer, const HttpRequest& request,
                   int n) {
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    const auto sent = deliverer.deliver(request);
    if (!sent.ok()) {
      std::fprintf(stderr, "delivery failed: %s\n", sent.error().message().c_str());
      std::exit(1);
    }
  }
  return n / seconds_since(start);
}

/// Elapsed seconds and failures of `n` send_async() calls of `request` from this thread, once
/// every callback has run.
struct AsyncRun {
  double elapsed = 0;
  int failed = 0;
};

AsyncRun run_async(HttpTransport& transport, const HttpRequest& request, int n) {
  std::mutex mutex;
  std::condition_variable cv;
  int done = 0;
  int failed = 0;
  const auto start = Clock::now();
  for (int i = 0; i < n; ++i) {
    transport.send_async(request, [&](chathooks::Result<HttpResponse> result) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!result || result->status != 200) {
        if (failed++ == 0) {
          std::fprintf(stderr, "async request failed: %s\n",
                       result ? "bad status" : result.error().message().c_str());
        }
      }
      ++done;
      cv.notify_one();
    });
  }
  std::unique_lock<std::mutex> lock(mutex);
  cv.wait(lock, [&] { return done == n; });
  return AsyncRun{seconds_since(start), failed};
}

double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1;
}

void reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

}  // namespace

int main(int argc, char** argv) {
  const int sync_requests = argc > 1 ? std::max(100, std::atoi(argv[1])) : 5000;
  constexpr int kAsyncRequests = 2000;
  constexpr int kConnections = 64;
  constexpr auto kReceiverDelay = std::chrono::milliseconds(100);

  // Pin the process, and so every thread it starts, to one CPU. Otherwise each connection's
  // server thread lands on the client's core or on the other one for a whole run, which makes
  // one side 3 to 5 times slower than the other in a way that has nothing to do with the code
  // being compared (observed on a 2-core machine). Same core for everyone: a fair comparison.
  cpu_set_t one_cpu;
  CPU_ZERO(&one_cpu);
  const int cpu = sched_getcpu();
  CPU_SET(cpu < 0 ? 0 : cpu, &one_cpu);
  const bool pinned = sched_setaffinity(0, sizeof(one_cpu), &one_cpu) == 0;
  std::printf("pinned_to_one_cpu=%s\n", pinned ? "yes" : "no");

  httplib::Server server;
  // 64 requests held 100 ms at once, plus idle keep-alive connections from the sync phase; in
  // the host-driven phase, two transports' 64 connections each, all kept alive (a connection
  // holds a server thread while it lives: with fewer, one transport's waits for the other's to
  // time out).
  server.new_task_queue = [] { return new httplib::ThreadPool(2 * kConnections + 32); };
  server.set_keep_alive_max_count(1000000);
  server.set_tcp_nodelay(true);
  server.Post("/fast", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"ok\":true}", "application/json");
  });
  server.Post("/slow", [&](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(kReceiverDelay);
    res.set_content("{\"ok\":true}", "application/json");
  });
  // httplib listens with a backlog of 5: 64 simultaneous connects would overflow it and wait
  // for SYN retransmission (1 s). Linux lets listen() be called again to raise the backlog.
  int listener_fd = -1;
  server.set_socket_options([&](int fd) {
    httplib::default_socket_options(fd);
    listener_fd = fd;
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port < 0 || ::listen(listener_fd, 1024) != 0) {
    std::fprintf(stderr, "cannot listen on 127.0.0.1\n");
    return 1;
  }
  std::thread listener([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string base = "http://127.0.0.1:" + std::to_string(port);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  CurlTransportOptions options;
  options.allow_private_addresses = true;  // Loopback.
  double sync_ratio = 0;
  double sync_cpu_ratio = 0;
  {
    CurlTransport transport(options);
    BareCurl bare_curl(base + "/fast");
    sdk_run(transport, base + "/fast", 200);  // Warm up both (and open their connections).
    bare_curl.run(200);
    // Short paired slices in alternating order; each ratio is the median of the pairs' ratios,
    // so that a burst of load from other processes on the machine, which hits one slice, does
    // not decide the figure. The printed rates are the totals.
    constexpr int kSlices = 41;
    const int per_slice = std::max(50, sync_requests / kSlices);
    double bare_seconds = 0;
    double sdk_seconds = 0;
    std::vector<double> ratios;
    std::vector<double> cpu_ratios;
    for (int slice = 0; slice < kSlices; ++slice) {
      Slice bare_slice;
      Slice sdk_slice;
      if (slice % 2 == 0) {
        bare_slice = bare_curl.run(per_slice);
        sdk_slice = sdk_run(transport, base + "/fast", per_slice);
      } else {
        sdk_slice = sdk_run(transport, base + "/fast", per_slice);
        bare_slice = bare_curl.run(per_slice);
      }
      bare_seconds += per_slice / bare_slice.rps;
      sdk_seconds += per_slice / sdk_slice.rps;
      ratios.push_back(sdk_slice.rps / bare_slice.rps);
      cpu_ratios.push_back(bare_slice.cpu_per_request / sdk_slice.cpu_per_request);
    }
    std::sort(ratios.begin(), ratios.end());
    std::sort(cpu_ratios.begin(), cpu_ratios.end());
    const double bare = kSlices * per_slice / bare_seconds;
    const double sdk = kSlices * per_slice / sdk_seconds;
    sync_ratio = ratios[ratios.size() / 2];
    sync_cpu_ratio = cpu_ratios[cpu_ratios.size() / 2];
    std::printf("sync_bare_curl_rps=%.0f sync_sdk_rps=%.0f\n", bare, sdk);
  }

  // What observing costs a delivery: the same deliveries with and without a metrics observer.
  double observed_ratio = 0;
  {
    auto transport = make_curl_transport(options);
    chathooks::delivery::DelivererOptions plain_options;
    auto plain = chathooks::delivery::Deliverer::create(transport, plain_options).value();
    chathooks::delivery::DelivererOptions observed_options;
    observed_options.observer = chathooks::metrics::Registry::create()->delivery_observer();
    auto observed = chathooks::delivery::Deliverer::create(transport, observed_options).value();
    HttpRequest request;
    request.url = base + "/fast";
    request.body = kBody;
    (void)request.headers.set("Content-Type", "application/json");
    deliver_run(plain, request, 200);  // Warm up (and open the connection).
    deliver_run(observed, request, 200);
    constexpr int kSlices = 41;
    const int per_slice = std::max(50, sync_requests / kSlices);
    std::vector<double> ratios;
    for (int slice = 0; slice < kSlices; ++slice) {
      double plain_rps = 0;
      double observed_rps = 0;
      if (slice % 2 == 0) {
        plain_rps = deliver_run(plain, request, per_slice);
        observed_rps = deliver_run(observed, request, per_slice);
      } else {
        observed_rps = deliver_run(observed, request, per_slice);
        plain_rps = deliver_run(plain, request, per_slice);
      }
      ratios.push_back(observed_rps / plain_rps);
    }
    std::sort(ratios.begin(), ratios.end());
    observed_ratio = ratios[ratios.size() / 2];
  }

  double async_ratio = 0;
  double rss = 0;
  bool failed_any = false;
  {
    options.max_connections_per_host = kConnections;
    options.max_connections_total = kConnections;
    CurlTransport transport(options);
    HttpRequest request;
    request.url = base + "/slow";
    request.body = kBody;
    (void)request.headers.set("Content-Type", "application/json");
    reset_peak_rss();
    const auto [elapsed, failed] = run_async(transport, request, kAsyncRequests);
    rss = peak_rss_mb();
    const double ideal = (static_cast<double>(kAsyncRequests) / kConnections) *
                         std::chrono::duration<double>(kReceiverDelay).count();
    async_ratio = elapsed / ideal;
    std::printf("async_elapsed_s=%.3f async_ideal_s=%.3f async_failed=%d\n", elapsed, ideal,
                failed);
    failed_any = failed > 0;
  }

  // The same asynchronous path, driven by the host's loop instead of the SDK's worker.
  double host_ratio = 0;
  if (!failed_any) {
    CurlTransport threaded(options);
    auto loop = std::make_shared<chathooks_test::PollLoop>();
    auto host_driven = HostDrivenCurlTransport::create(loop, options);
    loop->start(host_driven);
    HttpRequest request;
    request.url = base + "/fast";
    request.body = kBody;
    (void)request.headers.set("Content-Type", "application/json");
    constexpr int kRounds = 9;
    double threaded_seconds = 0;
    double host_seconds = 0;
    std::vector<double> ratios;
    // Warm up both (and open their connections).
    failed_any =
        run_async(threaded, request, 200).failed + run_async(*host_driven, request, 200).failed > 0;
    for (int round = 0; round < kRounds && !failed_any; ++round) {
      AsyncRun threaded_run;
      AsyncRun host_run;
      if (round % 2 == 0) {
        threaded_run = run_async(threaded, request, kAsyncRequests);
        host_run = run_async(*host_driven, request, kAsyncRequests);
      } else {
        host_run = run_async(*host_driven, request, kAsyncRequests);
        threaded_run = run_async(threaded, request, kAsyncRequests);
      }
      failed_any = threaded_run.failed + host_run.failed > 0;
      threaded_seconds += threaded_run.elapsed;
      host_seconds += host_run.elapsed;
      ratios.push_back(threaded_run.elapsed / host_run.elapsed);  // rps ratio: host / threaded
    }
    std::sort(ratios.begin(), ratios.end());
    if (!ratios.empty()) host_ratio = ratios[ratios.size() / 2];
    std::printf("async_fast_threaded_rps=%.0f async_fast_host_driven_rps=%.0f\n",
                kRounds * kAsyncRequests / threaded_seconds,
                kRounds * kAsyncRequests / host_seconds);
    loop->detach();
    host_driven.reset();
    loop->stop();
  }
  server.stop();
  listener.join();
  if (failed_any) return 1;

  std::printf("sync_vs_bare_curl=%.3f\n", sync_ratio);
  // The same comparison in client CPU per request (bare / SDK): higher is better, like above.
  std::printf("sync_cpu_vs_bare_curl=%.3f\n", sync_cpu_ratio);
  std::printf("async_slow_receiver_vs_ideal=%.3f\n", async_ratio);
  std::printf("peak_rss_mb=%.1f\n", rss);
  std::printf("host_driven_vs_threaded=%.3f\n", host_ratio);
  std::printf("observed_vs_plain=%.3f\n", observed_ratio);
  return 0;
}
