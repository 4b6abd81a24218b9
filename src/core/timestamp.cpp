// Timestamp: a hand-written RFC 3339 parser (no regex, no locale, no global state) and the
// conversions between civil time and the system clock, with every overflow checked before it
// can happen.
#include "chathooks/timestamp.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <ratio>
#include <string>
#include <string_view>
#include <type_traits>

namespace chathooks {
namespace {

using Duration = std::chrono::system_clock::duration;
using Rep = Duration::rep;
using Period = Duration::period;

// The conversions below split a tick count into whole seconds and a remainder with integer
// arithmetic only, which needs a whole number of ticks per second, at most one per nanosecond.
// libstdc++ (ns), libc++ (us) and MSVC (100 ns) all qualify.
static_assert(std::is_integral_v<Rep> && std::is_signed_v<Rep>,
              "system_clock::rep must be a signed integer");
static_assert(Period::num == 1 && Period::den >= 1 && 1'000'000'000 % Period::den == 0,
              "system_clock must tick a whole number of times per second, dividing 1e9");

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::uint32_t kNanosPerSecond = 1'000'000'000;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
// Exact for any year an int64 can hold a day count of; here years are 1 to 9999.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);                 // [0, 399]
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146'097 + static_cast<std::int64_t>(doe) - 719'468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

// The inverse of days_from_civil (Howard Hinnant's civil_from_days).
constexpr CivilDate civil_from_days(std::int64_t z) noexcept {
  z += 719'468;
  const std::int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const auto doe = static_cast<unsigned>(z - era * 146'097);                    // [0, 146096]
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146'096) / 365;  // [0, 399]
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  // [0, 365]
  const unsigned mp = (5 * doy + 2) / 153;                       // [0, 11]
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;               // [1, 31]
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;                  // [1, 12]
  return CivilDate{m <= 2 ? y + 1 : y, m, d};
}

static_assert(days_from_civil(1970, 1, 1) == 0);
static_assert(days_from_civil(2000, 3, 1) == 11'017);
static_assert(days_from_civil(1, 1, 1) == -719'162);
static_assert(civil_from_days(-719'162).year == 1);
static_assert(civil_from_days(11'016).month == 2 && civil_from_days(11'016).day == 29);

constexpr bool is_leap_year(std::int64_t y) noexcept {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap_year(y) ? 29u : kDays[m - 1];
}

// The earliest and latest instants a Timestamp can write: years 0001 to 9999.
constexpr std::int64_t kMinUnixSeconds = days_from_civil(1, 1, 1) * kSecondsPerDay;
constexpr std::int64_t kMaxUnixSeconds = days_from_civil(10'000, 1, 1) * kSecondsPerDay - 1;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// How an error message names the byte found: printable ASCII quoted, anything else (control
// characters, NUL, UTF-8 lead bytes) in hex, so that the message stays printable ASCII whatever
// the input.
std::string describe_byte(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return "end of text";
  const auto byte = static_cast<unsigned char>(text[pos]);
  if (byte >= 0x20 && byte < 0x7F) return std::string("'") + static_cast<char>(byte) + "'";
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "byte 0x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0x0F];
  return out;
}

Error invalid(std::string message) { return Error(Errc::invalid_value, std::move(message)); }

Error expected(std::string_view what, std::string_view text, std::size_t pos) {
  std::string message = "expected ";
  message += what;
  message += " at byte ";
  message += std::to_string(pos);
  message += ", got ";
  message += describe_byte(text, pos);
  return invalid(std::move(message));
}

Error out_of_range(std::string_view what, unsigned value, std::string_view range) {
  std::string message(what);
  message += ' ';
  message += std::to_string(value);
  message += " out of range (";
  message += range;
  message += ')';
  return invalid(std::move(message));
}

// A cursor over the text that reads the fixed-width fields of RFC 3339. Each read returns
// false on a mismatch and keeps the error, which parse() then returns.
class Reader {
 public:
  explicit Reader(std::string_view text) noexcept : text_(text) {}

  std::size_t pos() const noexcept { return pos_; }
  bool at_end() const noexcept { return pos_ >= text_.size(); }
  char peek() const noexcept { return at_end() ? '\0' : text_[pos_]; }
  void skip() noexcept { ++pos_; }
  // The error is built only when asked for: a valid timestamp costs no message.
  Error error() const { return expected(failed_what_, text_, failed_at_); }

  // Reads exactly `width` decimal digits into `value`.
  bool digits(std::size_t width, unsigned& value) {
    value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      if (at_end() || !is_digit(text_[pos_])) return fail("digit");
      value = value * 10 + static_cast<unsigned>(text_[pos_] - '0');
      ++pos_;
    }
    return true;
  }

  // Moves to byte `pos` (read already, by read_usual_prefix()).
  void seek(std::size_t pos) noexcept { pos_ = pos; }

  // Reads `c`, named `name` in the error.
  bool literal(char c, std::string_view name) {
    if (at_end() || text_[pos_] != c) return fail(name);
    ++pos_;
    return true;
  }

  // Records "expected <what> at byte <pos>, got <byte>".
  bool fail(std::string_view what) noexcept {
    failed_what_ = what;
    failed_at_ = pos_;
    return false;
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::string_view failed_what_;  // static strings: what fail() expected, and where
  std::size_t failed_at_ = 0;
};

// The usual form of the first 19 bytes, "YYYY-MM-DDTHH:MM:SS" with every byte in place, read
// with one length check instead of one per byte; anything else is left to the byte-by-byte
// path, which also words the error.
bool read_usual_prefix(std::string_view t, unsigned (&fields)[6]) noexcept {
  if (t.size() < 19 || t[4] != '-' || t[7] != '-' || t[13] != ':' || t[16] != ':') return false;
  if (t[10] != 'T' && t[10] != 't' && t[10] != ' ') return false;
  static constexpr std::size_t kDigitAt[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
  for (const std::size_t i : kDigitAt)
    if (!is_digit(t[i])) return false;
  const auto digit = [&](std::size_t i) { return static_cast<unsigned>(t[i] - '0'); };
  fields[0] = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3);
  for (std::size_t f = 1; f < 6; ++f) fields[f] = digit(2 + 3 * f) * 10 + digit(3 + 3 * f);
  return true;
}

}  // namespace

Result<Timestamp> Timestamp::parse(std::string_view text) {
  if (text.empty()) return invalid("empty text, expected YYYY-MM-DDTHH:MM:SS");
  Reader in(text);

  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (unsigned usual[6]; read_usual_prefix(text, usual)) {
    year = usual[0];
    month = usual[1];
    day = usual[2];
    hour = usual[3];
    minute = usual[4];
    second = usual[5];
    in.seek(19);
  } else {
    if (!in.digits(4, year) || !in.literal('-', "'-'") || !in.digits(2, month) ||
        !in.literal('-', "'-'") || !in.digits(2, day)) {
      return in.error();
    }
    // RFC 3339 section 5.6 allows `t` and, by its NOTE, a space in place of `T`.
    if (in.peek() != 'T' && in.peek() != 't' && in.peek() != ' ') {
      in.fail("'T'");
      return in.error();
    }
    in.skip();
    if (!in.digits(2, hour) || !in.literal(':', "':'") || !in.digits(2, minute) ||
        !in.literal(':', "':'") || !in.digits(2, second)) {
      return in.error();
    }
  }

  // Fraction: any number of digits; the first nine give the nanoseconds, the rest are kept in
  // the text but cannot be represented, so they are dropped (truncation, never rounding, which
  // could carry into the seconds).
  std::uint32_t nanos = 0;
  const bool has_fraction = !in.at_end() && in.peek() == '.';
  if (has_fraction) {
    in.skip();
    if (in.at_end() || !is_digit(in.peek())) {
      in.fail("digit after '.'");
      return in.error();
    }
    std::uint32_t scale = kNanosPerSecond;
    while (!in.at_end() && is_digit(in.peek())) {
      if (scale > 1) {
        scale /= 10;
        nanos += static_cast<std::uint32_t>(in.peek() - '0') * scale;
      }
      in.skip();
    }
  }

  int offset_minutes = 0;
  unsigned offset_hour = 0;
  unsigned offset_minute = 0;
  const char zone = in.peek();
  if (!in.at_end() && (zone == 'Z' || zone == 'z')) {
    in.skip();
  } else if (!in.at_end() && (zone == '+' || zone == '-')) {
    in.skip();
    if (!in.digits(2, offset_hour) || !in.literal(':', "':'") || !in.digits(2, offset_minute)) {
      return in.error();
    }
    // -00:00 (RFC 3339: "offset unknown") denotes the same instant as Z.
    const int magnitude = static_cast<int>(offset_hour * 60 + offset_minute);
    offset_minutes = zone == '-' ? -magnitude : magnitude;
  } else {
    in.fail(has_fraction ? "'Z' or a +HH:MM/-HH:MM offset" : "'.', 'Z' or a +HH:MM/-HH:MM offset");
    return in.error();
  }
  if (!in.at_end()) {
    return invalid("unexpected " + describe_byte(text, in.pos()) + " at byte " +
                   std::to_string(in.pos()) + " after the UTC offset");
  }

  if (year < 1) return out_of_range("year", year, "0001 to 9999");
  if (month < 1 || month > 12) return out_of_range("month", month, "01 to 12");
  const unsigned month_days = days_in_month(year, month);
  if (day < 1 || day > month_days) {
    return invalid("day " + std::to_string(day) + " out of range (01 to " +
                   std::to_string(month_days) + " in " + std::string(text.substr(0, 7)) + ")");
  }
  if (hour > 23) return out_of_range("hour", hour, "00 to 23");
  if (minute > 59) return out_of_range("minute", minute, "00 to 59");
  if (second > 60) return out_of_range("second", second, "00 to 60");
  if (offset_hour > 23) return out_of_range("offset hours", offset_hour, "00 to 23");
  if (offset_minute > 59) return out_of_range("offset minutes", offset_minute, "00 to 59");

  // All terms are small (|result| < 2^39), so none of this can overflow.
  const std::int64_t seconds = days_from_civil(year, month, day) * kSecondsPerDay +
                               std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 +
                               std::int64_t{second} - std::int64_t{offset_minutes} * 60;

  return Timestamp(text, seconds, nanos, offset_minutes);
}

Timestamp Timestamp::from_time_point(std::chrono::system_clock::time_point tp,
                                     int fractional_digits) {
  const int digits = fractional_digits < 0 ? 0 : (fractional_digits > 9 ? 9 : fractional_digits);

  // Floor division of the tick count: the remainder of a time point before 1970 must count
  // forward from the previous whole second, and only ticks are multiplied or divided, so even
  // time_point::min() cannot overflow.
  constexpr Rep kTicksPerSecond = static_cast<Rep>(Period::den);
  const Rep ticks = tp.time_since_epoch().count();
  Rep whole = ticks / kTicksPerSecond;
  Rep rest = ticks % kTicksPerSecond;
  if (rest < 0) {
    rest += kTicksPerSecond;
    whole -= 1;
  }
  std::int64_t seconds = static_cast<std::int64_t>(whole);
  auto nanos = static_cast<std::uint32_t>(static_cast<std::int64_t>(rest) *
                                          (std::int64_t{kNanosPerSecond} / kTicksPerSecond));

  // Clocks coarser than a nanosecond reach far beyond the years 0001 to 9999 that the format
  // can write: such instants are clamped to the nearest one it can.
  if (seconds < kMinUnixSeconds) {
    seconds = kMinUnixSeconds;
    nanos = 0;
  } else if (seconds > kMaxUnixSeconds) {
    seconds = kMaxUnixSeconds;
    nanos = kNanosPerSecond - 1;
  }

  // Truncate to the digits written, so that the instant held is the one the text says.
  std::uint32_t unit = 1;
  for (int i = digits; i < 9; ++i) unit *= 10;
  nanos -= nanos % unit;

  std::int64_t days = seconds / kSecondsPerDay;
  std::int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    days -= 1;
  }
  const CivilDate date = civil_from_days(days);

  // "YYYY-MM-DDTHH:MM:SS" + "." + up to 9 digits + "Z".
  char buffer[32];
  std::size_t n = 0;
  const auto put = [&](std::int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      buffer[n + static_cast<std::size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    n += static_cast<std::size_t>(width);
  };
  put(date.year, 4);
  buffer[n++] = '-';
  put(date.month, 2);
  buffer[n++] = '-';
  put(date.day, 2);
  buffer[n++] = 'T';
  put(second_of_day / 3600, 2);
  buffer[n++] = ':';
  put(second_of_day / 60 % 60, 2);
  buffer[n++] = ':';
  put(second_of_day % 60, 2);
  if (digits > 0) {
    buffer[n++] = '.';
    put(nanos / unit, digits);
  }
  buffer[n++] = 'Z';

  return Timestamp(std::string_view(buffer, n), seconds, nanos, 0);
}

Result<std::chrono::system_clock::time_point> Timestamp::to_time_point() const {
  // The bounds on whole seconds are the tick limits divided (never multiplied) by the ticks
  // per second, rounded toward zero, so once the seconds lie within them, seconds * ticks
  // cannot overflow; the sub-second ticks are then added with their own check.
  constexpr Rep kTicksPerSecond = static_cast<Rep>(Period::den);
  constexpr Rep kMaxTicks = std::numeric_limits<Rep>::max();
  constexpr Rep kMinTicks = std::numeric_limits<Rep>::min();
  constexpr std::int64_t kMaxSeconds = static_cast<std::int64_t>(kMaxTicks / kTicksPerSecond);
  constexpr std::int64_t kMinSeconds = static_cast<std::int64_t>(kMinTicks / kTicksPerSecond);

  std::int64_t whole_seconds = seconds_;
  Rep fraction =
      static_cast<Rep>(nanos_ / (kNanosPerSecond / static_cast<std::uint32_t>(kTicksPerSecond)));
  // Below zero, count the fraction back from the next second: the earliest instants the clock
  // holds (time_point::min() is -9223372036.854775808 s on 64-bit nanosecond clocks) have a
  // whole second below kMinSeconds but lie above the limit.
  if (whole_seconds < 0 && fraction > 0) {
    whole_seconds += 1;
    fraction -= kTicksPerSecond;
  }
  const Error out_of_range =
      invalid("timestamp " + text_ + " is outside the range of system_clock");
  if (whole_seconds > kMaxSeconds || whole_seconds < kMinSeconds) return out_of_range;
  const Rep whole = static_cast<Rep>(whole_seconds) * kTicksPerSecond;
  if (fraction > 0 && whole > kMaxTicks - fraction) return out_of_range;
  if (fraction < 0 && whole < kMinTicks - fraction) return out_of_range;
  return std::chrono::system_clock::time_point(Duration(whole + fraction));
}

}  // namespace chathooks
