// Numbers: integer members take exactly the int64 range (beyond it number_out_of_range, a
// fraction type_mismatch); numbers inside free-form members (metadata, custom, parameters,
// undocumented members) stay exact to 64 bits, signed and unsigned, after a round trip.
#include <cstdint>
#include <limits>
#include <string>

#include "catch.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::Errc;
using chathooks::Json;
using codec_test::check_error;
using codec_test::load_vector;
using codec_test::parse_json;
using codec_test::require_error;

namespace {

// The dispatch vector with `"size":233541` replaced by `"size":<number>` (text, not a Json, so
// that any number literal can be written).
std::string dispatch_with_size(const std::string& number) {
  std::string input = load_vector("flw_dispatch.json");
  const std::string needle = "\"size\": 233541";
  const auto at = input.find(needle);
  REQUIRE(at != std::string::npos);
  input.replace(at, needle.size(), "\"size\": " + number);
  return input;
}

}  // namespace

TEST_CASE("Integer members hold the int64 extremes", "[codec][numbers]") {
  for (const std::int64_t n :
       {std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(),
        std::int64_t{0}, std::int64_t{-1}, std::int64_t{4294967296}}) {
    INFO(n);
    auto d = chathooks::flw::decode_dispatch(dispatch_with_size(std::to_string(n)));
    REQUIRE(d.ok());
    CHECK(d->last_message->file->size == n);
    const std::string encoded = chathooks::flw::encode(*d);
    CHECK(encoded.find("\"size\":" + std::to_string(n) + "}") != std::string::npos);
  }
}

TEST_CASE("An integer past int64 at an integer member is number_out_of_range",
          "[codec][numbers][errors]") {
  const std::string pointer = "/lastMessage/file/size";
  const auto above =
      require_error(chathooks::flw::decode_dispatch(dispatch_with_size("9223372036854775808")));
  CHECK(above.code() == Errc::number_out_of_range);
  CHECK(above.pointer() == pointer);
  CHECK(above.message().find("9223372036854775808") != std::string::npos);

  const auto uint64_max =
      require_error(chathooks::flw::decode_dispatch(dispatch_with_size("18446744073709551615")));
  CHECK(uint64_max.code() == Errc::number_out_of_range);
  CHECK(uint64_max.pointer() == pointer);

  // Integers that not even uint64 holds, and those below INT64_MIN, are out of range too:
  // they are integers in the text, whatever the parser turns them into.
  for (const char* number :
       {"-9223372036854775809", "18446744073709551616", "100000000000000000000000000000"}) {
    INFO(number);
    const auto error = require_error(chathooks::flw::decode_dispatch(dispatch_with_size(number)));
    CHECK(error.code() == Errc::number_out_of_range);
    CHECK(error.pointer() == pointer);
  }
}

TEST_CASE("A fraction or exponent at an integer member is a type mismatch",
          "[codec][numbers][errors]") {
  for (const char* number : {"1.5", "233541.0", "2e3", "-0.5"}) {
    INFO(number);
    check_error(require_error(chathooks::flw::decode_dispatch(dispatch_with_size(number))),
                Errc::type_mismatch, "/lastMessage/file/size", "expected integer, got number");
  }
  check_error(require_error(chathooks::cliengo::decode_response(R"({"response":{"flow":5.5}})")),
              Errc::type_mismatch, "/response/flow", "expected integer, got number");
  check_error(
      require_error(chathooks::cliengo::decode_memory(R"({"are_you_there":{"index":0.25}})")),
      Errc::type_mismatch, "/are_you_there/index", "expected integer, got number");
}

TEST_CASE("A number too large for a double is number_out_of_range", "[codec][numbers][errors]") {
  const auto error =
      require_error(chathooks::flw::decode_response(R"({"metadata":{"huge":1e400}})"));
  CHECK(error.code() == Errc::number_out_of_range);
  CHECK(error.offset().has_value());
}

TEST_CASE("Numbers inside free-form members are exact to 64 bits after a round trip",
          "[codec][numbers]") {
  const std::string numbers =
      R"({"u64max":18446744073709551615,"i64max":9223372036854775807,)"
      R"("i64min":-9223372036854775808,"above_i64":9223372036854775808,"zero":0,)"
      R"("tenth":0.1,"third":0.3333333333333333,"big":1e300,"tiny":5e-324,"neg":-2.5})";
  const Json expected = parse_json(numbers);

  SECTION("Flw contact metadata and response metadata") {
    const std::string input = R"({"metadata":)" + numbers + R"(,"contact":{"metadata":)" + numbers +
                              R"(,"pontos":)" + numbers + "}}";
    auto r = chathooks::flw::decode_response(input);
    REQUIRE(r.ok());
    REQUIRE(r->metadata.has_value());
    const Json* u = r->metadata->find("u64max");
    REQUIRE(u != nullptr);
    CHECK(u->is_uint64());
    CHECK(u->get_uint64() == std::numeric_limits<std::uint64_t>::max());
    const Json* above = r->metadata->find("above_i64");
    REQUIRE(above != nullptr);
    CHECK(above->get_uint64() == std::uint64_t{9223372036854775808u});
    const Json* min = r->contact->metadata->find("i64min");
    REQUIRE(min != nullptr);
    CHECK(min->get_int64() == std::numeric_limits<std::int64_t>::min());

    const std::string encoded = chathooks::flw::encode(*r);
    CHECK(encoded.find("\"u64max\":18446744073709551615") != std::string::npos);
    CHECK(encoded.find("\"i64min\":-9223372036854775808") != std::string::npos);
    CHECK(encoded.find("\"above_i64\":9223372036854775808") != std::string::npos);
    const Json out = parse_json(encoded);
    REQUIRE(out.at_pointer("/metadata") != nullptr);
    CHECK(*out.at_pointer("/metadata") == expected);
    CHECK(*out.at_pointer("/contact/metadata") == expected);
    CHECK(*out.at_pointer("/contact/pontos") == expected);
    CHECK(out.at_pointer("/metadata/tenth")->get_double() == 0.1);
    CHECK(out.at_pointer("/metadata/tiny")->get_double() == 5e-324);
  }
  SECTION("Cliengo custom memory") {
    const std::string input = R"({"custom":)" + numbers + "}";
    auto r = chathooks::cliengo::decode_response(input);
    REQUIRE(r.ok());
    const Json out = parse_json(chathooks::cliengo::encode(*r));
    REQUIRE(out.at_pointer("/custom") != nullptr);
    CHECK(*out.at_pointer("/custom") == expected);
    CHECK(out.at_pointer("/custom/u64max")->get_uint64() ==
          std::numeric_limits<std::uint64_t>::max());
  }
}
