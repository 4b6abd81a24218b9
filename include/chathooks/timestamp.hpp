// chathooks::Timestamp: an RFC 3339 date-time (the ISO 8601 profile used by the three webhook
// protocols) with an optional fraction of a second (nanosecond precision) and `Z` or a numeric
// offset. It keeps the original text, so that re-encoding a payload writes exactly the bytes that
// were received, and converts to std::chrono::system_clock.
// Thread-safety: an immutable value type.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"

namespace chathooks {

/// A date-time as text plus the instant it names (see the header comment). Made only by
/// parse(), from_time_point() and the default constructor, so that text and instant agree.
class CHATHOOKS_API Timestamp {
 public:
  /// The Unix epoch, written "1970-01-01T00:00:00Z".
  Timestamp() : text_("1970-01-01T00:00:00Z") {}

  /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`. `T` and `Z` may be lower case
  /// (RFC 3339 section 5.6); a space in place of `T` is accepted (RFC 3339 allows it, and
  /// JavaScript back ends often emit it). Years 0001 to 9999; days checked against the month,
  /// leap years included; offsets up to 23:59 either way (`-00:00` is the same as `Z`).
  /// The fraction may have any number of digits (at least one after the dot): the text keeps
  /// them all, nanoseconds() holds the first nine, the rest are dropped (truncated, not
  /// rounded). Second 60 (a leap second) is accepted on any minute and counts as second 59
  /// plus one, i.e. the same instant as second 00 of the next minute. Nothing else is
  /// accepted: no surrounding white space, no trailing bytes. Errors are Errc::invalid_value
  /// with the reason and, for syntax, the byte position ("expected 'T' at byte 10, got 'X'",
  /// "month 13 out of range (01 to 12)"); they carry no pointer and no offset() of their own,
  /// so a JSON decoder can add the member's pointer.
  static Result<Timestamp> parse(std::string_view text);

  /// The instant `tp` in UTC, written `YYYY-MM-DDTHH:MM:SS.fffZ` with `fractional_digits`
  /// digits (clamped to 0..9; 0 writes no dot). Sub-second digits past those are truncated
  /// toward the past (floor), also before 1970, and the value holds the instant its text says.
  /// Instants outside the years 0001 to 9999 (reachable only with clocks coarser than a
  /// nanosecond, e.g. libc++'s microseconds) are clamped to 0001-01-01T00:00:00Z or
  /// 9999-12-31T23:59:59.999999999Z (before truncation). Truncating within the last unit
  /// above time_point::min() gives an instant to_time_point() then refuses.
  static Timestamp from_time_point(std::chrono::system_clock::time_point tp,
                                   int fractional_digits = 3);

  /// The text as received (or as written by from_time_point).
  const std::string& text() const noexcept { return text_; }

  /// Seconds since 1970-01-01T00:00:00Z of the instant (the offset applied).
  std::int64_t unix_seconds() const noexcept { return seconds_; }
  /// Nanoseconds within that second, 0 to 999,999,999 (digits past the ninth are dropped).
  std::uint32_t nanoseconds() const noexcept { return nanos_; }
  /// The UTC offset written in the text, in minutes (0 for `Z`).
  int utc_offset_minutes() const noexcept { return offset_minutes_; }

  /// The instant on the system clock. Errc::invalid_value when it lies outside what
  /// system_clock::time_point can hold (on 64-bit nanosecond clocks: years 1678 to 2261).
  Result<std::chrono::system_clock::time_point> to_time_point() const;

  /// Same instant, whatever the text and offset.
  bool same_instant(const Timestamp& other) const noexcept {
    return seconds_ == other.seconds_ && nanos_ == other.nanos_;
  }

  /// Equal texts (what a lossless round trip needs). Use same_instant() to compare instants.
  friend bool operator==(const Timestamp& a, const Timestamp& b) { return a.text_ == b.text_; }
  /// !(a == b): the texts differ (the instants may still be the same).
  friend bool operator!=(const Timestamp& a, const Timestamp& b) { return !(a == b); }
  /// Orders by instant, then by text.
  friend bool operator<(const Timestamp& a, const Timestamp& b) {
    if (a.seconds_ != b.seconds_) return a.seconds_ < b.seconds_;
    if (a.nanos_ != b.nanos_) return a.nanos_ < b.nanos_;
    return a.text_ < b.text_;
  }

 private:
  // What parse() and from_time_point() build: the text and the instant, nothing made first.
  Timestamp(std::string_view text, std::int64_t seconds, std::uint32_t nanos, int offset_minutes)
      : text_(text), seconds_(seconds), nanos_(nanos), offset_minutes_(offset_minutes) {}

  std::string text_;
  std::int64_t seconds_ = 0;
  std::uint32_t nanos_ = 0;
  int offset_minutes_ = 0;
};

}  // namespace chathooks
