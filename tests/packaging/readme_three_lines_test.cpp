// The README's "the same three lines for each protocol" blocks, compiled and run: the README
// quotes the bodies of the functions below (tests/packaging/check_readme_snippets.sh checks the
// quotes), and the tests check that each send reads the answer and each receiver calls its
// handler, over a FakeTransport and Receiver::handle() (no network).
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/chathooks.hpp"
#include "chathooks/testing/fake_transport.hpp"
#include "codec/codec_test_support.hpp"

namespace readme {

using namespace chathooks;

std::vector<std::string> seen;
void follow(const std::string& branch) { seen.push_back("follow " + branch); }
void apply(const cliengo::Response& response) {
  seen.push_back("apply " + cliengo::encode(response));
}
void log(const Error& error) { seen.push_back("error " + error.to_string()); }
void store(const boticario::Event& event) {
  const std::string* text = boticario::text(event);
  seen.push_back("store " + (text != nullptr ? *text : std::string("(no text)")));
}

void send_flw(std::shared_ptr<http::HttpTransport> transport, const flw::Dispatch& dispatch,
              const std::string& url) {
  auto client = flw::Client::create(transport).value();
  auto sent = client.send(dispatch, url);
  if (sent) follow(sent.value().branch);
}

void send_boticario(std::shared_ptr<http::HttpTransport> transport, const boticario::Event& event,
                    const std::string& url) {
  auto client = boticario::Client::create(transport).value();
  auto sent = client.send(event, url);
  if (!sent) log(sent.error());
}

void send_cliengo(std::shared_ptr<http::HttpTransport> transport, const cliengo::Memory& memory,
                  const std::string& url) {
  auto client = cliengo::Client::create(transport).value();
  auto sent = client.send(memory, url);
  if (sent && sent.value().response) apply(*sent.value().response);
}

receiver::Receiver receive_flw(receiver::ReceiverOptions options) {
  return flw::make_receiver(
             [](const flw::Dispatch&,
                const receiver::Delivery&) -> receiver::HandlerResult<flw::Response> {
               return flw::ResponseBuilder().branch("CLIENTE_EXISTE").text("Olá!").build();
             },
             options)
      .value();
}

receiver::Receiver receive_boticario(receiver::ReceiverOptions options) {
  return boticario::make_receiver(
             [](const boticario::Event& event,
                const receiver::Delivery&) -> receiver::HandlerResult<void> {
               store(event);
               return {};
             },
             options)
      .value();
}

receiver::Receiver receive_cliengo(receiver::ReceiverOptions options) {
  return cliengo::make_receiver(
             [](const cliengo::Memory&,
                const receiver::Delivery&) -> receiver::HandlerResult<cliengo::Response> {
               return cliengo::ResponseBuilder().say("Hola!").build();
             },
             options)
      .value();
}

}  // namespace readme

namespace {

using chathooks::testing::FakeTransport;

chathooks::receiver::Request post(std::string body) {
  chathooks::receiver::Request request;
  request.method = "POST";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = std::move(body);
  return request;
}

chathooks::receiver::ReceiverOptions open_options() {
  chathooks::receiver::ReceiverOptions options;
  options.authenticator = chathooks::receiver::allow_unauthenticated();
  return options;
}

}  // namespace

TEST_CASE("README three lines: Flw send follows the branch of a 2xx answer only") {
  readme::seen.clear();
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(200, R"({"response":"CLIENTE_EXISTE"})");
  transport->push_response(404, "");
  auto dispatch = chathooks::flw::decode_dispatch(codec_test::load_vector("flw_dispatch.json"));
  REQUIRE(dispatch);
  readme::send_flw(transport, *dispatch, "https://customer.example/webhook");
  readme::send_flw(transport, *dispatch, "https://customer.example/webhook");
  // The 404 is not followed: sent is false, its error() says why.
  REQUIRE(readme::seen.size() == 1);
  CHECK(readme::seen[0] == "follow CLIENTE_EXISTE");
  CHECK(transport->request_count() == 2);
}

TEST_CASE("README three lines: Boticario send logs only a failure") {
  readme::seen.clear();
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(200, "");
  transport->push_response(410, "");
  auto event =
      chathooks::boticario::decode_event(codec_test::load_vector("boticario_message_event.json"));
  REQUIRE(event);
  readme::send_boticario(transport, *event, "https://integrator.example/events");
  CHECK(readme::seen.empty());
  readme::send_boticario(transport, *event, "https://integrator.example/events");
  REQUIRE(readme::seen.size() == 1);
  CHECK(readme::seen[0].rfind("error HTTP 410", 0) == 0);
}

TEST_CASE("README three lines: Cliengo send applies an override") {
  readme::seen.clear();
  auto transport = std::make_shared<FakeTransport>();
  transport->push_response(200, R"({"response":{"text":["Hola"]}})");
  transport->push_response(200, "");  // an empty answer overrides nothing
  auto memory = chathooks::cliengo::decode_memory(codec_test::load_vector("cliengo_request.json"));
  REQUIRE(memory);
  readme::send_cliengo(transport, *memory, "https://integrator.example/fulfillment");
  readme::send_cliengo(transport, *memory, "https://integrator.example/fulfillment");
  REQUIRE(readme::seen.size() == 1);
  CHECK(readme::seen[0] == R"(apply {"response":{"text":["Hola"]}})");
}

TEST_CASE("README three lines: the receivers call their handlers and answer") {
  readme::seen.clear();
  const auto flw_reply = readme::receive_flw(open_options())
                             .handle(post(codec_test::load_vector("flw_dispatch.json")));
  CHECK(flw_reply.response.status == 200);
  CHECK(flw_reply.response.body == R"({"response":"CLIENTE_EXISTE","messages":[{"text":"Olá!"}]})");

  const auto boticario_reply =
      readme::receive_boticario(open_options())
          .handle(post(codec_test::load_vector("boticario_message_event.json")));
  CHECK(boticario_reply.response.status == 200);
  REQUIRE(readme::seen.size() == 1);
  CHECK(readme::seen[0] == "store Mensagem de teste");

  const auto cliengo_reply = readme::receive_cliengo(open_options())
                                 .handle(post(codec_test::load_vector("cliengo_request.json")));
  CHECK(cliengo_reply.response.status == 200);
  CHECK(cliengo_reply.response.body == R"({"response":{"text":["Hola!"]}})");
}
