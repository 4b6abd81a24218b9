// The Flw chatbot webhook's response: the branch the flow takes ("response", one of the
// dispatch's responseKeys; absent means the main success flow), metadata, a contact update, and
// messages to send in order (text, a file URL, both, or a template). message_texts() lists the
// texts of the messages.
// Thread-safety: plain value types.
#pragma once

#include <string>
#include <vector>

#include "chathooks/extra_members.hpp"
#include "chathooks/field.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/json.hpp"
#include "chathooks/ordered_map.hpp"

namespace chathooks::flw {

/// `messages[].template`: a message template created beforehand in Flw.
struct Template {
  Field<std::string> id;         ///< "id"
  Field<JsonObject> parameters;  ///< "parameters": placeholder name -> value
  ExtraMembers extra;            ///< members the document does not list, in order
};

/// One message to send. The document allows text and a file together in one message.
struct OutgoingMessage {
  Field<std::string> text;           ///< "text"
  Field<std::string> file_url;       ///< "fileUrl"
  Field<Template> message_template;  ///< "template"
  ExtraMembers extra;                ///< members the document does not list, in order
};

/// The answer to a dispatch.
struct Response {
  Field<std::string> branch;                     ///< "response": the branch (a response key)
  Field<JsonObject> metadata;                    ///< "metadata"
  Field<Contact> contact;                        ///< "contact": fields to update (null clears)
  Field<std::vector<OutgoingMessage>> messages;  ///< "messages", sent in order
  ExtraMembers extra;                            ///< members the document does not list, in order
};

/// `[].text` of each message that has one (absent or null texts are skipped), in order, as
/// copies: e.g. the messages the sending side read from an answer.
inline std::vector<std::string> message_texts(const std::vector<OutgoingMessage>& messages) {
  std::vector<std::string> texts;
  for (const OutgoingMessage& message : messages)
    if (const std::string* t = message.text.get()) texts.push_back(*t);
  return texts;
}

/// `messages[].text` of each message that has one (absent or null texts are skipped), in
/// order, as copies; empty when `messages` is absent or null.
inline std::vector<std::string> message_texts(const Response& response) {
  const auto* messages = response.messages.get();
  return messages != nullptr ? message_texts(*messages) : std::vector<std::string>();
}

}  // namespace chathooks::flw
