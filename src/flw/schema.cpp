// The JSON mapping of the Flw chatbot webhook's structs, written once.
#include "json/schema.hpp"
#include "json/schemas.hpp"

namespace chathooks::flw {

using detail::member;

const detail::StructInfo& struct_info(const Utm*) {
  static const detail::MemberInfo members[] = {
      member<&Utm::clid>("clid"),         member<&Utm::term>("term"),
      member<&Utm::medium>("medium"),     member<&Utm::source>("source"),
      member<&Utm::content>("content"),   member<&Utm::campaign>("campaign"),
      member<&Utm::headline>("headline"), member<&Utm::referral_url>("referralUrl"),
  };
  static const detail::StructInfo info = detail::describe<Utm>(members);
  return info;
}

const detail::StructInfo& struct_info(const Session*) {
  static const detail::MemberInfo members[] = {
      member<&Session::id>("id"),
      member<&Session::created_at>("createdAt"),
      member<&Session::department_id>("departmentId"),
      member<&Session::user_id>("userId"),
      member<&Session::number>("number"),
      member<&Session::utm>("utm"),
  };
  static const detail::StructInfo info = detail::describe<Session>(members);
  return info;
}

const detail::StructInfo& struct_info(const Channel*) {
  static const detail::MemberInfo members[] = {
      member<&Channel::id>("id"),
      member<&Channel::key>("key"),
      member<&Channel::platform>("platform"),
      member<&Channel::display_name>("displayName"),
  };
  static const detail::StructInfo info = detail::describe<Channel>(members);
  return info;
}

const detail::StructInfo& struct_info(const Contact*) {
  static const detail::MemberInfo members[] = {
      member<&Contact::id>("id"),
      member<&Contact::name>("name"),
      member<&Contact::phonenumber>("phonenumber"),
      member<&Contact::display_phonenumber>("display-phonenumber"),
      member<&Contact::email>("email"),
      member<&Contact::instagram>("instagram"),
      member<&Contact::tags>("tags"),
      member<&Contact::metadata>("metadata"),
  };
  static const detail::StructInfo info = detail::describe<Contact>(members);
  return info;
}

const detail::StructInfo& struct_info(const QuestionAnswer*) {
  static const detail::MemberInfo members[] = {
      member<&QuestionAnswer::text>("text"),
      member<&QuestionAnswer::answer>("answer"),
  };
  static const detail::StructInfo info = detail::describe<QuestionAnswer>(members);
  return info;
}

const detail::StructInfo& struct_info(const File*) {
  static const detail::MemberInfo members[] = {
      member<&File::public_url>("publicUrl"),
      member<&File::extension>("extension"),
      member<&File::mime_type>("mimeType"),
      member<&File::name>("name"),
      member<&File::size>("size"),
  };
  static const detail::StructInfo info = detail::describe<File>(members);
  return info;
}

const detail::StructInfo& struct_info(const LastMessage*) {
  static const detail::MemberInfo members[] = {
      member<&LastMessage::id>("id"),          member<&LastMessage::created_at>("createdAt"),
      member<&LastMessage::type>("type"),      member<&LastMessage::text>("text"),
      member<&LastMessage::file_id>("fileId"), member<&LastMessage::file>("file"),
  };
  static const detail::StructInfo info = detail::describe<LastMessage>(members);
  return info;
}

const detail::StructInfo& struct_info(const Dispatch*) {
  static const detail::MemberInfo members[] = {
      member<&Dispatch::response_keys>("responseKeys"),
      member<&Dispatch::session_id>("sessionId"),
      member<&Dispatch::session>("session"),
      member<&Dispatch::channel>("channel"),
      member<&Dispatch::contact>("contact"),
      member<&Dispatch::questions>("questions"),
      member<&Dispatch::menus>("menus"),
      member<&Dispatch::last_message>("lastMessage"),
  };
  static const detail::StructInfo info = detail::describe<Dispatch>(members);
  return info;
}

const detail::StructInfo& struct_info(const Template*) {
  static const detail::MemberInfo members[] = {
      member<&Template::id>("id"),
      member<&Template::parameters>("parameters"),
  };
  static const detail::StructInfo info = detail::describe<Template>(members);
  return info;
}

const detail::StructInfo& struct_info(const OutgoingMessage*) {
  static const detail::MemberInfo members[] = {
      member<&OutgoingMessage::text>("text"),
      member<&OutgoingMessage::file_url>("fileUrl"),
      member<&OutgoingMessage::message_template>("template"),
  };
  static const detail::StructInfo info = detail::describe<OutgoingMessage>(members);
  return info;
}

const detail::StructInfo& struct_info(const Response*) {
  static const detail::MemberInfo members[] = {
      member<&Response::branch>("response"),
      member<&Response::metadata>("metadata"),
      member<&Response::contact>("contact"),
      member<&Response::messages>("messages"),
  };
  static const detail::StructInfo info = detail::describe<Response>(members);
  return info;
}

}  // namespace chathooks::flw
