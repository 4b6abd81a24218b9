// chathooks::Json: access, equality, parsing (through the shared Decoder) and dumping.
#include <cmath>
#include <limits>
#include <type_traits>
#include <variant>

#include "chathooks/json.hpp"
#include "json/codec_ops.hpp"
#include "json/decoder.hpp"
#include "json/json_access.hpp"
#include "json/writer.hpp"

namespace chathooks {
namespace {

// Exact comparison of an integer with a double: no rounding of either side.
bool int_equals_double(std::int64_t i, double d) {
  if (!std::isfinite(d) || std::trunc(d) != d) return false;
  // 2^63 is exactly representable; doubles in [-2^63, 2^63) convert to int64 exactly.
  if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) return false;
  return static_cast<std::int64_t>(d) == i;
}
bool uint_equals_double(std::uint64_t u, double d) {
  if (!std::isfinite(d) || std::trunc(d) != d) return false;
  if (d < 0 || d >= 18446744073709551616.0) return false;
  return static_cast<std::uint64_t>(d) == u;
}

// Each getter below reads the alternative that the is_* test before it says is held.
bool numbers_equal(const Json& a, const Json& b) {
  if (a.is_int64()) {
    const std::int64_t i = *a.get_int64();
    if (b.is_int64()) return i == *b.get_int64();
    if (b.is_uint64()) return i >= 0 && static_cast<std::uint64_t>(i) == *b.get_uint64();
    return int_equals_double(i, *b.get_double());
  }
  if (a.is_uint64()) {
    const std::uint64_t u = *a.get_uint64();
    if (b.is_uint64()) return u == *b.get_uint64();
    if (b.is_int64()) return numbers_equal(b, a);
    return uint_equals_double(u, *b.get_double());
  }
  if (b.is_double()) return *a.get_double() == *b.get_double();
  return numbers_equal(b, a);
}

// Nesting below which values are destroyed by the ordinary (recursive) destructors; deeper
// subtrees are taken apart iteratively.
constexpr int kRecursiveDestroyDepth = 256;
thread_local int g_destroy_depth = 0;

bool has_children(const Json& j) noexcept {
  const auto* a = j.get_array();
  if (a != nullptr) return !a->empty();
  const auto* o = j.get_object();
  return o != nullptr && !o->empty();
}

// Moves every child that has children of its own onto `work`, then drops the rest.
void detach_children(Json& j, std::vector<Json>& work) {
  if (auto* a = j.get_array()) {
    for (Json& child : *a)
      if (has_children(child)) work.push_back(std::move(child));
    a->clear();
  } else if (auto* o = j.get_object()) {
    for (auto& member : *o)
      if (has_children(member.second)) work.push_back(std::move(member.second));
    o->clear();
  }
}

}  // namespace

void Json::destroy_children() noexcept {
  static_assert(std::is_same_v<std::variant_alternative_t<kArrayIndex, Storage>, Array>);
  static_assert(std::is_same_v<std::variant_alternative_t<kObjectIndex, Storage>, Object>);
  if (!has_children(*this)) return;
  ++g_destroy_depth;
  if (g_destroy_depth < kRecursiveDestroyDepth) {
    // Children destroyed here, inside the body, so the depth count stays right.
    if (auto* a = get_array()) {
      a->clear();
    } else {
      get_object()->clear();
    }
  } else {
    std::vector<Json> work;
    detach_children(*this, work);
    while (!work.empty()) {
      Json next = std::move(work.back());
      work.pop_back();
      detach_children(next, work);
    }
  }
  --g_destroy_depth;
}

Json::Type Json::spelled_type() const noexcept {
  // Only "-0" is an integer kept with its spelling: every other integer that fits 64 bits is
  // held as its value, and one beyond 64 bits is a double.
  const std::string& text = std::get<Spelled>(v_).text;
  return text == "-0" ? Type::int64 : Type::double_;
}

Json JsonAccess::spelled(std::string_view text) {
  Json out;
  out.v_.emplace<Json::Spelled>(Json::Spelled{std::string(text)});
  return out;
}

Result<Json> Json::parse(std::string_view text, const ParseOptions& options) {
  Json out;
  auto done = detail::decode_into(text, options, &out, &detail::decode_json);
  if (!done) return done.error();
  return out;
}

std::string Json::dump() const {
  return detail::write_compact([&](detail::Writer& w) { detail::write_json(*this, w); });
}

std::string Json::dump(int indent) const {
  rapidjson::StringBuffer buffer;
  detail::PrettyWriter writer(buffer);
  writer.SetIndent(' ', indent < 0 ? 0u : static_cast<unsigned>(indent));
  detail::write_json(*this, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::optional<std::int64_t> Json::get_int64() const noexcept {
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return *i;
  if (std::holds_alternative<Spelled>(v_) && type() == Type::int64) return 0;  // "-0"
  // The constructors and the parser hold only values above INT64_MAX as uint64; the check is
  // kept so that the conversion stays right whatever makes one.
  if (const auto* u = std::get_if<std::uint64_t>(&v_)) {
    if (*u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(*u);
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> Json::get_uint64() const noexcept {
  if (const auto* u = std::get_if<std::uint64_t>(&v_)) return *u;
  if (const auto* i = std::get_if<std::int64_t>(&v_)) {
    if (*i >= 0) return static_cast<std::uint64_t>(*i);
  }
  if (std::holds_alternative<Spelled>(v_) && type() == Type::int64) return 0;  // "-0"
  return std::nullopt;
}

std::optional<double> Json::get_double() const noexcept {
  if (const auto* d = std::get_if<double>(&v_)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*i);
  if (const auto* u = std::get_if<std::uint64_t>(&v_)) return static_cast<double>(*u);
  if (const auto* spelled = std::get_if<Spelled>(&v_)) return detail::number_value(spelled->text);
  return std::nullopt;
}

const Json* Json::find(std::string_view key) const noexcept {
  const Object* object = get_object();
  return object != nullptr ? object->find(key) : nullptr;
}

Json* Json::find(std::string_view key) noexcept {
  Object* object = get_object();
  return object != nullptr ? object->find(key) : nullptr;
}

const Json* Json::at(std::size_t index) const noexcept {
  const Array* array = get_array();
  return array != nullptr && index < array->size() ? &(*array)[index] : nullptr;
}

const Json* Json::at_pointer(std::string_view pointer) const noexcept {
  if (pointer.empty()) return this;
  if (pointer.front() != '/') return nullptr;
  const Json* current = this;
  std::string token;
  std::size_t pos = 1;
  for (;;) {
    const std::size_t slash = pointer.find('/', pos);
    const std::string_view raw =
        pointer.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    token.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '~') {
        token += raw[i];
      } else if (i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
        token += raw[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        return nullptr;  // "~" not followed by 0 or 1 is not a valid pointer
      }
    }
    if (current->is_object()) {
      current = current->find(token);
    } else if (current->is_array()) {
      // Array indexes: decimal digits without leading zeros (RFC 6901 section 4).
      if (token.empty() || token.size() > 19 || (token.size() > 1 && token[0] == '0'))
        return nullptr;
      std::size_t index = 0;
      for (char c : token) {
        if (c < '0' || c > '9') return nullptr;
        index = index * 10 + static_cast<std::size_t>(c - '0');
      }
      current = current->at(index);
    } else {
      return nullptr;
    }
    if (current == nullptr || slash == std::string_view::npos) return current;
    pos = slash + 1;
  }
}

Json& Json::operator[](std::string_view key) {
  if (is_null()) v_.emplace<Object>();
  Object* object = get_object();
  if (object == nullptr) throw BadJsonAccess("chathooks::Json::operator[] on a non-object");
  return (*object)[key];
}

Json& Json::push_back(Json value) {
  if (is_null()) v_.emplace<Array>();
  Array* array = get_array();
  if (array == nullptr) throw BadJsonAccess("chathooks::Json::push_back on a non-array");
  return array->emplace_back(std::move(value));
}

std::size_t Json::size() const noexcept {
  if (const Array* array = get_array()) return array->size();
  if (const Object* object = get_object()) return object->size();
  return 0;
}

bool operator==(const Json& a, const Json& b) noexcept {
  if (a.is_number() && b.is_number()) return numbers_equal(a, b);
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::Type::null:
      return true;
    case Json::Type::boolean:
      return *a.get_bool() == *b.get_bool();
    case Json::Type::string:
      return *a.get_string() == *b.get_string();
    case Json::Type::array:
      return *a.get_array() == *b.get_array();
    case Json::Type::object:
      return *a.get_object() == *b.get_object();
    default:
      return false;  // numbers were handled above
  }
}

}  // namespace chathooks
