// The StructInfo of every model struct (defined in <protocol>_schema.cpp). Declared in each
// struct's own namespace so that Codec<T> finds them by argument-dependent lookup.
// Private to the library. Thread-safety: the tables are immutable once built.
#pragma once

#include "chathooks/boticario/event.hpp"
#include "chathooks/cliengo/memory.hpp"
#include "chathooks/cliengo/response.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/flw/response.hpp"
#include "json/decoder.hpp"

namespace chathooks::flw {
const detail::StructInfo& struct_info(const Utm*);
const detail::StructInfo& struct_info(const Session*);
const detail::StructInfo& struct_info(const Channel*);
const detail::StructInfo& struct_info(const Contact*);
const detail::StructInfo& struct_info(const QuestionAnswer*);
const detail::StructInfo& struct_info(const File*);
const detail::StructInfo& struct_info(const LastMessage*);
const detail::StructInfo& struct_info(const Dispatch*);
const detail::StructInfo& struct_info(const Template*);
const detail::StructInfo& struct_info(const OutgoingMessage*);
const detail::StructInfo& struct_info(const Response*);
}  // namespace chathooks::flw

namespace chathooks::boticario {
const detail::StructInfo& struct_info(const EventInfo*);
const detail::StructInfo& struct_info(const ClientData*);
const detail::StructInfo& struct_info(const MediaData*);
const detail::StructInfo& struct_info(const Message*);
const detail::StructInfo& struct_info(const EventFields*);
}  // namespace chathooks::boticario

namespace chathooks::cliengo {
const detail::StructInfo& struct_info(const DetectedValue*);
const detail::StructInfo& struct_info(const Phone*);
const detail::StructInfo& struct_info(const AreYouThere*);
const detail::StructInfo& struct_info(const ChatLogEntry*);
const detail::StructInfo& struct_info(const CollectedData*);
const detail::StructInfo& struct_info(const VisitorData*);
const detail::StructInfo& struct_info(const FlowPosition*);
const detail::StructInfo& struct_info(const Memory*);
const detail::StructInfo& struct_info(const BotReply*);
const detail::StructInfo& struct_info(const Response*);
}  // namespace chathooks::cliengo
