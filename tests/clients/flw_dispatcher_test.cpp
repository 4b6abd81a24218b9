// flw::Dispatcher through CurlTransport against a real cpp-httplib server on 127.0.0.1: the
// documented dispatch goes out, the server checks that it decodes and answers each documented
// response; empty answers, retries, failures, signing and the asynchronous form.
#include <chathooks/flw/codec.hpp>
#include <chathooks/flw/dispatcher.hpp>
#include <chathooks/signing/verifier.hpp>

#include <atomic>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "clients_test_support.hpp"
#include "transport/test_server.hpp"

using chathooks::Errc;
using chathooks::flw::Branch;
using chathooks::flw::Dispatch;
using chathooks::flw::Dispatcher;
using chathooks::flw::Outcome;
using chathooks_test::TestServer;

namespace {

Dispatch documented_dispatch() {
  auto dispatch = chathooks::flw::decode_dispatch(clients_test::load_vector("flw_dispatch.json"));
  REQUIRE(dispatch.ok());
  return std::move(dispatch).value();
}

Dispatcher make_dispatcher(
    chathooks::delivery::DelivererOptions options = clients_test::quick_options()) {
  auto dispatcher = Dispatcher::create(clients_test::loopback_transport(), std::move(options));
  REQUIRE(dispatcher.ok());
  return std::move(dispatcher).value();
}

// A handler that records the request (checking that it decodes as a dispatch equal to the one
// sent) and answers `status` with `body`.
void answer_with(TestServer& server, const std::string& path, clients_test::Received& received,
                 int status, std::string body) {
  server.server().Post(path, [&received, status, body](const httplib::Request& request,
                                                       httplib::Response& response) {
    clients_test::Received::Entry entry{request.body, request.get_header_value("Content-Type"), ""};
    auto decoded = chathooks::flw::decode_dispatch(request.body);
    if (!decoded) entry.problem = decoded.error().to_string();
    received.add(std::move(entry));
    response.status = status;
    if (!body.empty()) response.set_content(body, "application/json");
  });
}

void check_received_dispatch(clients_test::Received& received, std::size_t count) {
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

TEST_CASE("Flw dispatcher: each documented answer picks the CLIENTE_EXISTE branch") {
  TestServer server;
  clients_test::Received received;
  const std::vector<std::string> vectors = {"flw_response_simple.json", "flw_response_contact.json",
                                            "flw_response_messages.json"};
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    answer_with(server, "/answer" + std::to_string(i), received, 200,
                clients_test::load_vector(vectors[i]));
  }
  server.start();
  const Dispatcher dispatcher = make_dispatcher();
  const Dispatch dispatch = documented_dispatch();

  for (std::size_t i = 0; i < vectors.size(); ++i) {
    INFO(vectors[i]);
    const Outcome outcome =
        dispatcher.dispatch(dispatch, server.url("/answer" + std::to_string(i)));
    CHECK(outcome.branch == Branch::response_key);
    CHECK(outcome.key == "CLIENTE_EXISTE");
    CHECK_FALSE(outcome.error.has_value());
    auto expected = chathooks::flw::decode_response(clients_test::load_vector(vectors[i]));
    REQUIRE(expected.ok());
    REQUIRE(outcome.response.has_value());
    CHECK(chathooks::flw::encode(*outcome.response) == chathooks::flw::encode(*expected));
    REQUIRE(outcome.delivery.has_value());
    CHECK(outcome.delivery->ok());
    REQUIRE(outcome.delivery->attempts.size() == 1);
    CHECK(outcome.delivery->attempts[0].status == 200);
    if (i == 1) CHECK(outcome.contact->custom_field("cnpj") != nullptr);
    if (i == 2) CHECK(outcome.messages.size() == 3);
  }
  check_received_dispatch(received, vectors.size());
}

TEST_CASE("Flw dispatcher: 200 with an empty body is the main success flow") {
  TestServer server;
  clients_test::Received received;
  answer_with(server, "/empty", received, 200, "");
  answer_with(server, "/nocontent", received, 204, "");
  server.start();
  const Dispatcher dispatcher = make_dispatcher();
  for (const char* path : {"/empty", "/nocontent"}) {
    const Outcome outcome = dispatcher.dispatch(documented_dispatch(), server.url(path));
    CHECK(outcome.branch == Branch::main);
    CHECK_FALSE(outcome.response.has_value());
    CHECK_FALSE(outcome.error.has_value());
    REQUIRE(outcome.delivery.has_value());
    CHECK(outcome.delivery->attempts.size() == 1);
  }
  check_received_dispatch(received, 2);
}

TEST_CASE("Flw dispatcher: 500 twice then 200 is retried and succeeds") {
  TestServer server;
  std::atomic<int> calls{0};
  server.server().Post("/flaky", [&](const httplib::Request&, httplib::Response& response) {
    if (++calls <= 2) {
      response.status = 500;
      return;
    }
    response.status = 200;
    response.set_content(R"({"response":"CLIENTE_NAO_EXISTE"})", "application/json");
  });
  server.start();
  const Outcome outcome = make_dispatcher().dispatch(documented_dispatch(), server.url("/flaky"));
  CHECK(outcome.branch == Branch::response_key);
  CHECK(outcome.key == "CLIENTE_NAO_EXISTE");
  REQUIRE(outcome.delivery.has_value());
  const auto& attempts = outcome.delivery->attempts;
  REQUIRE(attempts.size() == 3);
  CHECK(attempts[0].status == 500);
  CHECK(attempts[1].status == 500);
  CHECK(attempts[2].status == 200);
  CHECK(attempts[1].delay_before == std::chrono::milliseconds(10));
  CHECK(attempts[2].delay_before == std::chrono::milliseconds(20));
  CHECK(calls == 3);
}

TEST_CASE("Flw dispatcher: failures are the failure branch with the reason") {
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
  server.server().Post("/other", [](const httplib::Request&, httplib::Response& response) {
    response.status = 200;
    response.set_content(R"({"response":"SEM_CADASTRO"})", "application/json");
  });
  server.start();
  const Dispatcher dispatcher = make_dispatcher();

  SECTION("every attempt answers 503") {
    const Outcome outcome = dispatcher.dispatch(documented_dispatch(), server.url("/down"));
    CHECK(outcome.branch == Branch::failure);
    REQUIRE(outcome.error.has_value());
    CHECK(outcome.error->code() == Errc::attempts_exhausted);
    CHECK(outcome.delivery->attempts.size() == 4);
    CHECK(calls == 4);
  }
  SECTION("410 gives up at once") {
    const Outcome outcome = dispatcher.dispatch(documented_dispatch(), server.url("/gone"));
    CHECK(outcome.branch == Branch::failure);
    CHECK(outcome.error->code() == Errc::endpoint_gone);
    CHECK(outcome.delivery->attempts.size() == 1);
  }
  SECTION("a 2xx answer that does not decode keeps the pointer") {
    const Outcome outcome = dispatcher.dispatch(documented_dispatch(), server.url("/bad"));
    CHECK(outcome.branch == Branch::failure);
    CHECK(outcome.error->code() == Errc::type_mismatch);
    CHECK(outcome.error->pointer() == "/messages/0/fileUrl");
    // Delivered all the same: the failure is in the answer, not the delivery.
    CHECK(outcome.delivery->ok());
  }
  SECTION("a key the dispatch did not offer") {
    const Outcome outcome = dispatcher.dispatch(documented_dispatch(), server.url("/other"));
    CHECK(outcome.branch == Branch::unlisted_key);
    CHECK(outcome.key == "SEM_CADASTRO");
    CHECK_FALSE(outcome.error.has_value());
  }
  SECTION("nothing listening") {
    const int port = server.port();
    server.stop();
    auto options = clients_test::quick_options();
    options.retry.max_attempts = 2;
    const Outcome outcome = make_dispatcher(options).dispatch(
        documented_dispatch(), "http://127.0.0.1:" + std::to_string(port) + "/down");
    CHECK(outcome.branch == Branch::failure);
    REQUIRE(outcome.error.has_value());
    CHECK(outcome.error->code() == Errc::attempts_exhausted);
    REQUIRE(outcome.delivery->attempts.size() == 2);
    REQUIRE(outcome.delivery->attempts[0].error.has_value());
    CHECK(outcome.delivery->attempts[0].error->code() == Errc::connection_refused);
  }
}

TEST_CASE("Flw dispatcher: the default transport refuses loopback") {
  TestServer server;
  std::atomic<int> calls{0};
  server.server().Post("/x", [&](const httplib::Request&, httplib::Response&) { ++calls; });
  server.start();
  auto dispatcher = Dispatcher::create(chathooks::http::make_curl_transport());
  REQUIRE(dispatcher.ok());
  const Outcome outcome = dispatcher->dispatch(documented_dispatch(), server.url("/x"));
  CHECK(outcome.branch == Branch::failure);
  CHECK(outcome.error->code() == Errc::blocked_destination);
  CHECK(calls == 0);
}

TEST_CASE("Flw dispatcher: signed dispatches verify at the receiver, same id on retries") {
  TestServer server;
  auto verifier = chathooks::signing::Verifier::create({clients_test::kSecret});
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
  auto options = clients_test::quick_options();
  options.signing_keys = {clients_test::kSecret};
  const Outcome outcome =
      make_dispatcher(options).dispatch(documented_dispatch(), server.url("/signed"));
  CHECK(outcome.branch == Branch::response_key);
  {
    std::lock_guard<std::mutex> lock(mutex);
    CHECK(problems.empty());
    REQUIRE(ids.size() == 2);
    CHECK_FALSE(ids[0].empty());
    CHECK(ids[0] == ids[1]);
    CHECK(outcome.delivery->message_id == ids[0]);
  }

  SECTION("a receiver with another secret refuses it: failure, not retried") {
    auto wrong = clients_test::quick_options();
    wrong.signing_keys = {"whsec_" + std::string("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=")};
    const Outcome refused =
        make_dispatcher(wrong).dispatch(documented_dispatch(), server.url("/signed"));
    CHECK(refused.branch == Branch::failure);
    CHECK(refused.error->code() == Errc::http_status);
    CHECK(refused.delivery->attempts.size() == 1);
  }
}

TEST_CASE("Flw dispatcher: the asynchronous form") {
  TestServer server;
  std::atomic<int> calls{0};
  server.server().Post("/async", [&](const httplib::Request& request, httplib::Response& response) {
    // Fails once, so that the wait between attempts goes through the scheduler.
    if (++calls == 1 || !chathooks::flw::decode_dispatch(request.body).ok()) {
      response.status = 500;
      return;
    }
    response.status = 200;
    response.set_content(clients_test::load_vector("flw_response_contact.json"),
                         "application/json");
  });
  server.server().Post("/empty", [](const httplib::Request&, httplib::Response& response) {
    response.status = 200;
  });
  server.start();
  const Dispatcher dispatcher = make_dispatcher();

  clients_test::Slot<Outcome> slot;
  {
    // The dispatch need not outlive the call.
    const Dispatch dispatch = documented_dispatch();
    dispatcher.dispatch_async(dispatch, server.url("/async"),
                              [&slot](Outcome outcome) { slot.put(std::move(outcome)); });
  }
  auto outcome = slot.take();
  REQUIRE(outcome.has_value());
  CHECK(outcome->branch == Branch::response_key);
  CHECK(outcome->key == "CLIENTE_EXISTE");
  CHECK(outcome->metadata.has_value());
  REQUIRE(outcome->delivery.has_value());
  CHECK(outcome->delivery->attempts.size() == 2);
  CHECK(slot.puts() == 1);

  clients_test::Slot<Outcome> empty;
  dispatcher.dispatch_async(documented_dispatch(), server.url("/empty"),
                            [&empty](Outcome result) { empty.put(std::move(result)); });
  auto main = empty.take();
  REQUIRE(main.has_value());
  CHECK(main->branch == Branch::main);
}

TEST_CASE("Flw dispatcher: cancelling an asynchronous dispatch gives a failure outcome") {
  TestServer server;
  server.server().Post("/slow", [&](const httplib::Request&, httplib::Response& response) {
    server.gate().wait();
    response.status = 200;
  });
  server.start();
  const Dispatcher dispatcher = make_dispatcher();
  clients_test::Slot<Outcome> slot;
  auto handle =
      dispatcher.dispatch_async(documented_dispatch(), server.url("/slow"),
                                [&slot](Outcome outcome) { slot.put(std::move(outcome)); });
  REQUIRE(server.gate().wait_for_waiters(1));
  handle.cancel();
  auto outcome = slot.take();
  server.gate().open();
  REQUIRE(outcome.has_value());
  CHECK(outcome->branch == Branch::failure);
  CHECK(outcome->error->code() == Errc::cancelled);
}
