// The decoder's input scan (src/json/utf8.hpp) against a byte-by-byte reading of RFC 3629: the
// first invalid byte (and, for find_invalid_utf8_or_nul, the first NUL) at every position of
// texts of every length around the 16-byte blocks the scan reads, valid or not.
#include <cstddef>
#include <random>
#include <string>
#include <string_view>

#include "catch.hpp"
#include "json/utf8.hpp"

namespace {

// The length of the valid UTF-8 sequence at text[i], or 0: the RFC 3629 table, byte by byte.
std::size_t reference_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c == 0xE0) {
    length = 3;
    low = 0xA0;
  } else if (c == 0xED) {
    length = 3;
    high = 0x9F;
  } else if (c >= 0xE1 && c <= 0xEF) {
    length = 3;
  } else if (c == 0xF0) {
    length = 4;
    low = 0x90;
  } else if (c >= 0xF1 && c <= 0xF3) {
    length = 4;
  } else if (c == 0xF4) {
    length = 4;
    high = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

std::size_t reference_find(std::string_view text, bool stop_at_nul) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (stop_at_nul && text[i] == '\0') return i;
    const std::size_t length = reference_length(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

void check(const std::string& text) {
  INFO("text of " << text.size() << " bytes");
  CHECK(chathooks::detail::find_invalid_utf8(text) == reference_find(text, false));
  CHECK(chathooks::detail::find_invalid_utf8_or_nul(text) == reference_find(text, true));
}

}  // namespace

TEST_CASE("The UTF-8 scan finds one bad byte or NUL at every position of every length",
          "[json][utf8]") {
  // Bad bytes and NUL, alone and inside a valid multi-byte neighbourhood.
  const std::string fillers[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
  const std::string breakers[] = {
      std::string(1, '\0'), "\xFF",         "\x80",    "\xC3", "\xED\xA0\x80",
      "\xF4\x90\x80\x80",   "\xE0\x80\x80", "\xC0\xAF"};
  for (const std::string& filler : fillers) {
    for (std::size_t length = 0; length <= 40; ++length) {
      std::string base;
      while (base.size() < length) base += filler;
      check(base);
      for (const std::string& breaker : breakers) {
        for (std::size_t at = 0; at <= base.size(); ++at) {
          std::string text = base;
          text.insert(at, breaker);
          check(text);
        }
      }
    }
  }
}

TEST_CASE("The UTF-8 scan matches a byte-by-byte reading on random texts", "[json][utf8]") {
  std::mt19937 random(20261204);
  const std::string pieces[] = {
      "a",    " ",    "\"",   std::string(1, '\0'), "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
      "\x80", "\xBF", "\xC3", "\xE2\x82",           "\xF5",     "\xED\xBF\xBF"};
  std::uniform_int_distribution<std::size_t> piece(0, std::size(pieces) - 1);
  // Mostly ASCII, so that the 16-byte blocks are taken whole before a byte needs a look.
  std::uniform_int_distribution<int> ascii(0, 9);
  std::uniform_int_distribution<std::size_t> size(0, 80);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t target = size(random);
    while (text.size() < target) text += ascii(random) != 0 ? "x" : pieces[piece(random)];
    check(text);
  }
}
