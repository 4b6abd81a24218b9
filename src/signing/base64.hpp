// Base64 (RFC 4648 section 4: standard alphabet, '=' padding) for keys and signatures. Decoding
// is strict, because it reads secrets and attacker-controlled signature headers: the length
// must be a multiple of four, padding only at the end, no whitespace or other characters, and
// the unused bits of the last character must be zero (one canonical text per byte string).
// Header-only so that the tests can reach it in a shared build, where it is not exported.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chathooks::signing::detail {

inline constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The base64 text of `bytes`, padded.
inline std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                            std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += kBase64Alphabet[(n >> 6) & 63];
    out += kBase64Alphabet[n & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t n = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (rest == 2) n |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out += kBase64Alphabet[(n >> 18) & 63];
    out += kBase64Alphabet[(n >> 12) & 63];
    out += rest == 2 ? kBase64Alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

/// The value of one base64 character, or -1 for anything outside the alphabet ('=' included).
inline int base64_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/// The bytes `text` encodes, or nullopt when it is not strict, canonical base64. The empty text
/// decodes to the empty string.
inline std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    const std::size_t data_chars = last ? 4 - padding : 4;
    std::uint32_t n = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      if (j < data_chars) {
        const int v = base64_value(text[i + j]);
        if (v < 0) return std::nullopt;
        n = (n << 6) | static_cast<std::uint32_t>(v);
      } else {
        // Only the trailing padding may be '='; base64_value rejects '=' anywhere else.
        n <<= 6;
      }
    }
    out += static_cast<char>((n >> 16) & 0xff);
    if (data_chars >= 3) out += static_cast<char>((n >> 8) & 0xff);
    if (data_chars == 4) out += static_cast<char>(n & 0xff);
    // Canonical form: the bits the padding leaves unused must be zero.
    if (data_chars == 2 && (n & 0xffff) != 0) return std::nullopt;
    if (data_chars == 3 && (n & 0xff) != 0) return std::nullopt;
  }
  return out;
}

}  // namespace chathooks::signing::detail
