// ReceiverObserver and the log on the receiver pipeline (no server): one event per request
// answered, with its status, error and pointer, webhook-id, duplicate or conflict, warnings
// and handler time; the incoming traceparent handed to the handler.
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/boticario/receiver.hpp"
#include "chathooks/log.hpp"
#include "chathooks/receiver/observer.hpp"
#include "chathooks/trace_context.hpp"
#include "codec/codec_test_support.hpp"

using namespace chathooks;
using receiver::Disposition;
using receiver::Reply;
using receiver::Request;

namespace {

struct Seen {
  std::string protocol;
  int status = 0;
  Disposition disposition = Disposition::rejected;
  std::string error;
  std::string pointer;
  std::string webhook_id;
  std::string traceparent;
  std::size_t warnings = 0;
  std::chrono::nanoseconds handler_time{0};
  std::chrono::nanoseconds total_time{0};
};

class Recorder final : public receiver::ReceiverObserver {
 public:
  void on_request(const receiver::RequestEvent& e) override {
    Seen seen;
    seen.protocol = std::string(e.protocol);
    seen.status = e.reply.response.status;
    seen.disposition = e.reply.disposition;
    if (e.reply.error) {
      seen.error = std::string(to_string(e.reply.error->code()));
      seen.pointer = e.reply.error->pointer();
    }
    seen.webhook_id = std::string(e.webhook_id);
    seen.traceparent = std::string(e.traceparent);
    seen.warnings = e.reply.warnings.size();
    seen.handler_time = e.handler_time;
    seen.total_time = e.total_time;
    std::lock_guard<std::mutex> lock(mutex_);
    seen_.push_back(std::move(seen));
  }
  std::vector<Seen> seen() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Seen> seen_;
};

Request post(std::string body, std::string id = {}) {
  Request request;
  request.method = "POST";
  request.headers.emplace_back("Content-Type", "application/json");
  if (!id.empty()) request.headers.emplace_back("webhook-id", id);
  request.body = std::move(body);
  return request;
}

const std::string kTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

}  // namespace

TEST_CASE("Receiver observer: every answered request, with what an SRE needs to see") {
  auto recorder = std::make_shared<Recorder>();
  receiver::ReceiverOptions options;
  options.authenticator = receiver::allow_unauthenticated();
  options.observer = recorder;
  std::optional<TraceParent> handed;
  const auto receiver =
      boticario::make_receiver(
          [&handed](const boticario::Event&,
                    const receiver::Delivery& delivery) -> receiver::HandlerResult<void> {
            handed = delivery.traceparent;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            return {};
          },
          options)
          .value();
  const std::string event = codec_test::load_vector("boticario_message_event.json");

  Request first = post(event, "msg_1");
  first.headers.emplace_back("traceparent", kTrace);
  CHECK(receiver.handle(first).disposition == Disposition::handled);
  REQUIRE(handed.has_value());
  CHECK(handed->to_string() == kTrace);

  CHECK(receiver.handle(post(event, "msg_1")).disposition == Disposition::duplicate);
  CHECK(receiver.handle(post(codec_test::load_vector("boticario_status_delivered.json"), "msg_1"))
            .disposition == Disposition::conflict);
  CHECK(receiver.handle(post("{\"event\":", "msg_2")).response.status == 400);
  Request get = post(event);
  get.method = "GET";
  CHECK(receiver.precheck(get).has_value());
  (void)receiver.incomplete_body("the body ended early", false);

  const auto seen = recorder->seen();
  REQUIRE(seen.size() == 6);
  CHECK(seen[0].protocol == "boticario");
  CHECK(seen[0].status == 200);
  CHECK(seen[0].disposition == Disposition::handled);
  CHECK(seen[0].webhook_id == "msg_1");
  CHECK(seen[0].traceparent == kTrace);
  CHECK(seen[0].handler_time >= std::chrono::milliseconds(2));
  CHECK(seen[0].total_time >= seen[0].handler_time);
  CHECK(seen[1].disposition == Disposition::duplicate);
  CHECK(seen[1].handler_time.count() == 0);
  CHECK(seen[2].disposition == Disposition::conflict);
  CHECK(seen[2].status == 409);
  CHECK(seen[2].error == "idempotency_conflict");
  CHECK(seen[3].status == 400);
  CHECK(seen[3].error == "syntax");
  CHECK(seen[3].webhook_id == "msg_2");
  CHECK(seen[4].status == 405);
  CHECK(seen[5].status == 400);
  CHECK(seen[5].webhook_id.empty());
}

TEST_CASE("Receiver observer: tolerant decode warnings and the pointer of a strict refusal") {
  auto recorder = std::make_shared<Recorder>();
  receiver::ReceiverOptions options;
  options.authenticator = receiver::allow_unauthenticated();
  options.deduplicate = false;
  options.observer = recorder;
  auto handler = [](const boticario::Event&,
                    const receiver::Delivery&) -> receiver::HandlerResult<void> { return {}; };
  const auto tolerant = boticario::make_receiver(handler, options).value();
  options.parse_options.mode = DecodeMode::strict;
  const auto strict = boticario::make_receiver(handler, options).value();

  Json event = codec_test::load_json("boticario_message_event.json");
  codec_test::at(event, "/message/createdAt") = Json(5.5);
  const std::string body = event.dump();
  CHECK(tolerant.handle(post(body)).response.status == 200);
  CHECK(strict.handle(post(body)).response.status == 400);
  const auto seen = recorder->seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].warnings == 1);
  CHECK(seen[1].error == "type_mismatch");
  CHECK(seen[1].pointer == "/message/createdAt");
}

TEST_CASE(
    "Receiver: an invalid traceparent is not handed to the handler; a throwing observer "
    "changes nothing") {
  class Thrower final : public receiver::ReceiverObserver {
   public:
    void on_request(const receiver::RequestEvent&) override { throw std::runtime_error("no"); }
  };
  receiver::ReceiverOptions options;
  options.authenticator = receiver::allow_unauthenticated();
  options.observer = std::make_shared<Thrower>();
  bool had_trace = true;
  const auto receiver =
      boticario::make_receiver(
          [&had_trace](const boticario::Event&,
                       const receiver::Delivery& delivery) -> receiver::HandlerResult<void> {
            had_trace = delivery.traceparent.has_value();
            return {};
          },
          options)
          .value();
  Request request = post(codec_test::load_vector("boticario_message_event.json"));
  request.headers.emplace_back("traceparent",
                               "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
  CHECK(receiver.handle(request).response.status == 200);
  CHECK_FALSE(had_trace);
}

TEST_CASE("Receiver log: a rejection is a warning line with its error and pointer") {
  std::vector<std::string> lines;
  std::mutex mutex;
  chathooks::log::set_listener(
      [&](const chathooks::log::Record& record) {
        std::lock_guard<std::mutex> lock(mutex);
        lines.push_back(chathooks::log::to_line(record));
      },
      chathooks::log::Level::info);
  receiver::ReceiverOptions options;
  options.authenticator = receiver::allow_unauthenticated();
  const auto receiver =
      boticario::make_receiver(
          [](const boticario::Event&, const receiver::Delivery&) -> receiver::HandlerResult<void> {
            return {};
          },
          options)
          .value();
  CHECK(receiver.handle(post(codec_test::load_vector("boticario_message_event.json"), "msg_9"))
            .response.status == 200);
  CHECK(receiver.handle(post("{\"event\":[]}", "msg_10")).response.status == 400);
  chathooks::log::set_listener(nullptr);
  // The handled request is a debug record, below the listener's level: one line.
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind("level=warning event=receiver.request msg=\"boticario request: 400 "
                       "rejected\" protocol=boticario status=400 disposition=rejected id=msg_10 "
                       "error=type_mismatch pointer=/event reason=",
                       0) == 0);
}
