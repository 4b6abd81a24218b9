// parse_retry_after: delta-seconds and the three HTTP-date forms of RFC 9110 section 5.6.7.
#include <cstdint>

#include "chathooks/delivery/retry_after.hpp"

namespace chathooks::delivery {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

constexpr std::int64_t kMaxDeltaSeconds = 2147483648LL;  // 2^31, RFC 9111 section 1.2.2.

/// Reads the input left to right; every read either consumes what it expects or fails.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool at_end() const noexcept { return pos_ == text_.size(); }

  bool literal(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  /// Exactly `count` digits.
  bool digits(int count, int& out) {
    int value = 0;
    for (int i = 0; i < count; ++i) {
      if (pos_ >= text_.size() || !is_digit(text_[pos_])) return false;
      value = value * 10 + (text_[pos_++] - '0');
    }
    out = value;
    return true;
  }

  /// One of `names` (ASCII case-insensitive, the longest match), as its index.
  template <std::size_t N>
  bool name(const std::string_view (&names)[N], int& out) {
    std::size_t best_length = 0;
    for (std::size_t i = 0; i < N; ++i) {
      const auto candidate = names[i];
      if (candidate.size() <= best_length || text_.size() - pos_ < candidate.size()) continue;
      bool same = true;
      for (std::size_t j = 0; j < candidate.size() && same; ++j) {
        same = lower(text_[pos_ + j]) == lower(candidate[j]);
      }
      if (same) {
        best_length = candidate.size();
        out = static_cast<int>(i);
      }
    }
    pos_ += best_length;
    return best_length > 0;
  }

  static bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

 private:
  static char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

constexpr std::string_view kShortDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::string_view kLongDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                          "Friday", "Saturday", "Sunday"};
constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::string_view kGmt[] = {"GMT"};

struct Civil {
  int year = 0;
  int month = 0;  // 1-12
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

bool valid(const Civil& c) {
  return c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= days_in_month(c.year, c.month) &&
         c.hour <= 23 && c.minute <= 59 && c.second <= 60;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::int64_t unix_seconds(const Civil& c) {
  // A leap second (60) counts as the first second of the next minute.
  return days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 + c.second;
}

bool time_of_day(Cursor& in, Civil& c) {
  return in.digits(2, c.hour) && in.literal(':') && in.digits(2, c.minute) && in.literal(':') &&
         in.digits(2, c.second);
}

// IMF-fixdate, after "Sun,": " 06 Nov 1994 08:49:37 GMT".
bool imf_fixdate(Cursor& in, Civil& c) {
  int month = 0;
  int gmt = 0;
  if (!(in.literal(' ') && in.digits(2, c.day) && in.literal(' ') && in.name(kMonths, month) &&
        in.literal(' ') && in.digits(4, c.year) && in.literal(' ') && time_of_day(in, c) &&
        in.literal(' ') && in.name(kGmt, gmt))) {
    return false;
  }
  c.month = month + 1;
  return true;
}

// rfc850-date, after "Sunday,": " 06-Nov-94 08:49:37 GMT".
bool rfc850_date(Cursor& in, Civil& c, int current_year) {
  int month = 0;
  int gmt = 0;
  int two_digit_year = 0;
  if (!(in.literal(' ') && in.digits(2, c.day) && in.literal('-') && in.name(kMonths, month) &&
        in.literal('-') && in.digits(2, two_digit_year) && in.literal(' ') && time_of_day(in, c) &&
        in.literal(' ') && in.name(kGmt, gmt))) {
    return false;
  }
  c.month = month + 1;
  // RFC 9110 section 5.6.7: a year that appears more than 50 years in the future is the most
  // recent past year with the same last two digits.
  // So: the latest year ending in those digits that is at most 50 years ahead.
  int year = current_year - current_year % 100 + two_digit_year;
  if (year > current_year + 50) year -= 100;
  if (year + 100 <= current_year + 50) year += 100;
  c.year = year;
  return true;
}

// asctime-date, after "Sun": " Nov  6 08:49:37 1994" (the day is two digits or space + digit).
bool asctime_date(Cursor& in, Civil& c) {
  int month = 0;
  if (!(in.literal(' ') && in.name(kMonths, month) && in.literal(' '))) return false;
  if (in.literal(' ')) {
    if (!in.digits(1, c.day)) return false;
  } else if (!in.digits(2, c.day)) {
    return false;
  }
  c.month = month + 1;
  return in.literal(' ') && time_of_day(in, c) && in.literal(' ') && in.digits(4, c.year);
}

std::optional<std::int64_t> parse_http_date(std::string_view text, int current_year) {
  Civil c;
  bool parsed = false;
  {
    Cursor in(text);
    int day = 0;
    // The long names first: "Sunday," must not be read as "Sun" followed by garbage.
    if (in.name(kLongDays, day) && in.literal(',')) {
      parsed = rfc850_date(in, c, current_year) && in.at_end();
    }
  }
  if (!parsed) {
    Cursor in(text);
    int day = 0;
    if (in.name(kShortDays, day)) {
      if (in.literal(',')) {
        parsed = imf_fixdate(in, c) && in.at_end();
      } else {
        parsed = asctime_date(in, c) && in.at_end();
      }
    }
  }
  if (!parsed || !valid(c)) return std::nullopt;
  return unix_seconds(c);
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int year_of(system_clock::time_point now) {
  const auto secs = std::chrono::floor<seconds>(now).time_since_epoch().count();
  std::int64_t days = secs / 86400 - (secs % 86400 < 0 ? 1 : 0);
  // H. Hinnant's civil_from_days, year only.
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

}  // namespace

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              system_clock::time_point now) {
  const std::string_view text = trim(value);
  if (text.empty()) return std::nullopt;

  if (Cursor::is_digit(text.front())) {
    std::int64_t secs = 0;
    for (const char c : text) {
      if (!Cursor::is_digit(c)) return std::nullopt;
      // Saturate instead of overflowing: anything past 2^31 means 2^31.
      if (secs < kMaxDeltaSeconds) secs = secs * 10 + (c - '0');
    }
    if (secs > kMaxDeltaSeconds) secs = kMaxDeltaSeconds;
    return milliseconds(secs * 1000);
  }

  const auto date = parse_http_date(text, year_of(now));
  if (!date) return std::nullopt;
  // Dates are whole seconds, so date - now rounded up to a millisecond is date - floor(now).
  const std::int64_t now_ms = std::chrono::floor<milliseconds>(now).time_since_epoch().count();
  const std::int64_t date_ms = *date * 1000;
  if (date_ms <= now_ms) return milliseconds(0);
  const std::int64_t wait = date_ms - now_ms;
  return milliseconds(wait > kMaxRetryAfter.count() ? kMaxRetryAfter.count() : wait);
}

}  // namespace chathooks::delivery
