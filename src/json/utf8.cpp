// UTF-8 validation with a fast path over ASCII runs (SSE2 where available, 8-byte words
// elsewhere).
#include "json/utf8.hpp"

#include <cstdint>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace chathooks::detail {
namespace {

// Validates the multi-byte sequence whose lead byte is at s[i] (>= 0x80); returns its length,
// or 0 when it is not a valid sequence.
std::size_t sequence_length(const unsigned char* s, std::size_t i, std::size_t n) noexcept {
  const unsigned char c = s[i];
  std::size_t length;
  unsigned char low = 0x80;  // allowed range of the second byte
  unsigned char high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;   // overlong
    if (c == 0xED) high = 0x9F;  // UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;   // overlong
    if (c == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // continuation byte, C0/C1 overlong lead, or F5..FF
  }
  if (i + length > n) return 0;
  if (s[i + 1] < low || s[i + 1] > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (s[i + k] < 0x80 || s[i + k] > 0xBF) return 0;
  }
  return length;
}

// Bits set for the bytes of s[i, i + 16) that need a look: non-ASCII, and NUL when asked.
#ifdef __SSE2__
template <bool kStopAtNul>
unsigned flagged16(const unsigned char* p) noexcept {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  auto bits = static_cast<unsigned>(_mm_movemask_epi8(v));
  if (kStopAtNul) {
    bits |= static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())));
  }
  return bits;
}
#endif

// The offset of the first byte that does not start a valid UTF-8 sequence (or, with
// kStopAtNul, that is NUL), or npos.
template <bool kStopAtNul>
std::size_t find_stop(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  for (;;) {
#ifdef __SSE2__
    // Sixteen bytes at a time; the last (partial) block is read overlapping the one before,
    // with the bytes already checked masked off.
    unsigned bits = 0;
    while (i + 16 <= n && (bits = flagged16<kStopAtNul>(s + i)) == 0) i += 16;
    if (i + 16 > n) {
      if (n < 16) break;  // short texts: the byte loop below
      const std::size_t from = n - 16;
      bits = flagged16<kStopAtNul>(s + from) >> (i - from);
      if (bits == 0) return std::string_view::npos;
    }
    i += static_cast<std::size_t>(__builtin_ctz(bits));
#else
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    constexpr std::uint64_t kLowBits = 0x0101010101010101ULL;
    while (i + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, s + i, sizeof word);
      const std::uint64_t zero = kStopAtNul ? (word - kLowBits) & ~word & kHighBits : 0;
      if (((word & kHighBits) | zero) != 0) break;
      i += 8;
    }
    if (i >= n) return std::string_view::npos;
    if (s[i] < 0x80 && s[i] != 0) {
      ++i;
      continue;
    }
#endif
    if (s[i] == 0) {
      if (kStopAtNul) return i;
      ++i;
      continue;
    }
    const std::size_t length = sequence_length(s, i, n);
    if (length == 0) return i;
    i += length;
  }
  // Fewer than sixteen bytes in all.
  while (i < n) {
    const unsigned char c = s[i];
    if (c == 0 && kStopAtNul) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = sequence_length(s, i, n);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

}  // namespace

std::size_t utf8_sequence_length(const char* p, const char* end) noexcept {
  return sequence_length(reinterpret_cast<const unsigned char*>(p), 0,
                         static_cast<std::size_t>(end - p));
}

std::size_t find_invalid_utf8(std::string_view text) noexcept { return find_stop<false>(text); }

std::size_t find_invalid_utf8_or_nul(std::string_view text) noexcept {
  return find_stop<true>(text);
}

}  // namespace chathooks::detail
