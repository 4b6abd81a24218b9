// What a receiver said when it refused a delivery, for the last line of `chathooks send`.
// Thread-safety: a pure function.
#pragma once

#include <string>

#include "chathooks/http/message.hpp"

namespace chathooks_cli {

/// The `detail` of an RFC 9457 problem+json body (or of any JSON object body with a string
/// `detail`); otherwise the first 200 bytes of a text body; empty when the body is empty or
/// binary. Always one line (control characters escaped).
std::string receiver_said(const chathooks::http::HttpResponse& response);

}  // namespace chathooks_cli
