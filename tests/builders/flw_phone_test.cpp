#include "catch.hpp"
#include "chathooks/flw/phone.hpp"

using chathooks::Errc;
using chathooks::flw::parse_phone;

TEST_CASE("Flw phone numbers split into country code and national number") {
  auto phone = parse_phone("+55|1199999999");
  REQUIRE(phone.ok());
  CHECK(phone->country_code == "55");
  CHECK(phone->national_number == "1199999999");
  CHECK(phone->e164() == "+551199999999");
  CHECK(phone->flw_format() == "+55|1199999999");
}

TEST_CASE("Flw phone numbers without the plus sign are accepted") {
  auto phone = parse_phone("1|2025550123");
  REQUIRE(phone.ok());
  CHECK(phone->e164() == "+12025550123");
}

TEST_CASE("Malformed Flw phone numbers are errors, not crashes") {
  for (const char* bad :
       {"", "+", "|", "+55", "+55|", "|1199", "+5555|1199", "+55|11 9999", "+55|11-9999",
        "+a5|1199", "+55|1199|99", "+55|1234567890123456", "++55|1199"}) {
    INFO(bad);
    auto phone = parse_phone(bad);
    REQUIRE_FALSE(phone.ok());
    CHECK(phone.error().code() == Errc::invalid_value);
  }
}

TEST_CASE("E.164 allows fifteen digits in all") {
  CHECK(parse_phone("+55|1234567890123").ok());         // 15 digits
  CHECK_FALSE(parse_phone("+55|12345678901234").ok());  // 16 digits
}
