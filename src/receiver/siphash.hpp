// SipHash-2-4 (Aumasson and Bernstein, 2012), a keyed hash for the idempotency store's index.
// Delivery keys come from the network, and from an unauthenticated sender when a host accepts
// those; with an unkeyed hash (std::hash) a sender could choose keys that all land in one
// bucket and make every lookup linear. With a random key per store it cannot.
// Inline so that the tests reach it in a shared-library build.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace chathooks::receiver::detail {

/// A 128-bit SipHash key as two little-endian 64-bit words.
struct SipKey {
  std::uint64_t k0 = 0;
  std::uint64_t k1 = 0;
};

namespace siphash_internal {

inline std::uint64_t rotl(std::uint64_t x, int b) noexcept { return (x << b) | (x >> (64 - b)); }

inline std::uint64_t load_le(const unsigned char* p, std::size_t n) noexcept {
  std::uint64_t word = 0;
  for (std::size_t i = 0; i < n; ++i) word |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return word;
}

struct State {
  std::uint64_t v0, v1, v2, v3;
  void round() noexcept {
    v0 += v1;
    v1 = rotl(v1, 13);
    v1 ^= v0;
    v0 = rotl(v0, 32);
    v2 += v3;
    v3 = rotl(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = rotl(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = rotl(v1, 17);
    v1 ^= v2;
    v2 = rotl(v2, 32);
  }
  void absorb(std::uint64_t m) noexcept {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
};

}  // namespace siphash_internal

/// SipHash-2-4 of `data` under `key`.
inline std::uint64_t siphash24(const SipKey& key, std::string_view data) noexcept {
  using siphash_internal::load_le;
  siphash_internal::State s{key.k0 ^ 0x736f6d6570736575ULL, key.k1 ^ 0x646f72616e646f6dULL,
                            key.k0 ^ 0x6c7967656e657261ULL, key.k1 ^ 0x7465646279746573ULL};
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const std::size_t whole = data.size() / 8 * 8;
  for (std::size_t i = 0; i < whole; i += 8) s.absorb(load_le(bytes + i, 8));
  const std::uint64_t last =
      (static_cast<std::uint64_t>(data.size()) << 56) | load_le(bytes + whole, data.size() - whole);
  s.absorb(last);
  s.v2 ^= 0xff;
  for (int i = 0; i < 4; ++i) s.round();
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

}  // namespace chathooks::receiver::detail
