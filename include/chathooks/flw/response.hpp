// The Flw chatbot webhook's response: the branch the flow takes ("response", one of the
// dispatch's responseKeys; absent means the main success flow), metadata, a contact update, and
// messages to send in order (text, a file URL, both, or a template).
// Thread-safety: plain value types.
#pragma once

#include <string>
#include <vector>

#include "chathooks/field.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/json.hpp"
#include "chathooks/ordered_map.hpp"

namespace chathooks::flw {

/// `messages[].template`: a message template created beforehand in Flw.
struct Template {
  Field<std::string> id;         ///< "id"
  Field<JsonObject> parameters;  ///< "parameters": placeholder name -> value
  JsonObject extra;              ///< members the document does not list, in order
};

/// One message to send. The document allows text and a file together in one message.
struct OutgoingMessage {
  Field<std::string> text;           ///< "text"
  Field<std::string> file_url;       ///< "fileUrl"
  Field<Template> message_template;  ///< "template"
  JsonObject extra;                  ///< members the document does not list, in order
};

/// The answer to a dispatch.
struct Response {
  Field<std::string> response;                   ///< "response": the branch (a response key)
  Field<JsonObject> metadata;                    ///< "metadata"
  Field<Contact> contact;                        ///< "contact": fields to update (null clears)
  Field<std::vector<OutgoingMessage>> messages;  ///< "messages", sent in order
  JsonObject extra;                              ///< members the document does not list, in order
};

}  // namespace chathooks::flw
