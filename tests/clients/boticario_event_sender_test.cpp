// boticario::EventSender through CurlTransport against a real cpp-httplib server on 127.0.0.1:
// each documented event is delivered (the server decodes it), 410 is reported as the endpoint
// being gone, 400 is not retried, signing, and the asynchronous form.
#include <chathooks/boticario/codec.hpp>
#include <chathooks/boticario/event_sender.hpp>
#include <chathooks/signing/verifier.hpp>

#include <atomic>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "clients_test_support.hpp"
#include "transport/test_server.hpp"

using chathooks::Errc;
using chathooks::boticario::Event;
using chathooks::boticario::EventSender;
using chathooks::delivery::DeliveryResult;
using chathooks_test::TestServer;

namespace {

Event load_event(const std::string& name) {
  auto event = chathooks::boticario::decode_event(clients_test::load_vector(name));
  REQUIRE(event.ok());
  return std::move(event).value();
}

EventSender make_sender(
    chathooks::delivery::DelivererOptions options = clients_test::quick_options()) {
  auto sender = EventSender::create(clients_test::loopback_transport(), std::move(options));
  REQUIRE(sender.ok());
  return std::move(sender).value();
}

}  // namespace

TEST_CASE("Boticario sender: every documented event is delivered on a 2xx") {
  TestServer server;
  clients_test::Received received;
  server.server().Post("/events", [&](const httplib::Request& request,
                                      httplib::Response& response) {
    clients_test::Received::Entry entry{request.body, request.get_header_value("Content-Type"), ""};
    auto decoded = chathooks::boticario::decode_event(request.body);
    if (!decoded) entry.problem = decoded.error().to_string();
    received.add(std::move(entry));
    response.status = 204;
  });
  server.start();
  const EventSender sender = make_sender();
  const std::vector<std::string> vectors = {
      "boticario_message_event.json", "boticario_status_sent.json",
      "boticario_status_delivered.json", "boticario_status_read.json"};
  for (const auto& name : vectors) {
    INFO(name);
    const DeliveryResult result = sender.send(load_event(name), server.url("/events"));
    CHECK(result.ok());
    REQUIRE(result.attempts.size() == 1);
    CHECK(result.attempts[0].status == 204);
  }
  const auto entries = received.entries();
  REQUIRE(entries.size() == vectors.size());
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    CHECK(entries[i].problem.empty());
    CHECK(entries[i].content_type == "application/json");
    CHECK(entries[i].body == chathooks::boticario::encode(load_event(vectors[i])));
  }
}

TEST_CASE("Boticario sender: an event of an unknown type is sent whole") {
  TestServer server;
  clients_test::Received received;
  server.server().Post("/events",
                       [&](const httplib::Request& request, httplib::Response& response) {
                         received.add({request.body, request.get_header_value("Content-Type"), ""});
                         response.status = 200;
                       });
  server.start();
  const std::string body = R"({"event":{"type":"typing","messageId":"m1"},"extra":[1,2]})";
  auto event = chathooks::boticario::decode_event(body);
  REQUIRE(event.ok());
  CHECK(make_sender().send(*event, server.url("/events")).ok());
  const auto entries = received.entries();
  REQUIRE(entries.size() == 1);
  CHECK(chathooks::Json::parse(entries[0].body).value() == chathooks::Json::parse(body).value());
}

TEST_CASE("Boticario sender: 410 is the endpoint gone, 400 is not retried, 503 is") {
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
  const EventSender sender = make_sender();
  const Event event = load_event("boticario_status_read.json");

  const DeliveryResult gone = sender.send(event, server.url("/gone"));
  CHECK_FALSE(gone.ok());
  CHECK(gone.error->code() == Errc::endpoint_gone);
  CHECK(gone.attempts.size() == 1);
  CHECK(gone_calls == 1);

  const DeliveryResult bad = sender.send(event, server.url("/bad"));
  CHECK(bad.error->code() == Errc::http_status);
  CHECK(bad_calls == 1);

  const DeliveryResult busy = sender.send(event, server.url("/busy"));
  CHECK(busy.ok());
  CHECK(busy.attempts.size() == 3);
  CHECK(busy_calls == 3);
}

TEST_CASE("Boticario sender: signed events verify at the receiver") {
  TestServer server;
  auto verifier = chathooks::signing::Verifier::create({clients_test::kSecret});
  REQUIRE(verifier.ok());
  server.server().Post(
      "/signed", [&](const httplib::Request& request, httplib::Response& response) {
        std::vector<std::pair<std::string, std::string>> headers(request.headers.begin(),
                                                                 request.headers.end());
        response.status =
            verifier->verify_headers(headers, request.body, std::time(nullptr)).ok() ? 200 : 401;
      });
  server.start();
  auto options = clients_test::quick_options();
  options.signing_keys = {clients_test::kSecret};
  const Event event = load_event("boticario_message_event.json");
  CHECK(make_sender(options).send(event, server.url("/signed")).ok());
  const DeliveryResult unsigned_result = make_sender().send(event, server.url("/signed"));
  REQUIRE_FALSE(unsigned_result.ok());
  CHECK(unsigned_result.attempts[0].status == 401);
}

TEST_CASE("Boticario sender: the asynchronous form") {
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
  const EventSender sender = make_sender();

  clients_test::Slot<DeliveryResult> delivered;
  sender.send_async(load_event("boticario_message_event.json"), server.url("/events"),
                    [&delivered](DeliveryResult result) { delivered.put(std::move(result)); });
  auto result = delivered.take();
  REQUIRE(result.has_value());
  CHECK(result->ok());
  CHECK(result->attempts.size() == 2);
  CHECK(delivered.puts() == 1);

  clients_test::Slot<DeliveryResult> gone;
  sender.send_async(load_event("boticario_status_sent.json"), server.url("/gone"),
                    [&gone](DeliveryResult outcome) { gone.put(std::move(outcome)); });
  auto ended = gone.take();
  REQUIRE(ended.has_value());
  CHECK(ended->error->code() == Errc::endpoint_gone);
}
