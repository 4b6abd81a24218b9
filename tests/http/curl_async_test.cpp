// send_async of both curl transports (CurlTransport: one worker thread; HostDrivenCurlTransport:
// a poll() loop thread of the test): many transfers in flight, cancellation, back-pressure and
// shutdown, against a real cpp-httplib server on 127.0.0.1. Each case runs once per kind
// (transport_kinds.hpp).
#include <chathooks/http/curl_transport.hpp>

#include <atomic>
#include <chrono>
#include <future>
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

TEMPLATE_TEST_CASE("500 asynchronous requests in flight at once, within the connection limit", "",
                   ThreadedKind, HostDrivenKind) {
  constexpr std::size_t kCount = 500;
  constexpr int kBarrier = 16;
  TestServer server(48);
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  std::atomic<int> barrier_timeouts{0};
  std::atomic<int> arrivals{0};
  server.server().Post("/echo", [&](const httplib::Request& req, httplib::Response& res) {
    const int now = ++inside;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    // The first kBarrier - 1 requests wait for the kBarrier-th to arrive: that can only happen
    // if the transport really runs kBarrier transfers at once.
    const int order = ++arrivals;
    if (order < kBarrier) {
      if (!server.gate().wait(std::chrono::seconds(30))) ++barrier_timeouts;
    } else if (order == kBarrier) {
      server.gate().open();
    }
    --inside;
    res.set_content(req.body, "text/plain");
  });
  server.start();
  auto options = dev_options();
  options.max_connections_per_host = kBarrier;
  options.max_connections_total = kBarrier;
  TestType fixture(options);
  auto& transport = *fixture;
  Outcomes outcomes(kCount);
  const auto caller = std::this_thread::get_id();
  std::atomic<int> on_caller{0};
  for (std::size_t i = 0; i < kCount; ++i) {
    auto callback = outcomes.callback(i);
    transport.send_async(post(server.url("/echo"), std::to_string(i)),
                         [&, callback](Result<HttpResponse> result) {
                           if (std::this_thread::get_id() == caller) ++on_caller;
                           callback(std::move(result));
                         });
  }
  REQUIRE(outcomes.wait_all());
  for (std::size_t i = 0; i < kCount; ++i) {
    INFO(i);
    CHECK(outcomes.calls(i) == 1);
    REQUIRE(outcomes.result(i).ok());
    CHECK(outcomes.result(i)->status == 200);
    CHECK(outcomes.result(i)->body == std::to_string(i));
  }
  CHECK(on_caller == 0);  // Callbacks ran on the worker, or the loop.
  CHECK(barrier_timeouts == 0);
  CHECK(most <= kBarrier);
  CHECK(server.connections() <= static_cast<std::size_t>(kBarrier));
}

TEMPLATE_TEST_CASE("Cancelling an asynchronous transfer completes it with cancelled, exactly once",
                   "", ThreadedKind, HostDrivenKind) {
  TestServer server;
  server.server().Post("/hold", [&](const httplib::Request&, httplib::Response& res) {
    server.gate().wait();
    res.set_content("late", "text/plain");
  });
  server.server().Post("/fast", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("fast", "text/plain");
  });
  server.start();
  auto options = dev_options();
  options.max_connections_per_host = 1;  // The second transfer waits in curl's queue.
  TestType fixture(options);
  auto& transport = *fixture;
  Outcomes outcomes(3);

  auto in_flight = transport.send_async(post(server.url("/hold")), outcomes.callback(0));
  REQUIRE(server.gate().wait_for_waiters(1));  // The server holds it: it is on the wire.
  auto queued = transport.send_async(post(server.url("/hold")), outcomes.callback(1));
  REQUIRE(in_flight);
  in_flight.cancel();
  queued.cancel();
  REQUIRE(outcomes.wait_one(0));
  REQUIRE(outcomes.wait_one(1));
  CHECK(outcomes.result(0).error().code() == Errc::cancelled);
  CHECK(outcomes.result(1).error().code() == Errc::cancelled);

  // Cancelling after completion changes nothing.
  auto done = transport.send_async(post(server.url("/fast")), outcomes.callback(2));
  REQUIRE(outcomes.wait_one(2));
  done.cancel();
  in_flight.cancel();
  REQUIRE(outcomes.result(2).ok());
  CHECK(outcomes.result(2)->body == "fast");
  server.gate().open();
  // A later synchronous request proves the worker and the server still work; callbacks stay
  // at one call each.
  CHECK(transport.send(post(server.url("/fast"))).ok());
  CHECK(outcomes.calls(0) == 1);
  CHECK(outcomes.calls(1) == 1);
  CHECK(outcomes.calls(2) == 1);
}

TEMPLATE_TEST_CASE("Destroying the transport cancels every pending transfer, each callback once",
                   "", ThreadedKind, HostDrivenKind) {
  constexpr std::size_t kCount = 40;
  TestServer server;
  server.server().Post("/hold", [&](const httplib::Request&, httplib::Response& res) {
    server.gate().wait();
    res.set_content("late", "text/plain");
  });
  server.start();
  Outcomes outcomes(kCount);
  auto options = dev_options();
  options.max_connections_per_host = 8;  // 8 on the wire, the rest queued in curl.
  TestType transport(options);
  for (std::size_t i = 0; i < kCount; ++i) {
    transport->send_async(post(server.url("/hold")), outcomes.callback(i));
  }
  REQUIRE(server.gate().wait_for_waiters(8));
  const auto started = std::chrono::steady_clock::now();
  transport.reset();  // Must not wait for the server, which holds every request.
  const auto destruction = std::chrono::steady_clock::now() - started;
  CHECK(destruction < std::chrono::seconds(20));
  for (std::size_t i = 0; i < kCount; ++i) {
    INFO(i);
    REQUIRE(outcomes.calls(i) == 1);
    REQUIRE_FALSE(outcomes.result(i).ok());
    CHECK(outcomes.result(i).error().code() == Errc::cancelled);
  }
}

TEMPLATE_TEST_CASE(
    "A full asynchronous queue refuses with queue_full (threaded: on the calling thread; "
    "host-driven: on the loop)",
    "", ThreadedKind, HostDrivenKind) {
  TestServer server;
  server.server().Post("/hold", [&](const httplib::Request&, httplib::Response& res) {
    server.gate().wait();
    res.set_content("ok", "text/plain");
  });
  server.start();
  auto options = dev_options();
  options.max_queued = 3;
  TestType fixture(options);
  auto& transport = *fixture;
  Outcomes outcomes(5);
  std::atomic<int> on_caller{0};
  for (std::size_t i = 0; i < 5; ++i) {
    transport.send_async(post(server.url("/hold")),
                         counting_caller(outcomes.callback(i), on_caller));
  }
  if constexpr (TestType::refuses_inline) {
    // The two over the limit were answered before send_async returned.
    CHECK(outcomes.calls(3) == 1);
    CHECK(outcomes.calls(4) == 1);
  }
  REQUIRE(outcomes.wait_one(3));
  REQUIRE(outcomes.wait_one(4));
  // Host-driven: never inside send_async(), always on the loop.
  CHECK(on_caller == (TestType::refuses_inline ? 2 : 0));
  CHECK(outcomes.result(3).error().code() == Errc::queue_full);
  CHECK(outcomes.result(4).error().code() == Errc::queue_full);
  server.gate().open();
  REQUIRE(outcomes.wait_all());
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(outcomes.result(i).ok());
    CHECK(outcomes.result(i)->status == 200);
  }
  // Room again once they completed.
  std::promise<Result<HttpResponse>> again;
  transport.send_async(post(server.url("/hold")),
                       [&](Result<HttpResponse> result) { again.set_value(std::move(result)); });
  auto future = again.get_future();
  REQUIRE(future.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  CHECK(future.get().ok());
}

TEMPLATE_TEST_CASE("Asynchronous refusals: invalid request and the guard", "", ThreadedKind,
                   HostDrivenKind) {
  TestType fixture(CurlTransportOptions{});  // Default options: guard on.
  auto& guarded = *fixture;
  std::promise<Result<HttpResponse>> invalid;
  std::atomic<int> on_caller{0};
  guarded.send_async(
      post("http://127.0.0.1:1/\r\n"),
      counting_caller([&](Result<HttpResponse> result) { invalid.set_value(std::move(result)); },
                      on_caller));
  auto invalid_future = invalid.get_future();
  if constexpr (TestType::refuses_inline) {
    REQUIRE(invalid_future.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
  }
  REQUIRE(invalid_future.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  CHECK(on_caller == (TestType::refuses_inline ? 1 : 0));
  CHECK(invalid_future.get().error().code() == Errc::invalid_request);

  TestServer server;
  server.start();
  std::promise<Result<HttpResponse>> blocked;
  guarded.send_async(post(server.url("/")),
                     [&](Result<HttpResponse> result) { blocked.set_value(std::move(result)); });
  auto blocked_future = blocked.get_future();
  REQUIRE(blocked_future.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  CHECK(blocked_future.get().error().code() == Errc::blocked_destination);
  CHECK(server.requests() == 0);
}

TEMPLATE_TEST_CASE(
    "Callbacks may chain requests and may release the last reference to the transport", "",
    ThreadedKind, HostDrivenKind) {
  TestServer server;
  server.server().Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.body, "text/plain");
  });
  server.start();
  TestType fixture(dev_options());
  auto transport = fixture.release();
  std::promise<std::string> chained;
  const std::string url = server.url("/echo");
  // The callback holds the only reference once `transport` is reset below, and resubmits.
  transport->send_async(post(url, "first"), [t = transport, url,
                                             &chained](Result<HttpResponse> first) mutable {
    if (!first.ok()) {  // No Catch2 assertion off the test thread.
      chained.set_value("error: " + first.error().message());
      return;
    }
    t->send_async(post(url, first->body + "+second"), [&chained, t](Result<HttpResponse> second) {
      chained.set_value(second.ok() ? second->body : "error");
    });
    t.reset();
  });
  transport.reset();
  auto future = chained.get_future();
  REQUIRE(future.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  CHECK(future.get() == "first+second");
}

// libcurl 7.88 does not time out a transfer held on its pending list (it waits until a
// connection frees): both transports count the timeout from acceptance themselves.
TEMPLATE_TEST_CASE("A transfer waiting for a connection slot times out within its own timeout", "",
                   ThreadedKind, HostDrivenKind) {
  TestServer server;
  server.server().Post("/hold", [&](const httplib::Request&, httplib::Response& res) {
    server.gate().wait();
    res.set_content("late", "text/plain");
  });
  server.start();
  auto options = dev_options();
  options.max_connections_per_host = 1;  // The second transfer waits for the first's slot.
  TestType fixture(options);
  auto& transport = *fixture;
  Outcomes outcomes(2);

  transport.send_async(post(server.url("/hold")), outcomes.callback(0));
  REQUIRE(server.gate().wait_for_waiters(1));  // The server holds it: the slot is taken.
  auto waiting = post(server.url("/hold"));
  waiting.timeout = std::chrono::milliseconds(300);
  const auto started = std::chrono::steady_clock::now();
  transport.send_async(std::move(waiting), outcomes.callback(1));
  REQUIRE(outcomes.wait_one(1));
  const auto took = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(outcomes.result(1).ok());
  CHECK(outcomes.result(1).error().code() == Errc::timeout);
  CHECK(took < std::chrono::seconds(5));
  CHECK(outcomes.calls(0) == 0);  // The first is still held.
  server.gate().open();
  REQUIRE(outcomes.wait_one(0));
  REQUIRE(outcomes.result(0).ok());
  CHECK(outcomes.result(0)->body == "late");
}

TEMPLATE_TEST_CASE("Transfers waiting for one host's connections do not hold up another host's", "",
                   ThreadedKind, HostDrivenKind) {
  TestServer held_server;
  held_server.server().Post("/hold", [&](const httplib::Request&, httplib::Response& res) {
    held_server.gate().wait();
    res.set_content("late", "text/plain");
  });
  held_server.start();
  TestServer other_server;
  other_server.server().Post("/fast", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("fast", "text/plain");
  });
  other_server.start();
  constexpr std::size_t kHeld = 6;
  auto options = dev_options();
  options.max_connections_per_host = 2;  // 2 held on the wire, 4 waiting for them.
  options.max_connections_total = 4;
  TestType fixture(options);
  auto& transport = *fixture;
  Outcomes outcomes(kHeld + 1);

  for (std::size_t i = 0; i < kHeld; ++i) {
    transport.send_async(post(held_server.url("/hold")), outcomes.callback(i));
  }
  REQUIRE(held_server.gate().wait_for_waiters(2));
  transport.send_async(post(other_server.url("/fast")), outcomes.callback(kHeld));
  REQUIRE(outcomes.wait_one(kHeld));
  REQUIRE(outcomes.result(kHeld).ok());
  CHECK(outcomes.result(kHeld)->body == "fast");
  for (std::size_t i = 0; i < kHeld; ++i) CHECK(outcomes.calls(i) == 0);
  held_server.gate().open();
  REQUIRE(outcomes.wait_all());
  for (std::size_t i = 0; i < kHeld; ++i) {
    INFO(i);
    REQUIRE(outcomes.result(i).ok());
    CHECK(outcomes.result(i)->body == "late");
  }
}
