// Member names that all have the same std::hash<std::string> under libstdc++ (64-bit), for the
// hash-flooding tests and benchmark. libstdc++ hashes strings with an unkeyed MurmurHash2
// variant: per 8-byte block d, h = (h ^ f(d)) * m with f invertible. Flipping the top bit of
// f(d) flips only the top bit of h (m is odd), so the 16-byte blocks "xx" and "yy" with
// f(y) = f(x) ^ 2^63 leave h unchanged whatever the seed: n such slots give 2^n names of
// 16n bytes with one hash. x and y are ASCII (JSON-escaped where needed).
// Test-only. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace colliding_keys {

namespace detail {

constexpr std::uint64_t kMul = 0xc6a4a7935bd1e995ULL;

inline std::uint64_t inverse(std::uint64_t a) {
  std::uint64_t x = a;  // Newton's iteration: correct bits double each step.
  for (int i = 0; i < 6; ++i) x *= 2 - a * x;
  return x;
}
inline std::uint64_t shift_mix(std::uint64_t v) { return v ^ (v >> 47); }
inline std::uint64_t forward(std::uint64_t k) { return shift_mix(k * kMul) * kMul; }
// shift_mix with a shift of 47 >= 32 is its own inverse.
inline std::uint64_t backward(std::uint64_t d) {
  const std::uint64_t m = inverse(kMul);
  return shift_mix(d * m) * m;
}
inline bool ascii(std::uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    if (((v >> (8 * i)) & 0xFF) > 0x7F) return false;
  }
  return true;
}
inline std::string block(std::uint64_t v) {
  std::string out(8, '\0');
  std::memcpy(&out[0], &v, 8);  // Little-endian, as libstdc++ loads it on x86-64.
  return out;
}

}  // namespace detail

/// `1 << slots` distinct member names (raw bytes), all with the same libstdc++ std::hash.
inline std::vector<std::string> names(int slots) {
  std::mt19937_64 random(7);
  std::uint64_t x = 0;
  std::uint64_t y = 0;
  do {
    x = 0;
    for (int i = 0; i < 8; ++i) x |= (random() % 128) << (8 * i);
    y = detail::backward(detail::forward(x) ^ (std::uint64_t{1} << 63));
  } while (!detail::ascii(y));
  const std::string a = detail::block(x) + detail::block(x);
  const std::string b = detail::block(y) + detail::block(y);
  std::vector<std::string> out;
  const std::size_t count = std::size_t{1} << slots;
  out.reserve(count);
  for (std::size_t k = 0; k < count; ++k) {
    std::string name;
    for (int s = 0; s < slots; ++s) name += ((k >> s) & 1) != 0 ? b : a;
    out.push_back(std::move(name));
  }
  return out;
}

/// `name` as a JSON string literal, quotes included.
inline std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || c == '"' || c == '\\') {
      char escape[8];
      std::snprintf(escape, sizeof(escape), "\\u%04x", u);
      out += escape;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// A JSON object with one member per name, valued by its index, plus `tail` (", ..." members)
/// before the closing brace.
inline std::string object(const std::vector<std::string>& keys, const std::string& tail = "") {
  std::string out = "{";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) out += ',';
    out += quoted(keys[i]) + ":" + std::to_string(i);
  }
  return out + tail + "}";
}

}  // namespace colliding_keys
