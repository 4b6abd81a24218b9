// Destroying either curl transport (transport_kinds.hpp: CurlTransport, HostDrivenCurlTransport on
// a poll() loop) with asynchronous transfers in flight against a loopback server
// that never answers (raw sockets, so nothing in the server can hold up the client): every
// callback runs exactly once with Errc::cancelled before the destructor returns, the destructor
// never waits for the network, a callback that submits again while the transport shuts down is
// refused instead of starting a new worker, and destruction racing the worker's start is safe.
// Concurrency tests (ctest label "concurrency"): run under TSan as well as ASan.
#include <chathooks/http/curl_transport.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "silent_server.hpp"
#include "test_server.hpp"
#include "transport_kinds.hpp"

using chathooks::Errc;
using chathooks::Result;
using chathooks_test::dev_options;
using chathooks_test::HostDrivenKind;
using chathooks_test::post;
using chathooks_test::SilentServer;
using chathooks_test::ThreadedKind;
using namespace chathooks::http;

namespace {

/// Counts callbacks and their codes; safe from any thread.
class Tally {
 public:
  HttpCallback callback() {
    return [this](Result<HttpResponse> result) { record(result); };
  }
  void record(const Result<HttpResponse>& result) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++calls_;
    if (result.ok()) {
      ++responses_;
    } else if (result.error().code() == Errc::cancelled) {
      ++cancelled_;
    }
    cv_.notify_all();
  }
  std::size_t calls() {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }
  std::size_t cancelled() {
    std::lock_guard<std::mutex> lock(mutex_);
    return cancelled_;
  }
  std::size_t responses() {
    std::lock_guard<std::mutex> lock(mutex_);
    return responses_;
  }
  bool wait_calls(std::size_t n, std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return calls_ >= n; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::size_t calls_ = 0;
  std::size_t cancelled_ = 0;
  std::size_t responses_ = 0;
};

/// Runs `destroy` on another thread and fails the test if it has not returned within a minute:
/// a hang becomes a failure, not a stuck ctest.
template <class F>
void without_hanging(F destroy) {
  auto done = std::async(std::launch::async, std::move(destroy));
  REQUIRE(done.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  done.get();
}

}  // namespace

TEMPLATE_TEST_CASE(
    "Destroying the transport with transfers on the wire and queued cancels each once",
    "[concurrency]", ThreadedKind, HostDrivenKind) {
  constexpr std::size_t kCount = 30;
  SilentServer server(SilentServer::Mode::accept_and_hold);
  auto options = dev_options();
  options.max_connections_per_host = 10;  // 10 on the wire, 20 waiting in curl's queue.
  options.timeout = std::chrono::minutes(5);
  TestType transport(options);
  Tally tally;
  for (std::size_t i = 0; i < kCount; ++i) {
    transport->send_async(post(server.url("/hold")), tally.callback());
  }
  REQUIRE(server.wait_accepted(10));  // The first ten are connected and held.
  CHECK(tally.calls() == 0);
  without_hanging([&] { transport.reset(); });
  // Before the destructor returned: every callback, once, cancelled.
  CHECK(tally.calls() == kCount);
  CHECK(tally.cancelled() == kCount);
  CHECK(server.accepted() == 10);  // The queued ones never connected.
}

TEMPLATE_TEST_CASE(
    "A callback that submits again while the transport shuts down is refused, not run",
    "[concurrency]", ThreadedKind, HostDrivenKind) {
  // A host's retry-on-error callback: it calls send_async again from inside the cancellation.
  // The new transfer must complete at once with Errc::cancelled; it must not start a new
  // worker that outlives the transport and sends after it is gone.
  SilentServer server(SilentServer::Mode::accept_and_hold);
  auto options = dev_options();
  options.timeout = std::chrono::minutes(5);
  TestType transport(options);
  HttpTransport* raw = &*transport;
  Tally first;
  Tally second;
  const std::string url = server.url("/hold");
  for (int i = 0; i < 4; ++i) {
    transport->send_async(post(url), [&, raw](Result<HttpResponse> result) {
      first.record(result);
      raw->send_async(post(url), second.callback());  // Inside ~CurlTransport.
    });
  }
  REQUIRE(server.wait_accepted(4));
  without_hanging([&] { transport.reset(); });
  CHECK(first.calls() == 4);
  CHECK(first.cancelled() == 4);
  // The resubmissions were answered before the destructor returned, with cancelled.
  CHECK(second.calls() == 4);
  CHECK(second.cancelled() == 4);
  CHECK(server.accepted() == 4);  // None of them connected.
}

TEMPLATE_TEST_CASE("Destruction racing the worker's start: 100 transports, each destroyed at once",
                   "[concurrency]", ThreadedKind, HostDrivenKind) {
  SilentServer server(SilentServer::Mode::accept_and_hold);
  Tally tally;
  std::size_t submitted = 0;
  for (int round = 0; round < 100; ++round) {
    TestType transport(dev_options());
    const int count = 1 + round % 4;
    for (int i = 0; i < count; ++i) {
      transport->send_async(post(server.url("/hold")), tally.callback());
      ++submitted;
    }
    transport.reset();
    REQUIRE(tally.calls() == submitted);  // Each completed inside the destructor.
  }
  CHECK(tally.cancelled() == submitted);
}

TEMPLATE_TEST_CASE(
    "The last reference released in a callback while others are held: the rest cancel",
    "[concurrency]", ThreadedKind, HostDrivenKind) {
  SilentServer server(SilentServer::Mode::accept_and_hold);
  chathooks_test::TestServer fast;
  fast.server().Post("/fast", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  fast.start();
  auto options = dev_options();
  options.timeout = std::chrono::minutes(5);
  TestType fixture(options);
  std::shared_ptr<HttpTransport> transport = fixture.release();
  Tally held;
  for (int i = 0; i < 5; ++i) transport->send_async(post(server.url("/hold")), held.callback());
  REQUIRE(server.wait_accepted(5));
  std::promise<bool> released;
  // This callback holds the last reference; dropping it shuts the worker down from inside.
  transport->send_async(post(fast.url("/fast")),
                        [t = transport, &released](Result<HttpResponse> result) mutable {
                          t.reset();
                          released.set_value(result.ok());
                        });
  transport.reset();
  auto future = released.get_future();
  REQUIRE(future.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  CHECK(future.get());
  REQUIRE(held.wait_calls(5));
  CHECK(held.cancelled() == 5);
  CHECK(held.calls() == 5);
}
