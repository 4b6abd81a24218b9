// Deliverer::deliver_async with a ManualScheduler (time moves only when the test says so) and
// FakeTransport: no thread ever sleeps, cancellation, exactly-once callbacks.
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/testing/fake_transport.hpp>
#include <chathooks/testing/manual_scheduler.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "delivery_test_support.hpp"

using chathooks::Errc;
using chathooks::Error;
using chathooks::Result;
using chathooks::delivery::Deliverer;
using chathooks::delivery::DelivererOptions;
using chathooks::delivery::DeliveryHandle;
using chathooks::delivery::Scheduler;
using chathooks::delivery::SendResult;
using chathooks::http::HttpCallback;
using chathooks::http::HttpRequest;
using chathooks::http::HttpResponse;
using chathooks::http::HttpTransport;
using chathooks::http::TransferHandle;
using chathooks::testing::FakeTransport;
using chathooks::testing::ManualScheduler;
using std::chrono::milliseconds;

namespace {

HttpRequest webhook() {
  HttpRequest request;
  request.url = "https://receiver.example/hooks";
  request.body = "{\"n\":1}";
  return request;
}

/// Collects the one callback of a delivery, and counts calls to prove "exactly once".
struct Outcome {
  std::mutex mutex;
  std::condition_variable done;
  std::vector<SendResult<void>> results;
  std::thread::id thread;

  chathooks::delivery::SendCallback<void> callback() {
    return [this](SendResult<void> result) {
      std::lock_guard<std::mutex> lock(mutex);
      results.push_back(std::move(result));
      thread = std::this_thread::get_id();
      done.notify_all();
    };
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mutex);
    return results.size();
  }
  bool wait(std::chrono::seconds limit = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> lock(mutex);
    return done.wait_for(lock, limit, [&] { return !results.empty(); });
  }
};

/// A clock that reads the ManualScheduler's time, and a sleeper that fails the test.
struct ManualWorld {
  std::shared_ptr<ManualScheduler> scheduler = std::make_shared<ManualScheduler>();
  std::atomic<int> sleeps{0};
  chathooks_test::FakeTime wall;  // Moved together with the scheduler by advance().

  DelivererOptions options(double random = 0.0) {
    DelivererOptions options;
    options.retry = chathooks_test::exact_policy();
    options.scheduler = scheduler;
    options.steady_now = [this] { return scheduler->now(); };
    options.system_now = [this] {
      return wall.system_now() + (scheduler->now() - std::chrono::steady_clock::time_point{});
    };
    options.sleep = [this](milliseconds) { ++sleeps; };
    options.random = [random] { return random; };
    return options;
  }
};

/// A transport whose async transfers stay in flight until the test completes or cancels them.
class HeldTransport final : public HttpTransport {
 public:
  Result<HttpResponse> send(const HttpRequest&) override {
    return Error(Errc::internal, "HeldTransport is async only");
  }
  TransferHandle send_async(HttpRequest request, HttpCallback callback) override {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(std::move(request));
    const std::size_t index = callbacks_.size();
    callbacks_.push_back(std::move(callback));
    return TransferHandle([this, index] {
      ++cancels_;
      complete(index, Error(Errc::cancelled, "cancelled by the handle"));
    });
  }
  /// Completes transfer `index` once (later completions are ignored, as a transport must).
  void complete(std::size_t index, Result<HttpResponse> outcome) {
    HttpCallback callback;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (index >= callbacks_.size() || !callbacks_[index]) return;
      callback = std::move(callbacks_[index]);
      callbacks_[index] = nullptr;
    }
    callback(std::move(outcome));
  }
  std::size_t sent() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.size();
  }
  int cancels() const { return cancels_; }

 private:
  std::mutex mutex_;
  std::vector<HttpRequest> requests_;
  std::vector<HttpCallback> callbacks_;
  std::atomic<int> cancels_{0};
};

HttpResponse status(int code) {
  HttpResponse response;
  response.status = code;
  return response;
}

}  // namespace

TEST_CASE("Async: fails twice then succeeds on scheduler timers, never sleeping") {
  ManualWorld world;
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(500);
  transport->push_error(Error(Errc::connection_failed, "reset"));
  transport->push_response(200, "ok");
  auto deliverer = Deliverer::create(transport, world.options(0.0));
  REQUIRE(deliverer.ok());

  Outcome outcome;
  const DeliveryHandle handle = deliverer->deliver_async(webhook(), outcome.callback());
  CHECK(handle);
  // The first attempt ran inline (FakeTransport answers at once); the retry is a timer.
  CHECK(transport->request_count() == 1);
  CHECK(world.scheduler->pending() == 1);
  CHECK(outcome.count() == 0);

  CHECK(world.scheduler->advance(milliseconds(99)) == 0);  // Not due yet.
  CHECK(transport->request_count() == 1);
  CHECK(world.scheduler->advance(milliseconds(1)) == 1);
  CHECK(transport->request_count() == 2);
  CHECK(world.scheduler->advance(milliseconds(199)) == 0);
  CHECK(world.scheduler->advance(milliseconds(1)) == 1);
  CHECK(transport->request_count() == 3);
  CHECK(world.scheduler->pending() == 0);

  REQUIRE(outcome.count() == 1);
  const auto& result = outcome.results[0];
  REQUIRE(result.ok());
  CHECK(result.delivery.response->body == "ok");
  REQUIRE(result.delivery.attempts.size() == 3);
  CHECK(result.delivery.attempts[0].delay_before == milliseconds(0));
  CHECK(result.delivery.attempts[1].delay_before == milliseconds(100));
  CHECK(result.delivery.attempts[2].delay_before == milliseconds(200));
  CHECK(result.delivery.attempts[1].error->code() == Errc::connection_failed);
  CHECK(world.scheduler->scheduled_delays() ==
        std::vector<milliseconds>{milliseconds(100), milliseconds(200)});
  CHECK(world.sleeps == 0);  // No thread was blocked to wait.
  handle.cancel();           // After the end: nothing happens.
  CHECK(outcome.count() == 1);
}

TEST_CASE("Async: 429 with Retry-After: 1 schedules the next attempt one second later") {
  ManualWorld world;
  auto transport = std::make_shared<FakeTransport>();
  HttpResponse limited = status(429);
  REQUIRE(limited.headers.add("Retry-After", "1").ok());
  transport->push_response(limited);
  transport->push_response(200);
  auto deliverer = Deliverer::create(transport, world.options());
  REQUIRE(deliverer.ok());
  Outcome outcome;
  deliverer->deliver_async(webhook(), outcome.callback());
  CHECK(world.scheduler->scheduled_delays() == std::vector<milliseconds>{milliseconds(1000)});
  world.scheduler->advance(milliseconds(999));
  CHECK(outcome.count() == 0);
  world.scheduler->advance(milliseconds(1));
  REQUIRE(outcome.count() == 1);
  CHECK(outcome.results[0].ok());
  CHECK(outcome.results[0].delivery.attempts.at(1).delay_before == milliseconds(1000));
  CHECK(world.sleeps == 0);
}

TEST_CASE(
    "Async: a final outcome given inside deliver_async reaches the callback through the "
    "scheduler") {
  struct Case {
    int status;
    Errc code;
  };
  for (const Case c : {Case{410, Errc::endpoint_gone}, Case{400, Errc::http_status},
                       Case{301, Errc::http_status}}) {
    INFO(c.status);
    ManualWorld world;
    auto transport = std::make_shared<FakeTransport>();
    transport->push_response(c.status);
    auto deliverer = Deliverer::create(transport, world.options());
    REQUIRE(deliverer.ok());
    Outcome outcome;
    deliverer->deliver_async(webhook(), outcome.callback());
    // The inline transport ended the delivery inside deliver_async(): never run the callback
    // there (the caller may hold a lock the callback takes); it waits for the scheduler.
    CHECK(outcome.count() == 0);
    REQUIRE(world.scheduler->pending() == 1);
    CHECK(world.scheduler->scheduled_delays() == std::vector<milliseconds>{milliseconds(0)});
    CHECK(world.scheduler->run_due() == 1);
    REQUIRE(outcome.count() == 1);
    CHECK(outcome.results[0].error().code() == c.code);
    CHECK(outcome.results[0].delivery.attempts.size() == 1);
    CHECK(world.scheduler->pending() == 0);
  }
}

TEST_CASE("Async: webhook-id unchanged across retries while webhook-timestamp changes") {
  ManualWorld world;
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(503);
  transport->push_response(503);
  transport->push_response(204);
  auto options = world.options();
  options.retry.initial_delay = milliseconds(1000);
  options.retry.max_delay = milliseconds(5000);
  options.signing_keys = {chathooks_test::kSecret};
  auto deliverer = Deliverer::create(transport, options);
  REQUIRE(deliverer.ok());
  Outcome outcome;
  deliverer->deliver_async(webhook(), outcome.callback());
  world.scheduler->advance(milliseconds(1000));
  world.scheduler->advance(milliseconds(2000));
  REQUIRE(outcome.count() == 1);
  REQUIRE(outcome.results[0].ok());
  const auto requests = transport->requests();
  REQUIRE(requests.size() == 3);
  const std::string id = outcome.results[0].delivery.message_id;
  std::vector<std::string> timestamps;
  for (const auto& request : requests) {
    CHECK(request.headers.get("webhook-id") == std::optional<std::string>(id));
    timestamps.push_back(request.headers.get("webhook-timestamp").value_or(""));
    CHECK(request.headers.get("webhook-signature") ==
          std::optional<std::string>(chathooks_test::reference_signature(
              chathooks_test::kSecret, id, timestamps.back(), request.body)));
  }
  CHECK(timestamps == std::vector<std::string>{"1614265330", "1614265331", "1614265333"});
}

TEST_CASE("Async: cancel during a wait ends the delivery at once") {
  ManualWorld world;
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(503);
  transport->push_response(200);  // Never sent.
  auto deliverer = Deliverer::create(transport, world.options());
  REQUIRE(deliverer.ok());
  Outcome outcome;
  const auto handle = deliverer->deliver_async(webhook(), outcome.callback());
  REQUIRE(world.scheduler->pending() == 1);
  const auto copy = handle;  // Copies refer to the same delivery.
  copy.cancel();
  CHECK(outcome.count() == 0);  // Not inside cancel(): the callback is on the scheduler.
  REQUIRE(world.scheduler->pending() == 1);  // The timer is gone; the callback is queued.
  CHECK(world.scheduler->run_due() == 1);
  REQUIRE(outcome.count() == 1);
  const auto& result = outcome.results[0];
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::cancelled);
  CHECK(result.delivery.attempts.size() == 1);
  CHECK(world.scheduler->pending() == 0);  // The timer is gone.
  world.scheduler->advance(std::chrono::seconds(10));
  CHECK(transport->request_count() == 1);
  handle.cancel();
  CHECK(outcome.count() == 1);
  CHECK(world.sleeps == 0);
}

TEST_CASE("Async: cancel during an attempt cancels the transfer and starts no other") {
  ManualWorld world;
  auto transport = std::make_shared<HeldTransport>();
  auto deliverer = Deliverer::create(transport, world.options());
  REQUIRE(deliverer.ok());

  Outcome outcome;
  const auto handle = deliverer->deliver_async(webhook(), outcome.callback());
  REQUIRE(transport->sent() == 1);
  transport->complete(0, status(502));  // First attempt fails: a timer.
  REQUIRE(world.scheduler->pending() == 1);
  world.scheduler->advance(milliseconds(100));
  REQUIRE(transport->sent() == 2);  // Second attempt in flight.
  CHECK(outcome.count() == 0);

  handle.cancel();
  CHECK(transport->cancels() == 1);
  CHECK(outcome.count() == 0);  // The transport reported inside cancel(): queued, not run.
  CHECK(world.scheduler->run_due() == 1);
  REQUIRE(outcome.count() == 1);
  CHECK(outcome.results[0].error().code() == Errc::cancelled);
  CHECK(outcome.results[0].delivery.attempts.size() == 2);
  CHECK(world.scheduler->pending() == 0);
  transport->complete(1, status(200));  // Too late: ignored by the transport contract.
  world.scheduler->advance(std::chrono::seconds(10));
  CHECK(transport->sent() == 2);
  CHECK(outcome.count() == 1);
}

TEST_CASE("Async: a 2xx that beats the cancellation is reported as delivered") {
  ManualWorld world;
  auto transport = std::make_shared<HeldTransport>();
  auto deliverer = Deliverer::create(transport, world.options());
  REQUIRE(deliverer.ok());
  Outcome outcome;
  const auto handle = deliverer->deliver_async(webhook(), outcome.callback());
  transport->complete(0, status(200));
  handle.cancel();
  REQUIRE(outcome.count() == 1);
  CHECK(outcome.results[0].ok());
  CHECK(transport->cancels() == 0);
}

TEST_CASE("Async: a retryable failure after cancel is not retried") {
  ManualWorld world;
  // A transport that ignores cancellation: the attempt's real outcome arrives later.
  class Stubborn final : public HttpTransport {
   public:
    Result<HttpResponse> send(const HttpRequest&) override { return status(200); }
    TransferHandle send_async(HttpRequest, HttpCallback callback) override {
      held = std::move(callback);
      return TransferHandle([] {});
    }
    HttpCallback held;
  };
  auto transport = std::make_shared<Stubborn>();
  auto deliverer = Deliverer::create(transport, world.options());
  REQUIRE(deliverer.ok());
  Outcome outcome;
  const auto handle = deliverer->deliver_async(webhook(), outcome.callback());
  handle.cancel();
  CHECK(outcome.count() == 0);  // Waits for the transport to report.
  auto held = std::move(transport->held);
  held(status(503));
  REQUIRE(outcome.count() == 1);
  CHECK(outcome.results[0].error().code() == Errc::cancelled);
  CHECK(outcome.results[0].delivery.attempts.size() == 1);
  CHECK(world.scheduler->pending() == 0);
}

TEST_CASE("Async: destroying the last Deliverer copy cancels a delivery waiting to retry") {
  ManualWorld world;
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(503);
  transport->push_response(200);
  Outcome outcome;
  {
    auto deliverer = Deliverer::create(transport, world.options());
    REQUIRE(deliverer.ok());
    const Deliverer copy = *deliverer;
    deliverer->deliver_async(webhook(), outcome.callback());
    REQUIRE(world.scheduler->pending() == 1);
    { const Deliverer last = std::move(*deliverer); }  // Not the last copy: `copy` is still here.
    CHECK(outcome.count() == 0);
  }
  // Before the last destructor returned: cancelled, its retry timer removed.
  REQUIRE(outcome.count() == 1);
  REQUIRE_FALSE(outcome.results[0].ok());
  CHECK(outcome.results[0].error().code() == Errc::cancelled);
  CHECK(outcome.results[0].delivery.attempts.size() == 1);
  CHECK(world.scheduler->pending() == 0);
  world.scheduler->advance(milliseconds(100));
  CHECK(outcome.count() == 1);
  CHECK(transport->request_count() == 1);
}

TEST_CASE("Async: a throwing callback is dropped") {
  ManualWorld world;
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(200);
  auto deliverer = Deliverer::create(transport, world.options());
  REQUIRE(deliverer.ok());
  bool called = false;
  CHECK_NOTHROW(deliverer->deliver_async(webhook(), [&](SendResult<void>) {
    called = true;
    throw std::runtime_error("host bug");
  }));
  CHECK_FALSE(called);  // Completed inline by the transport: the callback is on the scheduler.
  CHECK_NOTHROW(world.scheduler->run_due());
  CHECK(called);
}

TEST_CASE("Async: the default thread scheduler runs retries without blocking the caller") {
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(503);
  transport->push_error(Error(Errc::timeout, "slow"));
  transport->push_response(200);
  DelivererOptions options;
  options.retry = chathooks_test::exact_policy();
  options.retry.initial_delay = milliseconds(5);
  std::atomic<int> sleeps{0};
  options.sleep = [&](milliseconds) { ++sleeps; };
  auto deliverer = Deliverer::create(transport, options);
  REQUIRE(deliverer.ok());

  Outcome outcome;
  deliverer->deliver_async(webhook(), outcome.callback());
  REQUIRE(outcome.wait());
  std::lock_guard<std::mutex> lock(outcome.mutex);
  REQUIRE(outcome.results.size() == 1);
  CHECK(outcome.results[0].ok());
  CHECK(outcome.results[0].delivery.attempts.size() == 3);
  CHECK(outcome.thread != std::this_thread::get_id());  // The timer thread ran the retries.
  CHECK(sleeps == 0);
}

TEST_CASE("Async: many concurrent deliveries share one Deliverer") {
  ManualWorld world;
  std::mutex mutex;
  std::map<std::string, int> attempts;  // By webhook-id: the first attempt of each fails.
  auto transport =
      std::make_shared<FakeTransport>([&](const HttpRequest& request) -> Result<HttpResponse> {
        std::lock_guard<std::mutex> lock(mutex);
        return status(++attempts[request.headers.get("webhook-id").value_or("")] == 1 ? 503 : 200);
      });
  auto options = world.options();
  options.signing_keys = {chathooks_test::kSecret};
  auto deliverer = Deliverer::create(transport, options);
  REQUIRE(deliverer.ok());
  std::atomic<int> delivered{0};
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        deliverer->deliver_async(webhook(), [&](SendResult<void> result) {
          if (result.ok()) ++delivered;
          ++finished;
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  while (world.scheduler->pending() > 0) world.scheduler->advance(std::chrono::seconds(1));
  CHECK(finished == 200);
  CHECK(delivered == 200);
  CHECK(attempts.size() == 200);  // One id per delivery.
  CHECK(transport->request_count() == 400);
}

TEST_CASE("Async: shutdown with an attempt in flight cancels its transfer, ignores its outcome") {
  ManualWorld world;
  auto transport = std::make_shared<HeldTransport>();
  auto deliverer = Deliverer::create(transport, world.options());
  REQUIRE(deliverer.ok());
  Outcome outcome;
  deliverer->deliver_async(webhook(), outcome.callback());
  REQUIRE(transport->sent() == 1);
  CHECK(deliverer->shutdown() == 1);
  REQUIRE(outcome.count() == 1);
  REQUIRE_FALSE(outcome.results[0].ok());
  CHECK(outcome.results[0].error().code() == Errc::cancelled);
  REQUIRE(outcome.results[0].delivery.attempts.size() == 1);
  REQUIRE(outcome.results[0].delivery.attempts[0].error.has_value());
  CHECK(outcome.results[0].delivery.attempts[0].error->code() == Errc::cancelled);
  CHECK(transport->cancels() == 1);
  transport->complete(0, status(200));  // Too late: already reported.
  CHECK(outcome.count() == 1);
  CHECK(world.scheduler->pending() == 0);
}

TEST_CASE("Async: a retry timer that the scheduler drops unrun ends the delivery cancelled") {
  // A host scheduler that stops (its event loop ends) and destroys its tasks without running
  // them: the delivery they held must still report.
  class Dropping final : public Scheduler {
   public:
    TaskId schedule_after(milliseconds, std::function<void()> task) override {
      tasks_.push_back(std::move(task));
      return tasks_.size();
    }
    bool cancel(TaskId) override { return false; }
    void drop_all() {
      auto tasks = std::move(tasks_);
      tasks_.clear();
    }

   private:
    std::vector<std::function<void()>> tasks_;
  };
  auto scheduler = std::make_shared<Dropping>();
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(503);
  ManualWorld world;
  auto options = world.options();
  options.scheduler = scheduler;
  auto deliverer = Deliverer::create(transport, options);
  REQUIRE(deliverer.ok());
  Outcome outcome;
  deliverer->deliver_async(webhook(), outcome.callback());
  CHECK(outcome.count() == 0);
  scheduler->drop_all();
  REQUIRE(outcome.count() == 1);
  REQUIRE_FALSE(outcome.results[0].ok());
  CHECK(outcome.results[0].error().code() == Errc::cancelled);
  CHECK(outcome.results[0].delivery.attempts.size() == 1);
  CHECK(deliverer->drain(std::chrono::steady_clock::now() + std::chrono::hours(1)) == 0);
}

TEST_CASE("Async: a transport whose send_async throws gives one failed attempt, no exception") {
  // Throws on every send_async, as a host's transport might on a bug or bad_alloc.
  class ThrowingTransport final : public HttpTransport {
   public:
    Result<HttpResponse> send(const HttpRequest&) override {
      return Error(Errc::internal, "ThrowingTransport is async only");
    }
    TransferHandle send_async(HttpRequest, HttpCallback) override {
      ++calls;
      throw std::runtime_error("transport bug");
    }
    int calls = 0;
  };
  ManualWorld world;
  auto transport = std::make_shared<ThrowingTransport>();
  auto deliverer = Deliverer::create(transport, world.options(0.0));
  REQUIRE(deliverer.ok());
  Outcome outcome;
  CHECK_NOTHROW(deliverer->deliver_async(webhook(), outcome.callback()));
  // Errc::internal is not worth retrying: one attempt, then only the callback is scheduled.
  CHECK(transport->calls == 1);
  CHECK(outcome.count() == 0);
  CHECK(world.scheduler->run_due() == 1);
  CHECK(world.scheduler->pending() == 0);
  REQUIRE(outcome.count() == 1);
  const auto& result = outcome.results[0];
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::internal);
  CHECK(result.error().message().find("the transport threw: transport bug") != std::string::npos);
  CHECK(result.delivery.attempts.size() == 1);
}
