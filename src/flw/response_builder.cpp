// Flw response building and checks.
#include "chathooks/flw/response_builder.hpp"

#include <fmt/format.h>

namespace chathooks::flw {
namespace {

// The contact's documented string members, by JSON name.
Field<std::string>* string_member(Contact& contact, std::string_view name) {
  if (name == "id") return &contact.id;
  if (name == "name") return &contact.name;
  if (name == "phonenumber") return &contact.phonenumber;
  if (name == "display-phonenumber") return &contact.display_phonenumber;
  if (name == "email") return &contact.email;
  if (name == "instagram") return &contact.instagram;
  return nullptr;
}

// Sets a documented member from `value` when the type fits; false when it does not.
bool set_documented(Contact& contact, std::string_view name, Json& value) {
  if (Field<std::string>* member = string_member(contact, name)) {
    if (value.is_null()) {
      member->set_null();
      return true;
    }
    if (std::string* s = value.get_string()) {
      *member = std::move(*s);
      return true;
    }
    return false;
  }
  if (name == "metadata") {
    if (value.is_null()) {
      contact.metadata.set_null();
      return true;
    }
    if (JsonObject* object = value.get_object()) {
      contact.metadata = std::move(*object);
      return true;
    }
    return false;
  }
  if (name == "tags") {
    if (value.is_null()) {
      contact.tags.set_null();
      return true;
    }
    const JsonArray* array = value.get_array();
    if (array == nullptr) return false;
    std::vector<std::string> tags;
    for (const Json& tag : *array) {
      const std::string* s = tag.get_string();
      if (s == nullptr) return false;
      tags.push_back(*s);
    }
    contact.tags = std::move(tags);
    return true;
  }
  return false;
}

}  // namespace

ResponseBuilder& ResponseBuilder::branch(std::string response_key) {
  response_.branch = std::move(response_key);
  return *this;
}

OutgoingMessage& ResponseBuilder::add_message() {
  if (!response_.messages.has_value()) response_.messages.emplace();
  return response_.messages->emplace_back();
}

ResponseBuilder& ResponseBuilder::text(std::string text) {
  add_message().text = std::move(text);
  return *this;
}

ResponseBuilder& ResponseBuilder::file(std::string url) {
  add_message().file_url = std::move(url);
  return *this;
}

ResponseBuilder& ResponseBuilder::text_with_file(std::string text, std::string url) {
  OutgoingMessage& message = add_message();
  message.text = std::move(text);
  message.file_url = std::move(url);
  return *this;
}

ResponseBuilder& ResponseBuilder::template_message(std::string id, JsonObject parameters) {
  Template t;
  t.id = std::move(id);
  t.parameters = std::move(parameters);
  add_message().message_template = std::move(t);
  return *this;
}

ResponseBuilder& ResponseBuilder::contact_field(std::string_view name, Json value) {
  Contact& contact =
      response_.contact.has_value() ? *response_.contact : response_.contact.emplace();
  if (!set_documented(contact, name, value)) contact.extra.insert_or_assign(name, std::move(value));
  return *this;
}

ResponseBuilder& ResponseBuilder::clear_contact_field(std::string_view name) {
  return contact_field(name, Json());
}

ResponseBuilder& ResponseBuilder::metadata(std::string_view key, Json value) {
  JsonObject& metadata =
      response_.metadata.has_value() ? *response_.metadata : response_.metadata.emplace();
  metadata.insert_or_assign(key, std::move(value));
  return *this;
}

Problems check_response(const Response& response, const Dispatch* dispatch) {
  Problems problems;
  if (dispatch != nullptr) {
    if (const std::string* key = response.branch.get()) {
      const std::vector<std::string>* keys = dispatch->response_keys.get();
      bool listed = false;
      if (keys != nullptr) {
        for (const std::string& k : *keys) listed = listed || k == *key;
      }
      if (!listed) {
        problems.push_back(
            {"/response", fmt::format("\"{}\" is not one of the dispatch's responseKeys ({})", *key,
                                      keys != nullptr && !keys->empty()
                                          ? fmt::format("{}", fmt::join(*keys, ", "))
                                          : std::string("none"))});
      }
    }
  }
  if (const auto* messages = response.messages.get()) {
    for (std::size_t i = 0; i < messages->size(); ++i) {
      const OutgoingMessage& m = (*messages)[i];
      const std::string at = fmt::format("/messages/{}", i);
      if (!m.text.has_value() && !m.file_url.has_value() && !m.message_template.has_value()) {
        problems.push_back({at, "a message needs text, fileUrl or template"});
      }
      if (const Template* t = m.message_template.get()) {
        if (!t->id.has_value() || t->id->empty()) {
          problems.push_back({at + "/template/id", "a template message needs the template id"});
        }
      }
    }
  }
  return problems;
}

}  // namespace chathooks::flw
