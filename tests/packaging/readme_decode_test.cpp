// The README's "decoding and answering a Flw dispatch by hand" block, compiled and run: the
// README quotes answer() below (tests/packaging/check_readme_snippets.sh checks the quote), and
// these tests check that it does what the README says, including the error text it shows.
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "codec/codec_test_support.hpp"

namespace readme {

struct HttpReply {
  int status;
  std::string body;
};
HttpReply reply(int status, std::string body) { return {status, std::move(body)}; }

std::vector<std::string> logged;
void log(std::string line) { logged.push_back(std::move(line)); }

HttpReply answer(std::string_view body) {
  auto dispatch = chathooks::flw::decode_dispatch(body);
  // A bad body is a 400 naming the member: "/contact/tags/1: expected string, got number".
  if (!dispatch) return reply(400, dispatch.error().to_string());

  const chathooks::flw::Contact* contact = dispatch->contact.get();  // null when absent
  const bool known = contact && contact->email;
  auto response = chathooks::flw::ResponseBuilder()
                      .branch(known ? "CLIENTE_EXISTE" : "CLIENTE_NAO_EXISTE")
                      .text("Olá, " + (contact ? contact->name.value_or("cliente") : "cliente"))
                      .metadata("checked", true)
                      .build();
  for (const auto& problem : chathooks::flw::check_response(response, &*dispatch))
    log(problem.to_string());
  return reply(200, chathooks::flw::encode(response));
}

}  // namespace readme

namespace {
std::string documented_dispatch() { return codec_test::load_vector("flw_dispatch.json"); }
}  // namespace

TEST_CASE("README: the documented dispatch is answered with a branch it offers") {
  readme::logged.clear();
  const readme::HttpReply got = readme::answer(documented_dispatch());
  CHECK(got.status == 200);
  CHECK(got.body == R"({"response":"CLIENTE_EXISTE","metadata":{"checked":true},)"
                    R"("messages":[{"text":"Olá, David"}]})");
  CHECK(readme::logged.empty());
}

TEST_CASE("README: a tag of the wrong type is a 400 naming the member, as the README shows") {
  std::string body = documented_dispatch();
  const auto tags = body.find(R"("tags": [)");
  REQUIRE(tags != std::string::npos);
  const auto end = body.find(']', tags);
  REQUIRE(end != std::string::npos);
  body.insert(end, ", 7");  // ["Lead"] becomes ["Lead", 7]
  const readme::HttpReply got = readme::answer(body);
  CHECK(got.status == 400);
  CHECK(got.body == "/contact/tags/1: expected string, got number");
}

TEST_CASE("README: a dispatch without a contact is answered, not thrown on") {
  readme::logged.clear();
  const readme::HttpReply got = readme::answer("{}");
  CHECK(got.status == 200);
  CHECK(got.body == R"({"response":"CLIENTE_NAO_EXISTE","metadata":{"checked":true},)"
                    R"("messages":[{"text":"Olá, cliente"}]})");
}
