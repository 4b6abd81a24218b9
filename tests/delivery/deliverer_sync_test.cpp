// Deliverer::deliver over FakeTransport, with a fake clock and sleeper: every delay is exact.
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/delivery/signed_attempt.hpp>
#include <chathooks/signing/signer.hpp>
#include <chathooks/testing/fake_transport.hpp>

#include <chrono>
#include <memory>
#include <set>
#include <string>

#include "catch.hpp"
#include "delivery_test_support.hpp"

using chathooks::Errc;
using chathooks::Error;
using chathooks::Result;
using chathooks::delivery::Deliverer;
using chathooks::delivery::SendResult;
using chathooks::http::HttpRequest;
using chathooks::http::HttpResponse;
using chathooks::testing::FakeTransport;
using chathooks_test::FakeTime;
using std::chrono::milliseconds;

namespace {

HttpRequest webhook(std::string body = "{\"event\":\"status\"}") {
  return chathooks_test::json_post("https://receiver.example/hooks", std::move(body));
}

Deliverer make(const std::shared_ptr<FakeTransport>& transport, FakeTime& time, bool sign = false) {
  auto options = time.options();
  options.retry = chathooks_test::exact_policy();
  if (sign) options.signing_keys = {chathooks_test::kSecret};
  auto deliverer = Deliverer::create(transport, std::move(options));
  REQUIRE(deliverer.ok());
  return std::move(deliverer).value();
}

HttpResponse response_with_header(int status, const char* name, const char* value) {
  HttpResponse response;
  response.status = status;
  REQUIRE(response.headers.add(name, value).ok());
  return response;
}

}  // namespace

TEST_CASE("Sync: fails twice then succeeds, every attempt listed with the delay before it") {
  auto transport = std::make_shared<FakeTransport>();
  FakeTime time;
  transport->push_response(503, "busy");
  transport->push_error(Error(Errc::connection_refused, "nobody home"));
  transport->push_response(200, "ok");
  const auto deliverer = make(transport, time);

  const SendResult<void> result = deliverer.deliver(webhook());
  REQUIRE(result.ok());
  REQUIRE(result.delivery.response.has_value());
  CHECK(result.delivery.response->status == 200);
  CHECK(result.delivery.response->body == "ok");
  REQUIRE(result.delivery.attempts.size() == 3);
  CHECK(result.delivery.attempts[0].number == 1);
  CHECK(result.delivery.attempts[0].delay_before == milliseconds(0));
  CHECK(result.delivery.attempts[0].status == 503);
  CHECK_FALSE(result.delivery.attempts[0].error.has_value());
  CHECK(result.delivery.attempts[1].number == 2);
  CHECK(result.delivery.attempts[1].delay_before == milliseconds(100));
  CHECK_FALSE(result.delivery.attempts[1].status.has_value());
  REQUIRE(result.delivery.attempts[1].error.has_value());
  CHECK(result.delivery.attempts[1].error->code() == Errc::connection_refused);
  CHECK(result.delivery.attempts[2].number == 3);
  CHECK(result.delivery.attempts[2].delay_before == milliseconds(200));
  CHECK(result.delivery.attempts[2].status == 200);
  CHECK(time.sleeps() == std::vector<milliseconds>{milliseconds(100), milliseconds(200)});
  CHECK(transport->request_count() == 3);
  // Unsigned: no Standard Webhooks header is added and there is no message id.
  CHECK(result.delivery.message_id.empty());
  for (const auto& request : transport->requests()) {
    CHECK_FALSE(request.headers.contains("webhook-id"));
    CHECK_FALSE(request.headers.contains("webhook-signature"));
    CHECK(request.body == "{\"event\":\"status\"}");
  }
}

TEST_CASE("Sync: attempt durations come from the monotonic clock") {
  FakeTime time;
  int calls = 0;
  auto transport = std::make_shared<FakeTransport>([&](const HttpRequest&) -> Result<HttpResponse> {
    time.advance(milliseconds(++calls == 1 ? 250 : 40));
    HttpResponse response;
    response.status = calls == 1 ? 502 : 204;
    return response;
  });
  const auto result = make(transport, time).deliver(webhook());
  REQUIRE(result.ok());
  REQUIRE(result.delivery.attempts.size() == 2);
  CHECK(result.delivery.attempts[0].duration == milliseconds(250));
  CHECK(result.delivery.attempts[1].duration == milliseconds(40));
}

TEST_CASE("Sync: 429 with Retry-After: 1 waits exactly one second") {
  auto transport = std::make_shared<FakeTransport>();
  FakeTime time;
  transport->push_response(response_with_header(429, "Retry-After", "1"));
  transport->push_response(202);
  const auto result = make(transport, time).deliver(webhook());
  REQUIRE(result.ok());
  REQUIRE(result.delivery.attempts.size() == 2);
  CHECK(result.delivery.attempts[0].status == 429);
  CHECK(result.delivery.attempts[1].delay_before == milliseconds(1000));
  CHECK(time.sleeps() == std::vector<milliseconds>{milliseconds(1000)});
}

TEST_CASE("Sync: 410 is endpoint_gone after one attempt") {
  auto transport = std::make_shared<FakeTransport>();
  FakeTime time;
  transport->push_response(410, "gone");
  const auto result = make(transport, time).deliver(webhook());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::endpoint_gone);
  CHECK(result.delivery.attempts.size() == 1);
  REQUIRE(result.delivery.response.has_value());
  CHECK(result.delivery.response->body == "gone");
  CHECK(time.sleeps().empty());
}

TEST_CASE("Sync: 400 and 301 are failures without retry") {
  for (int status : {400, 301}) {
    INFO(status);
    auto transport = std::make_shared<FakeTransport>();
    FakeTime time;
    transport->push_response(status, "explanation");
    transport->push_response(200);  // Must never be reached.
    const auto result = make(transport, time).deliver(webhook());
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == Errc::http_status);
    CHECK(result.delivery.attempts.size() == 1);
    CHECK(transport->request_count() == 1);
    REQUIRE(result.delivery.response.has_value());
    CHECK(result.delivery.response->status == status);
    CHECK(result.delivery.response->body == "explanation");  // The receiver's reason is kept.
    CHECK(time.sleeps().empty());
  }
}

TEST_CASE("Sync: attempts run out") {
  auto transport = std::make_shared<FakeTransport>(
      [](const HttpRequest&) -> Result<HttpResponse> { return Error(Errc::timeout, "too slow"); });
  FakeTime time;
  const auto result = make(transport, time).deliver(webhook());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::attempts_exhausted);
  CHECK(result.error().message() == "4 attempts failed; the last: timeout: too slow");
  CHECK(result.delivery.attempts.size() == 4);
  CHECK_FALSE(result.delivery.response.has_value());
  CHECK(time.sleeps() ==
        std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400)});
}

TEST_CASE("Sync: a transport error that is not retryable ends the delivery with its code") {
  auto transport = std::make_shared<FakeTransport>();
  FakeTime time;
  transport->push_error(Error(Errc::blocked_destination, "private address"));
  const auto result = make(transport, time).deliver(webhook());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::blocked_destination);
  CHECK(result.delivery.attempts.size() == 1);
}

TEST_CASE("Sync: the deadline stops retries and bounds each attempt's timeout") {
  FakeTime time;
  std::vector<milliseconds> timeouts;
  auto transport =
      std::make_shared<FakeTransport>([&](const HttpRequest& request) -> Result<HttpResponse> {
        timeouts.push_back(request.timeout);
        time.advance(milliseconds(25000));  // Each attempt takes 25 s of the 60 s.
        return Error(Errc::timeout, "slow");
      });
  const auto result = make(transport, time).deliver(webhook());
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::deadline_exceeded);
  // 25 s, wait 0.1 s, 25 s (50.1 s), wait 0.2 s, 25 s (75.3 s): past the deadline.
  CHECK(result.delivery.attempts.size() == 3);
  CHECK(timeouts ==
        std::vector<milliseconds>{milliseconds(60000), milliseconds(34900), milliseconds(9700)});

  // A request's own shorter timeout is kept.
  FakeTime time2;
  auto quick = std::make_shared<FakeTransport>();
  quick->push_response(200);
  auto request = webhook();
  request.timeout = milliseconds(1500);
  REQUIRE(make(quick, time2).deliver(request).ok());
  CHECK(quick->requests().at(0).timeout == milliseconds(1500));
}

TEST_CASE("Sync: signed attempts keep the webhook-id and refresh the timestamp") {
  auto transport = std::make_shared<FakeTransport>();
  FakeTime time;
  transport->push_response(500);
  transport->push_response(response_with_header(503, "Retry-After", "2"));
  transport->push_response(200);
  auto options = time.options();
  options.retry = chathooks_test::exact_policy();
  options.retry.initial_delay = milliseconds(1500);  // Whole seconds apart, to see it.
  options.retry.max_delay = milliseconds(5000);
  options.signing_keys = {chathooks_test::kSecret};
  auto deliverer = Deliverer::create(transport, std::move(options));
  REQUIRE(deliverer.ok());
  CHECK(deliverer->signs());

  const auto body = std::string(chathooks_test::kVectorBody);
  const auto result = deliverer->deliver(webhook(body));
  REQUIRE(result.ok());
  const auto requests = transport->requests();
  REQUIRE(requests.size() == 3);
  CHECK(result.delivery.message_id.rfind("msg_", 0) == 0);
  std::set<std::string> timestamps;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    INFO("attempt " << i + 1);
    const auto& headers = requests[i].headers;
    CHECK(headers.get_all("webhook-id") == std::vector<std::string>{result.delivery.message_id});
    const auto timestamp = headers.get("webhook-timestamp");
    const auto signature = headers.get("webhook-signature");
    REQUIRE(timestamp.has_value());
    REQUIRE(signature.has_value());
    timestamps.insert(*timestamp);
    CHECK(*timestamp == std::to_string(*result.delivery.attempts[i].timestamp));
    CHECK(*signature == chathooks_test::reference_signature(
                            chathooks_test::kSecret, result.delivery.message_id, *timestamp, body));
    CHECK(requests[i].body == body);  // The exact bytes, untouched.
  }
  CHECK(timestamps.size() == 3);  // Fresh on every attempt.
  CHECK(*requests[0].headers.get("webhook-timestamp") == "1614265330");
  CHECK(*requests[1].headers.get("webhook-timestamp") == "1614265331");  // +1.5 s
  CHECK(*requests[2].headers.get("webhook-timestamp") == "1614265333");  // +2 s (Retry-After)
}

TEST_CASE("Sync: the caller's webhook-id is kept, the test vector reproduces") {
  auto transport = std::make_shared<FakeTransport>();
  FakeTime time(chathooks_test::kVectorTimestamp);
  transport->push_response(200);
  auto request = webhook(chathooks_test::kVectorBody);
  REQUIRE(request.headers.set("Webhook-Id", chathooks_test::kVectorId).ok());
  const auto result = make(transport, time, true).deliver(request);
  REQUIRE(result.ok());
  CHECK(result.delivery.message_id == chathooks_test::kVectorId);
  const auto sent = transport->requests().at(0);
  CHECK(sent.headers.get_all("webhook-id") == std::vector<std::string>{chathooks_test::kVectorId});
  CHECK(sent.headers.get("webhook-timestamp") == std::optional<std::string>("1614265330"));
  CHECK(sent.headers.get("webhook-signature") ==
        std::optional<std::string>(chathooks_test::kVectorSignature));
}

TEST_CASE("Sync: an unsigned delivery reports the caller's webhook-id") {
  auto transport = std::make_shared<FakeTransport>();
  FakeTime time;
  transport->push_response(200);
  auto request = webhook();
  REQUIRE(request.headers.set("webhook-id", "evt_42").ok());
  const auto result = make(transport, time).deliver(request);
  CHECK(result.delivery.message_id == "evt_42");
  CHECK_FALSE(transport->requests().at(0).headers.contains("webhook-signature"));
}

TEST_CASE("Deliverer::create refuses bad configurations") {
  auto transport = std::make_shared<FakeTransport>();
  auto no_transport = Deliverer::create(nullptr);
  REQUIRE_FALSE(no_transport.ok());
  CHECK(no_transport.error().code() == Errc::invalid_argument);

  chathooks::delivery::DelivererOptions both;
  both.signing_keys = {chathooks_test::kSecret};
  auto signer = chathooks::signing::Signer::create({chathooks_test::kSecret});
  REQUIRE(signer.ok());
  both.signer = *signer;
  auto conflict = Deliverer::create(transport, both);
  REQUIRE_FALSE(conflict.ok());
  CHECK(conflict.error().code() == Errc::invalid_argument);

  chathooks::delivery::DelivererOptions bad_key;
  bad_key.signing_keys = {"whsec_!!!not base64!!!"};
  auto bad = Deliverer::create(transport, bad_key);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code() == Errc::invalid_secret);
  CHECK(bad.error().message().find("not base64") == std::string::npos);  // Never the key.

  chathooks::delivery::DelivererOptions with_signer;
  with_signer.signer = *signer;
  auto made = Deliverer::create(transport, with_signer);
  REQUIRE(made.ok());
  CHECK(made->signs());
  CHECK_FALSE(Deliverer::create(transport).value().signs());
}

TEST_CASE("sign_attempt and ensure_message_id, the hooks for durable queues") {
  auto signer = chathooks::signing::Signer::create({chathooks_test::kSecret});
  REQUIRE(signer.ok());
  HttpRequest request = webhook(chathooks_test::kVectorBody);
  const std::string id = chathooks::delivery::ensure_message_id(request);
  CHECK(id.rfind("msg_", 0) == 0);
  CHECK(chathooks::delivery::ensure_message_id(request) == id);  // Stable once set.

  const std::chrono::system_clock::time_point at{
      std::chrono::seconds(chathooks_test::kVectorTimestamp) + milliseconds(999)};
  REQUIRE(chathooks::delivery::sign_attempt(request, *signer, chathooks_test::kVectorId, at).ok());
  CHECK(request.headers.get("webhook-id") == std::optional<std::string>(chathooks_test::kVectorId));
  CHECK(request.headers.get("webhook-timestamp") == std::optional<std::string>("1614265330"));
  CHECK(request.headers.get("webhook-signature") ==
        std::optional<std::string>(chathooks_test::kVectorSignature));
  CHECK(request.headers.get_all("webhook-signature").size() == 1);  // Replaced, not added.

  auto refused = chathooks::delivery::sign_attempt(request, *signer, "bad\r\nid", at);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == Errc::invalid_request);
  CHECK(request.headers.get("webhook-id") == std::optional<std::string>(chathooks_test::kVectorId));

  HttpRequest empty_id = webhook();
  REQUIRE(empty_id.headers.set("webhook-id", "").ok());
  CHECK(chathooks::delivery::ensure_message_id(empty_id).rfind("msg_", 0) == 0);
}
