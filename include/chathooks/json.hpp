// chathooks::Json: a JSON value that loses nothing (null, bool, int64, uint64, double, string
// with NUL allowed, array, object keeping member order), with a bounded, validating parser and
// compact and pretty dumping. Payload members that the documents never mention are kept as Json.
// Thread-safety: a plain value type; concurrent reads of one value are safe, writes are not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/ordered_map.hpp"

namespace chathooks {

/// What the parser does when one object names the same member twice.
enum class DuplicateKeys {
  /// An Errc::duplicate_key error naming the member (the default: two parsers that disagree on
  /// which duplicate wins are a classic way around signature checks and validators).
  reject,
  /// The first occurrence is kept, later ones are dropped.
  first_wins,
  /// The last occurrence replaces the earlier one's value, at the earlier position.
  last_wins,
};

/// How the typed payload decoders (decode_dispatch(), decode_event(), ...) treat a known member
/// whose value has an unexpected type or format (`"flow": 5.0`, a timestamp without a zone, a
/// null inside an array of strings). Json::parse() has no expectations and ignores it.
enum class DecodeMode {
  /// The decode fails with the member's error (its code and JSON Pointer).
  strict,
  /// The member is kept as it came: its Field reports is_unreadable(), its raw value is in the
  /// struct's `extra.unreadable(name)` and is encoded unchanged, in its place, and a
  /// DecodeWarning names it. Malformed JSON, the limits, duplicate keys (when rejected) and a
  /// root that is not an object still fail the decode.
  tolerant,
};

/// A member a tolerant decode kept as it came (DecodeMode::tolerant).
struct DecodeWarning {
  /// RFC 6901 JSON Pointer of the value at fault ("/contact/tags/2").
  std::string pointer;
  /// What was wrong with it ("expected string, got null").
  std::string reason;
};

/// Limits and policies for parsing untrusted JSON. The defaults suit webhook payloads.
struct ParseOptions {
  /// Inputs larger than this are refused before parsing (Errc::too_large).
  std::size_t max_bytes = 16 * 1024 * 1024;
  /// Arrays and objects nested deeper than this are refused (Errc::too_deep). Parsing,
  /// dumping and destroying are iterative, so a larger limit costs heap, not stack; copying and
  /// comparing (operator==) a value recurse once per level.
  std::size_t max_depth = 128;
  /// Documents holding more values than this (scalars, arrays and objects, each counted once,
  /// the root included) are refused at the first value past it (Errc::too_large, with its
  /// JSON Pointer). Bounds the memory a small body can claim: each value becomes a C++ object
  /// of up to a few hundred bytes (a Flw message is 248), so without it a 1 MiB body of `{},`
  /// could take 90 MiB. 100,000 is far beyond any documented payload.
  std::size_t max_values = 100000;
  /// See DuplicateKeys.
  DuplicateKeys duplicate_keys = DuplicateKeys::reject;
  /// A leading UTF-8 byte order mark (EF BB BF) is skipped when true (RFC 8259 section 8.1
  /// lets parsers ignore it) and is a syntax error when false.
  bool allow_bom = true;
  /// See DecodeMode. Strict by default for the decode functions; receivers decode tolerantly
  /// (receiver::ReceiverOptions::parse_options).
  DecodeMode mode = DecodeMode::strict;
};

class Json;
struct JsonAccess;  // the parser's access to a Json's private representation (not public API)
/// A JSON object: members in their original order.
using JsonObject = OrderedMap<Json>;
/// A JSON array.
using JsonArray = std::vector<Json>;

/// A JSON value; see the header comment. Build one from C++ values (the constructors are
/// implicit, so a bool, number, string, Array or Object converts where a Json is expected), read
/// one without exceptions (is_*, get_*, find, at, at_pointer), parse untrusted text with parse()
/// and write it with dump().
class CHATHOOKS_API Json {
 public:
  /// Which alternative a Json holds, as type() returns it.
  enum class Type : std::uint8_t {
    null,     ///< `null`.
    boolean,  ///< `true` or `false`.
    int64,    ///< An integer that fits std::int64_t (every integer in that range is held so).
    uint64,   ///< An integer above INT64_MAX that fits std::uint64_t.
    double_,  ///< Any other number: written with a fraction or exponent, or beyond 64 bits.
    string,   ///< A UTF-8 string (the parser validates it; NUL allowed).
    array,    ///< An Array.
    object    ///< An Object (members in order).
  };
  /// The array representation: a std::vector of values.
  using Array = JsonArray;
  /// The object representation: members in their original order (OrderedMap).
  using Object = JsonObject;

  /// null.
  Json() noexcept = default;
  /// null.
  Json(std::nullptr_t) noexcept {}  // NOLINT implicit
  /// `true` or `false`.
  Json(bool b) noexcept : v_(b) {}  // NOLINT implicit
  /// Integers: non-negative values that fit int64 are stored as int64, larger ones as uint64,
  /// so that one number has one representation.
  template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool> &&
                                          !std::is_same_v<I, char>,
                                      int> = 0>
  Json(I i) noexcept {  // NOLINT implicit
    if constexpr (std::is_signed_v<I>) {
      v_ = static_cast<std::int64_t>(i);
    } else if (static_cast<std::uint64_t>(i) <=
               static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      v_ = static_cast<std::int64_t>(i);
    } else {
      v_ = static_cast<std::uint64_t>(i);
    }
  }
  /// A double, always held as Type::double_ (even 1.0). Non-finite values are allowed here
  /// but dump() writes them as null.
  Json(double d) noexcept : v_(d) {}  // NOLINT implicit
  /// A string, moved in. The bytes are not checked: a string that is not UTF-8 is dumped as it
  /// is (only the parser validates UTF-8).
  Json(std::string s) noexcept : v_(std::move(s)) {}  // NOLINT implicit
  /// A string, copied.
  Json(std::string_view s) : v_(std::string(s)) {}  // NOLINT implicit
  /// A string, copied from a NUL-terminated `s`, which must not be null.
  Json(const char* s) : v_(std::string(s)) {}  // NOLINT implicit
  /// An array, moved in.
  Json(Array a) noexcept : v_(std::move(a)) {}  // NOLINT implicit
  /// An object, moved in.
  Json(Object o) noexcept : v_(std::move(o)) {}  // NOLINT implicit

  /// A deep copy (recursive: one level of the call stack per level of nesting).
  Json(const Json&) = default;
  /// Takes the value over; the moved-from Json is valid but unspecified.
  Json(Json&&) noexcept = default;
  /// A deep copy (recursive, like the copy constructor).
  Json& operator=(const Json&) = default;
  /// Takes the value over.
  Json& operator=(Json&&) noexcept = default;
  /// Destroys nested values without deep recursion, whatever the depth.
  ~Json() {
    // Only an array or an object can hold children: the rest need no work of their own.
    if (v_.index() == kArrayIndex || v_.index() == kObjectIndex) destroy_children();
  }

  /// An empty array, `[]`, to fill with push_back().
  static Json array() { return Json(Array{}); }
  /// An empty object, `{}`, to fill with operator[].
  static Json object() { return Json(Object{}); }

  /// Parses untrusted JSON text. Numbers keep their spelling: dump() writes each as it came
  /// (`1.0`, `1E+2`, `-0`, `1e-400`, an integer beyond 64 bits), and number_text() returns it.
  /// Their value: integers that fit 64 bits are exact (Type::int64 or uint64); a fraction, an
  /// exponent or an integer beyond 64 bits is Type::double_, get_double() the nearest double.
  /// Numbers beyond the range of double are Errc::number_out_of_range; a number whose written
  /// exponent is large but whose value is in range (`0e400`) is read at its value. Errors carry a
  /// code, the byte offset for syntax errors and the JSON Pointer of the member at fault where
  /// there is one.
  static Result<Json> parse(std::string_view text, const ParseOptions& options = {});

  /// Compact JSON, UTF-8, no whitespace. Non-finite doubles (which JSON cannot express and the
  /// parser never produces) are written as null.
  std::string dump() const;
  /// Pretty JSON with `indent` spaces per level (a negative `indent` counts as 0).
  std::string dump(int indent) const;

  /// Which alternative is held (a number kept with its spelling reports the type of its value).
  Type type() const noexcept {
    return v_.index() < kSpelledIndex ? static_cast<Type>(v_.index()) : spelled_type();
  }
  /// A parsed number's spelling when dump() writes it as it came rather than from its value
  /// (a fraction or an exponent, `-0`, an integer beyond 64 bits); nullptr for every other
  /// value, integers as parsed included (their digits are their value).
  const std::string* number_text() const noexcept {
    const auto* spelled = std::get_if<Spelled>(&v_);
    return spelled != nullptr ? &spelled->text : nullptr;
  }
  /// Whether the value is `null`.
  bool is_null() const noexcept { return type() == Type::null; }
  /// Whether the value is `true` or `false`.
  bool is_bool() const noexcept { return type() == Type::boolean; }
  /// Whether the value is held as Type::int64.
  bool is_int64() const noexcept { return type() == Type::int64; }
  /// Whether the value is held as Type::uint64 (an integer above INT64_MAX).
  bool is_uint64() const noexcept { return type() == Type::uint64; }
  /// Whether the value is held as an integer (int64 or uint64); 1.0 is a double, not one.
  bool is_integer() const noexcept { return is_int64() || is_uint64(); }
  /// Whether the value is held as Type::double_.
  bool is_double() const noexcept { return type() == Type::double_; }
  /// Whether the value is any number (int64, uint64 or double).
  bool is_number() const noexcept { return is_integer() || is_double(); }
  /// Whether the value is a string.
  bool is_string() const noexcept { return type() == Type::string; }
  /// Whether the value is an array.
  bool is_array() const noexcept { return type() == Type::array; }
  /// Whether the value is an object.
  bool is_object() const noexcept { return type() == Type::object; }

  /// Typed access without exceptions: a pointer (or optional) that is empty on a type mismatch.
  /// Pointers stay valid until this value is modified or destroyed.
  const bool* get_bool() const noexcept { return std::get_if<bool>(&v_); }
  /// The string, or nullptr when the value is not a string.
  const std::string* get_string() const noexcept { return std::get_if<std::string>(&v_); }
  /// The string, writable, or nullptr when the value is not a string.
  std::string* get_string() noexcept { return std::get_if<std::string>(&v_); }
  /// The array, or nullptr when the value is not an array.
  const Array* get_array() const noexcept { return std::get_if<Array>(&v_); }
  /// The array, writable, or nullptr when the value is not an array.
  Array* get_array() noexcept { return std::get_if<Array>(&v_); }
  /// The object, or nullptr when the value is not an object.
  const Object* get_object() const noexcept { return std::get_if<Object>(&v_); }
  /// The object, writable, or nullptr when the value is not an object.
  Object* get_object() noexcept { return std::get_if<Object>(&v_); }
  /// The value as int64 when it is an integer that fits.
  std::optional<std::int64_t> get_int64() const noexcept;
  /// The value as uint64 when it is a non-negative integer.
  std::optional<std::uint64_t> get_uint64() const noexcept;
  /// The value as double when it is any number (integers may round).
  std::optional<double> get_double() const noexcept;

  /// Object member lookup (the first member named `key`, linear in the member count); nullptr
  /// when not an object or no such member.
  const Json* find(std::string_view key) const noexcept;
  /// Object member lookup, writable; nullptr when not an object or no such member.
  Json* find(std::string_view key) noexcept;
  /// Array element; nullptr when not an array or out of range.
  const Json* at(std::size_t index) const noexcept;
  /// RFC 6901 JSON Pointer lookup ("/contact/tags/0"); nullptr when nothing is there.
  const Json* at_pointer(std::string_view pointer) const noexcept;

  /// Object member access for building: a null value becomes an empty object first, a missing
  /// member is appended as null. Precondition: is_null() or is_object() (else BadJsonAccess).
  Json& operator[](std::string_view key);
  /// Appends to an array; a null value becomes an empty array first. Precondition: is_null()
  /// or is_array() (else BadJsonAccess).
  Json& push_back(Json value);

  /// Number of elements or members; 0 for scalars.
  std::size_t size() const noexcept;

  /// Structural equality. Objects compare as sets of members (order ignored); numbers compare
  /// by exact mathematical value, so the integer 1 and the double 1.0 are equal.
  friend CHATHOOKS_API bool operator==(const Json& a, const Json& b) noexcept;
  /// !(a == b).
  friend bool operator!=(const Json& a, const Json& b) noexcept { return !(a == b); }

 private:
  friend struct JsonAccess;
  // A number as the parser read it: a valid JSON number whose text dump() writes unchanged.
  struct Spelled {
    /// The number's text, as it came.
    std::string text;
  };
  // The alternatives in the order of Type: type() is the index, except for Spelled (last).
  using Storage = std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, double,
                               std::string, Array, Object, Spelled>;
  static constexpr std::size_t kArrayIndex = 6;
  static constexpr std::size_t kObjectIndex = 7;
  static constexpr std::size_t kSpelledIndex = 8;
  void destroy_children() noexcept;
  Type spelled_type() const noexcept;
  Storage v_;
};

/// Thrown only by Json::operator[] / push_back on a value of the wrong type: a caller bug.
class CHATHOOKS_API BadJsonAccess : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace chathooks
