// Whether a Content-Type names JSON, as a receiver accepts it. Private to the library.
// Thread-safety: a pure function.
#pragma once

#include <string_view>

namespace chathooks::receiver::detail {

/// True for `application/json` and `application/<anything>+json` (any case), with optional
/// parameters of which `charset`, if present, must be utf-8 (JSON is UTF-8, RFC 8259).
bool is_json_media_type(std::string_view content_type) noexcept;

}  // namespace chathooks::receiver::detail
