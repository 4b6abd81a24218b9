// The protocol clients' drain() and shutdown(), and destroying a client with sends pending,
// through CurlTransport against receivers on 127.0.0.1: each async send ends exactly once,
// delivered or with Errc::cancelled, never dropped.
// Concurrency tests (ctest label "concurrency"): run under TSan as well as ASan.
#include <chathooks/boticario/client.hpp>
#include <chathooks/boticario/codec.hpp>
#include <chathooks/cliengo/client.hpp>
#include <chathooks/flw/client.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include "catch.hpp"
#include "clients_test_support.hpp"
#include "delivery/drain_support.hpp"

using chathooks::Errc;
using chathooks_test::Receivers;
using chathooks_test::SignallingScheduler;
using chathooks_test::Tally;
using Clock = std::chrono::steady_clock;

namespace {

void check_cancelled(Tally& tally, int index) {
  INFO("send " << index);
  const auto ending = tally.ending(index);
  CHECK(ending.calls == 1);
  CHECK(ending.code == Errc::cancelled);
  CHECK(ending.attempts == 1);
  CHECK(ending.thread == std::this_thread::get_id());
}

}  // namespace

TEST_CASE("flw::Client drain with a past deadline cancels its sends", "[concurrency]") {
  Receivers receivers;
  Tally tally;
  auto scheduler = std::make_shared<SignallingScheduler>();
  auto client = chathooks::flw::Client::create(chathooks_test::patient_transport(),
                                               chathooks_test::hour_wait_options(scheduler));
  REQUIRE(client.ok());
  const auto dispatch = clients_test::documented_dispatch();
  client->send_async(dispatch, receivers.url("/slow"), tally.callback<chathooks::flw::Answer>(0));
  client->send_async(dispatch, receivers.url("/busy"), tally.callback<chathooks::flw::Answer>(1));
  REQUIRE(receivers.slow_arrived(1));
  REQUIRE(scheduler->wait_scheduled(1));
  CHECK(client->drain(Clock::now() - std::chrono::seconds(1)) == 2);
  REQUIRE(tally.total() == 2);
  check_cancelled(tally, 0);
  check_cancelled(tally, 1);
  receivers.release();
}

TEST_CASE("Destroying a cliengo::Client with sends pending cancels them", "[concurrency]") {
  Receivers receivers;
  Tally tally;
  auto scheduler = std::make_shared<SignallingScheduler>();
  {
    auto client = chathooks::cliengo::Client::create(chathooks_test::patient_transport(),
                                                     chathooks_test::hour_wait_options(scheduler));
    REQUIRE(client.ok());
    const auto memory = clients_test::documented_memory();
    client->send_async(memory, receivers.url("/slow"),
                       tally.callback<chathooks::cliengo::Answer>(0));
    client->send_async(memory, receivers.url("/busy"),
                       tally.callback<chathooks::cliengo::Answer>(1));
    REQUIRE(receivers.slow_arrived(1));
    REQUIRE(scheduler->wait_scheduled(1));
    CHECK(tally.total() == 0);
  }
  REQUIRE(tally.total() == 2);
  check_cancelled(tally, 0);
  check_cancelled(tally, 1);
  receivers.release();
}

TEST_CASE("boticario::Client drain with a far deadline delivers a send that must retry",
          "[concurrency]") {
  Receivers receivers;
  Tally tally;
  auto options = chathooks_test::hour_wait_options();
  options.retry.initial_delay = std::chrono::milliseconds(50);
  auto client = chathooks::boticario::Client::create(chathooks_test::patient_transport(), options);
  REQUIRE(client.ok());
  const auto event = clients_test::decode_vector("boticario_message_event.json",
                                                 &chathooks::boticario::decode_event);
  const chathooks::boticario::Client copy = *client;
  client->send_async(event, receivers.url("/flaky"), tally.callback(0));
  copy.send_async(event, receivers.url("/ok"), tally.callback(1));
  CHECK(copy.drain(Clock::now() + std::chrono::minutes(5)) == 0);
  REQUIRE(tally.total() == 2);  // Before drain() returned.
  CHECK(tally.ending(0).delivered);
  CHECK(tally.ending(0).attempts == 2);
  CHECK(tally.ending(1).delivered);
  // The copies share one Deliverer: both are closed now.
  client->send_async(event, receivers.url("/ok"), tally.callback(2));
  REQUIRE(tally.wait(3));  // Refused at once, its callback on the scheduler's thread.
  CHECK(tally.ending(2).code == Errc::cancelled);
  CHECK(client->shutdown() == 0);
}
