// Reading the received `webhook-timestamp` and `webhook-signature` values strictly: both come
// from the network, so anything unexpected is refused or skipped, never guessed at.
// parse_timestamp is inline so that the tests reach it in a shared build.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "signing/key_material.hpp"

namespace chathooks::signing::detail {

/// The most digits a timestamp may have: 19 holds every positive 64-bit value.
inline constexpr std::size_t kMaxTimestampDigits = 19;

/// Seconds since the epoch from 1 to kMaxTimestampDigits ASCII digits (leading zeros allowed:
/// the text is signed as received), or nullopt for anything else: a sign, spaces, an exponent,
/// a fraction, an empty text, or a value beyond INT64_MAX.
inline std::optional<std::int64_t> parse_timestamp(std::string_view text) noexcept {
  if (text.empty() || text.size() > kMaxTimestampDigits) return std::nullopt;
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    if (value > (kMax - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

/// One usable signature of the header, decoded.
struct SignatureEntry {
  Scheme scheme = Scheme::v1;
  /// 32 bytes for v1, 64 for v1a.
  std::string bytes;
};

/// The header's entries, split on spaces and tabs.
struct ParsedSignatures {
  /// The usable entries: `v1,` or `v1a,` and strict base64 of the right length.
  std::vector<SignatureEntry> usable;
  /// Every non-empty entry, usable or not.
  std::size_t total = 0;
};

/// Splits and decodes a `webhook-signature` value. Entries of unknown versions and malformed
/// entries are counted in `total` but not kept. Stops reading after `max_entries` + 1 entries,
/// so that the work is bounded whatever the header holds.
ParsedSignatures parse_signature_header(std::string_view header, std::size_t max_entries);

}  // namespace chathooks::signing::detail
