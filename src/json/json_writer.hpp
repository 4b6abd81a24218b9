// The library's compact JSON writer: the very bytes RapidJSON's Writer<StringBuffer> writes with
// its default flags (the same escapes; numbers spelled by RapidJSON's own itoa and dtoa), into a
// growing buffer the writer owns, with strings scanned eight bytes at a time and member names
// known to need no escaping copied without a scan. Compact output only: Json::dump(indent)
// keeps RapidJSON's PrettyWriter. Header-only, so that tests reach it in a shared build too.
// Private to the library. Not thread-safe: one writer per thread (write_compact keeps one per
// thread).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

#include <rapidjson/internal/dtoa.h>
#include <rapidjson/internal/itoa.h>
#include <rapidjson/rapidjson.h>

namespace chathooks::detail {

namespace json_escape {

/// For each byte, what follows the backslash when it is escaped, 0 when it is written as it is:
/// RapidJSON's table (writer.h, WriteString). '/' and bytes from 0x7F up are not escaped, and
/// UTF-8 is not validated.
struct Table {
  char after_backslash[256];
};
constexpr Table make_table() {
  Table t{};
  for (int c = 0; c < 0x20; ++c) t.after_backslash[c] = 'u';  // \u00XX
  t.after_backslash[0x08] = 'b';
  t.after_backslash[0x09] = 't';
  t.after_backslash[0x0A] = 'n';
  t.after_backslash[0x0C] = 'f';
  t.after_backslash[0x0D] = 'r';
  t.after_backslash[0x22] = '"';
  t.after_backslash[0x5C] = '\\';
  return t;
}
inline constexpr Table kTable = make_table();

inline char after_backslash(char c) noexcept {
  return kTable.after_backslash[static_cast<unsigned char>(c)];
}

/// Whether any of the eight bytes of `x` needs escaping: below 0x20, '"' or '\\'. The classic
/// SWAR tests ((x - n) & ~x & 0x80.. for "a byte below n", on x ^ c for "a byte equal to c"):
/// a borrow can only mark bytes above a real hit, so "any" is exact, which is all it is asked.
inline bool any_needs_escape(std::uint64_t x) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101u;
  constexpr std::uint64_t kHigh = 0x8080808080808080u;
  const std::uint64_t quote = x ^ (kOnes * 0x22u);
  const std::uint64_t backslash = x ^ (kOnes * 0x5Cu);
  const std::uint64_t marked =
      ((x - kOnes * 0x20u) & ~x) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
  return (marked & kHigh) != 0;
}

/// The eight bytes at `p` (memcpy: no alignment needed, and no byte past them is read).
inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, sizeof x);
  return x;
}

/// The bytes from `p` to `end`, fewer than eight, in one word with other bytes that need no
/// escaping, read without a byte outside [begin, end) (`begin`: the string's start) and without
/// a variable-size memcpy, whose byte-wise stores the word's load would stall on.
inline std::uint64_t load_tail(const char* begin, const char* p, const char* end) noexcept {
  const auto n = static_cast<std::size_t>(end - p);
  if (end - begin >= 8) return load8(end - 8);  // again some bytes already checked
  if (n >= 4) {
    std::uint32_t head;
    std::uint32_t tail;
    std::memcpy(&head, p, 4);
    std::memcpy(&tail, end - 4, 4);
    return head | (std::uint64_t{tail} << 32);
  }
  std::uint64_t x = 0x6161616161616161u;  // "aaaaaaaa"
  if (n != 0) {
    x = (x << 24) | std::uint64_t{static_cast<unsigned char>(p[0])} |
        std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
        std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
  }
  return x;
}

/// Whether `s` is written as it is between quotes (what Writer::KnownKey requires).
inline bool is_plain(std::string_view s) noexcept {
  for (const char c : s)
    if (after_backslash(c) != 0) return false;
  return true;
}

}  // namespace json_escape

class Writer {
 public:
  /// A place in the output where a value may begin (see mark()).
  struct Mark {
    std::size_t size;
    bool comma;
  };

  Writer() = default;
  ~Writer() { std::free(begin_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  /// Empties the output for a new document; keeps the buffer.
  void Reset() noexcept {
    cur_ = begin_;
    comma_ = false;
  }
  std::string_view view() const noexcept {
    return begin_ == nullptr ? std::string_view() : std::string_view(begin_, size());
  }
  std::size_t size() const noexcept { return static_cast<std::size_t>(cur_ - begin_); }
  std::size_t capacity() const noexcept { return static_cast<std::size_t>(end_ - begin_); }
  /// Empties the output and gives the buffer back when it holds more than `limit` bytes.
  void ReleaseIfOver(std::size_t limit) noexcept {
    Reset();
    if (capacity() <= limit) return;
    std::free(begin_);
    begin_ = cur_ = end_ = nullptr;
  }

  /// The current place, to look at or take back the value written after it (rewind).
  Mark mark() const noexcept { return {size(), comma_}; }
  std::string_view since(Mark m) const noexcept { return view().substr(m.size); }
  void rewind(Mark m) noexcept {
    cur_ = begin_ + m.size;
    comma_ = m.comma;
  }

  void Null() { put_value("null", 4); }
  void Bool(bool b) { b ? put_value("true", 4) : put_value("false", 5); }
  void Int64(std::int64_t i) {
    char* out = begin_value(20);  // "-9223372036854775808"
    cur_ = rapidjson::internal::i64toa(i, out);
  }
  void Uint64(std::uint64_t u) {
    char* out = begin_value(20);  // "18446744073709551615"
    cur_ = rapidjson::internal::u64toa(u, out);
  }
  /// RapidJSON's spelling (dtoa with its default 324 decimal places: 1.0, 1e100, 5e-324).
  /// JSON has no NaN or infinity: those are written as null.
  void Double(double d) {
    if (!std::isfinite(d)) return Null();
    char* out = begin_value(25);  // the buffer RapidJSON's own WriteDouble gives dtoa
    cur_ = rapidjson::internal::dtoa(d, out, 324);
  }
  void String(const char* s, std::size_t n) { cur_ = put_quoted(begin_value(n + 2), s, n, 0); }
  void Key(const char* s, std::size_t n) {
    char* out = put_quoted(begin_value(n + 3), s, n, 1);
    *out++ = ':';
    cur_ = out;
    comma_ = false;
  }
  /// A member name that needs no escaping (json_escape::is_plain), copied without a scan:
  /// MemberInfo names, which describe() checks.
  void KnownKey(std::string_view name) {
    char* out = begin_value(name.size() + 3);
    *out++ = '"';
    out = copy(out, name.data(), name.size());
    out[0] = '"';
    out[1] = ':';
    cur_ = out + 2;
    comma_ = false;
  }
  /// `json`, one valid JSON value, as it is. The type is RapidJSON's Writer's parameter, kept
  /// so that the same calls serve both writers.
  void RawValue(const char* json, std::size_t n, rapidjson::Type /*type*/) { put_value(json, n); }
  void StartObject() { open('{'); }
  void EndObject() { close('}'); }
  void StartArray() { open('['); }
  void EndArray() { close(']'); }

 private:
  // The writing functions work on a local cursor and store it back once: a store through a
  // char* may alias the members, which the compiler would otherwise load again after each one.
  void reserve(std::size_t n) {
    if (static_cast<std::size_t>(end_ - cur_) < n) grow(n);
  }
  void grow(std::size_t n) {
    const std::size_t used = size();
    std::size_t cap = capacity() * 2;
    if (cap < used + n) cap = used + n;
    if (cap < 256) cap = 256;
    auto* p = static_cast<char*>(std::realloc(begin_, cap));
    if (p == nullptr) throw std::bad_alloc();
    begin_ = p;
    cur_ = p + used;
    end_ = p + cap;
  }
  // Writes the separator a value or member name needs, with room for `n` more bytes after it;
  // returns where they go. Compact output needs no stack of levels: a comma goes before
  // anything that follows a value.
  char* begin_value(std::size_t n) {
    reserve(n + 1);
    const bool comma = comma_;
    comma_ = true;
    char* out = cur_;
    if (comma) *out++ = ',';
    return out;
  }
  void put_value(const char* s, std::size_t n) { cur_ = copy(begin_value(n), s, n); }
  void open(char c) {
    char* out = begin_value(1);
    *out++ = c;
    cur_ = out;
    comma_ = false;
  }
  void close(char c) {
    reserve(1);
    char* out = cur_;
    *out++ = c;
    cur_ = out;
    comma_ = true;
  }
  // Copies `n` bytes to `out`, where room for them is reserved; returns their end. Most pieces
  // are short names and values: two overlapping fixed-size copies cost less than a call to
  // memcpy.
  static char* copy(char* out, const char* s, std::size_t n) noexcept {
    if (n >= 8 && n <= 16) {
      const std::uint64_t head = json_escape::load8(s);
      const std::uint64_t tail = json_escape::load8(s + n - 8);
      std::memcpy(out, &head, 8);
      std::memcpy(out + n - 8, &tail, 8);
    } else if (n >= 4 && n < 8) {
      std::uint32_t head;
      std::uint32_t tail;
      std::memcpy(&head, s, 4);
      std::memcpy(&tail, s + n - 4, 4);
      std::memcpy(out, &head, 4);
      std::memcpy(out + n - 4, &tail, 4);
    } else if (n > 16) {
      std::memcpy(out, s, n);
    } else if (n != 0) {  // 1 to 3 bytes
      out[0] = s[0];
      out[n / 2] = s[n / 2];
      out[n - 1] = s[n - 1];
    }
    return out + n;
  }
  // Writes `s` between quotes, escaped, at `out`, where room for it unescaped, the quotes and
  // `after` more bytes is reserved; returns its end. Clean runs are found eight bytes at a time
  // and copied whole.
  char* put_quoted(char* out, const char* s, std::size_t n, std::size_t after) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    *out++ = '"';
    const char* p = s;
    const char* const end = s + n;
    const char* run = s;  // the clean bytes not copied yet begin here
    for (;;) {
      while (end - p >= 8 && !json_escape::any_needs_escape(json_escape::load8(p))) p += 8;
      if (end - p < 8 && !json_escape::any_needs_escape(json_escape::load_tail(s, p, end))) p = end;
      // A block with a byte to escape, or a tail with one: to that byte.
      while (p != end && json_escape::after_backslash(*p) == 0) ++p;
      out = copy(out, run, static_cast<std::size_t>(p - run));
      if (p == end) break;
      // Six bytes at most for this one, then the rest unescaped, the quote and `after`.
      cur_ = out;
      reserve(6 + static_cast<std::size_t>(end - p) + after);
      out = cur_;
      const char e = json_escape::after_backslash(*p);
      *out++ = '\\';
      *out++ = e;
      if (e == 'u') {
        const auto c = static_cast<unsigned char>(*p);
        *out++ = '0';
        *out++ = '0';
        *out++ = kHex[c >> 4];
        *out++ = kHex[c & 0xF];
      }
      run = ++p;
    }
    *out++ = '"';
    return out;
  }

  char* begin_ = nullptr;
  char* cur_ = nullptr;
  char* end_ = nullptr;
  bool comma_ = false;  // what comes next follows a value: a comma first
};

}  // namespace chathooks::detail
