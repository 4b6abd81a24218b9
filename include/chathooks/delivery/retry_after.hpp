// Parsing of the HTTP `Retry-After` header (RFC 9110 section 10.2.3): a number of seconds or an
// HTTP-date, turned into how long to wait from a given instant. Sans-I/O: no clock is read, the
// caller passes "now".
// Thread-safety: a pure function; call it from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "chathooks/export.hpp"

namespace chathooks::delivery {

/// The largest wait parse_retry_after returns: 2^31 seconds, the value RFC 9111 section 1.2.2
/// tells recipients to use for a delta-seconds they cannot represent. Callers clamp further
/// (RetryPolicy::retry_after_cap).
inline constexpr std::chrono::milliseconds kMaxRetryAfter{2147483648LL * 1000};

/// How long `value` (a Retry-After field value) asks the client to wait, counted from `now`.
///
/// Accepts, with optional surrounding spaces and tabs:
/// - delta-seconds: one or more digits ("120"); more than 2^31 seconds gives kMaxRetryAfter;
/// - IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (the form senders must use);
/// - the two obsolete forms RFC 9110 section 5.6.7 says recipients must accept:
///   rfc850-date "Sunday, 06-Nov-94 08:49:37 GMT" (a two-digit year more than 50 years in the
///   future of `now` means the most recent past year with those digits) and asctime-date
///   "Sun Nov  6 08:49:37 1994".
/// Day and month names and "GMT" are matched ignoring case; the day of the week is not checked
/// against the date (senders get it wrong, and the date is what matters). The date itself is
/// checked (day within its month, leap years, hours 0-23, minutes 0-59, seconds 0-60).
///
/// A date in the past gives zero; a date in the future gives the wait rounded up to the next
/// millisecond (never early), at most kMaxRetryAfter. Anything else (empty, negative "-5",
/// fractional "1.5", trailing bytes, an impossible date) gives std::nullopt: the caller falls
/// back to its own backoff.
CHATHOOKS_API std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace chathooks::delivery
