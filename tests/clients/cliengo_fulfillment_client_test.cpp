// cliengo::FulfillmentClient through CurlTransport against a real cpp-httplib server on
// 127.0.0.1: the documented request goes out and the documented response comes back typed; an
// empty body means no override; failures keep the delivery for logging; signing; async.
#include <chathooks/cliengo/codec.hpp>
#include <chathooks/cliengo/fulfillment_client.hpp>
#include <chathooks/signing/verifier.hpp>

#include <atomic>
#include <string>
#include <utility>

#include "catch.hpp"
#include "clients_test_support.hpp"
#include "transport/test_server.hpp"

using chathooks::Errc;
using chathooks::cliengo::decode_answer;
using chathooks::cliengo::FulfillmentClient;
using chathooks::cliengo::FulfillmentResult;
using chathooks::cliengo::Request;
using chathooks_test::TestServer;

namespace {

Request documented_request() {
  auto request =
      chathooks::cliengo::decode_request(clients_test::load_vector("cliengo_request.json"));
  REQUIRE(request.ok());
  return std::move(request).value();
}

FulfillmentClient make_client(
    chathooks::delivery::DelivererOptions options = clients_test::quick_options()) {
  auto client = FulfillmentClient::create(clients_test::loopback_transport(), std::move(options));
  REQUIRE(client.ok());
  return std::move(client).value();
}

// Records each request (checking that it decodes as the documented request) and answers
// `status` with `body`.
void answer_with(TestServer& server, const std::string& path, clients_test::Received& received,
                 int status, std::string body) {
  server.server().Post(path, [&received, status, body](const httplib::Request& request,
                                                       httplib::Response& response) {
    clients_test::Received::Entry entry{request.body, request.get_header_value("Content-Type"), ""};
    auto decoded = chathooks::cliengo::decode_request(request.body);
    if (!decoded) entry.problem = decoded.error().to_string();
    received.add(std::move(entry));
    response.status = status;
    if (!body.empty()) response.set_content(body, "application/json");
  });
}

}  // namespace

TEST_CASE("Cliengo answers: empty means no override, JSON is decoded") {
  for (const char* blank : {"", " ", "\n", "\r\n\t "}) {
    auto answer = decode_answer(blank);
    REQUIRE(answer.ok());
    CHECK_FALSE(answer->has_value());
  }
  auto empty_object = decode_answer("{}");
  REQUIRE(empty_object.ok());
  REQUIRE(empty_object->has_value());
  CHECK((*empty_object)->response.is_absent());

  auto wrong = decode_answer(R"({"response":{"stopChat":"yes"}})");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code() == Errc::type_mismatch);
  CHECK(wrong.error().pointer() == "/response/stopChat");
  CHECK(decode_answer("nope").error().code() == Errc::syntax);
}

TEST_CASE("Cliengo client: the documented request and response") {
  TestServer server;
  clients_test::Received received;
  const std::string vector = clients_test::load_vector("cliengo_response.json");
  answer_with(server, "/fulfillment", received, 200, vector);
  server.start();

  const FulfillmentResult result =
      make_client().call(documented_request(), server.url("/fulfillment"));
  REQUIRE(result.ok());
  REQUIRE(result.response.has_value());
  auto expected = chathooks::cliengo::decode_response(vector);
  REQUIRE(expected.ok());
  CHECK(chathooks::cliengo::encode(*result.response) == chathooks::cliengo::encode(*expected));
  const auto& reply = *result.response->response;
  REQUIRE(reply.text.has_value());
  CHECK(*reply.text == std::vector<std::string>{"Ok", "What model are you interested in?"});
  CHECK(reply.response_type->kind() == chathooks::cliengo::ResponseType::list);
  CHECK(*reply.stop_chat);
  CHECK(*reply.flow == 5);
  CHECK(*result.response->name->value == "Juan Roman");
  CHECK(result.delivery.ok());
  CHECK(result.delivery.attempts.size() == 1);

  const auto entries = received.entries();
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].problem.empty());
  CHECK(entries[0].content_type == "application/json");
  CHECK(entries[0].body == chathooks::cliengo::encode(documented_request()));
}

TEST_CASE("Cliengo client: an empty body means no override") {
  TestServer server;
  clients_test::Received received;
  answer_with(server, "/empty", received, 200, "");
  answer_with(server, "/object", received, 200, "{}");
  server.start();
  const FulfillmentClient client = make_client();

  const FulfillmentResult empty = client.call(documented_request(), server.url("/empty"));
  CHECK(empty.ok());
  CHECK_FALSE(empty.response.has_value());
  CHECK_FALSE(empty.error.has_value());

  const FulfillmentResult object = client.call(documented_request(), server.url("/object"));
  CHECK(object.ok());
  REQUIRE(object.response.has_value());
  CHECK(chathooks::cliengo::encode(*object.response) == "{}");
  CHECK(received.entries().size() == 2);
}

TEST_CASE("Cliengo client: failures keep the delivery") {
  TestServer server;
  clients_test::Received received;
  answer_with(server, "/bad-request", received, 400, R"({"error":"no"})");
  answer_with(server, "/undecodable", received, 200, R"({"response":{"flow":"five"}})");
  std::atomic<int> calls{0};
  server.server().Post("/flaky", [&](const httplib::Request&, httplib::Response& response) {
    if (++calls <= 2) {
      response.status = 500;
      return;
    }
    response.status = 200;
    response.set_content(R"({"custom":{"userType":"advanced"}})", "application/json");
  });
  server.start();
  const FulfillmentClient client = make_client();

  const FulfillmentResult refused = client.call(documented_request(), server.url("/bad-request"));
  CHECK_FALSE(refused.ok());
  CHECK(refused.error->code() == Errc::http_status);
  CHECK_FALSE(refused.response.has_value());
  CHECK(refused.delivery.attempts.size() == 1);
  REQUIRE(refused.delivery.response.has_value());
  CHECK(refused.delivery.response->body == R"({"error":"no"})");

  const FulfillmentResult bad = client.call(documented_request(), server.url("/undecodable"));
  CHECK_FALSE(bad.ok());
  CHECK(bad.error->code() == Errc::type_mismatch);
  CHECK(bad.error->pointer() == "/response/flow");
  CHECK(bad.delivery.ok());

  const FulfillmentResult flaky = client.call(documented_request(), server.url("/flaky"));
  CHECK(flaky.ok());
  CHECK(flaky.delivery.attempts.size() == 3);
  REQUIRE(flaky.response.has_value());
  CHECK(*flaky.response->custom->find("userType") == chathooks::Json("advanced"));
}

TEST_CASE("Cliengo client: signed calls verify at the receiver") {
  TestServer server;
  auto verifier = chathooks::signing::Verifier::create({clients_test::kSecret});
  REQUIRE(verifier.ok());
  std::atomic<int> verified{0};
  server.server().Post(
      "/signed", [&](const httplib::Request& request, httplib::Response& response) {
        auto check = verifier->verify(request.get_header_value("webhook-id"),
                                      request.get_header_value("webhook-timestamp"),
                                      request.get_header_value("webhook-signature"), request.body);
        if (!check) {
          response.status = 401;
          return;
        }
        ++verified;
        response.status = 200;
        response.set_content(R"({"response":{"text":["signed"]}})", "application/json");
      });
  server.start();
  auto options = clients_test::quick_options();
  options.signing_keys = {clients_test::kSecret};
  const FulfillmentResult result =
      make_client(options).call(documented_request(), server.url("/signed"));
  REQUIRE(result.ok());
  CHECK(verified == 1);
  CHECK(result.response->response->text->front() == "signed");

  // Unsigned, the same receiver refuses.
  const FulfillmentResult unsigned_result =
      make_client().call(documented_request(), server.url("/signed"));
  CHECK_FALSE(unsigned_result.ok());
  CHECK(unsigned_result.error->code() == Errc::http_status);
}

TEST_CASE("Cliengo client: the asynchronous form") {
  TestServer server;
  clients_test::Received received;
  answer_with(server, "/answer", received, 200, clients_test::load_vector("cliengo_response.json"));
  answer_with(server, "/empty", received, 200, "");
  answer_with(server, "/gone", received, 410, "");
  server.start();
  const FulfillmentClient client = make_client();

  clients_test::Slot<FulfillmentResult> answer;
  client.call_async(documented_request(), server.url("/answer"),
                    [&answer](FulfillmentResult result) { answer.put(std::move(result)); });
  auto answered = answer.take();
  REQUIRE(answered.has_value());
  CHECK(answered->ok());
  REQUIRE(answered->response.has_value());
  CHECK(*answered->response->response->flow == 5);

  clients_test::Slot<FulfillmentResult> empty;
  client.call_async(documented_request(), server.url("/empty"),
                    [&empty](FulfillmentResult result) { empty.put(std::move(result)); });
  auto nothing = empty.take();
  REQUIRE(nothing.has_value());
  CHECK(nothing->ok());
  CHECK_FALSE(nothing->response.has_value());

  clients_test::Slot<FulfillmentResult> gone;
  client.call_async(documented_request(), server.url("/gone"),
                    [&gone](FulfillmentResult result) { gone.put(std::move(result)); });
  auto ended = gone.take();
  REQUIRE(ended.has_value());
  CHECK(ended->error->code() == Errc::endpoint_gone);

  for (const auto& entry : received.entries()) CHECK(entry.problem.empty());
  CHECK(received.entries().size() == 3);
}
