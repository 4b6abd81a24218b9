// The one rule for which thread runs an asynchronous send's callback: never inside the call that
// started or cancelled the work (deliver_async(), a client's send_async(), cancel()), whatever
// ended the delivery there: a transport that completes inline, a refusal by the endpoint policy,
// a drained Deliverer, a cancelled wait. The callback then runs on the Scheduler.
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/delivery/endpoint_policy.hpp>
#include <chathooks/flw/client.hpp>
#include <chathooks/testing/fake_transport.hpp>
#include <chathooks/testing/manual_scheduler.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "catch.hpp"
#include "delivery_test_support.hpp"

using chathooks::Errc;
using chathooks::delivery::Deliverer;
using chathooks::delivery::DelivererOptions;
using chathooks::delivery::SendResult;
using chathooks::testing::FakeTransport;
using chathooks::testing::ManualScheduler;
using std::chrono::milliseconds;

namespace {

chathooks::http::HttpRequest webhook() {
  chathooks::http::HttpRequest request;
  request.url = "https://receiver.example/hooks";
  request.body = "{}";
  return request;
}

/// Runs the host's call inside a marked region, and tells whether a callback ran in there.
struct CallerWatch {
  std::atomic<std::thread::id> inside{};
  std::atomic<int> inline_calls{0};
  std::atomic<int> calls{0};
  Errc last = Errc::internal;

  template <class Call>
  void call(Call&& host_call) {
    inside = std::this_thread::get_id();
    host_call();
    inside = std::thread::id();
  }
  template <class T>
  chathooks::delivery::SendCallback<T> callback() {
    return [this](SendResult<T> result) {
      if (inside.load() == std::this_thread::get_id()) ++inline_calls;
      last = result.ok() ? Errc::internal : result.error().code();
      ++calls;
    };
  }
};

DelivererOptions manual(const std::shared_ptr<ManualScheduler>& scheduler) {
  DelivererOptions options;
  options.retry = chathooks_test::exact_policy();
  options.scheduler = scheduler;
  options.steady_now = [scheduler] { return scheduler->now(); };
  options.random = [] { return 0.0; };
  return options;
}

}  // namespace

TEST_CASE("Callback rule: every way a delivery ends inside the host's call defers its callback") {
  auto scheduler = std::make_shared<ManualScheduler>();
  auto transport = std::make_shared<FakeTransport>();
  CallerWatch watch;

  SECTION("a transport that completes inside send_async") {
    transport->push_response(204);
    auto deliverer = Deliverer::create(transport, manual(scheduler));
    REQUIRE(deliverer.ok());
    watch.call([&] { deliverer->deliver_async(webhook(), watch.callback<void>()); });
    CHECK(watch.calls == 0);
    CHECK(scheduler->run_due() == 1);
    CHECK(watch.calls == 1);
  }
  SECTION("an endpoint the policy refuses") {
    auto policy = chathooks::delivery::EndpointPolicy::create();
    REQUIRE(policy.ok());
    auto options = manual(scheduler);
    options.endpoints = *policy;
    transport->push_response(410);  // Gone: the endpoint is disabled from now on.
    auto deliverer = Deliverer::create(transport, options);
    REQUIRE(deliverer.ok());
    REQUIRE_FALSE(deliverer->deliver(webhook()).ok());
    watch.call([&] { deliverer->deliver_async(webhook(), watch.callback<void>()); });
    CHECK(watch.calls == 0);
    CHECK(scheduler->run_due() == 1);
    CHECK(watch.calls == 1);
    CHECK(watch.last == Errc::endpoint_disabled);
    CHECK(transport->request_count() == 1);  // The refused delivery made no attempt.
  }
  SECTION("a Deliverer already shut down") {
    auto deliverer = Deliverer::create(transport, manual(scheduler));
    REQUIRE(deliverer.ok());
    CHECK(deliverer->shutdown() == 0);
    watch.call([&] { deliverer->deliver_async(webhook(), watch.callback<void>()); });
    CHECK(watch.calls == 0);
    CHECK(scheduler->run_due() == 1);
    CHECK(watch.calls == 1);
    CHECK(watch.last == Errc::cancelled);
  }
  SECTION("a cancelled wait between attempts") {
    transport->push_response(503);
    auto deliverer = Deliverer::create(transport, manual(scheduler));
    REQUIRE(deliverer.ok());
    chathooks::delivery::DeliveryHandle handle;
    watch.call([&] { handle = deliverer->deliver_async(webhook(), watch.callback<void>()); });
    REQUIRE(scheduler->pending() == 1);  // The retry timer.
    watch.call([&] { handle.cancel(); });
    CHECK(watch.calls == 0);
    CHECK(scheduler->run_due() == 1);  // The timer is gone; the callback runs.
    CHECK(watch.calls == 1);
    CHECK(watch.last == Errc::cancelled);
  }
  SECTION("a client's send_async") {
    transport->push_response(200, "{}");
    auto client = chathooks::flw::Client::create(transport, manual(scheduler));
    REQUIRE(client.ok());
    watch.call([&] {
      client->send_async(chathooks::flw::Dispatch{}, "https://receiver.example/flw",
                         watch.callback<chathooks::flw::Answer>());
    });
    CHECK(watch.calls == 0);
    CHECK(scheduler->run_due() == 1);
    CHECK(watch.calls == 1);
  }
  CHECK(watch.inline_calls == 0);
  CHECK(scheduler->pending() == 0);
}

TEST_CASE("Callback rule: a caller holding a lock its callback takes does not deadlock",
          "[concurrency]") {
  // The trap the rule removes: with the default thread scheduler and an inline transport, the
  // callback takes the lock the caller holds around deliver_async(); it runs once released.
  auto transport = std::make_shared<FakeTransport>();
  for (int i = 0; i < 100; ++i) transport->push_response(204);
  auto deliverer = Deliverer::create(transport);
  REQUIRE(deliverer.ok());
  std::mutex host_lock;
  CallerWatch watch;
  std::atomic<int> delivered{0};
  std::promise<void> all;
  for (int i = 0; i < 100; ++i) {
    const std::lock_guard<std::mutex> held(host_lock);
    watch.call([&] {
      deliverer->deliver_async(webhook(), [&](SendResult<void> result) {
        if (watch.inside.load() == std::this_thread::get_id()) {
          ++watch.inline_calls;  // Taking host_lock here would deadlock: fail instead.
          if (++delivered == 100) all.set_value();
          return;
        }
        const std::lock_guard<std::mutex> taken(host_lock);
        if (result.ok() && ++delivered == 100) all.set_value();
      });
    });
  }
  auto done = all.get_future();
  REQUIRE(done.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  CHECK(watch.inline_calls == 0);
  CHECK(deliverer->drain(std::chrono::steady_clock::now() + std::chrono::seconds(60)) == 0);
}
