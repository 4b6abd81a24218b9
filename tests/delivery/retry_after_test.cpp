// parse_retry_after: delta-seconds and the three HTTP-date forms, against a fixed "now".
#include <chathooks/delivery/retry_after.hpp>

#include <chrono>
#include <optional>

#include "catch.hpp"

using chathooks::delivery::kMaxRetryAfter;
using chathooks::delivery::parse_retry_after;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

// 1994-11-06T08:49:00Z, 37 s before the RFC's example date.
const system_clock::time_point kNow{seconds(784111740)};

std::optional<milliseconds> at_now(const char* value) { return parse_retry_after(value, kNow); }

}  // namespace

TEST_CASE("Retry-After delta-seconds") {
  CHECK(at_now("0") == milliseconds(0));
  CHECK(at_now("1") == milliseconds(1000));
  CHECK(at_now("120") == milliseconds(120000));
  CHECK(at_now("007") == milliseconds(7000));
  CHECK(at_now("  5\t") == milliseconds(5000));  // Surrounding white space is not the value.
  // RFC 9111: a value too large to represent counts as 2^31 seconds.
  CHECK(at_now("2147483648") == kMaxRetryAfter);
  CHECK(at_now("2147483647") == milliseconds(2147483647LL * 1000));
  CHECK(at_now("99999999999999999999999999999") == kMaxRetryAfter);
}

TEST_CASE("Retry-After garbage gives nothing") {
  for (const char* bad : {"",
                          "   ",
                          "-5",
                          "+5",
                          "1.5",
                          "5s",
                          "5 5",
                          "abc",
                          "0x10",
                          "1e3",
                          "Sun, 06 Nov 1994 08:49:37",
                          "Sun, 06 Nov 1994 08:49:37 GMT x",
                          "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Nov 94 08:49:37 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 31 Nov 1994 08:49:37 GMT",
                          "Sun, 29 Feb 1995 08:49:37 GMT",
                          "Sun, 06 Nov 1994 24:00:00 GMT",
                          "Sun, 06 Nov 1994 08:60:00 GMT",
                          "Sun, 06 Nov 1994 08:49:61 GMT",
                          "Sun, 06 Nov 1994 08:49:37 UTC",
                          "Xyz, 06 Nov 1994 08:49:37 GMT",
                          "Sunday, 06 Nov 1994 08:49:37 GMT",
                          "Sun Nov 6 08:49:37 1994",
                          "Sunday, 06-Nov-1994 08:49:37 GMT",
                          "Sun Nov  6 08:49:37 94"}) {
    INFO(bad);
    CHECK_FALSE(at_now(bad).has_value());
  }
}

TEST_CASE("Retry-After IMF-fixdate") {
  CHECK(at_now("Sun, 06 Nov 1994 08:49:37 GMT") == milliseconds(37000));
  // Names in any case; the day of the week is not checked against the date.
  CHECK(at_now("sun, 06 nov 1994 08:49:37 gmt") == milliseconds(37000));
  CHECK(at_now("Mon, 06 Nov 1994 08:49:37 GMT") == milliseconds(37000));
  CHECK(at_now("Sun, 06 Nov 1994 08:50:00 GMT") == milliseconds(60000));
  // Leap day and leap second.
  const system_clock::time_point feb{seconds(951782400)};  // 2000-02-29T00:00:00Z
  CHECK(parse_retry_after("Tue, 29 Feb 2000 00:00:10 GMT", feb) == milliseconds(10000));
  CHECK(parse_retry_after("Tue, 29 Feb 2000 00:00:60 GMT", feb) == milliseconds(60000));
}

TEST_CASE("Retry-After rfc850-date with its two-digit year") {
  CHECK(at_now("Sunday, 06-Nov-94 08:49:37 GMT") == milliseconds(37000));
  CHECK(at_now("Sunday, 06-Nov-94 08:49:37 gmt") == milliseconds(37000));
  // From 1994, "44" is 2044 (50 years ahead at most), not 1944; from 2030, "94" is 1994.
  const auto in_2044 = at_now("Friday, 01-Jan-44 00:00:00 GMT");
  REQUIRE(in_2044.has_value());
  CHECK(*in_2044 > milliseconds(seconds(40LL * 365 * 86400)));
  const system_clock::time_point y2030{seconds(1893456000)};  // 2030-01-01T00:00:00Z
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", y2030) == milliseconds(0));
  CHECK(parse_retry_after("Thursday, 01-Jan-30 00:00:05 GMT", y2030) == milliseconds(5000));
  // From 2030, "80" would be 2080: exactly 50 years ahead counts as the future.
  const auto in_2080 = parse_retry_after("Monday, 01-Jan-80 00:00:00 GMT", y2030);
  REQUIRE(in_2080.has_value());
  CHECK(*in_2080 > milliseconds(0));
  // "81" from 2030 would be 51 years ahead: it means 1981, in the past.
  CHECK(parse_retry_after("Thursday, 01-Jan-81 00:00:00 GMT", y2030) == milliseconds(0));
}

TEST_CASE("Retry-After asctime-date") {
  CHECK(at_now("Sun Nov  6 08:49:37 1994") == milliseconds(37000));
  CHECK(at_now("Sun Nov 06 08:49:37 1994") == milliseconds(37000));
  const system_clock::time_point y2000{seconds(946684800)};  // 2000-01-01T00:00:00Z
  CHECK(parse_retry_after("Sat Jan 15 00:00:00 2000", y2000) == milliseconds(14LL * 86400 * 1000));
}

TEST_CASE("Retry-After dates in the past give zero, future ones round up") {
  CHECK(at_now("Sun, 06 Nov 1994 08:48:00 GMT") == milliseconds(0));
  CHECK(at_now("Thu, 01 Jan 1970 00:00:00 GMT") == milliseconds(0));
  CHECK(at_now("Sun, 06 Nov 1994 08:49:00 GMT") == milliseconds(0));  // Exactly now.
  // 0.4 ms before the date: wait 1 ms, never less than asked.
  const auto almost = kNow + seconds(37) - std::chrono::microseconds(400);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", almost) == milliseconds(1));
  // Far in the future: capped like delta-seconds.
  CHECK(at_now("Fri, 31 Dec 9999 23:59:59 GMT") == kMaxRetryAfter);
}
