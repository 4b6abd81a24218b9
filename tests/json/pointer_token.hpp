// An RFC 6901 reference token written out by the tests themselves ("~" -> "~0", "/" -> "~1"),
// so that the JSON Pointers the library reports are checked against an independent spelling.
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace json_test {

/// `key` as one reference token of a JSON Pointer, without the leading '/'.
inline std::string pointer_token(std::string_view key) {
  std::string token;
  for (const char c : key) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

}  // namespace json_test
