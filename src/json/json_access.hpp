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
};

namespace detail {

/// The nearest double to `text`, a valid JSON number (in the "C" locale, whatever the host's).
double number_value(const std::string& text) noexcept;

}  // namespace detail
}  // namespace chathooks
