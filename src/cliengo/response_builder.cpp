// Cliengo response building and checks.
#include "chathooks/cliengo/response_builder.hpp"

#include <fmt/format.h>

namespace chathooks::cliengo {

BotReply& ResponseBuilder::reply() {
  return response_.reply.has_value() ? *response_.reply : response_.reply.emplace();
}

ResponseBuilder& ResponseBuilder::say(std::string text) {
  BotReply& r = reply();
  if (!r.text.has_value()) r.text.emplace();
  r.text->push_back(std::move(text));
  return *this;
}

ResponseBuilder& ResponseBuilder::expect(ResponseType type) {
  reply().response_type = OpenEnum<ResponseType>(type);
  return *this;
}

ResponseBuilder& ResponseBuilder::expect_list(std::vector<std::string> options) {
  BotReply& r = reply();
  r.response_type = OpenEnum<ResponseType>(ResponseType::list);
  r.response_options = std::move(options);
  return *this;
}

ResponseBuilder& ResponseBuilder::stop_chat(bool stop) {
  reply().stop_chat = stop;
  return *this;
}

ResponseBuilder& ResponseBuilder::jump_to(std::int64_t question_id) {
  reply().flow = question_id;
  return *this;
}

ResponseBuilder& ResponseBuilder::set_name(std::string name) {
  response_.name.emplace().value = std::move(name);
  return *this;
}

ResponseBuilder& ResponseBuilder::set_email(std::string email) {
  response_.email.emplace().value = std::move(email);
  return *this;
}

ResponseBuilder& ResponseBuilder::set_phone(std::string national_format,
                                            std::string international_format) {
  Phone& phone = response_.phone.emplace();
  phone.national_format = std::move(national_format);
  phone.international_format = std::move(international_format);
  return *this;
}

ResponseBuilder& ResponseBuilder::set_custom(std::string_view key, Json value) {
  JsonObject& custom =
      response_.custom.has_value() ? *response_.custom : response_.custom.emplace();
  custom.insert_or_assign(key, std::move(value));
  return *this;
}

Problems check_response(const Response& response) {
  Problems problems;
  const BotReply* reply = response.reply.get();
  if (reply == nullptr) return problems;
  const auto* type = reply->response_type.get();
  const auto* options = reply->response_options.get();
  const bool is_list = type != nullptr && *type == ResponseType::list;
  if (type != nullptr && !type->is_known()) {
    problems.push_back(
        {"/response/response_type",
         fmt::format("\"{}\" is not one of TEXT, LIST, NAME, EMAIL, PHONE", type->text())});
  }
  if (is_list && (options == nullptr || options->empty())) {
    problems.push_back({"/response/response_options", "a LIST response needs options"});
  }
  if (!is_list && options != nullptr && !options->empty()) {
    problems.push_back(
        {"/response/response_options", "options are only used when response_type is LIST"});
  }
  return problems;
}

}  // namespace chathooks::cliengo
