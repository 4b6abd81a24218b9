// The payload kinds the chathooks program names on its command line (`flw-dispatch`, ...) and
// the one place that maps each to the SDK's decoder and encoder.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/json.hpp"

namespace chathooks_cli {

/// One of the six payloads of the three protocols, as the command line names it (a Boticario
/// event covers both message and status events: `event.type` tells them apart).
enum class Kind { flw_dispatch, flw_response, boticario_event, cliengo_request, cliengo_response };

/// "flw-dispatch", "flw-response", "boticario-event", "cliengo-request", "cliengo-response", or
/// nullopt for anything else (matched exactly: scripts should not depend on lenient spellings).
std::optional<Kind> parse_kind(std::string_view name);

/// Whether `kind` is a payload a sender POSTs (flw-dispatch, boticario-event, cliengo-request),
/// as `send` and `outbox add` take, rather than an answer.
bool is_request_kind(Kind kind);

/// The command-line name of `kind`.
std::string_view kind_name(Kind kind);

/// Every kind's name, separated by ", ", for usage texts and error messages.
std::string kind_names();

/// Decodes `bytes` as `kind` into the SDK's typed model and encodes it again: compact JSON
/// semantically equal to the input, or the decoder's error (code, message, JSON Pointer). With
/// options.mode DecodeMode::tolerant, the members kept as they came are appended to `*warnings`
/// (when not null).
chathooks::Result<std::string> reencode(Kind kind, std::string_view bytes,
                                        const chathooks::ParseOptions& options = {},
                                        std::vector<chathooks::DecodeWarning>* warnings = nullptr);

}  // namespace chathooks_cli
