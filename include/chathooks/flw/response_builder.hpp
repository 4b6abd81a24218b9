// Building and checking a Flw response: pick a branch, queue text, file and template messages,
// update contact fields (null clears one) and metadata; then check it against the dispatch it
// answers before it is sent.
// Thread-safety: a ResponseBuilder is a plain value; check_response is a pure function.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "chathooks/export.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/flw/response.hpp"
#include "chathooks/json.hpp"
#include "chathooks/problem.hpp"

namespace chathooks::flw {

/// Builds a Response step by step; every call returns the builder, for chaining. Messages are
/// sent in the order they were added; branch() replaces an earlier branch; contact and
/// metadata calls set one member each, replacing an earlier value of it.
///
///   auto response = flw::ResponseBuilder()
///                       .branch("CLIENTE_EXISTE")
///                       .text("Segue seu boleto")
///                       .file("https://example.com/boleto.pdf")
///                       .contact_field("cnpj", "00.000.000/0000-00")
///                       .clear_contact_field("email")
///                       .metadata("cliente-existe", true)
///                       .build();
class CHATHOOKS_API ResponseBuilder {
 public:
  /// An empty Response: the main success flow, no messages, no updates.
  ResponseBuilder() = default;

  /// The branch the flow takes: one of the dispatch's responseKeys. Without one, the flow
  /// follows its main success path.
  ResponseBuilder& branch(std::string response_key);
  /// A text message.
  ResponseBuilder& text(std::string text);
  /// A file message (the file at a public URL).
  ResponseBuilder& file(std::string url);
  /// One message with a text and a file together.
  ResponseBuilder& text_with_file(std::string text, std::string url);
  /// A message from a template created in Flw, with its parameters.
  ResponseBuilder& template_message(std::string id, JsonObject parameters = {});
  /// Sets a contact field: a documented one ("id", "name", "email", "phonenumber",
  /// "display-phonenumber", "instagram": strings; "tags": an array of strings; "metadata": an
  /// object) when the value has its type, or else a member of Contact::extra under `name` (a
  /// custom field by slug). A null value clears the field.
  ResponseBuilder& contact_field(std::string_view name, Json value);
  /// Clears a contact field (sends it as null).
  ResponseBuilder& clear_contact_field(std::string_view name);
  /// Sets one member of the response's metadata.
  ResponseBuilder& metadata(std::string_view key, Json value);

  /// The response so far.
  const Response& peek() const noexcept { return response_; }
  /// A copy of the response; the builder can go on.
  Response build() const& { return response_; }
  /// The response, moved out of a temporary builder (the usual end of a chain).
  Response build() && { return std::move(response_); }

 private:
  OutgoingMessage& add_message();
  Response response_;
};

/// Checks a response before it is sent: every message has text, a file or a template; a
/// template has an id; and, given the dispatch it answers, the branch is one of its
/// responseKeys. An empty list means nothing to report.
CHATHOOKS_API Problems check_response(const Response& response, const Dispatch* dispatch = nullptr);

}  // namespace chathooks::flw
