// The JSON mapping of the Grupo Boticario webhook's structs, written once.
#include "json/schema.hpp"
#include "json/schemas.hpp"

namespace chathooks::boticario {

using detail::member;

const detail::StructInfo& struct_info(const EventInfo*) {
  static const detail::MemberInfo members[] = {
      member<&EventInfo::message_id>("messageId"),
      member<&EventInfo::type>("type"),
      member<&EventInfo::status>("status"),
  };
  static const detail::StructInfo info = detail::describe<EventInfo>(members);
  return info;
}

const detail::StructInfo& struct_info(const ClientData*) {
  static const detail::MemberInfo members[] = {
      member<&ClientData::number>("number"),
      member<&ClientData::name>("name"),
      member<&ClientData::time_last_message>("timeLastMessage"),
  };
  static const detail::StructInfo info = detail::describe<ClientData>(members);
  return info;
}

const detail::StructInfo& struct_info(const MediaData*) {
  static const detail::MemberInfo members[] = {
      member<&MediaData::link>("link"),
      member<&MediaData::caption>("caption"),
      member<&MediaData::filename>("filename"),
  };
  static const detail::StructInfo info = detail::describe<MediaData>(members);
  return info;
}

const detail::StructInfo& struct_info(const Message*) {
  static const detail::MemberInfo members[] = {
      member<&Message::message_id>("messageId"),
      member<&Message::context_id>("contextId"),
      member<&Message::interactions_id>("interactionsId"),
      member<&Message::media_type>("mediaType"),
      member<&Message::text>("message"),
      member<&Message::media_data>("mediaData"),
      member<&Message::to>("to"),
      member<&Message::from>("from"),
      member<&Message::app_id>("appId"),
      member<&Message::status>("status"),
      member<&Message::created_at>("createdAt"),
      member<&Message::updated_at>("updatedAt"),
  };
  static const detail::StructInfo info = detail::describe<Message>(members);
  return info;
}

const detail::StructInfo& struct_info(const EventFields*) {
  static const detail::MemberInfo members[] = {
      member<&EventFields::event>("event"),
      member<&EventFields::client_data>("clientData"),
      member<&EventFields::message>("message"),
  };
  static const detail::StructInfo info = detail::describe<EventFields>(members);
  return info;
}

}  // namespace chathooks::boticario
