// The Flw chatbot webhook's dispatch: what the chatbot POSTs to the customer's URL (the session,
// channel, contact, answered questions and menus, the last message, and the response keys the
// answer may pick). Every member is a Field (absent, null or a value); members the document
// never mentions are kept in each struct's `extra`, in order, and re-encoded.
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/field.hpp"
#include "chathooks/json.hpp"
#include "chathooks/open_enum.hpp"
#include "chathooks/ordered_map.hpp"
#include "chathooks/timestamp.hpp"

/// The Flw chatbot webhook: the dispatch the chatbot POSTs (Dispatch) and the answer it reads
/// back (Response, Outcome), with their codec and builder, the sending side (Dispatcher) and the
/// receiving side (make_receiver).
namespace chathooks::flw {

/// The messaging platform of a channel ("WhatsApp" in the document).
enum class Platform {
  unknown,   ///< Any other text (kept in the OpenEnum).
  whatsapp,  ///< "WhatsApp".
  instagram  ///< "Instagram".
};
/// The type of the contact's last message ("IMAGE" in the document; the others are the media
/// kinds of the `file` member).
enum class MessageType {
  unknown,  ///< Any other text (kept in the OpenEnum).
  text,     ///< "TEXT".
  image,    ///< "IMAGE".
  audio,    ///< "AUDIO".
  video,    ///< "VIDEO".
  document  ///< "DOCUMENT".
};

}  // namespace chathooks::flw

/// The texts of flw::Platform, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::flw::Platform> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<flw::Platform, std::string_view> values[] = {
      {flw::Platform::whatsapp, "WhatsApp"},
      {flw::Platform::instagram, "Instagram"},
  };
};
/// The texts of flw::MessageType, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::flw::MessageType> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<flw::MessageType, std::string_view> values[] = {
      {flw::MessageType::text, "TEXT"},         {flw::MessageType::image, "IMAGE"},
      {flw::MessageType::audio, "AUDIO"},       {flw::MessageType::video, "VIDEO"},
      {flw::MessageType::document, "DOCUMENT"},
  };
};

namespace chathooks::flw {

/// `session.utm`: the campaign the conversation came from.
struct Utm {
  Field<std::string> clid;          ///< "clid"
  Field<std::string> term;          ///< "term"
  Field<std::string> medium;        ///< "medium", e.g. "REFERRAL"
  Field<std::string> source;        ///< "source", e.g. "INSTAGRAM"
  Field<std::string> content;       ///< "content"
  Field<std::string> campaign;      ///< "campaign" (digits, kept as a string)
  Field<std::string> headline;      ///< "headline"
  Field<std::string> referral_url;  ///< "referralUrl"
  JsonObject extra;                 ///< members the document does not list, in order
};

/// `session`: the conversation.
struct Session {
  Field<std::string> id;             ///< "id"
  Field<Timestamp> created_at;       ///< "createdAt"
  Field<std::string> department_id;  ///< "departmentId"
  Field<std::string> user_id;        ///< "userId" (the attendant; null while with the bot)
  Field<std::string> number;         ///< "number": the protocol number, digits kept as text
  Field<Utm> utm;                    ///< "utm"
  JsonObject extra;                  ///< members the document does not list, in order
};

/// `channel`: where the conversation happens.
struct Channel {
  Field<std::string> id;               ///< "id"
  Field<std::string> key;              ///< "key": the channel's number or handle
  Field<OpenEnum<Platform>> platform;  ///< "platform"
  Field<std::string> display_name;     ///< "displayName"
  JsonObject extra;                    ///< members the document does not list, in order
};

/// `contact`: the person talking to the bot. Flw flattens the contact's custom fields into
/// this object under their slug names ("cnpj" in the document): they are in `extra`, and
/// custom_field() reads them. The same struct is the contact update of a Response, where an
/// absent member is left alone and a null one is cleared.
struct Contact {
  Field<std::string> id;                   ///< "id"
  Field<std::string> name;                 ///< "name"
  Field<std::string> phonenumber;          ///< "phonenumber": "+55|1199999999" (parse_phone)
  Field<std::string> display_phonenumber;  ///< "display-phonenumber"
  Field<std::string> email;                ///< "email"
  Field<std::string> instagram;            ///< "instagram"
  Field<std::vector<std::string>> tags;    ///< "tags"
  Field<JsonObject> metadata;              ///< "metadata": integration data
  JsonObject extra;                        ///< custom fields and undocumented members

  /// A custom field by slug (a member of `extra`), or nullptr.
  const Json* custom_field(std::string_view slug) const noexcept { return extra.find(slug); }
};

/// One answered question or menu: `questions.<id>` / `menus.<id>`.
struct QuestionAnswer {
  Field<std::string> text;    ///< "text": what the bot asked
  Field<std::string> answer;  ///< "answer": what the contact answered
  JsonObject extra;           ///< members the document does not list, in order
};

/// `lastMessage.file`.
struct File {
  Field<std::string> public_url;  ///< "publicUrl"
  Field<std::string> extension;   ///< "extension", e.g. ".jpg"
  Field<std::string> mime_type;   ///< "mimeType"
  Field<std::string> name;        ///< "name"
  Field<std::int64_t> size;       ///< "size" in bytes
  JsonObject extra;               ///< members the document does not list, in order
};

/// `lastMessage`: the contact's most recent message.
struct LastMessage {
  Field<std::string> id;              ///< "id"
  Field<Timestamp> created_at;        ///< "createdAt"
  Field<OpenEnum<MessageType>> type;  ///< "type"
  Field<std::string> text;            ///< "text" (null for media)
  Field<std::string> file_id;         ///< "fileId"
  Field<File> file;                   ///< "file"
  JsonObject extra;                   ///< members the document does not list, in order
};

/// The dispatch the chatbot POSTs.
struct Dispatch {
  Field<std::vector<std::string>> response_keys;  ///< "responseKeys": branches the answer may pick
  Field<std::string> session_id;                  ///< "sessionId"
  Field<Session> session;                         ///< "session"
  Field<Channel> channel;                         ///< "channel"
  Field<Contact> contact;                         ///< "contact"
  /// "questions", by question id (an entry may be null).
  Field<OrderedMap<Field<QuestionAnswer>>> questions;
  /// "menus", by menu id (an entry may be null).
  Field<OrderedMap<Field<QuestionAnswer>>> menus;
  Field<LastMessage> last_message;  ///< "lastMessage"
  JsonObject extra;                 ///< members the document does not list, in order
};

}  // namespace chathooks::flw
