// Decoding and encoding the Cliengo fulfillment webhook's payloads. Decode: bytes in, a typed
// value or an Error (code, message, JSON Pointer) out; nothing is lost. Encode: compact JSON.
// With ParseOptions::mode DecodeMode::tolerant, a known member of an unexpected type or
// format is kept as it came and listed in `*warnings` (when not null; a decode that
// fails adds none); see DecodeMode.
// Thread-safety: free functions without shared state; safe from any number of threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chathooks/cliengo/memory.hpp"
#include "chathooks/cliengo/response.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/json.hpp"

namespace chathooks::cliengo {

/// Decodes the request (the chatbot memory Cliengo POSTs).
CHATHOOKS_API Result<Memory> decode_memory(std::string_view json, const ParseOptions& options = {},
                                           std::vector<DecodeWarning>* warnings = nullptr);
/// Decodes a response. An empty body means "override nothing"; this function wants JSON, so
/// callers that accept empty bodies check for them first (the client does).
CHATHOOKS_API Result<Response> decode_response(std::string_view json,
                                               const ParseOptions& options = {},
                                               std::vector<DecodeWarning>* warnings = nullptr);

/// Compact JSON of a request, unknown members kept (what the sending side POSTs).
CHATHOOKS_API std::string encode(const Memory& request);
/// Compact JSON of a response, unknown members kept; a Response with nothing set is `{}`.
CHATHOOKS_API std::string encode(const Response& response);

}  // namespace chathooks::cliengo
