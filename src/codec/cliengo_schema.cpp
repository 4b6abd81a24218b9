// The JSON mapping of the Cliengo fulfillment webhook's structs, written once.
#include "codec/schemas.hpp"
#include "json/schema.hpp"

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

const detail::StructInfo& struct_info(const Request*) {
  static const detail::MemberInfo members[] = {
      member<&Request::channel>("channel"),
      member<&Request::visitor_id>("visitorId"),
      member<&Request::website_id>("websiteId"),
      member<&Request::company_id>("companyId"),
      member<&Request::are_you_there>("are_you_there"),
      member<&Request::chat_log>("chat_log"),
      member<&Request::collected_data>("collected_data"),
      member<&Request::fired_triggers>("fired_triggers"),
      member<&Request::reactivated>("reactivated"),
      member<&Request::status>("status"),
      member<&Request::tags>("tags"),
      member<&Request::visitor_data>("visitorData"),
      member<&Request::visitor_status>("visitor_status"),
      member<&Request::conversation_id>("conversationId"),
      member<&Request::soft_disable>("softDisable"),
      member<&Request::chatbot_name>("chatbotName"),
      member<&Request::flow>("flow"),
      member<&Request::last_interaction_date>("last_interaction_date"),
      member<&Request::creation_date>("creation_date"),
      member<&Request::lead_post_date>("lead_post_date"),
  };
  static const detail::StructInfo info = detail::describe<Request>(members);
  return info;
}

const detail::StructInfo& struct_info(const Reply*) {
  static const detail::MemberInfo members[] = {
      member<&Reply::text>("text"),
      member<&Reply::response_type>("response_type"),
      member<&Reply::response_options>("response_options"),
      member<&Reply::stop_chat>("stopChat"),
      member<&Reply::flow>("flow"),
  };
  static const detail::StructInfo info = detail::describe<Reply>(members);
  return info;
}

const detail::StructInfo& struct_info(const Response*) {
  static const detail::MemberInfo members[] = {
      member<&Response::name>("name"),         member<&Response::email>("email"),
      member<&Response::phone>("phone"),       member<&Response::custom>("custom"),
      member<&Response::response>("response"),
  };
  static const detail::StructInfo info = detail::describe<Response>(members);
  return info;
}

}  // namespace chathooks::cliengo
