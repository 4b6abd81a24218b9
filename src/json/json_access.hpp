// The parser's access to chathooks::Json's private representation: making a number that keeps
// its spelling, and reading a spelling's value. Private to the library.
// Thread-safety: stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "chathooks/json.hpp"

namespace chathooks {

struct JsonAccess {
  /// A number held as `text`, a valid JSON number that dump() writes unchanged.
  static Json spelled(std::string_view text);
  /// `json` becomes a copy of `text`, built in place (no temporary string to move).
  static void set_string(Json& json, std::string_view text) {
    json.v_.emplace<std::string>(text.data(), text.size());
  }
  /// `json` becomes an empty object, returned.
  static Json::Object& set_object(Json& json) { return json.v_.emplace<Json::Object>(); }
  /// `json` becomes an empty array, returned.
  static Json::Array& set_array(Json& json) { return json.v_.emplace<Json::Array>(); }
};

namespace detail {

/// The nearest double to `text`, a valid JSON number (in the "C" locale, whatever the host's).
double number_value(const std::string& text) noexcept;

}  // namespace detail
}  // namespace chathooks
