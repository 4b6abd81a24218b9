// The Flw chatbot webhook's dispatch: what the chatbot POSTs to the customer's URL (the session,
// channel, contact, answered questions and menus, the last message, and the response keys the
// answer may pick). Every member is a Field (absent, null or a value); members the document
// never mentions are kept in each struct's `extra`, in order, and re-encoded.
// The accessors (contact_name(dispatch), contact_phone, contact_email, custom_field,
// session_id, last_message_text, last_message_file_url, question_answer, menu_answer) read the
// common values without walking the Fields: a pointer into the dispatch, nullptr when the
// member or an object on its path is absent or null (read the Fields to tell those apart).
// Like Field::get(), the pointer is valid while the dispatch lives and that member is unchanged.
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/extra_members.hpp"
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
  ExtraMembers extra;               ///< members the document does not list, in order
};

/// `session`: the conversation.
struct Session {
  Field<std::string> id;             ///< "id"
  Field<Timestamp> created_at;       ///< "createdAt"
  Field<std::string> department_id;  ///< "departmentId"
  Field<std::string> user_id;        ///< "userId" (the attendant; null while with the bot)
  Field<std::string> number;         ///< "number": the protocol number, digits kept as text
  Field<Utm> utm;                    ///< "utm"
  ExtraMembers extra;                ///< members the document does not list, in order
};

/// `channel`: where the conversation happens.
struct Channel {
  Field<std::string> id;               ///< "id"
  Field<std::string> key;              ///< "key": the channel's number or handle
  Field<OpenEnum<Platform>> platform;  ///< "platform"
  Field<std::string> display_name;     ///< "displayName"
  ExtraMembers extra;                  ///< members the document does not list, in order
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
  ExtraMembers extra;                      ///< custom fields and undocumented members

  /// A custom field by slug (a member of `extra`), or nullptr.
  const Json* custom_field(std::string_view slug) const noexcept { return extra.find(slug); }
};

/// One answered question or menu: `questions.<id>` / `menus.<id>`.
struct QuestionAnswer {
  Field<std::string> text;    ///< "text": what the bot asked
  Field<std::string> answer;  ///< "answer": what the contact answered
  ExtraMembers extra;         ///< members the document does not list, in order
};

/// `lastMessage.file`.
struct File {
  Field<std::string> public_url;  ///< "publicUrl"
  Field<std::string> extension;   ///< "extension", e.g. ".jpg"
  Field<std::string> mime_type;   ///< "mimeType"
  Field<std::string> name;        ///< "name"
  Field<std::int64_t> size;       ///< "size" in bytes
  ExtraMembers extra;             ///< members the document does not list, in order
};

/// `lastMessage`: the contact's most recent message.
struct LastMessage {
  Field<std::string> id;              ///< "id"
  Field<Timestamp> created_at;        ///< "createdAt"
  Field<OpenEnum<MessageType>> type;  ///< "type"
  Field<std::string> text;            ///< "text" (null for media)
  Field<std::string> file_id;         ///< "fileId"
  Field<File> file;                   ///< "file"
  ExtraMembers extra;                 ///< members the document does not list, in order
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
  ExtraMembers extra;               ///< members the document does not list, in order
};

/// `sessionId`, or `session.id` when that is absent or null; nullptr when neither has a value.
/// Valid while `dispatch` lives.
inline const std::string* session_id(const Dispatch& dispatch) noexcept {
  if (const std::string* id = dispatch.session_id.get()) return id;
  const Session* session = dispatch.session.get();
  return session != nullptr ? session->id.get() : nullptr;
}
/// Deleted: the result would point into a temporary Dispatch.
const std::string* session_id(Dispatch&&) = delete;

/// `contact.name`; nullptr when absent or null. Valid while `dispatch` lives.
inline const std::string* contact_name(const Dispatch& dispatch) noexcept {
  const Contact* contact = dispatch.contact.get();
  return contact != nullptr ? contact->name.get() : nullptr;
}
/// Deleted: the result would point into a temporary Dispatch.
const std::string* contact_name(Dispatch&&) = delete;

/// `contact.phonenumber` as Flw writes it, "+55|1199999999" (parse_phone() in
/// chathooks/flw/phone.hpp splits it and gives the E.164 form); nullptr when absent or null.
/// Valid while `dispatch` lives.
inline const std::string* contact_phone(const Dispatch& dispatch) noexcept {
  const Contact* contact = dispatch.contact.get();
  return contact != nullptr ? contact->phonenumber.get() : nullptr;
}
/// Deleted: the result would point into a temporary Dispatch.
const std::string* contact_phone(Dispatch&&) = delete;

/// `contact.email`; nullptr when absent or null. Valid while `dispatch` lives.
inline const std::string* contact_email(const Dispatch& dispatch) noexcept {
  const Contact* contact = dispatch.contact.get();
  return contact != nullptr ? contact->email.get() : nullptr;
}
/// Deleted: the result would point into a temporary Dispatch.
const std::string* contact_email(Dispatch&&) = delete;

/// `contact.<slug>`: a contact custom field (Contact::custom_field(), e.g. "cnpj"), as JSON
/// (`->get_string()` for its text); nullptr when there is no contact or no such member. A
/// null custom field is a Json holding null. Valid while `dispatch` lives.
inline const Json* custom_field(const Dispatch& dispatch, std::string_view slug) noexcept {
  const Contact* contact = dispatch.contact.get();
  return contact != nullptr ? contact->custom_field(slug) : nullptr;
}
/// Deleted: the result would point into a temporary Dispatch.
const Json* custom_field(Dispatch&&, std::string_view) = delete;

/// `lastMessage.text`: the text of the contact's most recent message; nullptr when absent or
/// null (null for media messages: see last_message_file_url()). Valid while `dispatch` lives.
inline const std::string* last_message_text(const Dispatch& dispatch) noexcept {
  const LastMessage* last = dispatch.last_message.get();
  return last != nullptr ? last->text.get() : nullptr;
}
/// Deleted: the result would point into a temporary Dispatch.
const std::string* last_message_text(Dispatch&&) = delete;

/// `lastMessage.file.publicUrl`: where to download the contact's most recent message when it
/// is media; nullptr when absent or null. Valid while `dispatch` lives.
inline const std::string* last_message_file_url(const Dispatch& dispatch) noexcept {
  const LastMessage* last = dispatch.last_message.get();
  const File* file = last != nullptr ? last->file.get() : nullptr;
  return file != nullptr ? file->public_url.get() : nullptr;
}
/// Deleted: the result would point into a temporary Dispatch.
const std::string* last_message_file_url(Dispatch&&) = delete;

/// `questions.<question_id>.answer`: what the contact answered to that question of the flow;
/// nullptr when absent or null. Valid while `dispatch` lives.
inline const std::string* question_answer(const Dispatch& dispatch,
                                          std::string_view question_id) noexcept {
  const auto* questions = dispatch.questions.get();
  const Field<QuestionAnswer>* entry =
      questions != nullptr ? questions->find(question_id) : nullptr;
  const QuestionAnswer* qa = entry != nullptr ? entry->get() : nullptr;
  return qa != nullptr ? qa->answer.get() : nullptr;
}
/// Deleted: the result would point into a temporary Dispatch.
const std::string* question_answer(Dispatch&&, std::string_view) = delete;

/// `menus.<menu_id>.answer`: the option the contact chose in that menu of the flow; nullptr
/// when absent or null. Valid while `dispatch` lives.
inline const std::string* menu_answer(const Dispatch& dispatch, std::string_view menu_id) noexcept {
  const auto* menus = dispatch.menus.get();
  const Field<QuestionAnswer>* entry = menus != nullptr ? menus->find(menu_id) : nullptr;
  const QuestionAnswer* qa = entry != nullptr ? entry->get() : nullptr;
  return qa != nullptr ? qa->answer.get() : nullptr;
}
/// Deleted: the result would point into a temporary Dispatch.
const std::string* menu_answer(Dispatch&&, std::string_view) = delete;

}  // namespace chathooks::flw
