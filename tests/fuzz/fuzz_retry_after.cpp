// Fuzz target: delivery::parse_retry_after. Checks that any wait returned is within
// [0, kMaxRetryAfter]; that surrounding spaces and tabs change nothing; that delta-seconds
// (digits only) give exactly that many seconds (capped) whatever "now" is; and that a value
// accepted at one instant is accepted at another (only the wait may differ).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "chathooks/delivery/retry_after.hpp"
#include "fuzz_support.hpp"

namespace {

using chathooks::delivery::kMaxRetryAfter;
using chathooks::delivery::parse_retry_after;
using std::chrono::milliseconds;
using std::chrono::system_clock;

// 2023-11-14T22:13:20Z, a date after which the seeds' dates fall and before which some do.
const system_clock::time_point kNow = system_clock::time_point(std::chrono::seconds(1700000000));

// The value of a digits-only text of seconds, capped at 2^31 (the parser's cap), or -1.
std::int64_t delta_seconds(std::string_view text) {
  if (text.empty()) return -1;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return -1;
    value = std::min<std::int64_t>(value * 10 + (c - '0'), std::int64_t{1} << 31);
  }
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = chathooks_fuzz::as_text(data, size);
  const auto wait = parse_retry_after(input, kNow);
  if (wait) {
    chathooks_fuzz::require(*wait >= milliseconds(0) && *wait <= kMaxRetryAfter,
                            "a wait outside [0, kMaxRetryAfter]", input);
  }

  const std::string padded = " \t" + std::string(input) + "\t ";
  const auto padded_wait = parse_retry_after(padded, kNow);
  chathooks_fuzz::require(padded_wait == wait, "surrounding whitespace changed the result", input);

  const auto epoch_wait = parse_retry_after(input, system_clock::time_point{});
  chathooks_fuzz::require(epoch_wait.has_value() == wait.has_value(),
                          "a value accepted at one instant is refused at another", input);

  if (const auto seconds = delta_seconds(input); seconds >= 0) {
    const milliseconds expected = std::chrono::seconds(seconds);
    chathooks_fuzz::require(wait == expected && epoch_wait == expected,
                            "delta-seconds not read as seconds", input);
  }
  return 0;
}
