#include "catch.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/cliengo/response_builder.hpp"

using namespace chathooks;

TEST_CASE("The builder reproduces the documented Cliengo response") {
  const cliengo::Response response = cliengo::ResponseBuilder()
                                         .set_name("Juan Roman")
                                         .set_email("juan@example.com")
                                         .set_phone("1234542123", "12343132112")
                                         .set_custom("userType", "advanced")
                                         .set_custom("thing1", "something")
                                         .set_custom("thing2", "something")
                                         .say("Ok")
                                         .say("What model are you interested in?")
                                         .expect_list({"Model 3", "Model Y"})
                                         .stop_chat()
                                         .jump_to(5)
                                         .build();
  const Json expected = Json::parse(R"({
    "name": {"value": "Juan Roman"}, "email": {"value": "juan@example.com"},
    "phone": {"national_format": "1234542123", "international_format": "12343132112"},
    "custom": {"userType": "advanced", "thing1": "something", "thing2": "something"},
    "response": {"text": ["Ok", "What model are you interested in?"], "response_type": "LIST",
                 "response_options": ["Model 3", "Model Y"], "stopChat": true, "flow": 5}})")
                            .value();
  CHECK(Json::parse(cliengo::encode(response)).value() == expected);
  CHECK(cliengo::check_response(response).empty());
}

TEST_CASE("An empty builder overrides nothing") {
  CHECK(cliengo::encode(cliengo::ResponseBuilder().build()) == "{}");
}

TEST_CASE("check_response: a LIST needs options, options need a LIST") {
  const auto list_without_options = cliengo::check_response(
      cliengo::ResponseBuilder().expect(cliengo::ResponseType::list).build());
  REQUIRE(list_without_options.size() == 1);
  CHECK(list_without_options[0].to_string() ==
        "/response/response_options: a LIST response needs options");

  CHECK(cliengo::check_response(cliengo::ResponseBuilder().expect_list({}).build()).size() == 1);

  cliengo::Response options_without_list =
      cliengo::ResponseBuilder().expect(cliengo::ResponseType::text).build();
  options_without_list.reply->response_options = std::vector<std::string>{"a"};
  const auto problems = cliengo::check_response(options_without_list);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].pointer == "/response/response_options");
}

TEST_CASE("check_response reports a response type Cliengo does not know") {
  cliengo::Response response;
  response.reply.emplace().response_type = OpenEnum<cliengo::ResponseType>("CAROUSEL");
  const auto problems = cliengo::check_response(response);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].pointer == "/response/response_type");
}
