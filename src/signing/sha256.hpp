// SHA-256 of a byte string, for code that needs a fixed-size stand-in for text of any length
// (idempotency keys, constant-time comparison of tokens of different lengths).
// Private to the library. Thread-safety: a pure function.
#pragma once

#include <array>
#include <string_view>

namespace chathooks::signing::detail {

constexpr std::size_t kSha256Size = 32;

/// The SHA-256 digest of `bytes`.
std::array<unsigned char, kSha256Size> sha256(std::string_view bytes);

}  // namespace chathooks::signing::detail
