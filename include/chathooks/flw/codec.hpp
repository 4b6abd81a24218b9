// Decoding and encoding the Flw chatbot webhook's payloads. Decode: bytes in, a typed value or
// an Error (code, message, JSON Pointer) out; nothing the payload holds is lost, unknown
// members included. Encode: compact JSON, semantically equal to what was decoded.
// With ParseOptions::mode DecodeMode::tolerant, a known member of an unexpected type or
// format is kept as it came and listed in `*warnings` (when not null; a decode that
// fails adds none); see DecodeMode.
// Thread-safety: free functions without shared state; safe from any number of threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/flw/dispatch.hpp"
#include "chathooks/flw/response.hpp"
#include "chathooks/json.hpp"

namespace chathooks::flw {

/// Decodes a dispatch (what the chatbot POSTs).
CHATHOOKS_API Result<Dispatch> decode_dispatch(std::string_view json,
                                               const ParseOptions& options = {},
                                               std::vector<DecodeWarning>* warnings = nullptr);
/// Decodes a response (what the customer's webhook answers). An empty body is not JSON: the
/// protocol gives it a meaning (the main success flow), which interpret_response() applies.
CHATHOOKS_API Result<Response> decode_response(std::string_view json,
                                               const ParseOptions& options = {},
                                               std::vector<DecodeWarning>* warnings = nullptr);

/// Compact JSON of a dispatch, unknown members kept (what the sending side POSTs).
CHATHOOKS_API std::string encode(const Dispatch& dispatch);
/// Compact JSON of a response, unknown members kept (what the receiving side answers).
CHATHOOKS_API std::string encode(const Response& response);

}  // namespace chathooks::flw
