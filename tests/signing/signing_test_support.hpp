// Shared helpers of the signing tests.
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace chathooks_test {

/// The wall-clock time `unix_seconds` after the epoch, for Verifier's "now".
inline std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

/// The bytes a hexadecimal text spells; throws on a malformed text (a broken test).
inline std::string from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) throw std::invalid_argument("odd hex length");
  auto nibble = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    throw std::invalid_argument("bad hex digit");
  };
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    out += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
  }
  return out;
}

/// The reference vector of the Standard Webhooks specification and libraries, and a second
/// secret for rotation tests.
namespace reference {
inline constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
inline constexpr const char* kOtherSecret = "whsec_dGhpcyBpcyBhIHNlY29uZCBzZWNyZXQga2V5IQ==";
inline constexpr const char* kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
/// The timestamp, as a number (for Signer and the verifier's "now") and as the header's text.
inline constexpr std::int64_t kNow = 1614265330;
inline constexpr const char* kTimestamp = "1614265330";
inline constexpr const char* kBody = R"({"test": 2432232314})";
inline constexpr const char* kSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
}  // namespace reference

}  // namespace chathooks_test
