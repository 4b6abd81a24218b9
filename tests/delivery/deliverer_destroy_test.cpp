// Destroying the last copy of a Deliverer (or of a protocol client) while asynchronous
// deliveries are pending, without drain(): one attempt in flight to a slow receiver, one waiting
// for its retry timer after a 503. Each callback runs exactly once, with Errc::cancelled, before
// the destructor returns, on the destroying thread; nothing is dropped in silence. Destroying the
// transport under a Deliverer ends the attempt in flight the same way.
// Concurrency tests (ctest label "concurrency"): run under TSan as well as ASan.
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/http/curl_transport.hpp>

#include <memory>
#include <optional>
#include <thread>

#include "catch.hpp"
#include "delivery/drain_support.hpp"

using chathooks::Errc;
using chathooks::delivery::Deliverer;
using chathooks::http::CurlTransport;
using chathooks::http::HttpTransport;
using chathooks_test::post;
using chathooks_test::Receivers;
using chathooks_test::Tally;

TEST_CASE("Destroying the last Deliverer copy cancels an attempt in flight and a retry wait",
          "[concurrency]") {
  Receivers receivers;
  Tally tally;
  auto transport = chathooks_test::patient_transport();
  auto scheduler = std::make_shared<chathooks_test::SignallingScheduler>();
  {
    auto deliverer = Deliverer::create(transport, chathooks_test::hour_wait_options(scheduler));
    REQUIRE(deliverer.ok());
    const Deliverer copy = *deliverer;  // Copies share the deliveries: the last one cancels.
    deliverer->deliver_async(post(receivers.url("/slow")), tally.callback(0));
    copy.deliver_async(post(receivers.url("/busy")), tally.callback(1));
    REQUIRE(receivers.slow_arrived(1));
    REQUIRE(scheduler->wait_scheduled(1));  // The 503 is in: its retry waits an hour.
    CHECK(tally.total() == 0);
  }
  // Before the last copy's destructor returned: both callbacks, once, cancelled, on this thread.
  REQUIRE(tally.total() == 2);
  for (int i = 0; i < 2; ++i) {
    INFO(i);
    const auto ending = tally.ending(i);
    CHECK(ending.calls == 1);
    CHECK_FALSE(ending.delivered);
    CHECK(ending.code == Errc::cancelled);
    CHECK(ending.attempts == 1);
    CHECK(ending.thread == std::this_thread::get_id());
  }
  receivers.release();
  // The held attempt's late answer changes nothing.
  transport.reset();
  CHECK(tally.total() == 2);
}

TEST_CASE("Destroying the transport under a Deliverer ends its attempt in flight, cancelled",
          "[concurrency]") {
  Receivers receivers;
  Tally tally;
  // The host owns the transport and lends it: its destructor runs while the delivery is on the
  // wire (a Deliverer that shares ownership keeps it alive instead).
  auto owned = std::make_unique<CurlTransport>(chathooks_test::patient_options());
  const std::shared_ptr<HttpTransport> lent(owned.get(), [](HttpTransport*) {});
  auto deliverer = Deliverer::create(lent, chathooks_test::hour_wait_options());
  REQUIRE(deliverer.ok());
  deliverer->deliver_async(post(receivers.url("/slow")), tally.callback(0));
  REQUIRE(receivers.slow_arrived(1));
  owned.reset();
  // Before the transport's destructor returned: cancelled (not retried), on its worker thread.
  REQUIRE(tally.total() == 1);
  const auto ending = tally.ending(0);
  CHECK(ending.calls == 1);
  CHECK(ending.code == Errc::cancelled);
  CHECK(ending.attempts == 1);
  CHECK(ending.thread != std::this_thread::get_id());
  CHECK(deliverer->shutdown() == 0);
  receivers.release();
}
