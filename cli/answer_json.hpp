// The JSON line `chathooks send flw-dispatch` prints for a Flw answer (docs/cli.md).
// Thread-safety: a pure function.
#pragma once

#include <string>

#include "chathooks/flw/answer.hpp"

namespace chathooks_cli {

/// One line of compact JSON, members in this order:
///   {"branch":"response_key","response":"CLIENTE_EXISTE","contact":{...},"metadata":{...},
///    "messages":[...]}
/// - `branch`: "main", "response_key" (a listed branch) or "unlisted_key";
/// - `response`: the branch key, or null for the main flow;
/// - `contact`, `metadata`: only when the answer had them (null when they were null), as the
///   Flw codec encodes them (unknown members kept; a value the tolerant decode could not read
///   as it came);
/// - `messages`: always, possibly [] (also when the answer's `messages` was not an array).
/// The answer's warnings are not in the line: `send` prints them on stderr.
std::string answer_json(const chathooks::flw::Answer& answer);

}  // namespace chathooks_cli
