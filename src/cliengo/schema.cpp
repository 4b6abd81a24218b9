// The JSON mapping of the Cliengo fulfillment webhook's structs, written once.
#include "json/schema.hpp"
#include "json/schemas.hpp"

namespace chathooks::cliengo {

using detail::member;

const detail::StructInfo& struct_info(const DetectedValue*) {
  static const detail::MemberInfo members[] = {
      member<&DetectedValue::value>("value"),
  };
  static const detail::StructInfo info = detail::describe<DetectedValue>(members);
  return info;
}

const detail::StructInfo& struct_info(const Phone*) {
  static const detail::MemberInfo members[] = {
      member<&Phone::national_format>("national_format"),
      member<&Phone::international_format>("international_format"),
  };
  static const detail::StructInfo info = detail::describe<Phone>(members);
  return info;
}

const detail::StructInfo& struct_info(const AreYouThere*) {
  static const detail::MemberInfo members[] = {
      member<&AreYouThere::index>("index"),
  };
  static const detail::StructInfo info = detail::describe<AreYouThere>(members);
  return info;
}

const detail::StructInfo& struct_info(const ChatLogEntry*) {
  static const detail::MemberInfo members[] = {
      member<&ChatLogEntry::sender>("sender"),
      member<&ChatLogEntry::text>("text"),
  };
  static const detail::StructInfo info = detail::describe<ChatLogEntry>(members);
  return info;
}

const detail::StructInfo& struct_info(const CollectedData*) {
  static const detail::MemberInfo members[] = {
      member<&CollectedData::intent>("intent"), member<&CollectedData::entities>("entities"),
      member<&CollectedData::custom>("custom"), member<&CollectedData::name>("name"),
      member<&CollectedData::email>("email"),   member<&CollectedData::phone>("phone"),
  };
  static const detail::StructInfo info = detail::describe<CollectedData>(members);
  return info;
}

const detail::StructInfo& struct_info(const VisitorData*) {
  static const detail::MemberInfo members[] = {
      member<&VisitorData::utms>("utms"),
      member<&VisitorData::url>("url"),
      member<&VisitorData::visitor_ip>("visitorIp"),
  };
  static const detail::StructInfo info = detail::describe<VisitorData>(members);
  return info;
}

const detail::StructInfo& struct_info(const FlowPosition*) {
  static const detail::MemberInfo members[] = {
      member<&FlowPosition::last_question_id>("last_question_id"),
      member<&FlowPosition::retry_count>("retry_count"),
  };
  static const detail::StructInfo info = detail::describe<FlowPosition>(members);
  return info;
}

const detail::StructInfo& struct_info(const Memory*) {
  static const detail::MemberInfo members[] = {
      member<&Memory::channel>("channel"),
      member<&Memory::visitor_id>("visitorId"),
      member<&Memory::website_id>("websiteId"),
      member<&Memory::company_id>("companyId"),
      member<&Memory::are_you_there>("are_you_there"),
      member<&Memory::chat_log>("chat_log"),
      member<&Memory::collected_data>("collected_data"),
      member<&Memory::fired_triggers>("fired_triggers"),
      member<&Memory::reactivated>("reactivated"),
      member<&Memory::status>("status"),
      member<&Memory::tags>("tags"),
      member<&Memory::visitor_data>("visitorData"),
      member<&Memory::visitor_status>("visitor_status"),
      member<&Memory::conversation_id>("conversationId"),
      member<&Memory::soft_disable>("softDisable"),
      member<&Memory::chatbot_name>("chatbotName"),
      member<&Memory::flow>("flow"),
      member<&Memory::last_interaction_date>("last_interaction_date"),
      member<&Memory::creation_date>("creation_date"),
      member<&Memory::lead_post_date>("lead_post_date"),
  };
  static const detail::StructInfo info = detail::describe<Memory>(members);
  return info;
}

const detail::StructInfo& struct_info(const BotReply*) {
  static const detail::MemberInfo members[] = {
      member<&BotReply::text>("text"),
      member<&BotReply::response_type>("response_type"),
      member<&BotReply::response_options>("response_options"),
      member<&BotReply::stop_chat>("stopChat"),
      member<&BotReply::flow>("flow"),
  };
  static const detail::StructInfo info = detail::describe<BotReply>(members);
  return info;
}

const detail::StructInfo& struct_info(const Response*) {
  static const detail::MemberInfo members[] = {
      member<&Response::name>("name"),      member<&Response::email>("email"),
      member<&Response::phone>("phone"),    member<&Response::custom>("custom"),
      member<&Response::reply>("response"),
  };
  static const detail::StructInfo info = detail::describe<Response>(members);
  return info;
}

}  // namespace chathooks::cliengo
