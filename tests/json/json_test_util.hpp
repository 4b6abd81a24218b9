// Helpers shared by the chathooks::Json tests: the library's names they use, ParseOptions with a
// duplicate-member policy, parse-or-fail wrappers, printing of Json and Errc in Catch2 messages,
// builders for deeply nested documents and a non-recursive teardown for values too deep to destroy
// recursively. Test-only; not thread-safe (Catch2 runs one test at a time).
#pragma once

#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/error.hpp"
#include "chathooks/json.hpp"

namespace Catch {
// Failed CHECKs print values as JSON and codes by name, not as "{?}".
template <>
struct StringMaker<chathooks::Json> {
  static std::string convert(const chathooks::Json& value) { return value.dump(); }
};
template <>
struct StringMaker<chathooks::Errc> {
  static std::string convert(chathooks::Errc code) {
    return std::string(chathooks::to_string(code));
  }
};
}  // namespace Catch

namespace json_test {

// The library's names the Json tests use: `using namespace json_test;` brings them in with the
// helpers below.
using chathooks::DuplicateKeys;
using chathooks::Errc;
using chathooks::Json;
using chathooks::ParseOptions;

/// ParseOptions with the duplicate-member policy `policy`, the rest default.
inline ParseOptions with(DuplicateKeys policy) {
  ParseOptions options;
  options.duplicate_keys = policy;
  return options;
}

/// Printable form of possibly binary input, for INFO messages.
inline std::string printable(std::string_view text, std::size_t limit = 120) {
  static const char* const hex = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7F) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > limit) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

/// Parses text that must be valid, failing the test with the error otherwise.
inline chathooks::Json parse_ok(std::string_view text,
                                const chathooks::ParseOptions& options = {}) {
  auto result = chathooks::Json::parse(text, options);
  INFO("input: " << printable(text));
  if (!result) FAIL_CHECK("parse failed: " << result.error().to_string());
  REQUIRE(result.ok());
  return std::move(result).value();
}

/// The error that parsing `text` must give.
inline chathooks::Error parse_error(std::string_view text,
                                    const chathooks::ParseOptions& options = {}) {
  auto result = chathooks::Json::parse(text, options);
  INFO("input: " << printable(text));
  if (result) FAIL_CHECK("parsed, but must fail: " << result.value().dump());
  REQUIRE_FALSE(result.ok());
  return result.error();
}

/// `depth` copies of `open`, then `middle`, then `depth` copies of `close`.
inline std::string nested(std::size_t depth, std::string_view open, std::string_view middle,
                          std::string_view close) {
  std::string out;
  out.reserve(depth * (open.size() + close.size()) + middle.size());
  for (std::size_t i = 0; i < depth; ++i) out += open;
  out += middle;
  for (std::size_t i = 0; i < depth; ++i) out += close;
  return out;
}

/// `count` copies of `token`.
inline std::string repeat(std::string_view token, std::size_t count) {
  std::string out;
  out.reserve(token.size() * count);
  for (std::size_t i = 0; i < count; ++i) out += token;
  return out;
}

/// Empties `root` level by level, so that a value nested deeper than the stack allows to
/// destroy recursively can be released. Json's destructor recurses (one or more stack frames
/// per level), which overflows an 8 MiB stack at about 11,000 levels in an unoptimised build.
inline void dismantle(chathooks::Json& root) {
  std::vector<chathooks::Json> pending;
  pending.push_back(std::move(root));
  root = chathooks::Json();
  while (!pending.empty()) {
    chathooks::Json current = std::move(pending.back());
    pending.pop_back();
    if (auto* array = current.get_array()) {
      for (auto& element : *array) pending.push_back(std::move(element));
      array->clear();
    } else if (auto* object = current.get_object()) {
      for (auto& member : *object) pending.push_back(std::move(member.second));
      object->clear();
    }
  }  // `current` holds only emptied containers when it is destroyed
}

/// The contents of a file under tests/data.
inline std::string read_test_data(const std::string& name) {
  std::ifstream in(std::string(CHATHOOKS_TEST_DATA_DIR) + "/" + name, std::ios::binary);
  INFO("test data file: " << name);
  REQUIRE(in.good());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The protocol examples copied into tests/data: realistic webhook payloads.
inline const std::vector<std::string>& vector_files() {
  static const std::vector<std::string> files = {
      "boticario_message_event.json",
      "boticario_status_delivered.json",
      "boticario_status_read.json",
      "boticario_status_sent.json",
      "cliengo_request.json",
      "cliengo_response.json",
      "flw_dispatch.json",
      "flw_response_contact.json",
      "flw_response_messages.json",
      "flw_response_simple.json",
  };
  return files;
}

}  // namespace json_test
