// Unit tests for chathooks::Timestamp: the protocol vectors' timestamps, offsets, calendar
// validation, hostile input (each must give an error value or a documented result), the
// system_clock range limits and round trips through from_time_point.
#include <chrono>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "catch.hpp"
#include "chathooks/timestamp.hpp"

using chathooks::Errc;
using chathooks::Timestamp;
using Clock = std::chrono::system_clock;
using std::chrono::nanoseconds;
using std::chrono::seconds;

namespace {

// Parses text that must be valid, failing the test with the error otherwise.
Timestamp parse_ok(std::string_view text) {
  auto r = Timestamp::parse(text);
  INFO("text: " << std::string(text));
  if (!r) FAIL_CHECK("parse failed: " << r.error().message());
  REQUIRE(r.ok());
  return *r;
}

// The message of the error that parsing `text` must give.
std::string parse_error(std::string_view text) {
  auto r = Timestamp::parse(text);
  INFO("text: " << std::string(text));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code() == Errc::invalid_value);
  CHECK(r.error().pointer().empty());
  CHECK_FALSE(r.error().offset().has_value());
  return r.error().message();
}

std::string two(unsigned v) { return std::string{char('0' + v / 10), char('0' + v % 10)}; }
std::string four(int v) {
  return std::string{char('0' + v / 1000), char('0' + v / 100 % 10), char('0' + v / 10 % 10),
                     char('0' + v % 10)};
}

// An independent month-length table for the calendar sweep (Gregorian rule spelled out).
unsigned month_length(int y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m != 2) return kDays[m - 1];
  const bool leap = (y % 400 == 0) || (y % 4 == 0 && y % 100 != 0);
  return leap ? 29 : 28;
}

Clock::time_point from_ns(std::int64_t ns) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(nanoseconds(ns)));
}

constexpr bool kNanosecondClock = std::is_same_v<Clock::duration, nanoseconds>;

}  // namespace

TEST_CASE("Timestamps of the protocol vectors", "[timestamp]") {
  const Timestamp a = parse_ok("2024-06-02T12:00:10.38771Z");
  CHECK(a.unix_seconds() == 1717329610);
  CHECK(a.nanoseconds() == 387710000u);
  CHECK(a.utc_offset_minutes() == 0);
  CHECK(a.text() == "2024-06-02T12:00:10.38771Z");

  const Timestamp b = parse_ok("2024-06-27T19:09:22.592061Z");
  CHECK(b.unix_seconds() == 1719515362);
  CHECK(b.nanoseconds() == 592061000u);

  const Timestamp c = parse_ok("2020-06-18T17:07:51.271Z");
  CHECK(c.unix_seconds() == 1592500071);
  CHECK(c.nanoseconds() == 271000000u);

  auto tp = c.to_time_point();
  REQUIRE(tp.ok());
  CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(tp->time_since_epoch()).count() ==
        1592500071271);
}

TEST_CASE("Known unix times (cross-checked with Python datetime)", "[timestamp]") {
  CHECK(parse_ok("1970-01-01T00:00:00Z").unix_seconds() == 0);
  CHECK(parse_ok("1969-12-31T23:59:59Z").unix_seconds() == -1);
  CHECK(parse_ok("1900-01-01T00:00:00Z").unix_seconds() == -2208988800);
  CHECK(parse_ok("2000-03-01T00:00:00Z").unix_seconds() == 951868800);
  CHECK(parse_ok("2024-02-29T00:00:00Z").unix_seconds() == 1709164800);
  CHECK(parse_ok("2038-01-19T03:14:07Z").unix_seconds() == 2147483647);
  CHECK(parse_ok("2038-01-19T03:14:08Z").unix_seconds() == 2147483648);
}

TEST_CASE("Offsets are applied to the instant and kept in the text", "[timestamp]") {
  const Timestamp utc = parse_ok("2024-06-02T12:00:10Z");
  const Timestamp plus = parse_ok("2024-06-02T15:00:10+03:00");
  const Timestamp minus = parse_ok("2024-06-02T06:30:10-05:30");
  CHECK(plus.unix_seconds() == 1717329610);
  CHECK(minus.unix_seconds() == 1717329610);
  CHECK(plus.utc_offset_minutes() == 180);
  CHECK(minus.utc_offset_minutes() == -330);
  CHECK(plus.same_instant(utc));
  CHECK(minus.same_instant(utc));
  CHECK(plus != utc);  // operator== compares texts
  CHECK(plus.text() == "2024-06-02T15:00:10+03:00");

  // The offset may move the instant across a day, a year and the epoch.
  CHECK(parse_ok("2024-01-01T01:00:00+02:00").same_instant(parse_ok("2023-12-31T23:00:00Z")));
  CHECK(parse_ok("1969-12-31T23:30:00-01:00").unix_seconds() == 1800);
  CHECK(parse_ok("2024-06-02T12:00:00+23:59").unix_seconds() == 1717329600 - 86340);
  CHECK(parse_ok("2024-06-02T12:00:00-23:59").unix_seconds() == 1717329600 + 86340);

  // -00:00 and +00:00 are the same instant as Z.
  const Timestamp unknown = parse_ok("2024-06-02T12:00:10-00:00");
  CHECK(unknown.utc_offset_minutes() == 0);
  CHECK(unknown.same_instant(utc));
  CHECK(parse_ok("2024-06-02T12:00:10+00:00").same_instant(utc));
}

TEST_CASE("Fractional digits: none to nine, and more", "[timestamp]") {
  const Timestamp none = parse_ok("2024-06-02T12:00:10Z");
  CHECK(none.nanoseconds() == 0u);
  CHECK(parse_ok("2024-06-02T12:00:10.5Z").nanoseconds() == 500000000u);
  CHECK(parse_ok("2024-06-02T12:00:10.000000001Z").nanoseconds() == 1u);
  CHECK(parse_ok("2024-06-02T12:00:10.123456789Z").nanoseconds() == 123456789u);
  CHECK(parse_ok("2024-06-02T12:00:10.999999999+01:00").nanoseconds() == 999999999u);
  CHECK(parse_ok("2024-06-02T12:00:10.0Z").same_instant(none));

  // Documented: more than nine digits are kept in the text and truncated (not rounded) in the
  // instant.
  const std::string ten = "2024-06-02T12:00:10.1234567899Z";
  const Timestamp t = parse_ok(ten);
  CHECK(t.text() == ten);
  CHECK(t.nanoseconds() == 123456789u);
  CHECK(t.unix_seconds() == 1717329610);
  CHECK(parse_ok("2024-06-02T12:00:10.99999999999999999999Z").nanoseconds() == 999999999u);

  // A hostile fraction of 100,000 digits is read in linear time and kept.
  std::string huge = "2024-06-02T12:00:10.";
  huge.append(100000, '7');
  huge += 'Z';
  const Timestamp h = parse_ok(huge);
  CHECK(h.text() == huge);
  CHECK(h.nanoseconds() == 777777777u);
}

TEST_CASE("Calendar validation", "[timestamp]") {
  CHECK(parse_ok("2024-02-29T00:00:00Z").unix_seconds() == 1709164800);
  CHECK(parse_ok("2000-02-29T00:00:00Z").unix_seconds() == 951782400);
  CHECK(parse_error("2023-02-29T00:00:00Z") == "day 29 out of range (01 to 28 in 2023-02)");
  CHECK(parse_error("1900-02-29T00:00:00Z") == "day 29 out of range (01 to 28 in 1900-02)");
  CHECK(parse_error("2024-02-30T00:00:00Z") == "day 30 out of range (01 to 29 in 2024-02)");
  CHECK(parse_error("2024-04-31T00:00:00Z") == "day 31 out of range (01 to 30 in 2024-04)");
  CHECK(parse_error("2024-06-00T00:00:00Z") == "day 0 out of range (01 to 30 in 2024-06)");
  CHECK(parse_error("2024-13-02T00:00:00Z") == "month 13 out of range (01 to 12)");
  CHECK(parse_error("2024-00-02T00:00:00Z") == "month 0 out of range (01 to 12)");
  CHECK(parse_error("0000-01-01T00:00:00Z") == "year 0 out of range (0001 to 9999)");
  CHECK(parse_error("2024-06-02T24:00:00Z") == "hour 24 out of range (00 to 23)");
  CHECK(parse_error("2024-06-02T12:60:00Z") == "minute 60 out of range (00 to 59)");
  CHECK(parse_error("2024-06-02T12:00:61Z") == "second 61 out of range (00 to 60)");
  CHECK(parse_error("2024-06-02T12:00:99Z") == "second 99 out of range (00 to 60)");
  CHECK(parse_error("2024-06-02T12:00:00+24:00") == "offset hours 24 out of range (00 to 23)");
  CHECK(parse_error("2024-06-02T12:00:00-00:60") == "offset minutes 60 out of range (00 to 59)");
  CHECK(parse_ok("2024-06-02T23:59:59+23:59").utc_offset_minutes() == 1439);
  CHECK(parse_ok("2024-12-31T23:59:59Z").unix_seconds() == 1735689599);
}

TEST_CASE("Every month of every year 0001 to 9999 has the right length", "[timestamp]") {
  // Walks the calendar month by month with an independent table: the first day of each month
  // must come exactly (length of the previous month) days after the first day of that one, the
  // last day must parse and the day after it must not.
  std::int64_t expected_first = parse_ok("0001-01-01T00:00:00Z").unix_seconds();
  CHECK(expected_first == -62135596800);
  int failures = 0;
  for (int y = 1; y <= 9999 && failures < 5; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      const std::string prefix = four(y) + "-" + two(m) + "-";
      const unsigned len = month_length(y, m);
      auto first = Timestamp::parse(prefix + "01T00:00:00Z");
      auto last = Timestamp::parse(prefix + two(len) + "T00:00:00Z");
      auto past = Timestamp::parse(prefix + two(len + 1) + "T00:00:00Z");
      const bool good = first.ok() && last.ok() && !past.ok() &&
                        first->unix_seconds() == expected_first &&
                        last->unix_seconds() == expected_first + (len - 1) * 86400;
      if (!good) {
        ++failures;
        FAIL_CHECK("calendar mismatch at " << prefix);
      }
      expected_first += std::int64_t{len} * 86400;
    }
  }
  CHECK(failures == 0);
  CHECK(expected_first == parse_ok("9999-12-31T23:59:59Z").unix_seconds() + 1);
}

TEST_CASE("Second 60 counts as second 59 plus one", "[timestamp]") {
  const Timestamp leap = parse_ok("2016-12-31T23:59:60Z");
  const Timestamp next = parse_ok("2017-01-01T00:00:00Z");
  CHECK(leap.unix_seconds() == 1483228800);
  CHECK(leap.same_instant(next));
  CHECK(leap != next);
  CHECK(leap.text() == "2016-12-31T23:59:60Z");
  // Same instant: ordered by text.
  CHECK(leap < next);
  CHECK_FALSE(next < leap);
  // Documented: accepted on any minute, not only at the end of a month.
  CHECK(parse_ok("2024-06-02T12:00:60.5+03:00").unix_seconds() == 1717318860);
}

TEST_CASE("Years 0001 and 9999", "[timestamp]") {
  const Timestamp first = parse_ok("0001-01-01T00:00:00Z");
  const Timestamp last = parse_ok("9999-12-31T23:59:59.999999999Z");
  CHECK(first.unix_seconds() == -62135596800);
  CHECK(last.unix_seconds() == 253402300799);
  CHECK(last.nanoseconds() == 999999999u);
  // The offset may take the instant just outside the years 0001 to 9999: the text is valid.
  CHECK(parse_ok("0001-01-01T00:00:00+01:00").unix_seconds() == -62135596800 - 3600);
  CHECK(parse_ok("9999-12-31T23:59:59-01:00").unix_seconds() == 253402300799 + 3600);
}

TEST_CASE("to_time_point refuses instants system_clock cannot hold", "[timestamp]") {
  const std::int64_t max_seconds =
      std::chrono::duration_cast<seconds>(Clock::duration::max()).count();
  for (const char* text : {"9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"}) {
    INFO(text);
    const Timestamp t = parse_ok(text);
    auto tp = t.to_time_point();
    if (max_seconds < 253402300799) {  // 64-bit nanoseconds (libstdc++): years 1678 to 2261
      REQUIRE_FALSE(tp.ok());
      CHECK(tp.error().code() == Errc::invalid_value);
      CHECK(tp.error().message().find("outside the range of system_clock") != std::string::npos);
    } else {  // coarser clocks (libc++ microseconds) hold them
      REQUIRE(tp.ok());
      CHECK(Timestamp::from_time_point(*tp, 0).same_instant(t));
    }
  }
}

TEST_CASE("to_time_point at the exact limits of a nanosecond clock", "[timestamp]") {
  if constexpr (kNanosecondClock) {
    const Timestamp max = parse_ok("2262-04-11T23:47:16.854775807Z");
    const Timestamp min = parse_ok("1677-09-21T00:12:43.145224192Z");
    REQUIRE(max.to_time_point().ok());
    REQUIRE(min.to_time_point().ok());
    CHECK(*max.to_time_point() == Clock::time_point::max());
    CHECK(*min.to_time_point() == Clock::time_point::min());

    // One nanosecond past each limit: the fraction alone would overflow.
    CHECK_FALSE(parse_ok("2262-04-11T23:47:16.854775808Z").to_time_point().ok());
    CHECK_FALSE(parse_ok("1677-09-21T00:12:43.145224191Z").to_time_point().ok());
    // One second past each limit, and the same instant written with an offset.
    CHECK_FALSE(parse_ok("2262-04-11T23:47:17Z").to_time_point().ok());
    CHECK_FALSE(parse_ok("1677-09-21T00:12:42Z").to_time_point().ok());
    CHECK_FALSE(parse_ok("2262-04-12T00:47:17+01:00").to_time_point().ok());
    CHECK(parse_ok("2262-04-12T00:47:16.854775807+01:00").to_time_point().ok());
  } else {
    SUCCEED("system_clock is not a 64-bit nanosecond clock here; see the generic range test");
  }
}

TEST_CASE("from_time_point writes UTC with the requested digits", "[timestamp]") {
  const Clock::time_point tp = from_ns(1717329610387710000);
  CHECK(Timestamp::from_time_point(tp, 0).text() == "2024-06-02T12:00:10Z");
  CHECK(Timestamp::from_time_point(tp, 1).text() == "2024-06-02T12:00:10.3Z");
  CHECK(Timestamp::from_time_point(tp).text() == "2024-06-02T12:00:10.387Z");
  CHECK(Timestamp::from_time_point(tp, 6).text() == "2024-06-02T12:00:10.387710Z");
  CHECK(Timestamp::from_time_point(tp, 9).text() == "2024-06-02T12:00:10.387710000Z");
  // Out-of-range digit counts are clamped.
  CHECK(Timestamp::from_time_point(tp, -1).text() == "2024-06-02T12:00:10Z");
  CHECK(Timestamp::from_time_point(tp, -2147483647 - 1).text() == "2024-06-02T12:00:10Z");
  CHECK(Timestamp::from_time_point(tp, 10).text() == "2024-06-02T12:00:10.387710000Z");
  CHECK(Timestamp::from_time_point(tp, 2147483647).text() == "2024-06-02T12:00:10.387710000Z");

  // The value holds the instant its text says: digits not written are dropped.
  const Timestamp ms = Timestamp::from_time_point(tp, 3);
  CHECK(ms.unix_seconds() == 1717329610);
  CHECK(ms.nanoseconds() == 387000000u);
  CHECK(ms.utc_offset_minutes() == 0);
  CHECK(ms.same_instant(parse_ok(ms.text())));

  CHECK(Timestamp::from_time_point(Clock::time_point(), 3).text() == "1970-01-01T00:00:00.000Z");
}

TEST_CASE("from_time_point before 1970 floors toward the past", "[timestamp]") {
  const Timestamp a = Timestamp::from_time_point(from_ns(-1), 9);
  CHECK(a.text() == "1969-12-31T23:59:59.999999999Z");
  CHECK(a.unix_seconds() == -1);
  CHECK(a.nanoseconds() == 999999999u);
  CHECK(Timestamp::from_time_point(from_ns(-1), 3).text() == "1969-12-31T23:59:59.999Z");
  CHECK(Timestamp::from_time_point(from_ns(-1), 0).text() == "1969-12-31T23:59:59Z");
  CHECK(Timestamp::from_time_point(from_ns(-1500000000), 3).text() == "1969-12-31T23:59:58.500Z");
  CHECK(Timestamp::from_time_point(from_ns(-1000000000), 3).text() == "1969-12-31T23:59:59.000Z");
  CHECK(Timestamp::from_time_point(from_ns(-86400000000000), 0).text() == "1969-12-31T00:00:00Z");
  CHECK(Timestamp::from_time_point(from_ns(-2208988800000000001), 9).text() ==
        "1899-12-31T23:59:59.999999999Z");
}

TEST_CASE("from_time_point at the clock's limits", "[timestamp]") {
  const Timestamp max = Timestamp::from_time_point(Clock::time_point::max(), 9);
  const Timestamp min = Timestamp::from_time_point(Clock::time_point::min(), 9);
  if constexpr (kNanosecondClock) {
    CHECK(max.text() == "2262-04-11T23:47:16.854775807Z");
    CHECK(min.text() == "1677-09-21T00:12:43.145224192Z");
    CHECK(*parse_ok(max.text()).to_time_point() == Clock::time_point::max());
    CHECK(*parse_ok(min.text()).to_time_point() == Clock::time_point::min());
    // Documented: fewer digits truncate toward the past, here past what the clock holds.
    const Timestamp min_ms = Timestamp::from_time_point(Clock::time_point::min(), 3);
    CHECK(min_ms.text() == "1677-09-21T00:12:43.145Z");
    CHECK_FALSE(min_ms.to_time_point().ok());
    CHECK(Timestamp::from_time_point(Clock::time_point::max(), 3).to_time_point().ok());
  } else {
    // Documented: clocks that reach beyond the years 0001 to 9999 are clamped to them.
    CHECK(max.text() == "9999-12-31T23:59:59.999999999Z");
    CHECK(min.text() == "0001-01-01T00:00:00.000000000Z");
  }
  CHECK(parse_ok(max.text()).same_instant(max));
  CHECK(parse_ok(min.text()).same_instant(min));
}

TEST_CASE("from_time_point writes the right date every day of 1678 to 2261", "[timestamp]") {
  // An independent calendar walk against civil_from_days, where the clock can hold it.
  int failures = 0;
  std::int64_t day = parse_ok("1678-01-01T00:00:00Z").unix_seconds() / 86400;
  for (int y = 1678; y <= 2261 && failures < 5; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      for (unsigned d = 1; d <= month_length(y, m); ++d, ++day) {
        const std::string want = four(y) + "-" + two(m) + "-" + two(d) + "T00:00:01Z";
        const Timestamp got =
            Timestamp::from_time_point(Clock::time_point(seconds(day * 86400 + 1)), 0);
        if (got.text() != want || got.unix_seconds() != day * 86400 + 1) {
          ++failures;
          FAIL_CHECK("from_time_point wrote " << got.text() << ", expected " << want);
        }
      }
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("Round trip: from_time_point, parse, same instant", "[timestamp]") {
  std::vector<std::int64_t> instants = {0,
                                        1,
                                        -1,
                                        999999999,
                                        -999999999,
                                        1000000000,
                                        -1000000000,
                                        1717329610387710000,
                                        -2208988800000000001,
                                        951868799999999999,
                                        -9223372036854775807 - 1,
                                        9223372036854775807,
                                        4102444800123456789};
  std::mt19937_64 rng(20240602);  // fixed seed: deterministic
  for (int i = 0; i < 2000; ++i) instants.push_back(static_cast<std::int64_t>(rng()));

  for (const std::int64_t ns : instants) {
    const Clock::time_point tp = from_ns(ns);
    for (const int digits : {0, 3, 6, 9}) {
      const Timestamp written = Timestamp::from_time_point(tp, digits);
      auto parsed = Timestamp::parse(written.text());
      INFO("ns " << ns << ", digits " << digits << ", text " << written.text());
      REQUIRE(parsed.ok());
      REQUIRE(parsed->same_instant(written));
      REQUIRE(*parsed == written);
      std::int64_t unit = 1;
      for (int k = digits; k < 9; ++k) unit *= 10;
      auto back = parsed->to_time_point();
      if (kNanosecondClock && !back.ok()) {
        // Documented: truncating the last nanoseconds before time_point::min() gives an
        // instant the clock cannot hold. Only there may to_time_point fail.
        const std::uint64_t above_min =
            static_cast<std::uint64_t>(ns) -
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::min());
        REQUIRE(digits < 9);
        REQUIRE(above_min < static_cast<std::uint64_t>(unit));
        continue;
      }
      REQUIRE(back.ok());
      // Truncation toward the past, by less than one unit of the last digit written.
      REQUIRE(*back <= tp);
      REQUIRE(std::chrono::duration_cast<nanoseconds>(tp - *back).count() < unit);
      if (digits == 9) REQUIRE(*back == tp);
    }
  }
}

TEST_CASE("The text is kept exactly", "[timestamp]") {
  for (const char* text :
       {"2024-06-02t12:00:10.38771z", "2024-06-02 12:00:10.000+00:00", "2024-06-02T12:00:10-00:00",
        "2024-06-02T12:00:10.100Z", "2016-12-31T23:59:60Z"}) {
    const Timestamp t = parse_ok(text);
    CHECK(t.text() == text);
    const Timestamp copy = t;
    CHECK(copy == t);
    CHECK(copy.text() == text);
  }
  // Equal instants in different spellings are different texts.
  CHECK(parse_ok("2024-06-02T12:00:10.1Z") != parse_ok("2024-06-02T12:00:10.100Z"));
  CHECK(parse_ok("2024-06-02T12:00:10.1Z").same_instant(parse_ok("2024-06-02T12:00:10.100Z")));
}

TEST_CASE("Lower-case t and z, and a space separator", "[timestamp]") {
  const Timestamp upper = parse_ok("2024-06-02T12:00:10.38771Z");
  CHECK(parse_ok("2024-06-02t12:00:10.38771z").same_instant(upper));
  CHECK(parse_ok("2024-06-02t12:00:10.38771Z").same_instant(upper));
  CHECK(parse_ok("2024-06-02T12:00:10.38771z").same_instant(upper));
  CHECK(parse_ok("2024-06-02 12:00:10.38771Z").same_instant(upper));
  CHECK(parse_error("2024-06-02_12:00:10Z") == "expected 'T' at byte 10, got '_'");
  CHECK(parse_error("2024-06-02X12:00:10Z") == "expected 'T' at byte 10, got 'X'");
  CHECK(parse_error("2024-06-02\t12:00:10Z") == "expected 'T' at byte 10, got byte 0x09");
  CHECK(parse_error("2024-06-02  12:00:10Z") == "expected digit at byte 11, got ' '");
}

TEST_CASE("Default Timestamp is the epoch", "[timestamp]") {
  const Timestamp t;
  CHECK(t.text() == "1970-01-01T00:00:00Z");
  CHECK(t.unix_seconds() == 0);
  CHECK(t.nanoseconds() == 0u);
  CHECK(t.same_instant(parse_ok(t.text())));
  CHECK(t == parse_ok("1970-01-01T00:00:00Z"));
}

TEST_CASE("Ordering is by instant, then text", "[timestamp]") {
  const Timestamp a = parse_ok("2024-06-02T12:00:10Z");
  const Timestamp b = parse_ok("2024-06-02T12:00:10.000000001Z");
  const Timestamp c = parse_ok("2024-06-02T10:00:11-02:00");  // one second after a
  CHECK(a < b);
  CHECK(b < c);
  CHECK(a < c);
  CHECK_FALSE(c < a);
  CHECK_FALSE(a < a);
}

TEST_CASE("Hostile input: empty and truncated", "[timestamp][hostile]") {
  CHECK(parse_error("") == "empty text, expected YYYY-MM-DDTHH:MM:SS");
  for (const std::string full :
       {"2024-06-02T12:00:10.38771Z", "2024-06-27T19:09:22.592061-05:30", "2024-06-02T12:00:10Z"}) {
    for (std::size_t n = 1; n < full.size(); ++n) {
      const std::string message = parse_error(full.substr(0, n));
      INFO("prefix of length " << n << ": " << message);
      CHECK(message.find("at byte " + std::to_string(n) + ", got end of text") !=
            std::string::npos);
    }
  }
  CHECK(parse_error("2024-06-02T12:00:10") ==
        "expected '.', 'Z' or a +HH:MM/-HH:MM offset at byte 19, got end of text");
  CHECK(parse_error("2024-06-02T12:00:10.3") ==
        "expected 'Z' or a +HH:MM/-HH:MM offset at byte 21, got end of text");
  CHECK(parse_error("2024-06-02") == "expected 'T' at byte 10, got end of text");
}

TEST_CASE("Hostile input: malformed fields", "[timestamp][hostile]") {
  CHECK(parse_error("2024-06-02T12:00:10.Z") == "expected digit after '.' at byte 20, got 'Z'");
  CHECK(parse_error("2024-06-02T12:00:10.") ==
        "expected digit after '.' at byte 20, got end of text");
  CHECK(parse_error("2024-06-02T12:00:10,5Z") ==
        "expected '.', 'Z' or a +HH:MM/-HH:MM offset at byte 19, got ','");
  CHECK(parse_error("2024-6-02T12:00:10Z") == "expected digit at byte 6, got '-'");
  CHECK(parse_error("24-06-02T12:00:10Z") == "expected digit at byte 2, got '-'");
  CHECK(parse_error("20240602T120010Z") == "expected '-' at byte 4, got '0'");
  CHECK(parse_error("+2024-06-02T12:00:10Z") == "expected digit at byte 0, got '+'");
  CHECK(parse_error("-2024-06-02T12:00:10Z") == "expected digit at byte 0, got '-'");
  CHECK(parse_error("12024-06-02T12:00:10Z") == "expected '-' at byte 4, got '4'");
  CHECK(parse_error("2024-06-02T12:00Z") == "expected ':' at byte 16, got 'Z'");
  CHECK(parse_error("2024-06-02T12:00:10+0300") == "expected ':' at byte 22, got '0'");
  CHECK(parse_error("2024-06-02T12:00:10+3:00") == "expected digit at byte 21, got ':'");
  CHECK(parse_error("2024-06-02T12:00:10+03") == "expected ':' at byte 22, got end of text");
  CHECK(parse_error("2024-06-02T12:00:10 Z") ==
        "expected '.', 'Z' or a +HH:MM/-HH:MM offset at byte 19, got ' '");
  CHECK(parse_error("2024-06-02T12:00:10UTC") ==
        "expected '.', 'Z' or a +HH:MM/-HH:MM offset at byte 19, got 'U'");
  CHECK(parse_error(" 2024-06-02T12:00:10Z") == "expected digit at byte 0, got ' '");
  CHECK(parse_error("1717329610") == "expected '-' at byte 4, got '3'");
  CHECK(parse_error("null") == "expected digit at byte 0, got 'n'");
}

TEST_CASE("Hostile input: trailing garbage", "[timestamp][hostile]") {
  CHECK(parse_error("2024-06-02T12:00:10ZZ") == "unexpected 'Z' at byte 20 after the UTC offset");
  CHECK(parse_error("2024-06-02T12:00:10Z ") == "unexpected ' ' at byte 20 after the UTC offset");
  CHECK(parse_error("2024-06-02T12:00:10Z\n") ==
        "unexpected byte 0x0A at byte 20 after the UTC offset");
  CHECK(parse_error("2024-06-02T12:00:10+03:00:00") ==
        "unexpected ':' at byte 25 after the UTC offset");
  CHECK(parse_error("2024-06-02T12:00:10+03:001") ==
        "unexpected '1' at byte 25 after the UTC offset");
  CHECK(parse_error("2024-06-02T12:00:10Z[Europe/Paris]") ==
        "unexpected '[' at byte 20 after the UTC offset");
}

TEST_CASE("Hostile input: embedded NUL", "[timestamp][hostile]") {
  const std::string trailing("2024-06-02T12:00:10Z\0", 21);
  CHECK(parse_error(trailing) == "unexpected byte 0x00 at byte 20 after the UTC offset");
  const std::string inside("2024-06\0-02T12:00:10Z", 21);
  CHECK(parse_error(inside) == "expected '-' at byte 7, got byte 0x00");
  const std::string in_fraction(
      "2024-06-02T12:00:10.12\0"
      "3Z",
      25);
  CHECK(parse_error(in_fraction) ==
        "expected 'Z' or a +HH:MM/-HH:MM offset at byte 22, got byte 0x00");
  CHECK(parse_error(std::string(1, '\0')) == "expected digit at byte 0, got byte 0x00");
}

TEST_CASE("Hostile input: non-ASCII bytes", "[timestamp][hostile]") {
  // Full-width digits (U+FF12 ...), Arabic-Indic digits, a Unicode minus and invalid UTF-8:
  // the message names the byte in hex and stays printable ASCII.
  CHECK(parse_error("\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x94-06-02T12:00:10Z") ==
        "expected digit at byte 0, got byte 0xEF");
  CHECK(parse_error("2024-06-02T12:00:10\xE2\x88\x92"
                    "05:00") ==
        "expected '.', 'Z' or a +HH:MM/-HH:MM offset at byte 19, got byte 0xE2");
  CHECK(parse_error("2024-06-\xD9\xA2T12:00:10Z") == "expected digit at byte 8, got byte 0xD9");
  CHECK(parse_error("2024-06-02T12:00:10Z\xFF") ==
        "unexpected byte 0xFF at byte 20 after the UTC offset");
  CHECK(parse_error("2024-06-02\xC2\xA0"
                    "12:00:10Z") == "expected 'T' at byte 10, got byte 0xC2");
}

TEST_CASE("Hostile input: every single-byte change of a valid text", "[timestamp][hostile]") {
  // 256 values at each of 32 positions: each parse gives an error value or a timestamp whose
  // text is the input and whose instant lies within a day of the years 0001 to 9999.
  const std::string valid = "2024-06-27T19:09:22.592061-05:30";
  int accepted = 0;
  for (std::size_t pos = 0; pos < valid.size(); ++pos) {
    for (int b = 0; b < 256; ++b) {
      std::string text = valid;
      text[pos] = static_cast<char>(b);
      auto r = Timestamp::parse(text);
      if (r.ok()) {
        ++accepted;
        REQUIRE(r->text() == text);
        REQUIRE(r->unix_seconds() >= -62135596800 - 86400);
        REQUIRE(r->unix_seconds() <= 253402300799 + 86400);
        REQUIRE(r->nanoseconds() < 1000000000u);
      } else {
        REQUIRE(r.error().code() == Errc::invalid_value);
        REQUIRE_FALSE(r.error().message().empty());
        for (const char ch : r.error().message()) {
          REQUIRE(ch >= 0x20);
          REQUIRE(ch < 0x7F);
        }
      }
    }
  }
  // Digits in digit places (some rejected by range checks), 't' and ' ' for 'T', '+' for '-'.
  CHECK(accepted > 100);
}

TEST_CASE("Any one byte of the date and time out of place is named in the error", "[timestamp]") {
  // The usual form is read in one go; any other is read byte by byte, which words the error.
  const std::string base = "2024-06-02T12:00:10Z";
  for (std::size_t i = 0; i < 19; ++i) {
    std::string text = base;
    text[i] = 'x';
    const char was = base[i];
    const std::string what = was == 'T' ? "'T'" : was == '-' ? "'-'" : was == ':' ? "':'" : "digit";
    CHECK(parse_error(text) == "expected " + what + " at byte " + std::to_string(i) + ", got 'x'");
    // Cut short there: the end of the text is what is named (an empty text has its own error).
    if (i == 0) continue;
    CHECK(
        parse_error(base.substr(0, i)).find("at byte " + std::to_string(i) + ", got end of text") !=
        std::string::npos);
  }
}
