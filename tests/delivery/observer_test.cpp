// DeliveryObserver and the log listener on the Deliverer's two paths and the protocol clients:
// every attempt seen live and in order, the wait before the next, the end; traceparent made or
// kept on every attempt.
#include <chathooks/boticario/client.hpp>
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/delivery/observer.hpp>
#include <chathooks/log.hpp>
#include <chathooks/testing/fake_transport.hpp>
#include <chathooks/testing/manual_scheduler.hpp>
#include <chathooks/trace_context.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "delivery_test_support.hpp"

using chathooks::Errc;
using chathooks::Error;
using chathooks::TraceParent;
using chathooks::delivery::AttemptEnd;
using chathooks::delivery::AttemptStart;
using chathooks::delivery::Deliverer;
using chathooks::delivery::DeliveryEnd;
using chathooks::delivery::DeliveryObserver;
using chathooks::delivery::SendResult;
using chathooks::testing::FakeTransport;
using chathooks::testing::ManualScheduler;
using std::chrono::milliseconds;

namespace {

// Each event as one line, so a test compares the whole sequence at once.
class Recorder final : public DeliveryObserver {
 public:
  void on_attempt_start(const AttemptStart& e) override {
    add("start " + std::to_string(e.number) + " after " + std::to_string(e.delay_before.count()) +
        " " + std::string(e.delivery.protocol) + " " + std::string(e.delivery.host));
    std::lock_guard<std::mutex> lock(mutex_);
    ids_.emplace_back(e.delivery.message_id);
    traces_.emplace_back(e.delivery.traceparent);
  }
  void on_attempt_end(const AttemptEnd& e) override {
    std::string line = "end " + std::to_string(e.attempt.number) + " ";
    line += e.attempt.status ? std::to_string(*e.attempt.status)
                             : std::string(chathooks::to_string(e.attempt.error->code()));
    if (e.next_delay) line += " next " + std::to_string(e.next_delay->count());
    add(line);
  }
  void on_delivery_end(const DeliveryEnd& e) override {
    add(e.error ? "failed " + std::string(chathooks::to_string(e.error->code())) + " after " +
                      std::to_string(e.record.attempts.size())
                : "delivered after " + std::to_string(e.record.attempts.size()));
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  std::vector<std::string> ids() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return ids_;
  }
  std::vector<std::string> traces() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return traces_;
  }

 private:
  void add(std::string line) {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(std::move(line));
  }
  mutable std::mutex mutex_;
  std::vector<std::string> lines_, ids_, traces_;
};

class Thrower final : public DeliveryObserver {
 public:
  void on_attempt_start(const AttemptStart&) override { throw std::runtime_error("start"); }
  void on_attempt_end(const AttemptEnd&) override { throw std::runtime_error("end"); }
  void on_delivery_end(const DeliveryEnd&) override { throw 42; }
};

chathooks::http::HttpRequest webhook() {
  return chathooks_test::json_post("https://Receiver.Example:8443/hooks?x=1", "{\"n\":1}");
}

// The log records of one test, and the listener removed at the end.
struct LogCapture {
  std::mutex mutex;
  std::vector<std::string> lines;
  explicit LogCapture(chathooks::log::Level level) {
    chathooks::log::set_listener(
        [this](const chathooks::log::Record& record) {
          std::lock_guard<std::mutex> lock(mutex);
          lines.push_back(chathooks::log::to_line(record));
        },
        level);
  }
  ~LogCapture() { chathooks::log::set_listener(nullptr); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
};

// An asynchronous Deliverer whose time moves only with `scheduler`, observed by `recorder`.
std::optional<Deliverer> on_manual_time(const std::shared_ptr<FakeTransport>& transport,
                                        const std::shared_ptr<ManualScheduler>& scheduler,
                                        const std::shared_ptr<Recorder>& recorder) {
  chathooks::delivery::DelivererOptions options;
  options.retry = chathooks_test::exact_policy();
  options.scheduler = scheduler;
  options.steady_now = [scheduler] { return scheduler->now(); };
  options.random = [] { return 0.0; };
  options.observer = recorder;
  auto deliverer = Deliverer::create(transport, std::move(options));
  REQUIRE(deliverer.ok());
  return std::move(deliverer).value();
}

}  // namespace

TEST_CASE("Observer, sync: every attempt in order with the wait before the next, then the end") {
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(503, "busy");
  transport->push_error(Error(Errc::connection_refused, "nobody home"));
  transport->push_response(200, "ok");
  chathooks_test::FakeTime time;
  auto options = time.options();
  options.retry = chathooks_test::exact_policy();
  options.signing_keys = {chathooks_test::kSecret};
  auto recorder = std::make_shared<Recorder>();
  options.observer = recorder;
  options.label = "mine";
  auto deliverer = Deliverer::create(transport, std::move(options));
  REQUIRE(deliverer.ok());

  const SendResult<void> result = deliverer->deliver(webhook());
  REQUIRE(result.ok());
  CHECK(recorder->lines() == std::vector<std::string>{
                                 "start 1 after 0 mine receiver.example",
                                 "end 1 503 next 100",
                                 "start 2 after 100 mine receiver.example",
                                 "end 2 connection_refused next 200",
                                 "start 3 after 200 mine receiver.example",
                                 "end 3 200",
                                 "delivered after 3",
                             });
  // The message id the observer saw is the delivery's, on every attempt.
  for (const auto& id : recorder->ids()) CHECK(id == result.delivery.message_id);
}

TEST_CASE("Observer, sync: a delivery that gives up ends with its error") {
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(410, "gone");
  chathooks_test::FakeTime time;
  auto options = time.options();
  options.retry = chathooks_test::exact_policy();
  auto recorder = std::make_shared<Recorder>();
  options.observer = recorder;
  auto deliverer = Deliverer::create(transport, std::move(options));
  REQUIRE(deliverer.ok());
  CHECK_FALSE(deliverer->deliver(webhook()).ok());
  CHECK(recorder->lines() == std::vector<std::string>{"start 1 after 0  receiver.example",
                                                      "end 1 410", "failed endpoint_gone after 1"});
}

TEST_CASE("Observer, async: events come as the attempts happen, before the delivery ends") {
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(500, "oops");
  transport->push_response(202, "");
  auto scheduler = std::make_shared<ManualScheduler>();
  auto recorder = std::make_shared<Recorder>();
  auto deliverer = on_manual_time(transport, scheduler, recorder);

  int ended = 0;
  deliverer->deliver_async(webhook(), [&ended](SendResult<void> result) {
    CHECK(result.ok());
    ++ended;
  });
  // The first attempt is over and the second is waiting: seen already, live.
  CHECK(ended == 0);
  CHECK(recorder->lines() ==
        std::vector<std::string>{"start 1 after 0  receiver.example", "end 1 500 next 100"});
  scheduler->advance(milliseconds(100));
  CHECK(ended == 1);
  CHECK(recorder->lines() == std::vector<std::string>{"start 1 after 0  receiver.example",
                                                      "end 1 500 next 100",
                                                      "start 2 after 100  receiver.example",
                                                      "end 2 202", "delivered after 2"});
}

TEST_CASE("Observer, async: a cancelled wait ends the delivery, with no next attempt promised") {
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(503, "busy");
  auto scheduler = std::make_shared<ManualScheduler>();
  auto recorder = std::make_shared<Recorder>();
  auto deliverer = on_manual_time(transport, scheduler, recorder);
  auto handle = deliverer->deliver_async(webhook(), [](SendResult<void>) {});
  handle.cancel();
  scheduler->run_due();  // The end and the callback run on the scheduler, not inside cancel().
  CHECK(recorder->lines() == std::vector<std::string>{"start 1 after 0  receiver.example",
                                                      "end 1 503 next 100",
                                                      "failed cancelled after 1"});
}

TEST_CASE("Observer: what an observer throws is dropped, and observe_all calls each one") {
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(200, "ok");
  chathooks_test::FakeTime time;
  auto options = time.options();
  auto recorder = std::make_shared<Recorder>();
  options.observer =
      chathooks::delivery::observe_all({std::make_shared<Thrower>(), nullptr, recorder});
  auto deliverer = Deliverer::create(transport, std::move(options));
  REQUIRE(deliverer.ok());
  CHECK(deliverer->deliver(webhook()).ok());
  CHECK(recorder->lines() == std::vector<std::string>{"start 1 after 0  receiver.example",
                                                      "end 1 200", "delivered after 1"});

  // A throwing observer alone does not change the outcome either.
  transport->push_response(200, "ok");
  auto thrower_options = time.options();
  thrower_options.observer = std::make_shared<Thrower>();
  auto throwing = Deliverer::create(transport, std::move(thrower_options));
  REQUIRE(throwing.ok());
  CHECK(throwing->deliver(webhook()).ok());
}

TEST_CASE("Observer: the protocol clients label their deliveries") {
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(200, "");
  chathooks_test::FakeTime time;
  auto options = time.options();
  auto recorder = std::make_shared<Recorder>();
  options.observer = recorder;
  auto client = chathooks::boticario::Client::create(transport, std::move(options));
  REQUIRE(client.ok());
  const chathooks::boticario::Event event = chathooks::boticario::StatusEvent{};
  (void)client->send(event, "https://hooks.example/b");
  REQUIRE_FALSE(recorder->lines().empty());
  CHECK(recorder->lines().front() == "start 1 after 0 boticario hooks.example");
}

TEST_CASE("traceparent: made once per delivery when asked, kept when the request has one") {
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(503, "busy");
  transport->push_response(200, "ok");
  chathooks_test::FakeTime time;
  auto options = time.options();
  options.retry = chathooks_test::exact_policy();
  options.make_traceparent = true;
  auto recorder = std::make_shared<Recorder>();
  options.observer = recorder;
  auto deliverer = Deliverer::create(transport, std::move(options));
  REQUIRE(deliverer.ok());
  REQUIRE(deliverer->deliver(webhook()).ok());
  const auto sent = transport->requests();
  REQUIRE(sent.size() == 2);
  const auto first = sent[0].headers.get("traceparent");
  REQUIRE(first.has_value());
  CHECK(TraceParent::parse(*first).has_value());
  CHECK(sent[1].headers.get("traceparent") == first);
  CHECK(recorder->traces() == std::vector<std::string>{*first, *first});

  // The caller's own traceparent goes out unchanged on every attempt.
  transport->clear_requests();
  transport->push_response(503, "busy");
  transport->push_response(200, "ok");
  auto request = webhook();
  const std::string mine = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  REQUIRE(request.headers.set("traceparent", mine).ok());
  REQUIRE(deliverer->deliver(request).ok());
  for (const auto& each : transport->requests()) CHECK(each.headers.get("traceparent") == mine);

  // A new delivery gets a new trace.
  transport->clear_requests();
  transport->push_response(200, "ok");
  REQUIRE(deliverer->deliver(webhook()).ok());
  CHECK(transport->requests().at(0).headers.get("traceparent") != first);
}

TEST_CASE(
    "Log: nothing by default, then attempts and the end as logfmt lines when a listener is set") {
  auto transport = std::make_shared<FakeTransport>();
  chathooks_test::FakeTime time;
  auto options = time.options();
  options.retry = chathooks_test::exact_policy();
  auto deliverer = Deliverer::create(transport, std::move(options));
  REQUIRE(deliverer.ok());
  CHECK_FALSE(chathooks::log::enabled(chathooks::log::Level::error));

  transport->push_response(503, "busy");
  transport->push_response(200, "ok");
  std::vector<std::string> lines;
  {
    LogCapture capture(chathooks::log::Level::info);
    CHECK_FALSE(chathooks::log::enabled(chathooks::log::Level::debug));
    CHECK(chathooks::log::enabled(chathooks::log::Level::warning));
    auto request = webhook();
    REQUIRE(request.headers.set("webhook-id", "msg_1").ok());
    REQUIRE(deliverer->deliver(request).ok());
    lines = capture.lines;
  }
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] ==
        "level=warning event=delivery.attempt msg=\"attempt 1 to receiver.example: 503\" "
        "protocol=\"\" id=msg_1 host=receiver.example attempt=1 outcome=503 duration_ms=0 "
        "next_delay_ms=100");
  CHECK(lines[1] ==
        "level=info event=delivery.attempt msg=\"attempt 2 to receiver.example: 200\" "
        "protocol=\"\" id=msg_1 host=receiver.example attempt=2 outcome=200 duration_ms=0");
  CHECK(lines[2] ==
        "level=info event=delivery.end msg=\"delivered to receiver.example\" protocol=\"\" "
        "id=msg_1 host=receiver.example attempts=2");
  // The listener is gone: nothing is enabled.
  CHECK_FALSE(chathooks::log::enabled(chathooks::log::Level::error));
}
