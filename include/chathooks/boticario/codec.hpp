// Decoding and encoding the Grupo Boticario webhook's events. decode_event tells the events
// apart by `event.type`; a type that no document lists decodes to UnknownEvent with the whole
// payload. With ParseOptions::mode DecodeMode::tolerant, a known member of an unexpected type
// or format is kept as it came and listed in `*warnings` (when not null; a decode that
// fails adds none); see DecodeMode.
// Thread-safety: free functions without shared state; safe from any number of threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chathooks/boticario/event.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/json.hpp"

namespace chathooks::boticario {

/// Decodes one event. A missing or non-string `event.type` is an error (Errc::missing_member
/// or Errc::type_mismatch at /event/type): without it the payload cannot be classified.
CHATHOOKS_API Result<Event> decode_event(std::string_view json, const ParseOptions& options = {},
                                         std::vector<DecodeWarning>* warnings = nullptr);

/// Compact JSON of any event: a message or status event member by member (unknown members
/// kept), an UnknownEvent as its payload, whole.
CHATHOOKS_API std::string encode(const Event& event);
/// Compact JSON of a message or status event's members (MessageEvent and StatusEvent convert to
/// EventFields); the same bytes encode(const Event&) writes for them.
CHATHOOKS_API std::string encode(const EventFields& event);

}  // namespace chathooks::boticario
