// drain() and shutdown() of both curl transports (transport_kinds.hpp) with transfers held by a
// loopback server: a far deadline lets them finish; a past one cancels them, every callback run
// before it returns; afterwards send_async() is refused (threaded: on its calling thread;
// host-driven: on the loop) while send() still works; a drain from a callback on the worker (or
// loop) thread does not hang and the others still end once.
// Concurrency tests (ctest label "concurrency"): run under TSan as well as ASan.
#include <chathooks/http/curl_transport.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "async_outcomes.hpp"
#include "catch.hpp"
#include "test_server.hpp"
#include "transport_kinds.hpp"

using chathooks::Errc;
using chathooks::Result;
using chathooks_test::counting_caller;
using chathooks_test::dev_options;
using chathooks_test::HostDrivenKind;
using chathooks_test::Outcomes;
using chathooks_test::post;
using chathooks_test::TestServer;
using chathooks_test::ThreadedKind;
using namespace chathooks::http;
using Clock = std::chrono::steady_clock;

namespace {

/// A server whose POST /hold answers 200 once the gate opens, and POST /ok at once.
void add_routes(TestServer& server) {
  server.server().Post("/hold", [&server](const httplib::Request&, httplib::Response& res) {
    server.gate().wait(std::chrono::minutes(5));
    res.set_content("held", "text/plain");
  });
  server.server().Post("/ok", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  server.start();
}

CurlTransportOptions patient() {
  auto options = dev_options();
  options.timeout = std::chrono::minutes(5);
  options.low_speed_limit_bytes = 0;
  return options;
}

}  // namespace

TEMPLATE_TEST_CASE("Transport drain with a far deadline waits for every transfer", "[concurrency]",
                   ThreadedKind, HostDrivenKind) {
  TestServer server;
  add_routes(server);
  TestType fixture(patient());
  auto& transport = *fixture;
  constexpr std::size_t kCount = 4;
  Outcomes outcomes(kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    transport.send_async(post(server.url("/hold")), outcomes.callback(i));
  }
  REQUIRE(server.gate().wait_for_waiters(static_cast<int>(kCount)));
  // Opens the gate once drain() has begun: when a new transfer is refused.
  std::thread opener([&] {
    // Bounded: should refusal never come, the gate opens anyway and the checks below fail
    // instead of the test hanging.
    const auto limit = Clock::now() + std::chrono::minutes(2);
    // Shared: an accepted probe's callback runs later, on the worker; a refusal's before
    // send_async() returns (threaded) or at the loop's next turn (host-driven).
    auto refused = std::make_shared<std::atomic<bool>>(false);
    while (Clock::now() < limit) {
      transport.send_async(post(server.url("/ok")), [refused](Result<HttpResponse> result) {
        if (!result.ok() && result.error().code() == Errc::cancelled) *refused = true;
      });
      if (*refused) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    server.gate().open();
  });
  CHECK(transport.drain(Clock::now() + std::chrono::minutes(5)) == 0);
  opener.join();
  for (std::size_t i = 0; i < kCount; ++i) {
    INFO(i);
    CHECK(outcomes.calls(i) == 1);  // Before drain() returned.
    REQUIRE(outcomes.result(i).ok());
    CHECK(outcomes.result(i)->body == "held");
  }
  // Synchronous sends are not affected.
  auto sent = transport.send(post(server.url("/ok")));
  REQUIRE(sent.ok());
  CHECK(sent->body == "ok");
}

TEMPLATE_TEST_CASE("Transport shutdown cancels transfers in flight, callbacks before it returns",
                   "[concurrency]", ThreadedKind, HostDrivenKind) {
  TestServer server;
  add_routes(server);
  TestType transport(patient());
  constexpr std::size_t kCount = 3;
  Outcomes outcomes(kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    transport->send_async(post(server.url("/hold")), outcomes.callback(i));
  }
  REQUIRE(server.gate().wait_for_waiters(static_cast<int>(kCount)));
  HttpTransport& base = *transport;  // Through the interface, as the SDK calls it.
  CHECK(base.shutdown() == kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    INFO(i);
    CHECK(outcomes.calls(i) == 1);
    CHECK(outcomes.code(i) == Errc::cancelled);
  }
  // Refused from now on: threaded, on the calling thread; host-driven, on the loop.
  Outcomes late(1);
  std::atomic<int> on_caller{0};
  transport->send_async(post(server.url("/ok")), counting_caller(late.callback(0), on_caller));
  if constexpr (TestType::refuses_inline) CHECK(late.calls(0) == 1);
  REQUIRE(late.wait_one(0));
  CHECK(on_caller == (TestType::refuses_inline ? 1 : 0));
  CHECK(late.code(0) == Errc::cancelled);
  CHECK(transport->drain(Clock::now() + std::chrono::minutes(5)) == 0);
}

TEMPLATE_TEST_CASE("Transport drain from a callback on the worker or loop thread does not hang",
                   "[concurrency]", ThreadedKind, HostDrivenKind) {
  TestServer server;
  add_routes(server);
  TestType fixture(patient());
  HttpTransport* transport = &*fixture;
  constexpr std::size_t kHeld = 3;
  Outcomes outcomes(kHeld + 1);
  for (std::size_t i = 0; i < kHeld; ++i) {
    transport->send_async(post(server.url("/hold")), outcomes.callback(i));
  }
  REQUIRE(server.gate().wait_for_waiters(static_cast<int>(kHeld)));
  std::atomic<std::size_t> others{99};
  auto record = outcomes.callback(kHeld);
  transport->send_async(post(server.url("/ok")), [&](Result<HttpResponse> result) {
    others = transport->drain(Clock::now() + std::chrono::hours(1));
    record(std::move(result));
  });
  REQUIRE(outcomes.wait_all());
  CHECK(others == kHeld);
  REQUIRE(outcomes.result(kHeld).ok());
  for (std::size_t i = 0; i < kHeld; ++i) {
    INFO(i);
    CHECK(outcomes.calls(i) == 1);
    CHECK(outcomes.code(i) == Errc::cancelled);
  }
}

TEST_CASE("The default HttpTransport::drain has nothing to wait for", "[concurrency]") {
  // A transport that implements send() only: its send_async() ends before returning.
  class Inline final : public HttpTransport {
   public:
    Result<HttpResponse> send(const HttpRequest&) override {
      HttpResponse response;
      response.status = 204;
      return response;
    }
  };
  Inline transport;
  Outcomes outcomes(1);
  transport.send_async(post("http://127.0.0.1:1/"), outcomes.callback(0));
  CHECK(outcomes.calls(0) == 1);
  CHECK(transport.drain(Clock::now() + std::chrono::hours(1)) == 0);
  CHECK(transport.shutdown() == 0);
}
