// The tokenizer's out-of-line parts: strings with escapes, and numbers.
#include "json/reader.hpp"

namespace chathooks::detail {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

void append_utf8(std::string& out, unsigned codepoint) {
  // Every code point below 0x110000, surrogates included: a lone low surrogate ("\udc00") is
  // passed on as RapidJSON does, for the handler to refuse.
  if (codepoint < 0x80) {
    out += static_cast<char>(codepoint);
  } else if (codepoint < 0x800) {
    out += static_cast<char>(0xC0 | (codepoint >> 6));
    out += static_cast<char>(0x80 | (codepoint & 0x3F));
  } else if (codepoint < 0x10000) {
    out += static_cast<char>(0xE0 | (codepoint >> 12));
    out += static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (codepoint & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (codepoint >> 18));
    out += static_cast<char>(0x80 | ((codepoint >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (codepoint & 0x3F));
  }
}

}  // namespace

namespace reader_scan {

const char* skip_space_run(const char* p, const char* end) noexcept {
#ifdef __SSE2__
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i ret = _mm_set1_epi8('\r');
  const __m128i tab = _mm_set1_epi8('\t');
  while (end - p >= 16) {
    const __m128i s = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i blank =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(s, space), _mm_cmpeq_epi8(s, newline)),
                     _mm_or_si128(_mm_cmpeq_epi8(s, ret), _mm_cmpeq_epi8(s, tab)));
    const unsigned at = first_flagged(_mm_xor_si128(blank, _mm_set1_epi8(-1)));
    p += at;
    if (at < 16) return p;
  }
#endif
  while (p != end && is_space(*p)) ++p;
  return p;
}

}  // namespace reader_scan

const char* Reader::read_hex4(const char* p, const char* escape, unsigned& codepoint,
                              Result& failure) const noexcept {
  codepoint = 0;
  for (int i = 0; i < 4; ++i, ++p) {
    const char c = p == end_ ? '\0' : *p;
    unsigned digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else {
      failure = error(rapidjson::kParseErrorStringUnicodeEscapeInvalidHex, escape);
      return nullptr;
    }
    codepoint = codepoint << 4 | digit;
  }
  return p;
}

const char* Reader::unescape(const char* start, const char* p, std::string_view& out,
                             Result& failure) {
  // Errors are at the offsets RapidJSON gives: an escape's backslash, a control byte, the end.
  unescaped_.assign(start, static_cast<std::size_t>(p - start));
  for (;;) {
    if (p == end_) {
      failure = error(rapidjson::kParseErrorStringMissQuotationMark, p);
      return nullptr;
    }
    const char c = *p;
    if (c == '"') {
      out = unescaped_;
      return p + 1;
    }
    if (c != '\\') {  // a control byte: JSON strings must escape them
      failure = error(rapidjson::kParseErrorStringEscapeInvalid, p);
      return nullptr;
    }
    const char* escape = p++;
    const char e = p == end_ ? '\0' : *p;
    ++p;
    switch (e) {
      case '"':
      case '\\':
      case '/':
        unescaped_ += e;
        break;
      case 'b':
        unescaped_ += '\b';
        break;
      case 'f':
        unescaped_ += '\f';
        break;
      case 'n':
        unescaped_ += '\n';
        break;
      case 'r':
        unescaped_ += '\r';
        break;
      case 't':
        unescaped_ += '\t';
        break;
      case 'u': {
        unsigned codepoint;
        if ((p = read_hex4(p, escape, codepoint, failure)) == nullptr) return nullptr;
        if (codepoint >= 0xD800 && codepoint <= 0xDBFF) {
          // A high surrogate must be followed by an escaped low one.
          unsigned low;
          if (end_ - p < 2 || p[0] != '\\' || p[1] != 'u') {
            failure = error(rapidjson::kParseErrorStringUnicodeSurrogateInvalid, escape);
            return nullptr;
          }
          if ((p = read_hex4(p + 2, escape, low, failure)) == nullptr) return nullptr;
          if (low < 0xDC00 || low > 0xDFFF) {
            failure = error(rapidjson::kParseErrorStringUnicodeSurrogateInvalid, escape);
            return nullptr;
          }
          codepoint = (((codepoint - 0xD800) << 10) | (low - 0xDC00)) + 0x10000;
        }
        append_utf8(unescaped_, codepoint);
        break;
      }
      default:
        failure = error(rapidjson::kParseErrorStringEscapeInvalid, escape);
        return nullptr;
    }
    const char* run = p;
    p = reader_scan::scan_plain(p, end_);
    unescaped_.append(run, static_cast<std::size_t>(p - run));
  }
}

const char* Reader::read_number(const char* p, Result& failure) const noexcept {
  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  if (*p == '-') ++p;
  if (p == end_ || !is_digit(*p)) {
    failure = error(rapidjson::kParseErrorValueInvalid, p);
    return nullptr;
  }
  if (*p == '0') {
    ++p;
  } else {
    while (p != end_ && is_digit(*p)) ++p;
  }
  if (p != end_ && *p == '.') {
    ++p;
    if (p == end_ || !is_digit(*p)) {
      failure = error(rapidjson::kParseErrorNumberMissFraction, p);
      return nullptr;
    }
    while (p != end_ && is_digit(*p)) ++p;
  }
  if (p != end_ && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p != end_ && (*p == '+' || *p == '-')) ++p;
    if (p == end_ || !is_digit(*p)) {
      failure = error(rapidjson::kParseErrorNumberMissExponent, p);
      return nullptr;
    }
    while (p != end_ && is_digit(*p)) ++p;
  }
  return p;
}

}  // namespace chathooks::detail
