// The JSON tokenizer under the decoder: reads RFC 8259 text and calls a SAX handler with the
// same events, in the same order, as RapidJSON's Reader (StartObject, Key, String, RawNumber,
// Null, Bool, EndObject, StartArray, EndArray), and reports errors with RapidJSON's codes and
// byte offsets, so that messages and offsets stay what they were with RapidJSON's iterative
// in-situ reader. It is faster because it does less:
// - strings without escapes are handed over as views into the input, never copied; strings
//   with escapes are unescaped into one reused buffer;
// - strings are scanned sixteen bytes at a time for a quote, a backslash, a control byte or a
//   non-ASCII byte, and only their non-ASCII bytes are validated as UTF-8 (no separate pass
//   over the whole input);
// - numbers are checked for syntax and handed over as text (the handler converts them, as with
//   RapidJSON's kParseNumbersAsStringsFlag); whether a number fits a double is the handler's
//   call, not the tokenizer's;
// - no recursion: open containers are kept in a byte stack, so depth costs no call stack;
// - the cursor lives in a local variable, passed by value to helpers, so that it stays in a
//   register across the handler's calls.
// Strings are checked to be valid UTF-8 (kParseErrorStringInvalidEncoding at the first bad
// byte); any other byte that is not ASCII, and NUL anywhere, is a syntax error where it stands.
// A handler's string arguments are valid only during the call; their `copy` flag is true when
// the string was unescaped into the Reader's buffer (false: a view of the input, which holds no
// escape).
// Private to the library. Thread-safety: a Reader is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <rapidjson/error/error.h>

#if defined(__GNUC__)
#define CHATHOOKS_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define CHATHOOKS_ALWAYS_INLINE inline
#endif

namespace chathooks::detail {

namespace reader_scan {

CHATHOOKS_ALWAYS_INLINE bool is_space(char c) noexcept {
  // ' ', '\n', '\r' or '\t': one compare and a bit test instead of four compares.
  constexpr std::uint64_t kSpaces = (std::uint64_t{1} << ' ') | (std::uint64_t{1} << '\n') |
                                    (std::uint64_t{1} << '\r') | (std::uint64_t{1} << '\t');
  const auto u = static_cast<unsigned char>(c);
  return u <= ' ' && ((kSpaces >> u) & 1) != 0;
}

/// The first byte at or after `p` that is not JSON whitespace (or `end`); `*p` is whitespace.
CHATHOOKS_ALWAYS_INLINE const char* skip_space_run(const char* p, const char* end) noexcept {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // Runs are indentation: spaces, eight at a time. The first byte that is not a space is found
  // in the word already loaded (a shorter chain than SSE2's, which matters for runs this short);
  // a line break or a tab inside a run costs a trip around the loop.
  constexpr std::uint64_t kSpaces = 0x2020202020202020ULL;
  while (end - p >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    const std::uint64_t other = word ^ kSpaces;
    if (other == 0) {
      p += 8;
      continue;
    }
    const auto bit = static_cast<unsigned>(__builtin_ctzll(other));
    p += bit / 8;
    if (!is_space(static_cast<char>(word >> (bit & ~7u)))) return p;
    ++p;
  }
#endif
  while (p != end && is_space(*p)) ++p;
  return p;
}

/// The first byte at or after `p` that is '"', '\\', below 0x20 or above 0x7F (or `end`);
/// `closing` says whether it is a '"', known from the scan rather than read again (the read
/// would wait for the scan's result).
CHATHOOKS_ALWAYS_INLINE const char* scan_plain(const char* p, const char* end,
                                               bool& closing) noexcept {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control = _mm_set1_epi8(0x1F);
  while (end - p >= 16) {
    const __m128i s = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // s <= 0x1F (unsigned) exactly when max(s, 0x1F) == 0x1F; a non-ASCII byte flags itself
    // (its top bit is what the mask reads).
    const auto quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(s, quote)));
    const auto others = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(s, backslash),
                     _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(s, control), control), s))));
    if (const unsigned stops = quotes | others; stops != 0) {
      const auto at = static_cast<unsigned>(__builtin_ctz(stops));
      closing = ((quotes >> at) & 1) != 0;
      return p + at;
    }
    p += 16;
  }
#endif
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // Eight bytes at a time: a byte is flagged when it is '"', '\\', below 0x20 or above 0x7F.
  // The lowest flagged byte is exact (borrows only reach upward), which is the one looked for,
  // and so is its quote flag (a borrow into it would come from a lower quote).
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  while (end - p >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    const std::uint64_t quotes = word ^ (kOnes * '"');
    const std::uint64_t backslashes = word ^ (kOnes * '\\');
    const std::uint64_t quote_hits = ((quotes - kOnes) & ~quotes) & kHigh;
    const std::uint64_t hit = (quote_hits | ((backslashes - kOnes) & ~backslashes) |
                               ((word - kOnes * 0x20) & ~word) | word) &
                              kHigh;
    if (hit != 0) {
      const auto bit = static_cast<unsigned>(__builtin_ctzll(hit));
      closing = ((quote_hits >> bit) & 1) != 0;
      return p + bit / 8;
    }
    p += 8;
  }
#endif
  while (p != end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20 &&
         static_cast<unsigned char>(*p) < 0x80) {
    ++p;
  }
  closing = p != end && *p == '"';
  return p;
}

/// scan_plain() where the caller looks at the byte itself.
CHATHOOKS_ALWAYS_INLINE const char* scan_plain(const char* p, const char* end) noexcept {
  bool closing;
  return scan_plain(p, end, closing);
}

}  // namespace reader_scan

class Reader {
 public:
  struct Result {
    rapidjson::ParseErrorCode code = rapidjson::kParseErrorNone;
    std::size_t offset = 0;
    bool ok() const noexcept { return code == rapidjson::kParseErrorNone; }
  };

  /// Reads `text` into `handler`; stops at the first error or at a handler returning false
  /// (kParseErrorTermination, at the offset RapidJSON reports for that event).
  template <class Handler>
  Result parse(std::string_view text, Handler& handler);

  /// Frees buffers grown past what typical payloads need, so a huge one is not kept.
  void trim() {
    if (unescaped_.capacity() > 64 * 1024) std::string().swap(unescaped_);
    if (open_.capacity() > 4096) std::vector<Container>().swap(open_);
  }

 private:
  enum Container : std::uint8_t { kObject, kArray };

  // The rest of a string from `p` (where scan_plain stopped before a closing quote), its text
  // so far being [start, p): non-ASCII bytes are validated, and a string with an escape is
  // unescaped into unescaped_ (`copied` says so). Returns the position past the closing
  // quote, or nullptr with `failure` set.
  const char* read_string_rest(const char* start, const char* p, std::string_view& out,
                               bool& copied, Result& failure);
  // The same from a backslash or a control byte (or the end): always unescaped into
  // unescaped_.
  const char* unescape(const char* start, const char* p, std::string_view& out, Result& failure);
  // Past the valid UTF-8 sequence at `p` (a byte above 0x7F), or nullptr with `failure` set.
  const char* skip_utf8(const char* p, Result& failure) const noexcept;
  // Checks the number at `p`; returns the position past it, or nullptr with `failure` set.
  const char* read_number(const char* p, Result& failure) const noexcept;
  const char* read_hex4(const char* p, const char* escape, unsigned& codepoint,
                        Result& failure) const noexcept;

  Result error(rapidjson::ParseErrorCode code, const char* at) const noexcept {
    return Result{code, static_cast<std::size_t>(at - begin_)};
  }

  const char* begin_ = nullptr;
  const char* end_ = nullptr;
  std::string unescaped_;
  std::vector<Container> open_;
};

template <class Handler>
Reader::Result Reader::parse(std::string_view text, Handler& handler) {
  using namespace rapidjson;
  using reader_scan::is_space;
  begin_ = text.data();
  end_ = begin_ + text.size();
  const char* const end = end_;
  const char* p = begin_;
  open_.clear();
  Result failure;
  std::string_view token;
  bool unescaped = false;

  // Skips whitespace; compact JSON has none, which costs one test.
#define CHATHOOKS_SKIP_SPACE()                                              \
  if (p != end && is_space(*p)) {                                           \
    /* One blank (after ':' or ','); a longer run is a line break and an */ \
    /* indentation. */                                                      \
    ++p;                                                                    \
    if (p != end && is_space(*p)) p = reader_scan::skip_space_run(p, end);  \
  }
  // Reads the string at p (its opening quote) into `token`; `unescaped` says whether it was
  // (RapidJSON's `copy` argument: the text is in a buffer, not in the input).
#define CHATHOOKS_READ_STRING()                                                          \
  do {                                                                                   \
    const char* start = p + 1;                                                           \
    bool closing;                                                                        \
    p = reader_scan::scan_plain(start, end, closing);                                    \
    if (closing) {                                                                       \
      token = std::string_view(start, static_cast<std::size_t>(p - start));              \
      unescaped = false;                                                                 \
      ++p;                                                                               \
    } else if ((p = read_string_rest(start, p, token, unescaped, failure)) == nullptr) { \
      return failure;                                                                    \
    }                                                                                    \
  } while (false)
  // Matches the rest of a literal whose first letter is at p.
#define CHATHOOKS_READ_LITERAL(rest)                                      \
  do {                                                                    \
    ++p;                                                                  \
    for (const char* r = rest; *r != '\0'; ++r, ++p) {                    \
      if (p == end || *p != *r) return error(kParseErrorValueInvalid, p); \
    }                                                                     \
  } while (false)

  CHATHOOKS_SKIP_SPACE();
value:
  // p at the first byte of a value (whitespace skipped).
  if (p == end) return error(open_.empty() ? kParseErrorDocumentEmpty : kParseErrorValueInvalid, p);
  switch (*p) {
    case '"':
      CHATHOOKS_READ_STRING();
      if (!handler.String(token.data(), static_cast<unsigned>(token.size()), unescaped))
        return error(kParseErrorTermination, p);
      goto after_value;
    case '{':
      if (!handler.StartObject()) return error(kParseErrorTermination, p);
      ++p;
      CHATHOOKS_SKIP_SPACE();
      if (p != end && *p == '}') {
        if (!handler.EndObject(0)) return error(kParseErrorTermination, p);
        ++p;
        goto after_value;
      }
      open_.push_back(kObject);
      goto member;
    case '[':
      if (!handler.StartArray()) return error(kParseErrorTermination, p);
      ++p;
      CHATHOOKS_SKIP_SPACE();
      if (p != end && *p == ']') {
        if (!handler.EndArray(0)) return error(kParseErrorTermination, p);
        ++p;
        goto after_value;
      }
      open_.push_back(kArray);
      goto value;
    case 'n':
      CHATHOOKS_READ_LITERAL("ull");
      if (!handler.Null()) return error(kParseErrorTermination, p);
      goto after_value;
    case 't':
      CHATHOOKS_READ_LITERAL("rue");
      if (!handler.Bool(true)) return error(kParseErrorTermination, p);
      goto after_value;
    case 'f':
      CHATHOOKS_READ_LITERAL("alse");
      if (!handler.Bool(false)) return error(kParseErrorTermination, p);
      goto after_value;
    case ']':
    case '}':
    case ',':
    case ':':
      // Not a value: at the root RapidJSON calls the document empty.
      return error(open_.empty() ? kParseErrorDocumentEmpty : kParseErrorValueInvalid, p);
    default: {
      const char* start = p;
      if ((p = read_number(p, failure)) == nullptr) return failure;
      // RapidJSON reports a refused number at its start.
      if (!handler.RawNumber(start, static_cast<unsigned>(p - start), false))
        return error(kParseErrorTermination, start);
      goto after_value;
    }
  }

member:
  // p at what should be a member name (whitespace skipped).
  if (p == end || *p != '"') return error(kParseErrorObjectMissName, p);
  CHATHOOKS_READ_STRING();
  if (!handler.Key(token.data(), static_cast<unsigned>(token.size()), unescaped))
    return error(kParseErrorTermination, p);
  CHATHOOKS_SKIP_SPACE();
  if (p == end || *p != ':') return error(kParseErrorObjectMissColon, p);
  ++p;
  CHATHOOKS_SKIP_SPACE();
  goto value;

after_value:
  CHATHOOKS_SKIP_SPACE();
  if (open_.empty()) {
    if (p != end) return error(kParseErrorDocumentRootNotSingular, p);
    return Result{};
  }
  if (p != end && *p == ',') {
    ++p;
    CHATHOOKS_SKIP_SPACE();
    if (open_.back() == kObject) goto member;
    goto value;  // (no trailing comma: "[1,]" is a missing value there)
  }
  if (open_.back() == kObject) {
    if (p != end && *p == '}') {
      if (!handler.EndObject(0)) return error(kParseErrorTermination, p);
      ++p;
      open_.pop_back();
      goto after_value;
    }
    return error(kParseErrorObjectMissCommaOrCurlyBracket, p);
  }
  if (p != end && *p == ']') {
    if (!handler.EndArray(0)) return error(kParseErrorTermination, p);
    ++p;
    open_.pop_back();
    goto after_value;
  }
  return error(kParseErrorArrayMissCommaOrSquareBracket, p);
#undef CHATHOOKS_SKIP_SPACE
#undef CHATHOOKS_READ_STRING
#undef CHATHOOKS_READ_LITERAL
}

}  // namespace chathooks::detail

#undef CHATHOOKS_ALWAYS_INLINE
