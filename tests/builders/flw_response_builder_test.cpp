#include "catch.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/response_builder.hpp"

using namespace chathooks;

namespace {
Json parsed(const std::string& text) { return Json::parse(text).value(); }
}  // namespace

TEST_CASE("The builder reproduces the documented response with messages") {
  JsonObject parameters;
  parameters.insert_or_assign("valor", "R$ 9,99");
  const flw::Response response =
      flw::ResponseBuilder()
          .branch("CLIENTE_EXISTE")
          .text("Segue seu boleto abaixo para pagamento. Vencimento dia 10/01")
          .file("https://xyz.com/boleto.pdf")
          .template_message("ab78cd_oferta", parameters)
          .build();
  CHECK(parsed(flw::encode(response)) == parsed(R"({
    "response": "CLIENTE_EXISTE",
    "messages": [
      {"text": "Segue seu boleto abaixo para pagamento. Vencimento dia 10/01"},
      {"fileUrl": "https://xyz.com/boleto.pdf"},
      {"template": {"id": "ab78cd_oferta", "parameters": {"valor": "R$ 9,99"}}}
    ]})"));
}

TEST_CASE("The builder reproduces the documented response with contact data") {
  JsonObject contact_metadata;
  contact_metadata.insert_or_assign("cod-ext", "abcd");
  const flw::Response response = flw::ResponseBuilder()
                                     .branch("CLIENTE_EXISTE")
                                     .metadata("cliente-existe", true)
                                     .contact_field("cnpj", "00.000.000/0000-00")
                                     .contact_field("metadata", contact_metadata)
                                     .build();
  CHECK(parsed(flw::encode(response)) == parsed(R"({
    "response": "CLIENTE_EXISTE",
    "metadata": {"cliente-existe": true},
    "contact": {"cnpj": "00.000.000/0000-00", "metadata": {"cod-ext": "abcd"}}})"));
  // Documented members land in their typed fields, custom ones in extra.
  CHECK(response.contact->metadata.has_value());
  CHECK(response.contact->custom_field("cnpj") != nullptr);
}

TEST_CASE("Contact fields: typed when the type fits, cleared with null, custom otherwise") {
  Json tags = Json::array();
  tags.push_back("Lead");
  tags.push_back("VIP");
  const flw::Response response = flw::ResponseBuilder()
                                     .contact_field("name", "David")
                                     .clear_contact_field("email")
                                     .contact_field("tags", tags)
                                     .contact_field("score", 42)
                                     .contact_field("name", "Davi")
                                     .build();
  const flw::Contact& contact = *response.contact;
  CHECK(contact.name.value() == "Davi");
  CHECK(contact.email.is_null());
  CHECK(contact.tags.value() == std::vector<std::string>{"Lead", "VIP"});
  REQUIRE(contact.custom_field("score") != nullptr);
  CHECK(*contact.custom_field("score") == Json(42));
  CHECK(parsed(flw::encode(response)) ==
        parsed(R"({"contact":{"name":"Davi","email":null,"tags":["Lead","VIP"],"score":42}})"));
}

TEST_CASE("A message may hold text and a file together") {
  const auto response = flw::ResponseBuilder().text_with_file("Boleto", "https://x/b.pdf").build();
  CHECK(parsed(flw::encode(response)) ==
        parsed(R"({"messages":[{"text":"Boleto","fileUrl":"https://x/b.pdf"}]})"));
}

TEST_CASE("check_response reports a branch outside the dispatch's responseKeys") {
  flw::Dispatch dispatch;
  dispatch.response_keys = std::vector<std::string>{"CLIENTE_EXISTE", "CLIENTE_NAO_EXISTE"};
  CHECK(flw::check_response(flw::ResponseBuilder().branch("CLIENTE_EXISTE").build(), &dispatch)
            .empty());
  const auto problems =
      flw::check_response(flw::ResponseBuilder().branch("OUTRO").build(), &dispatch);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].pointer == "/response");
  CHECK(problems[0].message ==
        "\"OUTRO\" is not one of the dispatch's responseKeys (CLIENTE_EXISTE, CLIENTE_NAO_EXISTE)");
  // No branch means the main success flow: nothing to report.
  CHECK(flw::check_response(flw::ResponseBuilder().text("oi").build(), &dispatch).empty());
}

TEST_CASE("check_response reports empty messages and templates without id") {
  flw::Response response;
  response.messages.emplace();
  response.messages->emplace_back();  // nothing in it
  flw::OutgoingMessage with_template;
  with_template.message_template.emplace();
  response.messages->push_back(with_template);
  const auto problems = flw::check_response(response);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].to_string() == "/messages/0: a message needs text, fileUrl or template");
  CHECK(problems[1].pointer == "/messages/1/template/id");
}
