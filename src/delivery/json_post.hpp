// What the three protocol clients share: the JSON POST they hand to the Deliverer, and the test
// for an answer body that says nothing. Private to the library.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "chathooks/error.hpp"
#include "chathooks/http/message.hpp"

namespace chathooks::delivery::detail {

/// A POST of `body` to `url` with `Content-Type: application/json` (and `Accept` to match).
http::HttpRequest json_post(std::string url, std::string body);

/// Whether `body` is empty or only JSON whitespace (space, tab, CR, LF): an answer without
/// content, which the Flw and Cliengo protocols give a meaning of its own.
bool is_blank(std::string_view body) noexcept;

/// The error for an answer whose status is not 2xx: the codes a Deliverer gives up with
/// (Errc::endpoint_gone for 410, Errc::http_status otherwise), so a host treats both alike.
Error status_error(int status);

}  // namespace chathooks::delivery::detail
