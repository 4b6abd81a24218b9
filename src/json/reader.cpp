// The tokenizer's out-of-line parts: strings with escapes or non-ASCII bytes, and numbers.
#include "json/reader.hpp"

#include "json/utf8.hpp"

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

const char* Reader::skip_utf8(const char* p, Result& failure) const noexcept {
  const std::size_t length = utf8_sequence_length(p, end_);
  if (length == 0) {
    failure = error(rapidjson::kParseErrorStringInvalidEncoding, p);
    return nullptr;
  }
  return p + length;
}

const char* Reader::read_string_rest(const char* start, const char* p, std::string_view& out,
                                     bool& copied, Result& failure) {
  // Non-ASCII text stays a view of the input; only an escape or a control byte (or the end)
  // moves it to the buffer.
  while (p != end_ && static_cast<unsigned char>(*p) >= 0x80) {
    if ((p = skip_utf8(p, failure)) == nullptr) return nullptr;
    p = reader_scan::scan_plain(p, end_);
  }
  if (p != end_ && *p == '"') {
    out = std::string_view(start, static_cast<std::size_t>(p - start));
    copied = false;
    return p + 1;
  }
  copied = true;
  return unescape(start, p, out, failure);
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
    if (static_cast<unsigned char>(c) >= 0x80) {
      const char* sequence = p;
      if ((p = skip_utf8(p, failure)) == nullptr) return nullptr;
      p = reader_scan::scan_plain(p, end_);
      unescaped_.append(sequence, static_cast<std::size_t>(p - sequence));  // with the run after
      continue;
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
