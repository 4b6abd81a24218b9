// Lowercase hex of bytes: digests and random tokens as text. Private.
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace chathooks::detail {

/// Two lowercase hex digits per byte of `bytes`, appended to `out`.
inline void append_hex(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + 2 * bytes.size());
  for (const char byte : bytes) {
    const auto b = static_cast<unsigned char>(byte);
    out += kHex[b >> 4];
    out += kHex[b & 0x0Fu];
  }
}

}  // namespace chathooks::detail
