// boticario::Client through CurlTransport against a real cpp-httplib server on 127.0.0.1:
// each documented event is delivered (the server decodes it), 410 is reported as the endpoint
// being gone, 400 is not retried, signing, and the asynchronous form.
#include <chathooks/boticario/client.hpp>
#include <chathooks/boticario/codec.hpp>
#include <chathooks/signing/verifier.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "clients_test_support.hpp"
#include "http/test_server.hpp"

using chathooks::Errc;
using chathooks::boticario::Client;
using chathooks::boticario::Event;
using chathooks::delivery::SendResult;
using chathooks_test::TestServer;
using namespace clients_test;

namespace {

Event load_event(const std::string& name) {
  return decode_vector(name, &chathooks::boticario::decode_event);
}

}  // namespace

TEST_CASE("Boticario client: every documented event is delivered on a 2xx") {
  RecordingServer server(&chathooks::boticario::decode_event);
  server.answer("/events", 204, "");
  server.start();
  const Client client = make_client<Client>();
  const std::vector<std::string> vectors = {
      "boticario_message_event.json", "boticario_status_sent.json",
      "boticario_status_delivered.json", "boticario_status_read.json"};
  for (const auto& name : vectors) {
    INFO(name);
    const SendResult<void> sent = client.send(load_event(name), server.url("/events"));
    CHECK(sent.ok());
    CHECK(sent.result.ok());
    REQUIRE(sent.delivery.attempts.size() == 1);
    CHECK(sent.delivery.attempts[0].status == 204);
    REQUIRE(sent.delivery.response.has_value());
    CHECK(sent.delivery.response->status == 204);
  }
  const auto entries = server.received().entries();
  REQUIRE(entries.size() == vectors.size());
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    CHECK(entries[i].problem.empty());
    CHECK(entries[i].content_type == "application/json");
    CHECK(entries[i].body == chathooks::boticario::encode(load_event(vectors[i])));
  }
}

TEST_CASE("Boticario client: an event of an unknown type is sent whole") {
  TestServer server;
  Received received;
  server.server().Post("/events",
                       [&](const httplib::Request& request, httplib::Response& response) {
                         received.add({request.body, request.get_header_value("Content-Type"), ""});
                         response.status = 200;
                       });
  server.start();
  const std::string body = R"({"event":{"type":"typing","messageId":"m1"},"extra":[1,2]})";
  auto event = chathooks::boticario::decode_event(body);
  REQUIRE(event.ok());
  CHECK(make_client<Client>().send(*event, server.url("/events")).ok());
  const auto entries = received.entries();
  REQUIRE(entries.size() == 1);
  CHECK(chathooks::Json::parse(entries[0].body).value() == chathooks::Json::parse(body).value());
}

TEST_CASE("Boticario client: 410 is the endpoint gone, 400 is not retried, 503 is") {
  TestServer server;
  std::atomic<int> gone_calls{0};
  std::atomic<int> bad_calls{0};
  std::atomic<int> busy_calls{0};
  server.server().Post("/gone", [&](const httplib::Request&, httplib::Response& response) {
    ++gone_calls;
    response.status = 410;
  });
  server.server().Post("/bad", [&](const httplib::Request&, httplib::Response& response) {
    ++bad_calls;
    response.status = 400;
  });
  server.server().Post("/busy", [&](const httplib::Request&, httplib::Response& response) {
    response.status = ++busy_calls <= 2 ? 503 : 202;
  });
  server.start();
  const Client client = make_client<Client>();
  const Event event = load_event("boticario_status_read.json");

  const SendResult<void> gone = client.send(event, server.url("/gone"));
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code() == Errc::endpoint_gone);
  CHECK_THROWS_AS(gone.value(), chathooks::BadResultAccess);
  CHECK(gone.delivery.attempts.size() == 1);
  CHECK(gone_calls == 1);

  const SendResult<void> bad = client.send(event, server.url("/bad"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code() == Errc::http_status);
  CHECK(bad_calls == 1);

  const SendResult<void> busy = client.send(event, server.url("/busy"));
  CHECK(busy.ok());
  CHECK_NOTHROW(busy.value());
  CHECK(busy.delivery.attempts.size() == 3);
  CHECK(busy_calls == 3);
}

TEST_CASE("Boticario client: signed events verify at the receiver") {
  TestServer server;
  auto verifier = chathooks::signing::Verifier::create({kSecret});
  REQUIRE(verifier.ok());
  server.server().Post(
      "/signed", [&](const httplib::Request& request, httplib::Response& response) {
        std::vector<std::pair<std::string, std::string>> headers(request.headers.begin(),
                                                                 request.headers.end());
        response.status =
            verifier->verify_headers(headers, request.body, std::chrono::system_clock::now()).ok()
                ? 200
                : 401;
      });
  server.start();
  const Event event = load_event("boticario_message_event.json");
  CHECK(make_client<Client>(signing_options()).send(event, server.url("/signed")).ok());
  const SendResult<void> unsigned_result = make_client<Client>().send(event, server.url("/signed"));
  REQUIRE_FALSE(unsigned_result.ok());
  REQUIRE_FALSE(unsigned_result.delivery.attempts.empty());
  CHECK(unsigned_result.delivery.attempts[0].status == 401);
}

TEST_CASE("Boticario client: the asynchronous form") {
  TestServer server;
  std::atomic<int> calls{0};
  server.server().Post("/events",
                       [&](const httplib::Request& request, httplib::Response& response) {
                         if (!chathooks::boticario::decode_event(request.body).ok()) {
                           response.status = 400;
                           return;
                         }
                         response.status = ++calls == 1 ? 429 : 200;
                       });
  server.server().Post(
      "/gone", [](const httplib::Request&, httplib::Response& response) { response.status = 410; });
  server.start();
  const Client client = make_client<Client>();

  Slot<SendResult<void>> delivered;
  client.send_async(load_event("boticario_message_event.json"), server.url("/events"),
                    [&delivered](SendResult<void> result) { delivered.put(std::move(result)); });
  auto result = delivered.take();
  REQUIRE(result.has_value());
  CHECK(result->ok());
  CHECK(result->delivery.attempts.size() == 2);
  CHECK(delivered.puts() == 1);

  Slot<SendResult<void>> gone;
  client.send_async(load_event("boticario_status_sent.json"), server.url("/gone"),
                    [&gone](SendResult<void> outcome) { gone.put(std::move(outcome)); });
  auto ended = gone.take();
  REQUIRE(ended.has_value());
  REQUIRE_FALSE(ended->ok());
  CHECK(ended->error().code() == Errc::endpoint_gone);
}
