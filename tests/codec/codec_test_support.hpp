// Shared helpers of the codec tests: loading a test vector, comparing JSON semantically, editing
// a document at a JSON Pointer, listing every member of a document, and a uniform
// "decode then encode" entry point per payload so that one test can run over all protocols.
// Thread-safety: the functions are reentrant, but they use Catch2 assertions, which are not
// thread-safe: call them from the test's main thread only.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/error.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/json.hpp"
#include "json/pointer_token.hpp"

namespace codec_test {

/// The bytes of tests/data/<name>; fails the test when the file cannot be read.
inline std::string load_vector(std::string_view name) {
  const std::string path = std::string(CHATHOOKS_TEST_DATA_DIR) + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  INFO("test vector " << path);
  REQUIRE(in.good());
  std::ostringstream out;
  out << in.rdbuf();
  REQUIRE_FALSE(out.str().empty());
  return out.str();
}

/// `text` parsed as Json; fails the test when it is not JSON.
inline chathooks::Json parse_json(std::string_view text) {
  auto parsed = chathooks::Json::parse(text);
  INFO("JSON text: " << text);
  if (!parsed) FAIL("not JSON: " << parsed.error().to_string());
  return std::move(parsed).value();
}

/// tests/data/<name> parsed as Json.
inline chathooks::Json load_json(std::string_view name) { return parse_json(load_vector(name)); }

/// Asserts that two JSON texts are semantically equal (member order ignored, numbers by value).
inline void check_same_json(std::string_view expected, std::string_view actual) {
  INFO("expected: " << expected);
  INFO("actual:   " << actual);
  CHECK(parse_json(expected) == parse_json(actual));
}

/// The reference tokens of an RFC 6901 pointer, unescaped ("/a~1b/0" -> {"a/b", "0"}).
inline std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  REQUIRE(pointer.front() == '/');
  std::string current;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      tokens.push_back(current);
      current.clear();
    } else if (pointer[i] == '~' && i + 1 < pointer.size() && pointer[i + 1] == '0') {
      current += '~';
      ++i;
    } else if (pointer[i] == '~' && i + 1 < pointer.size() && pointer[i + 1] == '1') {
      current += '/';
      ++i;
    } else {
      current += pointer[i];
    }
  }
  return tokens;
}

/// The value at `pointer` inside `root`, for editing; fails the test when nothing is there.
inline chathooks::Json& at(chathooks::Json& root, std::string_view pointer) {
  chathooks::Json* current = &root;
  for (const std::string& token : pointer_tokens(pointer)) {
    INFO("pointer " << pointer << ", token " << token);
    chathooks::Json* next = nullptr;
    if (auto* array = current->get_array()) {
      const std::size_t index = std::stoul(token);
      if (index < array->size()) next = &(*array)[index];
    } else {
      next = current->find(token);
    }
    REQUIRE(next != nullptr);
    current = next;
  }
  return *current;
}

/// Replaces the value at `pointer` (which must exist) with `value`.
inline void set_at(chathooks::Json& root, std::string_view pointer, chathooks::Json value) {
  at(root, pointer) = std::move(value);
}

/// Removes the object member at `pointer` (which must exist).
inline void erase_at(chathooks::Json& root, std::string_view pointer) {
  std::vector<std::string> tokens = pointer_tokens(pointer);
  REQUIRE_FALSE(tokens.empty());
  const std::string last = tokens.back();
  const std::string parent_pointer(pointer.substr(0, pointer.rfind('/')));
  chathooks::JsonObject* parent = at(root, parent_pointer).get_object();
  REQUIRE(parent != nullptr);
  REQUIRE(parent->erase(last));
}

/// Every value below the root, as (pointer, value) in document order, parents first.
inline std::vector<std::pair<std::string, chathooks::Json>> all_members(
    const chathooks::Json& root) {
  std::vector<std::pair<std::string, chathooks::Json>> out;
  std::vector<std::pair<std::string, const chathooks::Json*>> todo{{"", &root}};
  while (!todo.empty()) {
    auto [pointer, value] = todo.back();
    todo.pop_back();
    if (!pointer.empty()) out.emplace_back(pointer, *value);
    std::vector<std::pair<std::string, const chathooks::Json*>> children;
    if (const auto* object = value->get_object()) {
      for (const auto& [key, child] : *object) {
        children.emplace_back(pointer + "/" + json_test::pointer_token(key), &child);
      }
    } else if (const auto* array = value->get_array()) {
      for (std::size_t i = 0; i < array->size(); ++i) {
        children.emplace_back(pointer + "/" + std::to_string(i), &(*array)[i]);
      }
    }
    for (auto it = children.rbegin(); it != children.rend(); ++it) todo.push_back(*it);
  }
  return out;
}

/// Whether `pointer` is `prefix` or below it.
inline bool is_under(std::string_view pointer, std::string_view prefix) {
  return pointer.size() >= prefix.size() && pointer.compare(0, prefix.size(), prefix) == 0 &&
         (pointer.size() == prefix.size() || pointer[prefix.size()] == '/');
}

/// Decodes `json` as one payload kind and encodes the result again.
using RoundTripFn = chathooks::Result<std::string> (*)(std::string_view json);

inline chathooks::Result<std::string> round_trip_flw_dispatch(std::string_view json) {
  auto decoded = chathooks::flw::decode_dispatch(json);
  if (!decoded) return decoded.error();
  return chathooks::flw::encode(*decoded);
}
inline chathooks::Result<std::string> round_trip_flw_response(std::string_view json) {
  auto decoded = chathooks::flw::decode_response(json);
  if (!decoded) return decoded.error();
  return chathooks::flw::encode(*decoded);
}
inline chathooks::Result<std::string> round_trip_boticario_event(std::string_view json) {
  auto decoded = chathooks::boticario::decode_event(json);
  if (!decoded) return decoded.error();
  return chathooks::boticario::encode(*decoded);
}
inline chathooks::Result<std::string> round_trip_cliengo_request(std::string_view json) {
  auto decoded = chathooks::cliengo::decode_memory(json);
  if (!decoded) return decoded.error();
  return chathooks::cliengo::encode(*decoded);
}
inline chathooks::Result<std::string> round_trip_cliengo_response(std::string_view json) {
  auto decoded = chathooks::cliengo::decode_response(json);
  if (!decoded) return decoded.error();
  return chathooks::cliengo::encode(*decoded);
}

/// One test vector and what it is.
struct VectorInfo {
  const char* file;
  RoundTripFn round_trip;
  /// Members typed as free-form JSON (Json, JsonObject, std::vector<Json>): their own JSON
  /// type is checked, anything goes below them.
  std::vector<std::string> free_form;
  /// Undocumented members the vector holds (kept in `extra`): anything goes, them included.
  std::vector<std::string> extras;
  /// Members typed as maps of structs (OrderedMap<T>): their entries are values, not Fields.
  std::vector<std::string> maps;
  /// Members of type Timestamp (their type errors say "RFC 3339 timestamp string").
  std::vector<std::string> timestamps;
};

/// Every file in tests/data, with its decoder.
inline const std::vector<VectorInfo>& all_vectors() {
  static const std::vector<VectorInfo> vectors = [] {
    std::vector<VectorInfo> out;
    auto add = [&out](const char* file, RoundTripFn round_trip) -> VectorInfo& {
      out.push_back(VectorInfo{file, round_trip, {}, {}, {}, {}});
      return out.back();
    };
    VectorInfo& dispatch = add("flw_dispatch.json", &round_trip_flw_dispatch);
    dispatch.free_form = {"/contact/metadata"};
    dispatch.extras = {"/contact/cnpj"};
    dispatch.maps = {"/questions", "/menus"};
    dispatch.timestamps = {"/session/createdAt", "/lastMessage/createdAt"};

    add("flw_response_simple.json", &round_trip_flw_response);
    VectorInfo& contact = add("flw_response_contact.json", &round_trip_flw_response);
    contact.free_form = {"/metadata", "/contact/metadata"};
    contact.extras = {"/contact/cnpj"};
    VectorInfo& messages = add("flw_response_messages.json", &round_trip_flw_response);
    messages.free_form = {"/messages/2/template/parameters"};

    add("boticario_message_event.json", &round_trip_boticario_event).timestamps = {
        "/clientData/timeLastMessage", "/message/createdAt", "/message/updatedAt"};
    for (const char* file : {"boticario_status_sent.json", "boticario_status_delivered.json",
                             "boticario_status_read.json"}) {
      add(file, &round_trip_boticario_event).timestamps = {"/message/createdAt",
                                                           "/message/updatedAt"};
    }

    VectorInfo& request = add("cliengo_request.json", &round_trip_cliengo_request);
    request.free_form = {"/collected_data/intent", "/collected_data/entities",
                         "/collected_data/custom"};
    request.timestamps = {"/last_interaction_date", "/creation_date", "/lead_post_date"};
    add("cliengo_response.json", &round_trip_cliengo_response).free_form = {"/custom"};
    return out;
  }();
  return vectors;
}

/// Whether the codec gives `pointer` no type of its own: it is below a free-form member, or is
/// (or is below) an undocumented member.
inline bool untyped(const VectorInfo& vector, std::string_view pointer) {
  for (const std::string& prefix : vector.free_form) {
    if (pointer != prefix && is_under(pointer, prefix)) return true;
  }
  for (const std::string& prefix : vector.extras) {
    if (is_under(pointer, prefix)) return true;
  }
  return false;
}

/// The error of a Result that must have failed.
template <class T>
chathooks::Error require_error(const chathooks::Result<T>& result) {
  REQUIRE_FALSE(result.ok());
  return result.error();
}

/// Asserts an error's code, pointer and message.
inline void check_error(const chathooks::Error& error, chathooks::Errc code,
                        std::string_view pointer, std::string_view message) {
  INFO("error: " << error.to_string() << " (" << chathooks::to_string(error.code()) << ")");
  CHECK(error.code() == code);
  CHECK(error.pointer() == pointer);
  CHECK(error.message() == message);
}

/// The value of a map entry that may be null or missing (questions and menus entries are
/// Fields): nullptr when missing, absent or null.
template <class T>
const T* value_of(const chathooks::Field<T>* entry) {
  return entry != nullptr ? entry->get() : nullptr;
}

}  // namespace codec_test
