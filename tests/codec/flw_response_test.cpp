// The Flw response: the three documented examples decode to the documented values and re-encode
// semantically equal; messages with text and a file together, templates, contact updates that
// clear a field with null.
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::Json;
using chathooks::flw::decode_response;
using chathooks::flw::encode;
using chathooks::flw::Response;
using codec_test::load_json;
using codec_test::load_vector;
using codec_test::parse_json;

namespace {

Response decode_ok(std::string_view json) {
  auto decoded = decode_response(json);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}

}  // namespace

TEST_CASE("Flw response vector: simple", "[codec][flw][vector]") {
  const std::string input = load_vector("flw_response_simple.json");
  const Response r = decode_ok(input);
  CHECK(r.branch == std::string("CLIENTE_EXISTE"));
  CHECK(r.metadata.is_absent());
  CHECK(r.contact.is_absent());
  CHECK(r.messages.is_absent());
  CHECK(r.extra.empty());
  CHECK(encode(r) == R"({"response":"CLIENTE_EXISTE"})");
  codec_test::check_same_json(input, encode(r));
}

TEST_CASE("Flw response vector: with contact data", "[codec][flw][vector]") {
  const std::string input = load_vector("flw_response_contact.json");
  const Response r = decode_ok(input);
  CHECK(r.branch == std::string("CLIENTE_EXISTE"));
  REQUIRE(r.metadata.has_value());
  REQUIRE(r.metadata->find("cliente-existe") != nullptr);
  CHECK(*r.metadata->find("cliente-existe") == Json(true));
  REQUIRE(r.contact.has_value());
  const auto& c = *r.contact;
  CHECK(c.id.is_absent());
  CHECK(c.name.is_absent());
  CHECK(c.phonenumber.is_absent());
  CHECK(c.tags.is_absent());
  REQUIRE(c.custom_field("cnpj") != nullptr);
  CHECK(*c.custom_field("cnpj") == Json("00.000.000/0000-00"));
  REQUIRE(c.metadata.has_value());
  REQUIRE(c.metadata->find("cod-ext") != nullptr);
  CHECK(*c.metadata->find("cod-ext") == Json("abcd"));
  CHECK(r.messages.is_absent());
  codec_test::check_same_json(input, encode(r));
}

TEST_CASE("Flw response vector: with messages", "[codec][flw][vector]") {
  const std::string input = load_vector("flw_response_messages.json");
  const Response r = decode_ok(input);
  CHECK(r.branch == std::string("CLIENTE_EXISTE"));
  REQUIRE(r.messages.has_value());
  const auto& m = *r.messages;
  REQUIRE(m.size() == 3);

  CHECK(m[0].text == std::string("Segue seu boleto abaixo para pagamento. Vencimento dia 10/01"));
  CHECK(m[0].file_url.is_absent());
  CHECK(m[0].message_template.is_absent());

  CHECK(m[1].text.is_absent());
  CHECK(m[1].file_url == std::string("https://xyz.com/boleto.pdf"));

  REQUIRE(m[2].message_template.has_value());
  const auto& t = *m[2].message_template;
  CHECK(t.id == std::string("ab78cd_oferta"));
  REQUIRE(t.parameters.has_value());
  REQUIRE(t.parameters->size() == 1);
  CHECK(t.parameters->begin()->first == "valor");
  CHECK(t.parameters->begin()->second == Json("R$ 9,99"));
  CHECK(m[2].text.is_absent());

  const std::string encoded = encode(r);
  codec_test::check_same_json(input, encoded);
  CHECK(encoded == R"({"response":"CLIENTE_EXISTE","messages":[)"
                   R"({"text":"Segue seu boleto abaixo para pagamento. Vencimento dia 10/01"},)"
                   R"({"fileUrl":"https://xyz.com/boleto.pdf"},)"
                   R"({"template":{"id":"ab78cd_oferta","parameters":{"valor":"R$ 9,99"}}}]})");
}

TEST_CASE("Flw response: a message may hold text and a file together", "[codec][flw]") {
  const std::string input =
      R"({"messages":[{"text":"Seu boleto","fileUrl":"https://x.example/b.pdf",)"
      R"("caption-style":"bold"}]})";
  const Response r = decode_ok(input);
  CHECK(r.branch.is_absent());  // the main success flow
  REQUIRE(r.messages.has_value());
  REQUIRE(r.messages->size() == 1);
  const auto& m = r.messages->front();
  CHECK(m.text == std::string("Seu boleto"));
  CHECK(m.file_url == std::string("https://x.example/b.pdf"));
  REQUIRE(m.extra.find("caption-style") != nullptr);
  CHECK(*m.extra.find("caption-style") == Json("bold"));
  CHECK(encode(r) == input);
}

TEST_CASE("Flw response: a contact update clears fields with null and leaves absent ones",
          "[codec][flw]") {
  const std::string input =
      R"({"response":"CLIENTE_NAO_EXISTE","contact":{"name":"Ana","email":null,)"
      R"("tags":[],"metadata":null,"cnpj":null}})";
  const Response r = decode_ok(input);
  REQUIRE(r.contact.has_value());
  const auto& c = *r.contact;
  CHECK(c.name == std::string("Ana"));
  CHECK(c.email.is_null());
  CHECK(c.phonenumber.is_absent());
  REQUIRE(c.tags.has_value());
  CHECK(c.tags->empty());
  CHECK(c.metadata.is_null());
  REQUIRE(c.custom_field("cnpj") != nullptr);
  CHECK(c.custom_field("cnpj")->is_null());
  CHECK(encode(r) == input);
}

TEST_CASE("Flw response: template parameters keep any JSON, numbers exact",
          "[codec][flw][numbers]") {
  const std::string input =
      R"({"messages":[{"template":{"id":"t1","parameters":{"valor":"R$ 9,99",)"
      R"("qtd":18446744073709551615,"neg":-9223372036854775808,"pi":3.25,"ok":false,)"
      R"("lista":[1,"dois",null]},"language":"pt_BR"}}]})";
  const Response r = decode_ok(input);
  const auto& t = *r.messages->front().message_template;
  REQUIRE(t.parameters.has_value());
  const Json* qtd = t.parameters->find("qtd");
  REQUIRE(qtd != nullptr);
  CHECK(qtd->get_uint64() == std::uint64_t{18446744073709551615u});
  const Json* neg = t.parameters->find("neg");
  REQUIRE(neg != nullptr);
  CHECK(neg->get_int64() == INT64_MIN);
  REQUIRE(t.extra.find("language") != nullptr);
  CHECK(encode(r) == input);
}

TEST_CASE("Flw response: an empty object and empty messages are kept", "[codec][flw]") {
  Response r = decode_ok("{}");
  CHECK(r.branch.is_absent());
  CHECK(encode(r) == "{}");

  r = decode_ok(R"({"messages":[],"metadata":{},"contact":{}})");
  REQUIRE(r.messages.has_value());
  CHECK(r.messages->empty());
  REQUIRE(r.metadata.has_value());
  CHECK(r.metadata->empty());
  REQUIRE(r.contact.has_value());
  CHECK(r.contact->extra.empty());
  // In the order they came.
  CHECK(encode(r) == R"({"messages":[],"metadata":{},"contact":{}})");
}

TEST_CASE("Flw response vectors survive decode-encode-decode unchanged", "[codec][flw][vector]") {
  for (const char* name :
       {"flw_response_simple.json", "flw_response_contact.json", "flw_response_messages.json"}) {
    INFO(name);
    const Json original = load_json(name);
    const std::string first = encode(decode_ok(original.dump()));
    const std::string second = encode(decode_ok(first));
    CHECK(first == second);
    CHECK(parse_json(second) == original);
  }
}
