// flw::Client through CurlTransport against a real cpp-httplib server on 127.0.0.1: the
// documented dispatch goes out, the server checks that it decodes and answers each documented
// response; empty answers, retries, failures, signing and the asynchronous form.
#include <chathooks/flw/client.hpp>
#include <chathooks/flw/codec.hpp>
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
using chathooks::delivery::SendResult;
using chathooks::flw::Answer;
using chathooks::flw::Client;
using chathooks::flw::decode_dispatch;
using chathooks::flw::Dispatch;
using chathooks::flw::Flow;
using chathooks_test::TestServer;
using namespace clients_test;

namespace {

void check_received_dispatch(Received& received, std::size_t count) {
  const auto entries = received.entries();
  REQUIRE(entries.size() == count);
  const std::string expected = chathooks::flw::encode(documented_dispatch());
  for (const auto& entry : entries) {
    CHECK(entry.problem.empty());
    CHECK(entry.content_type == "application/json");
    // Compact JSON from the codec, byte for byte.
    CHECK(entry.body == expected);
  }
}

}  // namespace

TEST_CASE("Flw client: each documented answer picks the CLIENTE_EXISTE branch") {
  RecordingServer server(&decode_dispatch);
  const std::vector<std::string> vectors = {"flw_response_simple.json", "flw_response_contact.json",
                                            "flw_response_messages.json"};
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    server.answer("/answer" + std::to_string(i), 200, load_vector(vectors[i]));
  }
  server.start();
  const Client client = make_client<Client>();
  const Dispatch dispatch = documented_dispatch();

  for (std::size_t i = 0; i < vectors.size(); ++i) {
    INFO(vectors[i]);
    const SendResult<Answer> sent =
        client.send(dispatch, server.url("/answer" + std::to_string(i)));
    REQUIRE(sent.ok());
    const Answer& answer = sent.value();
    CHECK(answer.flow == Flow::branch);
    CHECK(answer.branch == "CLIENTE_EXISTE");
    auto expected = chathooks::flw::decode_response(load_vector(vectors[i]));
    REQUIRE(expected.ok());
    REQUIRE(answer.response.has_value());
    CHECK(chathooks::flw::encode(*answer.response) == chathooks::flw::encode(*expected));
    check_delivered(sent.delivery);
    REQUIRE(sent.delivery.attempts.size() == 1);
    CHECK(sent.delivery.attempts[0].status == 200);
    if (i == 1) CHECK(answer.contact->custom_field("cnpj") != nullptr);
    if (i == 2) CHECK(answer.messages.size() == 3);
  }
  check_received_dispatch(server.received(), vectors.size());
}

TEST_CASE("Flw client: 200 with an empty body is the main success flow") {
  RecordingServer server(&decode_dispatch);
  server.answer("/empty", 200, "");
  server.answer("/nocontent", 204, "");
  server.start();
  const Client client = make_client<Client>();
  for (const char* path : {"/empty", "/nocontent"}) {
    const SendResult<Answer> sent = client.send(documented_dispatch(), server.url(path));
    REQUIRE(sent.ok());
    CHECK(sent.value().flow == Flow::main);
    CHECK_FALSE(sent.value().response.has_value());
    CHECK_THROWS_AS(sent.error(), BadResultAccess);
    CHECK(sent.delivery.attempts.size() == 1);
  }
  check_received_dispatch(server.received(), 2);
}

TEST_CASE("Flw client: 500 twice then 200 is retried and succeeds") {
  TestServer server;
  std::atomic<int> calls{0};
  fail_then_answer(server, "/flaky", 2, R"({"response":"CLIENTE_NAO_EXISTE"})", calls);
  server.start();
  const SendResult<Answer> sent =
      make_client<Client>().send(documented_dispatch(), server.url("/flaky"));
  REQUIRE(sent.ok());
  CHECK(sent.value().flow == Flow::branch);
  CHECK(sent.value().branch == "CLIENTE_NAO_EXISTE");
  const auto& attempts = sent.delivery.attempts;
  REQUIRE(attempts.size() == 3);
  CHECK(attempts[0].status == 500);
  CHECK(attempts[1].status == 500);
  CHECK(attempts[2].status == 200);
  CHECK(attempts[1].delay_before == std::chrono::milliseconds(10));
  CHECK(attempts[2].delay_before == std::chrono::milliseconds(20));
  CHECK(calls == 3);
}

TEST_CASE("Flw client: failures are the result's error, with the reason") {
  TestServer server;
  std::atomic<int> calls{0};
  server.server().Post("/down", [&](const httplib::Request&, httplib::Response& response) {
    ++calls;
    response.status = 503;
  });
  server.server().Post(
      "/gone", [](const httplib::Request&, httplib::Response& response) { response.status = 410; });
  server.server().Post("/bad", [](const httplib::Request&, httplib::Response& response) {
    response.status = 200;
    response.set_content(R"({"response":"CLIENTE_EXISTE","messages":[{"fileUrl":7}]})",
                         "application/json");
  });
  server.server().Post("/repeated", [](const httplib::Request&, httplib::Response& response) {
    response.status = 200;
    response.set_content(R"({"response":"CLIENTE_EXISTE","response":"CLIENTE_NAO_EXISTE"})",
                         "application/json");
  });
  server.server().Post("/ok", [](const httplib::Request&, httplib::Response& response) {
    response.status = 200;
    response.set_content("OK", "text/plain");
  });
  server.server().Post("/other", [](const httplib::Request&, httplib::Response& response) {
    response.status = 200;
    response.set_content(R"({"response":"SEM_CADASTRO"})", "application/json");
  });
  server.start();
  const Client client = make_client<Client>();

  SECTION("every attempt answers 503") {
    const SendResult<Answer> sent = client.send(documented_dispatch(), server.url("/down"));
    check_error(sent, Errc::attempts_exhausted);
    CHECK(sent.delivery.attempts.size() == 4);
    CHECK(calls == 4);
  }
  SECTION("410 gives up at once") {
    const SendResult<Answer> sent = client.send(documented_dispatch(), server.url("/gone"));
    check_error(sent, Errc::endpoint_gone);
    CHECK(sent.delivery.attempts.size() == 1);
  }
  SECTION("a 2xx answer that does not decode keeps the pointer") {
    const SendResult<Answer> sent = client.send(documented_dispatch(), server.url("/repeated"));
    check_error(sent, Errc::duplicate_key);
    CHECK(sent.error().pointer() == "/response");
    // Delivered all the same: the failure is in the answer, not the delivery.
    check_delivered(sent.delivery);
    CHECK(sent.delivery.attempts.size() == 1);
  }
  SECTION("a 2xx answer with a member of an unexpected type is read, the member named") {
    const SendResult<Answer> sent = client.send(documented_dispatch(), server.url("/bad"));
    REQUIRE(sent.ok());
    CHECK(sent.value().flow == Flow::branch);
    CHECK(sent.value().branch == "CLIENTE_EXISTE");
    REQUIRE(sent.value().messages.size() == 1);
    CHECK(sent.value().messages[0].file_url.is_unreadable());
    REQUIRE(sent.value().warnings.size() == 1);
    CHECK(sent.value().warnings[0].pointer == "/messages/0/fileUrl");
    check_delivered(sent.delivery);
    CHECK(sent.delivery.attempts.size() == 1);
  }
  SECTION("a 2xx answer that is not JSON is the main flow, with a warning") {
    const SendResult<Answer> sent = client.send(documented_dispatch(), server.url("/ok"));
    REQUIRE(sent.ok());
    CHECK(sent.value().flow == Flow::main);
    CHECK_FALSE(sent.value().response.has_value());
    REQUIRE(sent.value().warnings.size() == 1);
    CHECK(sent.value().warnings[0].pointer.empty());
    CHECK(sent.value().warnings[0].reason.rfind("the answer's body is not JSON (", 0) == 0);
  }
  SECTION("a key the dispatch did not offer") {
    const SendResult<Answer> sent = client.send(documented_dispatch(), server.url("/other"));
    REQUIRE(sent.ok());
    CHECK(sent.value().flow == Flow::unlisted_branch);
    CHECK(sent.value().branch == "SEM_CADASTRO");
  }
  SECTION("nothing listening") {
    const int port = server.port();
    server.stop();
    auto options = quick_options();
    options.retry.max_attempts = 2;
    const SendResult<Answer> sent = make_client<Client>(options).send(
        documented_dispatch(), "http://127.0.0.1:" + std::to_string(port) + "/down");
    check_error(sent, Errc::attempts_exhausted);
    REQUIRE(sent.delivery.attempts.size() == 2);
    REQUIRE(sent.delivery.attempts[0].error.has_value());
    CHECK(sent.delivery.attempts[0].error->code() == Errc::connection_refused);
  }
}

TEST_CASE("Flw client: the default transport refuses loopback") {
  TestServer server;
  std::atomic<int> calls{0};
  server.server().Post("/x", [&](const httplib::Request&, httplib::Response&) { ++calls; });
  server.start();
  auto client = Client::create(chathooks::http::make_curl_transport());
  REQUIRE(client.ok());
  const SendResult<Answer> sent = client->send(documented_dispatch(), server.url("/x"));
  check_error(sent, Errc::blocked_destination);
  CHECK(calls == 0);
}

TEST_CASE("Flw client: signed dispatches verify at the receiver, same id on retries") {
  TestServer server;
  auto verifier = chathooks::signing::Verifier::create({kSecret});
  REQUIRE(verifier.ok());
  std::mutex mutex;
  std::vector<std::string> ids;
  std::vector<std::string> problems;
  server.server().Post(
      "/signed", [&](const httplib::Request& request, httplib::Response& response) {
        auto verified = verifier->verify(
            request.get_header_value("webhook-id"), request.get_header_value("webhook-timestamp"),
            request.get_header_value("webhook-signature"), request.body);
        std::lock_guard<std::mutex> lock(mutex);
        ids.push_back(request.get_header_value("webhook-id"));
        if (!verified) {
          problems.push_back(verified.error().to_string());
          response.status = 401;
          return;
        }
        // The first attempt fails, so that the retry's signature is checked too.
        response.status = ids.size() == 1 ? 502 : 200;
        response.set_content(R"({"response":"CLIENTE_EXISTE"})", "application/json");
      });
  server.start();
  const SendResult<Answer> sent =
      make_client<Client>(signing_options()).send(documented_dispatch(), server.url("/signed"));
  REQUIRE(sent.ok());
  CHECK(sent.value().flow == Flow::branch);
  {
    std::lock_guard<std::mutex> lock(mutex);
    CHECK(problems.empty());
    REQUIRE(ids.size() == 2);
    CHECK_FALSE(ids[0].empty());
    CHECK(ids[0] == ids[1]);
    CHECK(sent.delivery.message_id == ids[0]);
  }

  SECTION("a receiver with another secret refuses it: an error, not retried") {
    auto wrong = quick_options();
    wrong.signing_keys = {"whsec_" + std::string("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=")};
    const SendResult<Answer> refused =
        make_client<Client>(wrong).send(documented_dispatch(), server.url("/signed"));
    check_error(refused, Errc::http_status);
    CHECK(refused.delivery.attempts.size() == 1);
  }
}

TEST_CASE("Flw client: the asynchronous form") {
  TestServer server;
  std::atomic<int> calls{0};
  server.server().Post("/async", [&](const httplib::Request& request, httplib::Response& response) {
    // Fails once, so that the wait between attempts goes through the scheduler.
    if (++calls == 1 || !chathooks::flw::decode_dispatch(request.body).ok()) {
      response.status = 500;
      return;
    }
    response.status = 200;
    response.set_content(load_vector("flw_response_contact.json"), "application/json");
  });
  server.server().Post("/empty", [](const httplib::Request&, httplib::Response& response) {
    response.status = 200;
  });
  server.start();
  const Client client = make_client<Client>();

  Slot<SendResult<Answer>> slot;
  {
    // The dispatch need not outlive the call.
    const Dispatch dispatch = documented_dispatch();
    client.send_async(dispatch, server.url("/async"),
                      [&slot](SendResult<Answer> sent) { slot.put(std::move(sent)); });
  }
  auto sent = slot.take();
  REQUIRE(sent.has_value());
  REQUIRE(sent->ok());
  CHECK(sent->value().flow == Flow::branch);
  CHECK(sent->value().branch == "CLIENTE_EXISTE");
  CHECK(sent->value().metadata.has_value());
  CHECK(sent->delivery.attempts.size() == 2);
  CHECK(slot.puts() == 1);

  Slot<SendResult<Answer>> empty;
  client.send_async(documented_dispatch(), server.url("/empty"),
                    [&empty](SendResult<Answer> result) { empty.put(std::move(result)); });
  auto main = empty.take();
  REQUIRE(main.has_value());
  REQUIRE(main->ok());
  CHECK(main->value().flow == Flow::main);
}

TEST_CASE("Flw client: cancelling an asynchronous send gives a cancelled error") {
  TestServer server;
  server.server().Post("/slow", [&](const httplib::Request&, httplib::Response& response) {
    server.gate().wait();
    response.status = 200;
  });
  server.start();
  const Client client = make_client<Client>();
  Slot<SendResult<Answer>> slot;
  auto handle = client.send_async(documented_dispatch(), server.url("/slow"),
                                  [&slot](SendResult<Answer> sent) { slot.put(std::move(sent)); });
  REQUIRE(server.gate().wait_for_waiters(1));
  handle.cancel();
  auto sent = slot.take();
  server.gate().open();
  REQUIRE(sent.has_value());
  check_error(*sent, Errc::cancelled);
}
