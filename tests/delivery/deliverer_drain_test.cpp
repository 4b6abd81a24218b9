// Deliverer::drain() and shutdown() on the real stack (CurlTransport, the timer thread,
// receivers on 127.0.0.1): a far deadline lets every delivery finish, retries included, and
// refuses new ones; a past deadline cancels an attempt in flight and a retry wait, callbacks on
// the draining thread before it returns; a deadline in between waits for it, then cancels; a
// drain or the last copy's destruction from inside a callback does not deadlock.
// Concurrency tests (ctest label "concurrency"): run under TSan as well as ASan.
#include <chathooks/delivery/deliverer.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "catch.hpp"
#include "delivery/drain_support.hpp"

using chathooks::Errc;
using chathooks::delivery::Deliverer;
using chathooks::delivery::SendResult;
using chathooks_test::post;
using chathooks_test::Receivers;
using chathooks_test::Tally;
using Clock = std::chrono::steady_clock;

namespace {

Deliverer make(const std::shared_ptr<chathooks::http::HttpTransport>& transport,
               chathooks::delivery::DelivererOptions options) {
  auto deliverer = Deliverer::create(transport, std::move(options));
  REQUIRE(deliverer.ok());
  return std::move(deliverer).value();
}

void check_cancelled(Tally& tally, int index, std::size_t attempts) {
  INFO("delivery " << index);
  const auto ending = tally.ending(index);
  CHECK(ending.calls == 1);
  CHECK_FALSE(ending.delivered);
  CHECK(ending.code == Errc::cancelled);
  CHECK(ending.attempts == attempts);
}

}  // namespace

TEST_CASE("drain with a far deadline delivers everything, retries included, and refuses new ones",
          "[concurrency]") {
  Receivers receivers;
  Tally tally;
  auto options = chathooks_test::hour_wait_options();
  options.retry.initial_delay = std::chrono::milliseconds(50);  // /flaky's retry comes soon.
  const Deliverer deliverer = make(chathooks_test::patient_transport(), options);
  deliverer.deliver_async(post(receivers.url("/slow"), "0"), tally.callback(0));
  deliverer.deliver_async(post(receivers.url("/flaky"), "1"), tally.callback(1));
  REQUIRE(receivers.slow_arrived(1));

  // Releases the slow receiver only once drain() has begun: when a new delivery is refused.
  std::atomic<int> refused{0};
  std::thread releaser([&] {
    // Bounded: should refusal never come, the receiver is released anyway and the checks
    // fail instead of the test hanging.
    const auto limit = Clock::now() + std::chrono::minutes(2);
    for (int probe = 100; refused == 0 && Clock::now() < limit; ++probe) {
      // One probe at a time: a refusal's callback runs on the scheduler, after the call.
      const SendResult<void> result =
          deliverer.deliver_async(post(receivers.url("/ok"), std::to_string(probe))).result.get();
      if (!result.ok() && result.error().code() == Errc::cancelled &&
          result.delivery.attempts.empty()) {
        ++refused;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    receivers.release();
  });
  const std::size_t cancelled = deliverer.drain(Clock::now() + std::chrono::minutes(5));
  releaser.join();
  CHECK(cancelled == 0);
  // Every callback ran before drain() returned.
  for (int i = 0; i < 2; ++i) {
    INFO("delivery " << i);
    const auto ending = tally.ending(i);
    CHECK(ending.calls == 1);
    CHECK(ending.delivered);
  }
  CHECK(tally.ending(1).attempts == 2);  // 503, then 200 after the retry timer.
  CHECK(refused == 1);

  // Closed for good: refused at once, its callback on the scheduler's thread, not this one.
  deliverer.deliver_async(post(receivers.url("/ok")), tally.callback(2));
  REQUIRE(tally.wait(3));
  check_cancelled(tally, 2, 0);
  CHECK(tally.ending(2).thread != std::this_thread::get_id());
  CHECK(deliverer.drain(Clock::now() + std::chrono::minutes(5)) == 0);
}

TEST_CASE("drain with a past deadline cancels an attempt in flight and a retry wait",
          "[concurrency]") {
  Receivers receivers;
  Tally tally;
  auto scheduler = std::make_shared<chathooks_test::SignallingScheduler>();
  const Deliverer deliverer =
      make(chathooks_test::patient_transport(), chathooks_test::hour_wait_options(scheduler));
  deliverer.deliver_async(post(receivers.url("/slow")), tally.callback(0));
  deliverer.deliver_async(post(receivers.url("/busy")), tally.callback(1));
  REQUIRE(receivers.slow_arrived(1));
  REQUIRE(scheduler->wait_scheduled(1));
  CHECK(tally.total() == 0);

  CHECK(deliverer.drain(Clock::now() - std::chrono::seconds(1)) == 2);
  REQUIRE(tally.total() == 2);
  check_cancelled(tally, 0, 1);  // The attempt in flight is recorded, cancelled.
  check_cancelled(tally, 1, 1);  // The 503.
  CHECK(tally.ending(0).thread == std::this_thread::get_id());
  CHECK(tally.ending(1).thread == std::this_thread::get_id());
  CHECK(deliverer.shutdown() == 0);
  receivers.release();  // The held attempt's late answer is ignored.
}

TEST_CASE("drain with a near deadline waits for it, then cancels what is still pending",
          "[concurrency]") {
  Receivers receivers;
  Tally tally;
  const Deliverer deliverer =
      make(chathooks_test::patient_transport(), chathooks_test::hour_wait_options());
  deliverer.deliver_async(post(receivers.url("/slow")), tally.callback(0));
  deliverer.deliver_async(post(receivers.url("/ok")), tally.callback(1));
  REQUIRE(receivers.slow_arrived(1));
  REQUIRE(tally.wait(1));  // /ok ended: the deadline below then finds only /slow pending
  const auto deadline = Clock::now() + std::chrono::milliseconds(300);
  CHECK(deliverer.drain(deadline) == 1);
  CHECK(Clock::now() >= deadline);  // The slow receiver is held: drain waited all the time.
  check_cancelled(tally, 0, 1);
  CHECK(tally.ending(1).delivered);
}

TEST_CASE("shutdown from inside a callback does not wait and cancels the others", "[concurrency]") {
  Receivers receivers;
  Tally tally;
  const Deliverer deliverer =
      make(chathooks_test::patient_transport(), chathooks_test::hour_wait_options());
  deliverer.deliver_async(post(receivers.url("/slow")), tally.callback(0));
  REQUIRE(receivers.slow_arrived(1));
  std::atomic<std::size_t> cancelled_inside{99};
  auto inner = tally.callback(1);
  // On the transport's worker thread: drain there must not wait for the slow attempt, which
  // needs that very thread to complete.
  deliverer.deliver_async(post(receivers.url("/ok")), [&](SendResult<void> result) {
    cancelled_inside = deliverer.drain(Clock::now() + std::chrono::hours(1));
    inner(std::move(result));
  });
  REQUIRE(tally.wait(2));
  CHECK(cancelled_inside == 1);
  check_cancelled(tally, 0, 1);
  CHECK(tally.ending(1).delivered);
  CHECK(tally.ending(0).thread == tally.ending(1).thread);  // Both on the worker thread.
}

TEST_CASE("Destroying the last copy from inside a callback cancels the others", "[concurrency]") {
  Receivers receivers;
  Tally tally;
  auto holder = std::make_shared<std::optional<Deliverer>>(
      make(chathooks_test::patient_transport(), chathooks_test::hour_wait_options()));
  (*holder)->deliver_async(post(receivers.url("/slow")), tally.callback(0));
  REQUIRE(receivers.slow_arrived(1));
  auto inner = tally.callback(1);
  (*holder)->deliver_async(post(receivers.url("/ok")), [&, holder](SendResult<void> result) {
    holder->reset();  // The last copy, on the worker thread, inside this callback.
    inner(std::move(result));
  });
  REQUIRE(tally.wait(2));
  check_cancelled(tally, 0, 1);
  CHECK(tally.ending(1).delivered);
}
