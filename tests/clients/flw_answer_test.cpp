// flw::read_answer: what each kind of answer to a dispatch means, without a socket. The dispatch
// is the documented one (responseKeys CLIENTE_EXISTE, CLIENTE_NAO_EXISTE); the answers are the
// documented response vectors and the edge cases around them: among them 2xx bodies that are not
// a JSON object and members of an unexpected type, read anyway with their warnings. (The CLI's
// JSON rendering of an
// Answer, answer_json, is tested in tests/cli.)
#include <chathooks/flw/answer.hpp>
#include <chathooks/flw/codec.hpp>
#include <chathooks/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "clients_test_support.hpp"

using chathooks::BadResultAccess;
using chathooks::Errc;
using chathooks::Json;
using chathooks::Result;
using chathooks::flw::Answer;
using chathooks::flw::Dispatch;
using chathooks::flw::Flow;
using chathooks::flw::read_answer;
using clients_test::documented_dispatch;

namespace {

Json parse(const std::string& text) {
  auto parsed = Json::parse(text);
  INFO(text);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

// The Answer of an answer that must be understood.
Answer answer_of(const Result<Answer>& read) {
  INFO((read.ok() ? std::string("ok") : read.error().to_string()));
  REQUIRE(read.ok());
  return read.value();
}

// A failure is the Result's Error, with no Answer (no flow, branch, response, contact or
// messages) to read by mistake.
void check_failure(const Result<Answer>& read, Errc code, const std::string& pointer = "") {
  REQUIRE_FALSE(read.ok());
  CHECK_FALSE(static_cast<bool>(read));
  CHECK(read.error().code() == code);
  CHECK(read.error().pointer() == pointer);
  CHECK_THROWS_AS(read.value(), BadResultAccess);
}

// The JSON of the contact update alone, through the codec (custom fields and unknown members
// included).
Json contact_json(const Answer& answer) {
  chathooks::flw::Response only_contact;
  only_contact.contact = answer.contact;
  return parse(chathooks::flw::encode(only_contact));
}

}  // namespace

TEST_CASE("Flw answer: 2xx with an empty or whitespace body is the main success flow") {
  const Dispatch dispatch = documented_dispatch();
  for (const int status : {200, 201, 204, 299}) {
    for (const char* body : {"", " ", "\r\n", " \t\r\n "}) {
      INFO("status " << status << ", body of " << std::string(body).size() << " bytes");
      const Result<Answer> read = read_answer(dispatch, status, body);
      REQUIRE(read.ok());
      CHECK_THROWS_AS(read.error(), BadResultAccess);
      const Answer& answer = read.value();
      CHECK(answer.flow == Flow::main);
      CHECK(answer.branch.empty());
      CHECK_FALSE(answer.response.has_value());
      CHECK(answer.contact.is_absent());
      CHECK(answer.metadata.is_absent());
      CHECK(answer.messages.empty());
      // The documented normal case: nothing to warn about.
      CHECK(answer.warnings.empty());
    }
  }
}

TEST_CASE("Flw answer: a listed key picks its branch (documented simple answer)") {
  const Answer answer = answer_of(read_answer(
      documented_dispatch(), 200, clients_test::load_vector("flw_response_simple.json")));
  CHECK(answer.flow == Flow::branch);
  CHECK(answer.branch == "CLIENTE_EXISTE");
  REQUIRE(answer.response.has_value());
  CHECK(*answer.response->branch == "CLIENTE_EXISTE");
  CHECK(answer.contact.is_absent());
  CHECK(answer.messages.empty());
  CHECK(answer.warnings.empty());

  const Answer other =
      answer_of(read_answer(documented_dispatch(), 200, R"({"response":"CLIENTE_NAO_EXISTE"})"));
  CHECK(other.flow == Flow::branch);
  CHECK(other.branch == "CLIENTE_NAO_EXISTE");
}

TEST_CASE("Flw answer: the documented answer with contact data and metadata") {
  const std::string body = clients_test::load_vector("flw_response_contact.json");
  const Answer answer = answer_of(read_answer(documented_dispatch(), 200, body));
  CHECK(answer.flow == Flow::branch);
  CHECK(answer.branch == "CLIENTE_EXISTE");
  REQUIRE(answer.contact.has_value());
  const Json* cnpj = answer.contact->custom_field("cnpj");
  REQUIRE(cnpj != nullptr);
  CHECK(*cnpj == Json("00.000.000/0000-00"));
  REQUIRE(answer.contact->metadata.has_value());
  CHECK(*answer.contact->metadata->find("cod-ext") == Json("abcd"));
  REQUIRE(answer.metadata.has_value());
  CHECK(*answer.metadata->find("cliente-existe") == Json(true));
  // The whole decoded answer rides along, equal to a direct decode.
  auto direct = chathooks::flw::decode_response(body);
  REQUIRE(direct.ok());
  REQUIRE(answer.response.has_value());
  CHECK(chathooks::flw::encode(*answer.response) == chathooks::flw::encode(*direct));
}

TEST_CASE("Flw answer: the documented answer with messages keeps their order") {
  const Answer answer = answer_of(read_answer(
      documented_dispatch(), 200, clients_test::load_vector("flw_response_messages.json")));
  CHECK(answer.flow == Flow::branch);
  REQUIRE(answer.messages.size() == 3);
  CHECK(*answer.messages[0].text == "Segue seu boleto abaixo para pagamento. Vencimento dia 10/01");
  CHECK(answer.messages[0].file_url.is_absent());
  CHECK(*answer.messages[1].file_url == "https://xyz.com/boleto.pdf");
  REQUIRE(answer.messages[2].message_template.has_value());
  CHECK(*answer.messages[2].message_template->id == "ab78cd_oferta");
  CHECK(*answer.messages[2].message_template->parameters->find("valor") == Json("R$ 9,99"));
}

TEST_CASE("Flw answer: an answer without a key is the main flow with its data") {
  const Dispatch dispatch = documented_dispatch();
  SECTION("an empty object") {
    const Answer answer = answer_of(read_answer(dispatch, 200, "{}"));
    CHECK(answer.flow == Flow::main);
    CHECK(answer.response.has_value());
    CHECK(answer.messages.empty());
  }
  SECTION("messages and metadata, response absent") {
    const Answer answer = answer_of(
        read_answer(dispatch, 200,
                    R"({"metadata":{"n":1},"messages":[{"text":"oi"}],"contact":{"name":"D"}})"));
    CHECK(answer.flow == Flow::main);
    CHECK(answer.branch.empty());
    REQUIRE(answer.messages.size() == 1);
    CHECK(*answer.messages[0].text == "oi");
    CHECK(*answer.metadata->find("n") == Json(1));
    CHECK(*answer.contact->name == "D");
  }
  SECTION("response null") {
    const Answer answer = answer_of(read_answer(dispatch, 200, R"({"response":null})"));
    CHECK(answer.flow == Flow::main);
    CHECK(answer.branch.empty());
  }
  SECTION("a null contact is kept as null (a request to clear nothing in particular)") {
    const Answer answer = answer_of(read_answer(dispatch, 200, R"({"contact":null})"));
    CHECK(answer.flow == Flow::main);
    CHECK(answer.contact.is_null());
  }
}

TEST_CASE("Flw answer: a key outside responseKeys is a flow of its own, not an error") {
  const Dispatch dispatch = documented_dispatch();
  const Result<Answer> read =
      read_answer(dispatch, 200, R"({"response":"CLIENTE_VIP","messages":[{"text":"x"}]})");
  REQUIRE(read.ok());
  const Answer& answer = read.value();
  CHECK(answer.flow == Flow::unlisted_branch);
  CHECK(answer.branch == "CLIENTE_VIP");
  CHECK(answer.messages.size() == 1);

  SECTION("keys are compared exactly") {
    CHECK(answer_of(read_answer(dispatch, 200, R"({"response":"cliente_existe"})")).flow ==
          Flow::unlisted_branch);
    CHECK(answer_of(read_answer(dispatch, 200, R"({"response":""})")).flow ==
          Flow::unlisted_branch);
  }
  SECTION("a dispatch without responseKeys offers none") {
    Dispatch bare;
    CHECK(answer_of(read_answer(bare, 200, R"({"response":"CLIENTE_EXISTE"})")).flow ==
          Flow::unlisted_branch);
    bare.response_keys.set_null();
    CHECK(answer_of(read_answer(bare, 200, R"({"response":"CLIENTE_EXISTE"})")).flow ==
          Flow::unlisted_branch);
  }
  SECTION("the overload taking the response keys alone") {
    const Answer listed =
        answer_of(read_answer(dispatch.response_keys, 200, R"({"response":"CLIENTE_EXISTE"})"));
    CHECK(listed.flow == Flow::branch);
    CHECK(listed.branch == "CLIENTE_EXISTE");
    CHECK(
        answer_of(read_answer(dispatch.response_keys, 200, R"({"response":"CLIENTE_VIP"})")).flow ==
        Flow::unlisted_branch);
  }
}

TEST_CASE("Flw answer: a status outside 2xx is an error") {
  const Dispatch dispatch = documented_dispatch();
  const std::string simple = clients_test::load_vector("flw_response_simple.json");
  check_failure(read_answer(dispatch, 500, simple), Errc::http_status);
  check_failure(read_answer(dispatch, 500, ""), Errc::http_status);
  check_failure(read_answer(dispatch, 404, ""), Errc::http_status);
  check_failure(read_answer(dispatch, 302, ""), Errc::http_status);
  check_failure(read_answer(dispatch, 100, ""), Errc::http_status);
  check_failure(read_answer(dispatch, 0, ""), Errc::http_status);
  check_failure(read_answer(dispatch, 300, ""), Errc::http_status);
  check_failure(read_answer(dispatch, 410, ""), Errc::endpoint_gone);
  const Result<Answer> read = read_answer(dispatch, 503, "");
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().message().find("503") != std::string::npos);
}

TEST_CASE("Flw answer: a 2xx body that is not a JSON object is the main flow, with a warning") {
  // HTTP 200 follows the main success flow (the Flw document); a body that says nothing the
  // chatbot can read does not change that, and the warning says what it was.
  const Dispatch dispatch = documented_dispatch();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"OK", "the answer's body is not JSON (syntax error at byte 0"},
      {"not json", "the answer's body is not JSON (syntax error at byte 1"},
      {"[1,", "the answer's body is not JSON (syntax error at byte 3"},
      {std::string(1000, '['), "the answer's body is not an object (expected object, got array; "},
      {R"({"response":"A")", "the answer's body is not JSON (syntax error at byte 15"},
      {"\xFF\xFE", "the answer's body is not JSON (invalid UTF-8 at byte 0"},
      {"null", "the answer's body is null, not an object: the main flow follows"},
      {"[]", "the answer's body is an array, not an object: the main flow follows"},
      {R"([{"response":"CLIENTE_EXISTE"}])",
       "the answer's body is an array, not an object: the main flow follows"},
      {"5", "the answer's body is a number, not an object: the main flow follows"},
      {"\"x\"", "the answer's body is a string, not an object: the main flow follows"},
      {"\"CLIENTE_EXISTE\"", "the answer's body is a string, not an object: the main flow follows"},
      {" true\n", "the answer's body is a boolean, not an object: the main flow follows"},
  };
  for (const int status : {200, 201, 204}) {
    for (const auto& [body, reason] : cases) {
      INFO("status " << status << ", body " << body);
      const Answer answer = answer_of(read_answer(dispatch, status, body));
      CHECK(answer.flow == Flow::main);
      CHECK(answer.branch.empty());
      CHECK_FALSE(answer.response.has_value());
      CHECK(answer.contact.is_absent());
      CHECK(answer.metadata.is_absent());
      CHECK(answer.messages.empty());
      REQUIRE(answer.warnings.size() == 1);
      CHECK(answer.warnings[0].pointer.empty());
      CHECK(answer.warnings[0].reason.rfind(reason, 0) == 0);
      CHECK(answer.warnings[0].reason.find(": the main flow follows") != std::string::npos);
    }
  }
  SECTION("the overloads taking the keys alone or a transport result read the same") {
    const Answer keys_only = answer_of(read_answer(dispatch.response_keys, 200, "OK"));
    CHECK(keys_only.flow == Flow::main);
    CHECK(keys_only.warnings.size() == 1);
    chathooks::http::HttpResponse response;
    response.status = 200;
    response.body = "[]";
    const Answer transported = answer_of(
        read_answer(dispatch, chathooks::Result<chathooks::http::HttpResponse>(response)));
    CHECK(transported.flow == Flow::main);
    REQUIRE(transported.warnings.size() == 1);
    CHECK(transported.warnings[0].reason ==
          "the answer's body is an array, not an object: the main flow follows");
  }
}

TEST_CASE("Flw answer: a status outside 2xx is an error whatever the body") {
  const Dispatch dispatch = documented_dispatch();
  for (const char* body : {"OK", "<html>Internal Server Error</html>", "null", "[]", "5"}) {
    INFO(body);
    check_failure(read_answer(dispatch, 500, body), Errc::http_status);
    check_failure(read_answer(dispatch, 404, body), Errc::http_status);
    check_failure(read_answer(dispatch, 410, body), Errc::endpoint_gone);
  }
}

TEST_CASE("Flw answer: a member of an unexpected type is kept, named, and the rest counts") {
  const Dispatch dispatch = documented_dispatch();
  SECTION("an off-type message text: the listed branch and both messages") {
    const std::string body =
        R"({"response":"CLIENTE_EXISTE","messages":[{"text":"a"},{"text":true}]})";
    const Answer answer = answer_of(read_answer(dispatch, 200, body));
    CHECK(answer.flow == Flow::branch);
    CHECK(answer.branch == "CLIENTE_EXISTE");
    REQUIRE(answer.messages.size() == 2);
    CHECK(*answer.messages[0].text == "a");
    CHECK(answer.messages[1].text.is_unreadable());
    REQUIRE(answer.warnings.size() == 1);
    CHECK(answer.warnings[0].pointer == "/messages/1/text");
    CHECK(answer.warnings[0].reason.rfind("expected string, got ", 0) == 0);
    // Kept as it came: the decoded answer encodes back to the body.
    REQUIRE(answer.response.has_value());
    CHECK(chathooks::flw::encode(*answer.response) == body);
  }
  SECTION("an off-type response key: the main flow, the key kept, the metadata read") {
    const std::string body = R"({"response":5,"metadata":{"n":1}})";
    const Answer answer = answer_of(read_answer(dispatch, 200, body));
    CHECK(answer.flow == Flow::main);
    CHECK(answer.branch.empty());
    REQUIRE(answer.metadata.has_value());
    CHECK(*answer.metadata->find("n") == Json(1));
    REQUIRE(answer.warnings.size() == 1);
    CHECK(answer.warnings[0].pointer == "/response");
    CHECK(answer.warnings[0].reason == "expected string, got number");
    REQUIRE(answer.response.has_value());
    CHECK(answer.response->branch.is_unreadable());
    const Json* raw = answer.response->extra.unreadable("response");
    REQUIRE(raw != nullptr);
    CHECK(*raw == Json(5));
    CHECK(chathooks::flw::encode(*answer.response) == body);
  }
  SECTION("an off-type contact tag list: the contact update with the rest of its members") {
    const std::string body = R"({"contact":{"name":"D","tags":"Lead"}})";
    const Answer answer = answer_of(read_answer(dispatch, 200, body));
    CHECK(answer.flow == Flow::main);
    REQUIRE(answer.contact.has_value());
    CHECK(*answer.contact->name == "D");
    CHECK(answer.contact->tags.is_unreadable());
    REQUIRE(answer.warnings.size() == 1);
    CHECK(answer.warnings[0].pointer == "/contact/tags");
    CHECK(contact_json(answer) == parse(body));
  }
  SECTION("tolerant even when the options ask for strict decoding") {
    chathooks::ParseOptions strict;
    strict.mode = chathooks::DecodeMode::strict;
    const Answer answer = answer_of(read_answer(dispatch, 200, R"({"response":5})", strict));
    CHECK(answer.flow == Flow::main);
    REQUIRE(answer.warnings.size() == 1);
    CHECK(answer.warnings[0].pointer == "/response");
  }
}

TEST_CASE("Flw answer: an answer that breaks a limit or repeats a member is an error") {
  const Dispatch dispatch = documented_dispatch();
  check_failure(read_answer(dispatch, 200, R"({"response":"A","response":"B"})"),
                Errc::duplicate_key, "/response");
  const Result<Answer> deep = read_answer(
      dispatch, 200, R"({"metadata":)" + std::string(1000, '[') + std::string(1000, ']') + "}");
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().code() == Errc::too_deep);

  SECTION("parse options bound the decoding") {
    chathooks::ParseOptions tight;
    tight.max_bytes = 8;
    check_failure(read_answer(dispatch, 200, R"({"response":"CLIENTE_EXISTE"})", tight),
                  Errc::too_large);
  }
}

TEST_CASE("Flw answer: from a transport result") {
  const Dispatch dispatch = documented_dispatch();
  const chathooks::Error transport_error(Errc::connection_refused, "connection refused");
  chathooks::Result<chathooks::http::HttpResponse> refused(transport_error);
  check_failure(read_answer(dispatch, refused), Errc::connection_refused);
  // The transport's error is returned as it is.
  CHECK(read_answer(dispatch, refused).error() == transport_error);

  chathooks::http::HttpResponse answer;
  answer.status = 200;
  answer.body = R"({"response":"CLIENTE_NAO_EXISTE"})";
  const Answer read =
      answer_of(read_answer(dispatch, chathooks::Result<chathooks::http::HttpResponse>(answer)));
  CHECK(read.flow == Flow::branch);
  CHECK(read.branch == "CLIENTE_NAO_EXISTE");

  answer.status = 410;
  check_failure(read_answer(dispatch, chathooks::Result<chathooks::http::HttpResponse>(answer)),
                Errc::endpoint_gone);
}

TEST_CASE("Flw answer: flow names") {
  CHECK(chathooks::flw::to_string(Flow::main) == "main");
  CHECK(chathooks::flw::to_string(Flow::branch) == "branch");
  CHECK(chathooks::flw::to_string(Flow::unlisted_branch) == "unlisted_branch");
}

TEST_CASE("Flw answer: every member a report of the answer needs") {
  const Dispatch dispatch = documented_dispatch();

  SECTION("main flow, empty body") {
    const Answer answer = answer_of(read_answer(dispatch, 200, ""));
    CHECK(chathooks::flw::to_string(answer.flow) == "main");
    CHECK(answer.branch.empty());
    CHECK_FALSE(answer.response.has_value());
    CHECK(answer.contact.is_absent());
    CHECK(answer.metadata.is_absent());
    CHECK(answer.messages.empty());
  }
  SECTION("a branch with contact and metadata, unknown members kept") {
    const Answer answer = answer_of(
        read_answer(dispatch, 200, clients_test::load_vector("flw_response_contact.json")));
    CHECK(chathooks::flw::to_string(answer.flow) == "branch");
    CHECK(answer.branch == "CLIENTE_EXISTE");
    CHECK(contact_json(answer) ==
          parse(R"({"contact":{"cnpj":"00.000.000/0000-00","metadata":{"cod-ext":"abcd"}}})"));
    REQUIRE(answer.metadata.has_value());
    CHECK(Json(*answer.metadata) == parse(R"({"cliente-existe":true})"));
    CHECK(answer.messages.empty());
  }
  SECTION("messages") {
    const Answer answer = answer_of(
        read_answer(dispatch, 200, clients_test::load_vector("flw_response_messages.json")));
    CHECK(chathooks::flw::to_string(answer.flow) == "branch");
    CHECK(answer.branch == "CLIENTE_EXISTE");
    chathooks::flw::Response only_messages;
    only_messages.messages = answer.messages;
    CHECK(parse(chathooks::flw::encode(only_messages)) == parse(R"({"messages":[
        {"text":"Segue seu boleto abaixo para pagamento. Vencimento dia 10/01"},
        {"fileUrl":"https://xyz.com/boleto.pdf"},
        {"template":{"id":"ab78cd_oferta","parameters":{"valor":"R$ 9,99"}}}]})"));
  }
  SECTION("an unlisted key and a null contact") {
    const Answer answer =
        answer_of(read_answer(dispatch, 200, R"({"response":"OUTRO","contact":null,"x":1})"));
    CHECK(chathooks::flw::to_string(answer.flow) == "unlisted_branch");
    CHECK(answer.branch == "OUTRO");
    CHECK(answer.contact.is_null());
    CHECK(answer.metadata.is_absent());
    CHECK(answer.messages.empty());
    // The unknown member stays on the decoded answer only.
    REQUIRE(answer.response.has_value());
    REQUIRE(answer.response->extra.find("x") != nullptr);
    CHECK(*answer.response->extra.find("x") == Json(1));
  }
  SECTION("a failure carries its error") {
    const Result<Answer> failed = read_answer(dispatch, 200, R"({"response":"A","response":"B"})");
    REQUIRE_FALSE(failed.ok());
    CHECK(chathooks::to_string(failed.error().code()) == "duplicate_key");
    CHECK(failed.error().pointer() == "/response");
    CHECK_FALSE(failed.error().message().empty());
    const Result<Answer> gone = read_answer(dispatch, 410, "");
    REQUIRE_FALSE(gone.ok());
    CHECK(chathooks::to_string(gone.error().code()) == "endpoint_gone");
    CHECK(gone.error().pointer().empty());
  }
}
