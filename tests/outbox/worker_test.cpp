// The outbox Worker against a real SQLite store (a temporary file) and a cpp-httplib receiver on
// 127.0.0.1: delivery with signatures and the stored webhook-id, retries on the schedule and on
// Retry-After, give-up reasons, a lease left by a dead worker, and enqueue()'s contract.
#include <httplib.h>
#include <chathooks/http/curl_transport.hpp>
#include <chathooks/outbox/sqlite_store.hpp>
#include <chathooks/outbox/worker.hpp>
#include <chathooks/signing/verifier.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "http/test_server.hpp"
#include "outbox_test_support.hpp"

using namespace chathooks;
using namespace chathooks::outbox;
using chathooks_test::TestServer;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// What the receiver saw: each request's webhook headers, in arrival order.
struct Seen {
  std::string id;
  std::string timestamp;
  std::string signature;
  std::string body;
};

class Receiver {
 public:
  // Answers each request with the next status of `statuses` (the last one repeats).
  explicit Receiver(std::vector<int> statuses, std::string retry_after = "")
      : statuses_(std::move(statuses)), retry_after_(std::move(retry_after)) {
    server_.server().Post(
        "/hook", [this](const httplib::Request& request, httplib::Response& response) {
          std::lock_guard<std::mutex> lock(mutex_);
          seen_.push_back({request.get_header_value("webhook-id"),
                           request.get_header_value("webhook-timestamp"),
                           request.get_header_value("webhook-signature"), request.body});
          const std::size_t index = std::min(seen_.size() - 1, statuses_.size() - 1);
          response.status = statuses_[index];
          if (!retry_after_.empty() && response.status != 200) {
            response.set_header("Retry-After", retry_after_);
          }
        });
    server_.start();
  }
  std::string url() const { return server_.url("/hook"); }
  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }

 private:
  // Declared before the server, so destroyed after it: its threads use them until it stops.
  std::mutex mutex_;
  std::vector<int> statuses_;
  std::string retry_after_;
  std::vector<Seen> seen_;
  TestServer server_;
};

std::shared_ptr<http::HttpTransport> loopback_transport() {
  http::CurlTransportOptions options;
  options.allow_private_addresses = true;
  options.timeout = seconds(10);
  return http::make_curl_transport(options);
}

http::HttpRequest post(const std::string& url, const std::string& body) {
  http::HttpRequest request;
  request.url = url;
  request.body = body;
  REQUIRE(request.headers.set("Content-Type", "application/json"));
  return request;
}

// A wall clock the test moves by hand.
struct ManualClock {
  std::atomic<system_clock::rep> ticks{
      system_clock::time_point(seconds(1700000000)).time_since_epoch().count()};
  system_clock::time_point now() const {
    return system_clock::time_point(system_clock::duration(ticks.load()));
  }
  void advance(milliseconds by) {
    ticks += std::chrono::duration_cast<system_clock::duration>(by).count();
  }
  std::function<system_clock::time_point()> function() {
    return [this] { return now(); };
  }
};

}  // namespace

TEST_CASE("outbox: enqueued messages are delivered signed, with their stored webhook-id") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  Receiver receiver({200});
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    const std::string body = R"({"n":)" + std::to_string(i) + "}";
    auto id = enqueue(*store, post(receiver.url(), body), {"test-kind", std::nullopt, {}});
    REQUIRE(id);
    ids.push_back(*id);
  }
  WorkerOptions options;
  options.signing_keys = {kSecret};
  auto worker = Worker::create(store, loopback_transport(), options);
  REQUIRE(worker);
  std::atomic<bool> stop{false};
  const auto summary = worker->run_until_empty(stop);
  REQUIRE(summary);
  CHECK(summary->delivered == 3);
  CHECK(summary->retried == 0);

  const auto verifier = signing::Verifier::create({kSecret}).value();
  const auto seen = receiver.seen();
  REQUIRE(seen.size() == 3);
  for (const Seen& request : seen) {
    CHECK(std::find(ids.begin(), ids.end(), request.id) != ids.end());
    CHECK(verifier.verify(request.id, request.timestamp, request.signature, request.body));
  }
  const auto counts = store->counts().value();
  CHECK(counts.delivered == 3);
  CHECK(counts.pending == 0);
  CHECK(counts.in_flight == 0);
  const auto found = store->find(ids[0]).value();
  REQUIRE(found);
  CHECK(found->state == MessageState::delivered);
  CHECK(found->kind == "test-kind");
  CHECK(found->attempts == 1);
}

TEST_CASE("outbox: a failed attempt is retried on the schedule with the same webhook-id") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  Receiver receiver({503, 500, 200});
  ManualClock clock;
  const auto id = enqueue(*store, post(receiver.url(), "{}"), {"", std::nullopt, clock.function()});
  REQUIRE(id);
  WorkerOptions options;
  options.schedule = {seconds(5), std::chrono::minutes(5)};
  options.system_now = clock.function();
  options.signing_keys = {kSecret};
  auto worker = Worker::create(store, loopback_transport(), options).value();

  // Attempt 1: 503, next due 5 s later; nothing is due before then.
  auto once = worker.run_once();
  REQUIRE(once);
  CHECK(once->retried == 1);
  auto message = store->find(*id).value();
  REQUIRE(message);
  CHECK(message->state == MessageState::pending);
  CHECK(message->next_attempt_at == clock.now() + seconds(5));
  CHECK(message->last_error == "HTTP 503");
  clock.advance(milliseconds(4999));
  CHECK(worker.run_once()->retried == 0);
  CHECK(receiver.seen().size() == 1);

  // Attempt 2: 500, next due 5 min later. Attempt 3: delivered.
  clock.advance(milliseconds(1));
  CHECK(worker.run_once()->retried == 1);
  message = store->find(*id).value();
  CHECK(message->next_attempt_at == clock.now() + std::chrono::minutes(5));
  clock.advance(std::chrono::minutes(5));
  CHECK(worker.run_once()->delivered == 1);

  const auto seen = receiver.seen();
  REQUIRE(seen.size() == 3);
  for (const Seen& request : seen) CHECK(request.id == *id);
  const auto attempts = store->attempts(*id).value();
  REQUIRE(attempts.size() == 3);
  CHECK(attempts[0].status == 503);
  CHECK(attempts[1].status == 500);
  CHECK(attempts[2].status == 200);
  CHECK(attempts[2].number == 3);
}

TEST_CASE("outbox: a Retry-After replaces the schedule's wait, capped") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  Receiver receiver({429, 200}, "120");
  ManualClock clock;
  const auto id = enqueue(*store, post(receiver.url(), "{}"), {"", std::nullopt, clock.function()});
  REQUIRE(id);
  WorkerOptions options;
  options.schedule = {seconds(5)};
  options.system_now = clock.function();
  SECTION("honoured") {
    auto worker = Worker::create(store, loopback_transport(), options).value();
    CHECK(worker.run_once()->retried == 1);
    CHECK(store->find(*id).value()->next_attempt_at == clock.now() + seconds(120));
  }
  SECTION("capped") {
    options.retry_after_cap = seconds(30);
    auto worker = Worker::create(store, loopback_transport(), options).value();
    CHECK(worker.run_once()->retried == 1);
    CHECK(store->find(*id).value()->next_attempt_at == clock.now() + seconds(30));
  }
}

TEST_CASE("outbox: 410, a status not worth retrying and an exhausted schedule end dead") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  struct Case {
    std::vector<int> statuses;
    std::string reason_start;
    int attempts;
  };
  for (const Case& c : {Case{{410}, "endpoint_gone", 1}, Case{{400}, "http_status", 1},
                        Case{{503}, "attempts_exhausted", 2}}) {
    INFO("statuses " << c.statuses.front());
    Receiver receiver(c.statuses);
    const auto id = enqueue(*store, post(receiver.url(), "{}"));
    REQUIRE(id);
    WorkerOptions options;
    options.schedule = {milliseconds(0)};
    auto worker = Worker::create(store, loopback_transport(), options).value();
    std::atomic<bool> stop{false};
    const auto summary = worker.run_until_empty(stop);
    REQUIRE(summary);
    CHECK(summary->dead == 1);
    const auto message = store->find(*id).value();
    REQUIRE(message);
    CHECK(message->state == MessageState::dead);
    CHECK(message->attempts == c.attempts);
    CHECK(message->dead_reason.rfind(c.reason_start, 0) == 0);
  }
  // retry_dead() gives them another chance.
  CHECK(store->retry_dead(system_clock::now()).value() == 3);
  CHECK(store->counts().value().pending == 3);
}

TEST_CASE("outbox: a message leased by a worker that died is delivered once its lease expires") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  Receiver receiver({200});
  ManualClock clock;
  const auto id = enqueue(*store, post(receiver.url(), "{}"), {"", std::nullopt, clock.function()});
  REQUIRE(id);
  // The "dead" worker: leases the message for 300 ms and never settles it.
  const auto leased = store->lease(10, clock.now(), milliseconds(300));
  REQUIRE(leased);
  REQUIRE(leased->size() == 1);
  CHECK(store->counts().value().in_flight == 1);

  WorkerOptions options;
  options.system_now = clock.function();
  auto worker = Worker::create(store, loopback_transport(), options).value();
  clock.advance(milliseconds(299));
  CHECK(worker.run_once()->delivered == 0);  // Still leased.
  CHECK(receiver.seen().empty());
  clock.advance(milliseconds(1));
  const auto once = worker.run_once();
  REQUIRE(once);
  CHECK(once->delivered == 1);
  const auto seen = receiver.seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].id == *id);
  // The expired lease counted as attempt 1; the delivery was attempt 2.
  const auto attempts = store->attempts(*id).value();
  REQUIRE(attempts.size() == 2);
  CHECK(attempts[0].error.rfind("lease_expired: ", 0) == 0);
  CHECK(attempts[1].status == 200);
  CHECK(attempts[1].number == 2);
  // The dead worker's late settlement is refused: the message was someone else's.
  CHECK(store
            ->settle(leased->front(), AttemptLog{1, clock.now(), milliseconds(1), 200, ""},
                     Settlement{Settlement::Kind::delivered, {}, ""})
            .error()
            .code() == Errc::lease_lost);
}

TEST_CASE("outbox: a message that outlives every lease still ends dead") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  ManualClock clock;
  const auto id =
      enqueue(*store, post("http://127.0.0.1:9/hook", "{}"), {"", std::nullopt, clock.function()});
  REQUIRE(id);
  // Workers that lease it and die, three times: the schedule allows two attempts.
  WorkerOptions options;
  options.schedule = {milliseconds(0)};
  options.system_now = clock.function();
  for (int i = 0; i < 2; ++i) {
    REQUIRE(store->lease(1, clock.now(), milliseconds(10))->size() == 1);
    clock.advance(milliseconds(10));
  }
  // The third hand-out comes with two failed attempts counted: the refused connection (port 9
  // on loopback, retryable) is attempt 3 of 2 allowed, so the message ends dead.
  auto worker = Worker::create(store, loopback_transport(), options).value();
  const auto once = worker.run_once();
  REQUIRE(once);
  CHECK(once->dead == 1);
  const auto message = store->find(*id).value();
  REQUIRE(message);
  CHECK(message->state == MessageState::dead);
  CHECK(message->attempts == 3);
  CHECK(message->dead_reason.rfind("attempts_exhausted", 0) == 0);
}

// A transport that throws from send(): the worker records an internal error, nothing escapes.
class ThrowingTransport : public http::HttpTransport {
 public:
  Result<http::HttpResponse> send(const http::HttpRequest&) override {
    throw std::runtime_error("broken transport");
  }
};

TEST_CASE("outbox: a transport that throws is an attempt that failed, not an exception") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  const auto id = enqueue(*store, post("http://127.0.0.1:9/hook", "{}"));
  REQUIRE(id);
  auto worker = Worker::create(store, std::make_shared<ThrowingTransport>()).value();
  const auto once = worker.run_once();
  REQUIRE(once);
  CHECK(once->dead == 1);  // internal is not worth retrying.
  const auto attempts = store->attempts(*id).value();
  REQUIRE(attempts.size() == 1);
  CHECK(attempts[0].error.find("broken transport") != std::string::npos);
}

TEST_CASE("outbox: enqueue keeps a given webhook-id and stores no signing headers") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  auto request = post("http://127.0.0.1:9/hook", "{}");
  REQUIRE(request.headers.set("webhook-id", "msg_given"));
  REQUIRE(request.headers.set("webhook-signature", "v1,stale"));
  REQUIRE(request.headers.set("webhook-timestamp", "1"));
  const auto id = enqueue(*store, request);
  REQUIRE(id);
  CHECK(*id == "msg_given");
  const auto message = store->find("msg_given").value();
  REQUIRE(message);
  CHECK_FALSE(message->request.headers.contains("webhook-id"));
  CHECK_FALSE(message->request.headers.contains("webhook-signature"));
  CHECK_FALSE(message->request.headers.contains("webhook-timestamp"));
  CHECK(message->request.headers.get("Content-Type") ==
        std::optional<std::string>("application/json"));
  CHECK(enqueue(*store, request).error().code() == Errc::duplicate);
  CHECK(enqueue(*store, http::HttpRequest{}).error().code() == Errc::invalid_argument);
}

TEST_CASE("outbox: Worker::create refuses what cannot work") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  CHECK(Worker::create(nullptr, loopback_transport()).error().code() == Errc::invalid_argument);
  CHECK(Worker::create(store, nullptr).error().code() == Errc::invalid_argument);
  WorkerOptions zero_batch;
  zero_batch.batch = 0;
  CHECK(Worker::create(store, loopback_transport(), zero_batch).error().code() ==
        Errc::invalid_argument);
  WorkerOptions bad_key;
  bad_key.signing_keys = {"whsec_!!!"};
  CHECK(Worker::create(store, loopback_transport(), bad_key).error().code() ==
        Errc::invalid_secret);
}

TEST_CASE("outbox: the observer sees each attempt live and the message's end") {
  class Recorder final : public delivery::DeliveryObserver {
   public:
    std::vector<std::string> lines;
    void on_attempt_start(const delivery::AttemptStart& e) override {
      lines.push_back("start " + std::to_string(e.number) + " " + std::string(e.delivery.protocol) +
                      " " + std::string(e.delivery.host) + " " +
                      std::string(e.delivery.message_id));
    }
    void on_attempt_end(const delivery::AttemptEnd& e) override {
      std::string line = "end " + std::to_string(e.attempt.number) + " " +
                         std::to_string(e.attempt.status.value_or(0));
      if (e.next_delay) line += " next " + std::to_string(e.next_delay->count());
      lines.push_back(line);
    }
    void on_delivery_end(const delivery::DeliveryEnd& e) override {
      lines.push_back(e.error ? "dead " + std::string(to_string(e.error->code()))
                              : "delivered " + std::string(e.record.message_id));
    }
  };
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  Receiver receiver({503, 410});
  ManualClock clock;
  http::HttpRequest request = post(receiver.url(), "{}");
  REQUIRE(request.headers.set("webhook-id", "msg_obs"));
  REQUIRE(enqueue(*store, request, {"", std::nullopt, clock.function()}));
  auto recorder = std::make_shared<Recorder>();
  WorkerOptions options;
  options.schedule = {seconds(5)};
  options.system_now = clock.function();
  options.observer = recorder;
  auto worker = Worker::create(store, loopback_transport(), options).value();

  REQUIRE(worker.run_once());
  CHECK(recorder->lines ==
        std::vector<std::string>{"start 1 outbox 127.0.0.1 msg_obs", "end 1 503 next 5000"});
  clock.advance(seconds(5));
  REQUIRE(worker.run_once());
  CHECK(recorder->lines == std::vector<std::string>{"start 1 outbox 127.0.0.1 msg_obs",
                                                    "end 1 503 next 5000",
                                                    "start 2 outbox 127.0.0.1 msg_obs", "end 2 410",
                                                    "dead endpoint_gone"});
}

TEST_CASE("outbox: a paused endpoint's messages are handed back unattempted, due after the pause") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  Receiver receiver({503});
  ManualClock clock;
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(
        enqueue(*store, post(receiver.url(), "{}"), {"", std::nullopt, clock.function()}).value());
  delivery::EndpointPolicyOptions policy_options;
  policy_options.breaker.failure_threshold = 2;
  policy_options.breaker.open_for = std::chrono::minutes(1);
  WorkerOptions options;
  options.schedule = {seconds(5), seconds(5)};
  options.system_now = clock.function();
  options.endpoints = delivery::EndpointPolicy::create(policy_options).value();
  auto worker = Worker::create(store, loopback_transport(), options).value();

  auto first = worker.run_once();
  REQUIRE(first);
  CHECK(first->retried == 3);  // three failures: the breaker is open now
  clock.advance(seconds(5));
  auto second = worker.run_once();
  REQUIRE(second);
  CHECK(second->deferred == 3);
  CHECK(second->retried == 0);
  CHECK(receiver.seen().size() == 3);  // nothing more was sent
  for (const auto& id : ids) {
    const auto message = store->find(id).value();
    REQUIRE(message);
    CHECK(message->attempts == 1);  // no attempt counted for the pause
    CHECK(message->state == MessageState::pending);
    CHECK(message->next_attempt_at >= clock.now() + seconds(59));
  }
}

TEST_CASE("outbox: after a 410 the endpoint is disabled and its other messages end dead") {
  outbox_test::TempFile file;
  auto store = open_sqlite_store(file.path()).value();
  Receiver receiver({410});
  const auto gone = enqueue(*store, post(receiver.url(), "{}")).value();
  const auto next = enqueue(*store, post(receiver.url(), "{}")).value();
  WorkerOptions options;
  options.batch = 1;
  options.endpoints = delivery::EndpointPolicy::create().value();
  auto worker = Worker::create(store, loopback_transport(), options).value();
  REQUIRE(worker.run_once());
  REQUIRE(worker.run_once());
  CHECK(receiver.seen().size() == 1);
  const auto first = store->find(gone).value();
  const auto second = store->find(next).value();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->state == MessageState::dead);
  CHECK(second->state == MessageState::dead);
  CHECK(first->dead_reason.rfind("endpoint_gone", 0) == 0);
  CHECK(second->dead_reason.rfind("endpoint_disabled", 0) == 0);
}

TEST_CASE("outbox: a disabled endpoint stays disabled for a restarted worker until enabled") {
  outbox_test::TempFile file;
  Receiver receiver({410, 200});
  {
    // The first worker process: a 410 disables the endpoint; it is saved with the batch.
    auto store = open_sqlite_store(file.path()).value();
    REQUIRE(enqueue(*store, post(receiver.url(), "{}")));
    WorkerOptions options;
    options.endpoints = delivery::EndpointPolicy::create().value();
    auto worker = Worker::create(store, loopback_transport(), options).value();
    REQUIRE(worker.run_once());
    auto records = store->endpoint_records();
    REQUIRE(records.ok());
    REQUIRE(records->size() == 1);
    CHECK(records->front().endpoint == delivery::EndpointPolicy::endpoint_of(receiver.url()));
    CHECK(records->front().state == delivery::EndpointState::disabled);
  }
  // A new process, a new policy: it reads the record before its first batch.
  auto store = open_sqlite_store(file.path()).value();
  const auto refused = enqueue(*store, post(receiver.url(), "{}")).value();
  auto policy = delivery::EndpointPolicy::create().value();
  WorkerOptions options;
  options.endpoints = policy;
  options.endpoint_sync = milliseconds(0);
  auto worker = Worker::create(store, loopback_transport(), options).value();
  REQUIRE(worker.run_once());
  CHECK(receiver.seen().size() == 1);  // nothing sent to the disabled endpoint
  const auto dead = store->find(refused).value();
  REQUIRE(dead);
  CHECK(dead->state == MessageState::dead);
  CHECK(dead->dead_reason.rfind("endpoint_disabled", 0) == 0);
  REQUIRE(policy->endpoints().size() == 1);
  CHECK(policy->endpoints().front().state == delivery::EndpointState::disabled);

  // An operator enables it in the store (as `chathooks outbox enable` does): the running worker
  // applies it on its next read, and delivers again.
  REQUIRE(enable_endpoint(*store, receiver.url()));
  const auto delivered = enqueue(*store, post(receiver.url(), "{}")).value();
  auto after = worker.run_once();
  REQUIRE(after);
  CHECK(after->delivered == 1);
  CHECK(policy->endpoints().front().state == delivery::EndpointState::closed);
  CHECK(store->find(delivered).value()->state == MessageState::delivered);
  CHECK_FALSE(enable_endpoint(*store, "not a url").ok());
}

TEST_CASE("outbox: a breaker one worker opened pauses the fleet's other workers") {
  outbox_test::TempFile file;
  Receiver receiver({503});
  ManualClock clock;
  delivery::EndpointPolicyOptions policy_options;
  policy_options.breaker.failure_threshold = 2;
  policy_options.breaker.open_for = std::chrono::minutes(1);
  const auto make_worker = [&](const std::shared_ptr<OutboxStore>& store) {
    WorkerOptions options;
    options.schedule = {seconds(5), seconds(5)};
    options.system_now = clock.function();
    options.endpoints = delivery::EndpointPolicy::create(policy_options).value();
    options.endpoint_sync = milliseconds(0);
    return Worker::create(store, loopback_transport(), options).value();
  };
  auto store_a = open_sqlite_store(file.path()).value();
  auto store_b = open_sqlite_store(file.path()).value();  // another process's connection
  for (int i = 0; i < 2; ++i)
    REQUIRE(enqueue(*store_a, post(receiver.url(), "{}"), {"", std::nullopt, clock.function()}));
  const auto worker_a = make_worker(store_a);
  const auto worker_b = make_worker(store_b);
  auto first = worker_a.run_once();
  REQUIRE(first);
  CHECK(first->retried == 2);  // two failures: A's breaker opened, and A saved it
  clock.advance(seconds(5));
  auto second = worker_b.run_once();  // B never saw a failure itself
  REQUIRE(second);
  CHECK(second->deferred == 2);
  CHECK(receiver.seen().size() == 2);
  auto records = store_b->endpoint_records();
  REQUIRE(records.ok());
  REQUIRE(records->size() == 1);
  CHECK(records->front().state == delivery::EndpointState::open);
  // Saved at A's batch end (the manual clock then), due about a minute later (the policy's own
  // clock ran a little between opening and saving).
  const auto saved_at = clock.now() - seconds(5);
  CHECK(records->front().paused_until <= saved_at + std::chrono::minutes(1));
  CHECK(records->front().paused_until >= saved_at + seconds(55));
}
