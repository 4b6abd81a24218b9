// cliengo::Client through CurlTransport against a real cpp-httplib server on 127.0.0.1: the
// documented memory goes out and the documented response comes back typed; an empty body means
// no override; failures keep the delivery for logging; signing; async. And cliengo::read_answer,
// the sans-I/O reading of an answer, without a socket.
#include <chathooks/cliengo/answer.hpp>
#include <chathooks/cliengo/client.hpp>
#include <chathooks/cliengo/codec.hpp>
#include <chathooks/signing/verifier.hpp>

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "clients_test_support.hpp"
#include "http/test_server.hpp"

using chathooks::BadResultAccess;
using chathooks::Errc;
using chathooks::Result;
using chathooks::cliengo::Answer;
using chathooks::cliengo::Client;
using chathooks::cliengo::decode_memory;
using chathooks::cliengo::read_answer;
using chathooks::delivery::SendResult;
using chathooks_test::TestServer;
using namespace clients_test;

TEST_CASE("Cliengo answers: empty means no override, JSON is decoded") {
  for (const int status : {200, 201, 204, 299}) {
    for (const char* blank : {"", " ", "\n", "\r\n\t "}) {
      INFO("status " << status << ", body of " << std::string(blank).size() << " bytes");
      const Result<Answer> answer = read_answer(status, blank);
      REQUIRE(answer.ok());
      CHECK_THROWS_AS(answer.error(), BadResultAccess);
      CHECK_FALSE(answer->has_response());
      CHECK_FALSE(answer->response.has_value());
    }
  }
  const Result<Answer> empty_object = read_answer(200, "{}");
  REQUIRE(empty_object.ok());
  REQUIRE(empty_object->has_response());
  CHECK(empty_object->response->reply.is_absent());
  CHECK(chathooks::cliengo::encode(*empty_object->response) == "{}");

  const Result<Answer> wrong = read_answer(200, R"({"response":{"stopChat":"yes"}})");
  check_error(wrong, Errc::type_mismatch);
  CHECK(wrong.error().pointer() == "/response/stopChat");
  CHECK(read_answer(200, "nope").error().code() == Errc::syntax);

  SECTION("parse options bound the decoding") {
    chathooks::ParseOptions tight;
    tight.max_bytes = 8;
    const Result<Answer> large = read_answer(200, R"({"response":{"text":["a"]}})", tight);
    check_error(large, Errc::too_large);
  }
}

TEST_CASE("Cliengo answers: a status outside 2xx is an error, whatever the body") {
  const std::string vector = load_vector("cliengo_response.json");
  for (const int status : {404, 400, 500, 503, 302, 300, 100, 0}) {
    INFO("status " << status);
    for (const std::string& body : {std::string(), std::string("{}"), vector}) {
      const Result<Answer> answer = read_answer(status, body);
      check_error(answer, Errc::http_status);
      CHECK(answer.error().pointer().empty());
    }
  }
  CHECK(read_answer(503, "").error().message().find("503") != std::string::npos);

  const Result<Answer> gone = read_answer(410, "");
  check_error(gone, Errc::endpoint_gone);
  CHECK(read_answer(410, vector).error().code() == Errc::endpoint_gone);
}

TEST_CASE("Cliengo answers: from a transport result") {
  const chathooks::Error transport_error(Errc::connection_refused, "connection refused");
  const Result<chathooks::http::HttpResponse> refused(transport_error);
  const Result<Answer> failed = read_answer(refused);
  check_no_answer(failed);
  REQUIRE_FALSE(failed.ok());
  // The transport's error is returned as it is.
  CHECK(failed.error() == transport_error);

  chathooks::http::HttpResponse response;
  response.status = 200;
  response.body = load_vector("cliengo_response.json");
  const Result<Answer> answer = read_answer(Result<chathooks::http::HttpResponse>(response));
  REQUIRE(answer.ok());
  REQUIRE(answer->has_response());
  CHECK(*answer->response->reply->flow == 5);

  response.body.clear();
  const Result<Answer> empty = read_answer(Result<chathooks::http::HttpResponse>(response));
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->has_response());

  response.status = 404;
  CHECK(read_answer(Result<chathooks::http::HttpResponse>(response)).error().code() ==
        Errc::http_status);
  response.status = 410;
  CHECK(read_answer(Result<chathooks::http::HttpResponse>(response)).error().code() ==
        Errc::endpoint_gone);
}

TEST_CASE("Cliengo client: the documented memory and response") {
  RecordingServer server(&decode_memory);
  const std::string vector = load_vector("cliengo_response.json");
  server.answer("/fulfillment", 200, vector);
  server.start();

  const SendResult<Answer> sent =
      make_client<Client>().send(documented_memory(), server.url("/fulfillment"));
  REQUIRE(sent.ok());
  REQUIRE(sent.value().has_response());
  const chathooks::cliengo::Response& response = *sent.value().response;
  auto expected = chathooks::cliengo::decode_response(vector);
  REQUIRE(expected.ok());
  CHECK(chathooks::cliengo::encode(response) == chathooks::cliengo::encode(*expected));
  const auto& reply = *response.reply;
  REQUIRE(reply.text.has_value());
  CHECK(*reply.text == std::vector<std::string>{"Ok", "What model are you interested in?"});
  CHECK(reply.response_type->kind() == chathooks::cliengo::ResponseType::list);
  CHECK(*reply.stop_chat);
  CHECK(*reply.flow == 5);
  CHECK(*response.name->value == "Juan Roman");
  check_delivered(sent.delivery);
  CHECK(sent.delivery.attempts.size() == 1);

  const auto entries = server.received().entries();
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].problem.empty());
  CHECK(entries[0].content_type == "application/json");
  CHECK(entries[0].body == chathooks::cliengo::encode(documented_memory()));
}

TEST_CASE("Cliengo client: an empty body means no override") {
  RecordingServer server(&decode_memory);
  server.answer("/empty", 200, "");
  server.answer("/object", 200, "{}");
  server.start();
  const Client client = make_client<Client>();

  const SendResult<Answer> empty = client.send(documented_memory(), server.url("/empty"));
  REQUIRE(empty.ok());
  CHECK_FALSE(empty.value().has_response());
  CHECK_FALSE(empty.value().response.has_value());
  CHECK_THROWS_AS(empty.error(), BadResultAccess);

  const SendResult<Answer> object = client.send(documented_memory(), server.url("/object"));
  REQUIRE(object.ok());
  REQUIRE(object.value().response.has_value());
  CHECK(chathooks::cliengo::encode(*object.value().response) == "{}");
  CHECK(server.received().entries().size() == 2);
}

TEST_CASE("Cliengo client: failures keep the delivery") {
  RecordingServer server(&decode_memory);
  server.answer("/bad-request", 400, R"({"error":"no"})");
  server.answer("/undecodable", 200, R"({"response":{"flow":"five"}})");
  std::atomic<int> calls{0};
  fail_then_answer(server, "/flaky", 2, R"({"custom":{"userType":"advanced"}})", calls);
  server.start();
  const Client client = make_client<Client>();

  const SendResult<Answer> refused = client.send(documented_memory(), server.url("/bad-request"));
  check_error(refused, Errc::http_status);
  CHECK(refused.delivery.attempts.size() == 1);
  REQUIRE(refused.delivery.response.has_value());
  CHECK(refused.delivery.response->body == R"({"error":"no"})");

  const SendResult<Answer> bad = client.send(documented_memory(), server.url("/undecodable"));
  check_error(bad, Errc::type_mismatch);
  CHECK(bad.error().pointer() == "/response/flow");
  // Delivered all the same: the failure is in the answer, not the delivery.
  check_delivered(bad.delivery);

  const SendResult<Answer> flaky = client.send(documented_memory(), server.url("/flaky"));
  REQUIRE(flaky.ok());
  CHECK(flaky.delivery.attempts.size() == 3);
  REQUIRE(flaky.value().response.has_value());
  CHECK(*flaky.value().response->custom->find("userType") == chathooks::Json("advanced"));
}

TEST_CASE("Cliengo client: signed calls verify at the receiver") {
  TestServer server;
  auto verifier = chathooks::signing::Verifier::create({kSecret});
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
  const SendResult<Answer> sent =
      make_client<Client>(signing_options()).send(documented_memory(), server.url("/signed"));
  REQUIRE(sent.ok());
  CHECK(verified == 1);
  REQUIRE(sent.value().has_response());
  CHECK(sent.value().response->reply->text->front() == "signed");

  // Unsigned, the same receiver refuses.
  const SendResult<Answer> unsigned_result =
      make_client<Client>().send(documented_memory(), server.url("/signed"));
  check_error(unsigned_result, Errc::http_status);
}

TEST_CASE("Cliengo client: the asynchronous form") {
  RecordingServer server(&decode_memory);
  server.answer("/answer", 200, load_vector("cliengo_response.json"));
  server.answer("/empty", 200, "");
  server.answer("/gone", 410, "");
  server.start();
  const Client client = make_client<Client>();

  Slot<SendResult<Answer>> answer;
  client.send_async(documented_memory(), server.url("/answer"),
                    [&answer](SendResult<Answer> result) { answer.put(std::move(result)); });
  auto answered = answer.take();
  REQUIRE(answered.has_value());
  REQUIRE(answered->ok());
  REQUIRE(answered->value().response.has_value());
  CHECK(*answered->value().response->reply->flow == 5);

  Slot<SendResult<Answer>> empty;
  client.send_async(documented_memory(), server.url("/empty"),
                    [&empty](SendResult<Answer> result) { empty.put(std::move(result)); });
  auto nothing = empty.take();
  REQUIRE(nothing.has_value());
  REQUIRE(nothing->ok());
  CHECK_FALSE(nothing->value().response.has_value());

  Slot<SendResult<Answer>> gone;
  client.send_async(documented_memory(), server.url("/gone"),
                    [&gone](SendResult<Answer> result) { gone.put(std::move(result)); });
  auto ended = gone.take();
  REQUIRE(ended.has_value());
  check_error(*ended, Errc::endpoint_gone);

  for (const auto& entry : server.received().entries()) CHECK(entry.problem.empty());
  CHECK(server.received().entries().size() == 3);
}
