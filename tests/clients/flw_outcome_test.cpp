// flw::interpret_response and to_json: what each kind of answer to a dispatch means, without a
// socket. The dispatch is the documented one (responseKeys CLIENTE_EXISTE, CLIENTE_NAO_EXISTE);
// the answers are the documented response vectors and the edge cases around them.
#include <chathooks/flw/codec.hpp>
#include <chathooks/flw/outcome.hpp>
#include <chathooks/json.hpp>

#include <string>
#include <vector>

#include "catch.hpp"
#include "clients_test_support.hpp"

using chathooks::Errc;
using chathooks::Json;
using chathooks::flw::Branch;
using chathooks::flw::Dispatch;
using chathooks::flw::interpret_response;
using chathooks::flw::Outcome;
using chathooks::flw::to_json;

namespace {

Dispatch documented_dispatch() {
  auto dispatch = chathooks::flw::decode_dispatch(clients_test::load_vector("flw_dispatch.json"));
  REQUIRE(dispatch.ok());
  return std::move(dispatch).value();
}

Json parse(const std::string& text) {
  auto parsed = Json::parse(text);
  INFO(text);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

void check_failure(const Outcome& outcome, Errc code, const std::string& pointer = "") {
  CHECK(outcome.branch == Branch::failure);
  CHECK_FALSE(outcome.ok());
  REQUIRE(outcome.error.has_value());
  CHECK(outcome.error->code() == code);
  CHECK(outcome.error->pointer() == pointer);
  CHECK(outcome.key.empty());
  CHECK_FALSE(outcome.response.has_value());
  CHECK(outcome.contact.is_absent());
  CHECK(outcome.messages.empty());
  CHECK_FALSE(outcome.delivery.has_value());
}

}  // namespace

TEST_CASE("Flw outcome: 2xx with an empty or whitespace body is the main success flow") {
  const Dispatch dispatch = documented_dispatch();
  for (const int status : {200, 201, 204, 299}) {
    for (const char* body : {"", " ", "\r\n", " \t\r\n "}) {
      INFO("status " << status << ", body of " << std::string(body).size() << " bytes");
      const Outcome outcome = interpret_response(dispatch, status, body);
      CHECK(outcome.branch == Branch::main);
      CHECK(outcome.ok());
      CHECK(outcome.key.empty());
      CHECK_FALSE(outcome.response.has_value());
      CHECK_FALSE(outcome.error.has_value());
      CHECK(outcome.contact.is_absent());
      CHECK(outcome.metadata.is_absent());
      CHECK(outcome.messages.empty());
    }
  }
}

TEST_CASE("Flw outcome: a listed key picks its branch (documented simple answer)") {
  const Outcome outcome = interpret_response(documented_dispatch(), 200,
                                             clients_test::load_vector("flw_response_simple.json"));
  CHECK(outcome.branch == Branch::response_key);
  CHECK(outcome.key == "CLIENTE_EXISTE");
  CHECK_FALSE(outcome.error.has_value());
  REQUIRE(outcome.response.has_value());
  CHECK(*outcome.response->response == "CLIENTE_EXISTE");
  CHECK(outcome.contact.is_absent());
  CHECK(outcome.messages.empty());

  const Outcome other =
      interpret_response(documented_dispatch(), 200, R"({"response":"CLIENTE_NAO_EXISTE"})");
  CHECK(other.branch == Branch::response_key);
  CHECK(other.key == "CLIENTE_NAO_EXISTE");
}

TEST_CASE("Flw outcome: the documented answer with contact data and metadata") {
  const std::string body = clients_test::load_vector("flw_response_contact.json");
  const Outcome outcome = interpret_response(documented_dispatch(), 200, body);
  CHECK(outcome.branch == Branch::response_key);
  CHECK(outcome.key == "CLIENTE_EXISTE");
  REQUIRE(outcome.contact.has_value());
  const Json* cnpj = outcome.contact->custom_field("cnpj");
  REQUIRE(cnpj != nullptr);
  CHECK(*cnpj == Json("00.000.000/0000-00"));
  REQUIRE(outcome.contact->metadata.has_value());
  CHECK(*outcome.contact->metadata->find("cod-ext") == Json("abcd"));
  REQUIRE(outcome.metadata.has_value());
  CHECK(*outcome.metadata->find("cliente-existe") == Json(true));
  // The whole decoded answer rides along, equal to a direct decode.
  auto direct = chathooks::flw::decode_response(body);
  REQUIRE(direct.ok());
  REQUIRE(outcome.response.has_value());
  CHECK(chathooks::flw::encode(*outcome.response) == chathooks::flw::encode(*direct));
}

TEST_CASE("Flw outcome: the documented answer with messages keeps their order") {
  const Outcome outcome = interpret_response(
      documented_dispatch(), 200, clients_test::load_vector("flw_response_messages.json"));
  CHECK(outcome.branch == Branch::response_key);
  REQUIRE(outcome.messages.size() == 3);
  CHECK(*outcome.messages[0].text ==
        "Segue seu boleto abaixo para pagamento. Vencimento dia 10/01");
  CHECK(outcome.messages[0].file_url.is_absent());
  CHECK(*outcome.messages[1].file_url == "https://xyz.com/boleto.pdf");
  REQUIRE(outcome.messages[2].message_template.has_value());
  CHECK(*outcome.messages[2].message_template->id == "ab78cd_oferta");
  CHECK(*outcome.messages[2].message_template->parameters->find("valor") == Json("R$ 9,99"));
}

TEST_CASE("Flw outcome: an answer without a key is the main flow with its data") {
  const Dispatch dispatch = documented_dispatch();
  SECTION("an empty object") {
    const Outcome outcome = interpret_response(dispatch, 200, "{}");
    CHECK(outcome.branch == Branch::main);
    CHECK(outcome.response.has_value());
    CHECK(outcome.messages.empty());
  }
  SECTION("messages and metadata, response absent") {
    const Outcome outcome = interpret_response(
        dispatch, 200, R"({"metadata":{"n":1},"messages":[{"text":"oi"}],"contact":{"name":"D"}})");
    CHECK(outcome.branch == Branch::main);
    CHECK(outcome.key.empty());
    REQUIRE(outcome.messages.size() == 1);
    CHECK(*outcome.messages[0].text == "oi");
    CHECK(*outcome.metadata->find("n") == Json(1));
    CHECK(*outcome.contact->name == "D");
  }
  SECTION("response null") {
    const Outcome outcome = interpret_response(dispatch, 200, R"({"response":null})");
    CHECK(outcome.branch == Branch::main);
    CHECK(outcome.key.empty());
  }
  SECTION("a null contact is kept as null (a request to clear nothing in particular)") {
    const Outcome outcome = interpret_response(dispatch, 200, R"({"contact":null})");
    CHECK(outcome.branch == Branch::main);
    CHECK(outcome.contact.is_null());
  }
}

TEST_CASE("Flw outcome: a key outside responseKeys is an outcome of its own, not an error") {
  const Dispatch dispatch = documented_dispatch();
  const Outcome outcome =
      interpret_response(dispatch, 200, R"({"response":"CLIENTE_VIP","messages":[{"text":"x"}]})");
  CHECK(outcome.branch == Branch::unlisted_key);
  CHECK(outcome.ok());
  CHECK(outcome.key == "CLIENTE_VIP");
  CHECK_FALSE(outcome.error.has_value());
  CHECK(outcome.messages.size() == 1);

  SECTION("keys are compared exactly") {
    CHECK(interpret_response(dispatch, 200, R"({"response":"cliente_existe"})").branch ==
          Branch::unlisted_key);
    CHECK(interpret_response(dispatch, 200, R"({"response":""})").branch == Branch::unlisted_key);
  }
  SECTION("a dispatch without responseKeys offers none") {
    Dispatch bare;
    CHECK(interpret_response(bare, 200, R"({"response":"CLIENTE_EXISTE"})").branch ==
          Branch::unlisted_key);
    bare.response_keys.set_null();
    CHECK(interpret_response(bare, 200, R"({"response":"CLIENTE_EXISTE"})").branch ==
          Branch::unlisted_key);
  }
}

TEST_CASE("Flw outcome: a status outside 2xx is the failure branch") {
  const Dispatch dispatch = documented_dispatch();
  const std::string simple = clients_test::load_vector("flw_response_simple.json");
  check_failure(interpret_response(dispatch, 500, simple), Errc::http_status);
  check_failure(interpret_response(dispatch, 500, ""), Errc::http_status);
  check_failure(interpret_response(dispatch, 404, ""), Errc::http_status);
  check_failure(interpret_response(dispatch, 302, ""), Errc::http_status);
  check_failure(interpret_response(dispatch, 100, ""), Errc::http_status);
  check_failure(interpret_response(dispatch, 0, ""), Errc::http_status);
  check_failure(interpret_response(dispatch, 300, ""), Errc::http_status);
  check_failure(interpret_response(dispatch, 410, ""), Errc::endpoint_gone);
  const Outcome outcome = interpret_response(dispatch, 503, "");
  CHECK(outcome.error->message().find("503") != std::string::npos);
}

TEST_CASE("Flw outcome: an answer that does not decode is the failure branch with the pointer") {
  const Dispatch dispatch = documented_dispatch();
  check_failure(interpret_response(dispatch, 200, "not json"), Errc::syntax);
  check_failure(interpret_response(dispatch, 200, R"({"response":"A")"), Errc::syntax);
  check_failure(interpret_response(dispatch, 200, "[]"), Errc::type_mismatch);
  check_failure(interpret_response(dispatch, 200, "\"CLIENTE_EXISTE\""), Errc::type_mismatch);
  check_failure(interpret_response(dispatch, 200, R"({"response":5})"), Errc::type_mismatch,
                "/response");
  check_failure(interpret_response(dispatch, 200, R"({"messages":[{"text":"a"},{"text":true}]})"),
                Errc::type_mismatch, "/messages/1/text");
  check_failure(interpret_response(dispatch, 200, R"({"contact":{"tags":"Lead"}})"),
                Errc::type_mismatch, "/contact/tags");
  check_failure(interpret_response(dispatch, 200, R"({"response":"A","response":"B"})"),
                Errc::duplicate_key, "/response");

  SECTION("parse options bound the decoding") {
    chathooks::ParseOptions tight;
    tight.max_bytes = 8;
    check_failure(interpret_response(dispatch, 200, R"({"response":"CLIENTE_EXISTE"})", tight),
                  Errc::too_large);
  }
}

TEST_CASE("Flw outcome: from a transport result") {
  const Dispatch dispatch = documented_dispatch();
  chathooks::Result<chathooks::http::HttpResponse> refused(
      chathooks::Error(Errc::connection_refused, "connection refused"));
  check_failure(interpret_response(dispatch, refused), Errc::connection_refused);

  chathooks::http::HttpResponse answer;
  answer.status = 200;
  answer.body = R"({"response":"CLIENTE_NAO_EXISTE"})";
  const Outcome outcome =
      interpret_response(dispatch, chathooks::Result<chathooks::http::HttpResponse>(answer));
  CHECK(outcome.branch == Branch::response_key);
  CHECK(outcome.key == "CLIENTE_NAO_EXISTE");
}

TEST_CASE("Flw outcome: branch names") {
  CHECK(chathooks::flw::to_string(Branch::main) == "main");
  CHECK(chathooks::flw::to_string(Branch::response_key) == "response_key");
  CHECK(chathooks::flw::to_string(Branch::unlisted_key) == "unlisted_key");
  CHECK(chathooks::flw::to_string(Branch::failure) == "failure");
}

TEST_CASE("Flw outcome: to_json gives the documented shape") {
  const Dispatch dispatch = documented_dispatch();

  SECTION("main flow, empty body") {
    CHECK(to_json(interpret_response(dispatch, 200, "")) ==
          R"({"branch":"main","response":null,"messages":[]})");
  }
  SECTION("a branch with contact and metadata, unknown members kept") {
    const Outcome outcome =
        interpret_response(dispatch, 200, clients_test::load_vector("flw_response_contact.json"));
    const std::string text = to_json(outcome);
    CHECK(text.find('\n') == std::string::npos);
    CHECK(parse(text) == parse(R"({"branch":"response_key","response":"CLIENTE_EXISTE",
        "contact":{"cnpj":"00.000.000/0000-00","metadata":{"cod-ext":"abcd"}},
        "metadata":{"cliente-existe":true},"messages":[]})"));
    // Member order is part of the shape.
    CHECK(text.rfind(R"({"branch":"response_key","response":"CLIENTE_EXISTE","contact":)", 0) == 0);
  }
  SECTION("messages") {
    const Outcome outcome =
        interpret_response(dispatch, 200, clients_test::load_vector("flw_response_messages.json"));
    CHECK(parse(to_json(outcome)) ==
          parse(R"({"branch":"response_key","response":"CLIENTE_EXISTE","messages":[
        {"text":"Segue seu boleto abaixo para pagamento. Vencimento dia 10/01"},
        {"fileUrl":"https://xyz.com/boleto.pdf"},
        {"template":{"id":"ab78cd_oferta","parameters":{"valor":"R$ 9,99"}}}]})"));
  }
  SECTION("an unlisted key and a null contact") {
    const Outcome outcome =
        interpret_response(dispatch, 200, R"({"response":"OUTRO","contact":null,"x":1})");
    CHECK(to_json(outcome) ==
          R"({"branch":"unlisted_key","response":"OUTRO","contact":null,"messages":[]})");
  }
  SECTION("a failure carries its error") {
    const Outcome outcome = interpret_response(dispatch, 200, R"({"response":5})");
    const Json failed = parse(to_json(outcome));
    CHECK(*failed.find("branch") == Json("failure"));
    CHECK(failed.find("response")->is_null());
    CHECK(*failed.find("messages") == Json::array());
    CHECK(failed.find("contact") == nullptr);
    CHECK(*failed.at_pointer("/error/code") == Json("type_mismatch"));
    CHECK(*failed.at_pointer("/error/pointer") == Json("/response"));
    CHECK(*failed.at_pointer("/error/message") == Json(outcome.error->message()));
    CHECK(failed.size() == 4);
    const Json gone = parse(to_json(interpret_response(dispatch, 410, "")));
    CHECK(*gone.at_pointer("/error/code") == Json("endpoint_gone"));
    CHECK(*gone.at_pointer("/error/pointer") == Json(""));
  }
}
