// Building and checking a Cliengo response: write the chatbot memory (name, email, phone,
// custom entries) and override what the bot does next (say texts, expect an answer type, offer
// list options, stop, jump to a question); then check it before it is sent.
// Thread-safety: a ResponseBuilder is a plain value; check_response is a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chathooks/cliengo/response.hpp"
#include "chathooks/export.hpp"
#include "chathooks/json.hpp"
#include "chathooks/problem.hpp"

namespace chathooks::cliengo {

/// Builds a Response step by step; every call returns the builder, for chaining. Each call sets
/// the members it names, replacing earlier values of those members (expect() leaves the options
/// of an earlier expect_list() in place); say() appends a text and set_custom() adds an entry.
///
///   auto response = cliengo::ResponseBuilder()
///                       .say("Ok")
///                       .say("What model are you interested in?")
///                       .expect_list({"Model 3", "Model Y"})
///                       .set_custom("userType", "advanced")
///                       .build();
class CHATHOOKS_API ResponseBuilder {
 public:
  /// An empty Response: it overrides nothing.
  ResponseBuilder() = default;

  /// Adds a text the bot sends (each one a separate message).
  ResponseBuilder& say(std::string text);
  /// The answer type the bot expects next (for LIST, prefer expect_list).
  ResponseBuilder& expect(ResponseType type);
  /// Expects one of `options` (response_type LIST with response_options).
  ResponseBuilder& expect_list(std::vector<std::string> options);
  /// Stops the script until the visitor talks again.
  ResponseBuilder& stop_chat(bool stop = true);
  /// Makes `question_id` the active question.
  ResponseBuilder& jump_to(std::int64_t question_id);
  /// Writes the visitor's name into the chatbot memory (`name.value`).
  ResponseBuilder& set_name(std::string name);
  /// Writes the visitor's email into the chatbot memory (`email.value`).
  ResponseBuilder& set_email(std::string email);
  /// Writes the visitor's phone into the chatbot memory, in both forms Cliengo keeps
  /// (`phone.national_format`, `phone.international_format`).
  ResponseBuilder& set_phone(std::string national_format, std::string international_format);
  /// Sets one `custom` memory entry (keyed by the question's internal_name), replacing an
  /// earlier value under the same key in place; Cliengo later posts these to the CRM.
  ResponseBuilder& set_custom(std::string_view key, Json value);

  /// The response so far.
  const Response& peek() const noexcept { return response_; }
  /// A copy of the response; the builder can go on.
  Response build() const& { return response_; }
  /// The response, moved out of a temporary builder (the usual end of a chain).
  Response build() && { return std::move(response_); }

 private:
  BotReply& reply();
  Response response_;
};

/// Checks a response before it is sent: a LIST needs options, options need a LIST, the
/// response type is one Cliengo knows. An empty list means nothing to report.
CHATHOOKS_API Problems check_response(const Response& response);

}  // namespace chathooks::cliengo
