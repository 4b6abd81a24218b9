// Lossless round trips, byte for byte: every test vector, and generated variants of each (members
// shuffled at every object level, unknown members inserted anywhere, numbers spelled in every
// form JSON allows, Unicode strings), decode then encode to the input compacted, in strict and
// tolerant mode alike, and Json::parse then dump() does too. The expected side is the input
// compacted by lossless::compact(), never the library's own dump().
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/json.hpp"
#include "codec_test_support.hpp"
#include "lossless_support.hpp"

namespace {

using chathooks::DecodeWarning;
using chathooks::Json;
using chathooks::ParseOptions;
using lossless::compact;
using lossless::normalize_escapes;

// Up to `kShown` mismatches are reported in full; the count of all of them is checked at the end.
constexpr int kShown = 3;

struct Tally {
  int failures = 0;
  int runs = 0;
};

// Decodes `input` in strict and tolerant mode and checks that both encode to `expected` (after
// normalizing escapes on both sides when `escapes`), with no warnings.
void check_codec(const lossless::Kind& kind, const std::string& input, bool escapes, Tally& tally) {
  const std::string expected = escapes ? normalize_escapes(compact(input)) : compact(input);
  for (const bool tolerant : {false, true}) {
    ++tally.runs;
    const ParseOptions options = tolerant ? lossless::tolerant_options() : ParseOptions{};
    std::vector<DecodeWarning> warnings;
    const auto out = kind.round_trip(input, options, &warnings);
    std::string got;
    if (out) got = escapes ? normalize_escapes(*out) : *out;
    if (out && got == expected && warnings.empty()) continue;
    if (++tally.failures > kShown) continue;
    INFO(kind.name << (tolerant ? " (tolerant)" : " (strict)"));
    INFO("input:    " << input);
    INFO("expected: " << expected);
    if (!out) FAIL_CHECK("decode failed: " << out.error().to_string());
    if (out) CHECK(got == expected);
    CHECK(warnings.empty());
  }
}

// Json::parse(input).dump() == compact(input).
void check_json(const std::string& input, bool escapes, Tally& tally) {
  ++tally.runs;
  const std::string expected = escapes ? normalize_escapes(compact(input)) : compact(input);
  const auto parsed = Json::parse(input);
  std::string got;
  if (parsed) got = escapes ? normalize_escapes(parsed->dump()) : parsed->dump();
  if (parsed && got == expected) return;
  if (++tally.failures > kShown) return;
  INFO("Json::parse then dump()");
  INFO("input:    " << input);
  INFO("expected: " << expected);
  if (!parsed) FAIL_CHECK("parse failed: " << parsed.error().to_string());
  if (parsed) CHECK(got == expected);
}

constexpr unsigned kVariants = 50;

}  // namespace

TEST_CASE("Every test vector decodes and encodes to itself compacted, byte for byte",
          "[codec][lossless][vectors]") {
  for (const auto& kind : lossless::kinds()) {
    for (const char* file : kind.files) {
      INFO(file);
      const std::string text = codec_test::load_vector(file);
      Tally tally;
      check_codec(kind, text, false, tally);
      check_json(text, false, tally);
      CHECK(tally.failures == 0);
    }
  }
}

TEST_CASE("Vectors with members shuffled at every level round-trip byte for byte",
          "[codec][lossless][variants][order]") {
  for (const auto& kind : lossless::kinds()) {
    for (const char* file : kind.files) {
      INFO(file);
      const std::string text = codec_test::load_vector(file);
      Tally tally;
      unsigned reordered = 0;
      for (unsigned seed = 0; seed < kVariants; ++seed) {
        lossless::VariantOptions options;
        options.no_insert = kind.no_insert;
        const std::string input = lossless::VariantMaker(seed, options).make(text);
        INFO("seed " << seed);
        if (input != compact(text)) ++reordered;
        check_codec(kind, input, false, tally);
        check_json(input, false, tally);
      }
      // The generator does reorder members (a vector with one member cannot be).
      if (std::string(file) != "flw_response_simple.json") CHECK(reordered >= kVariants * 3 / 4);
      INFO(tally.failures << " of " << tally.runs << " round trips differ");
      CHECK(tally.failures == 0);
    }
  }
}

TEST_CASE("Vectors with unknown members inserted anywhere round-trip byte for byte",
          "[codec][lossless][variants][unknown]") {
  for (const auto& kind : lossless::kinds()) {
    for (const char* file : kind.files) {
      INFO(file);
      const std::string text = codec_test::load_vector(file);
      for (const bool shuffle : {false, true}) {
        Tally tally;
        unsigned with_unknown = 0;
        for (unsigned seed = 0; seed < kVariants; ++seed) {
          lossless::VariantOptions options;
          options.shuffle = shuffle;
          options.insert = true;
          options.no_insert = kind.no_insert;
          const std::string input = lossless::VariantMaker(1000 + seed, options).make(text);
          INFO("seed " << 1000 + seed << (shuffle ? ", shuffled" : ", documented order"));
          if (input.find("_unknown_") != std::string::npos ||
              input.find("cl\xC3\xA9_") != std::string::npos)
            ++with_unknown;
          check_codec(kind, input, false, tally);
          check_json(input, false, tally);
        }
        INFO((shuffle ? "shuffled: " : "documented order: ")
             << tally.failures << " of " << tally.runs << " round trips differ");
        CHECK(tally.failures == 0);
        // The generator does insert members (most variants hold some; flw_response_simple.json
        // has a single object, which gets none a third of the time).
        CHECK(with_unknown >= kVariants / 2);
      }
    }
  }
}

TEST_CASE("Unknown members with escaped Unicode names and strings round-trip up to escapes",
          "[codec][lossless][variants][unicode]") {
  for (const auto& kind : lossless::kinds()) {
    for (const char* file : kind.files) {
      INFO(file);
      const std::string text = codec_test::load_vector(file);
      Tally tally;
      for (unsigned seed = 0; seed < kVariants; ++seed) {
        lossless::VariantOptions options;
        options.insert = true;
        options.escapes = true;
        options.no_insert = kind.no_insert;
        const std::string input = lossless::VariantMaker(2000 + seed, options).make(text);
        INFO("seed " << 2000 + seed);
        check_codec(kind, input, true, tally);
        check_json(input, true, tally);
      }
      INFO(tally.failures << " of " << tally.runs << " round trips differ");
      CHECK(tally.failures == 0);
    }
  }
}

TEST_CASE("Every number spelling round-trips in extra, in free-form members and in Json",
          "[codec][lossless][numbers]") {
  const std::string dispatch = codec_test::load_vector("flw_dispatch.json");
  for (const std::string& number : lossless::number_spellings()) {
    INFO("number " << number);
    // An unknown member of a nested struct, a free-form member (metadata), an element of a
    // free-form array in an unknown member, and a value in a map of structs' entry's extra.
    std::string input = lossless::with_value(dispatch, "/contact/cnpj", number);
    input = lossless::with_value(input, "/contact/metadata/cod-ext", "[" + number + "]");
    input = lossless::with_value(
        input, "/channel",
        "{\"n\":" + number + ",\"id\":\"c\",\"m\":{\"k\":[" + number + "," + number + "]}}");
    Tally tally;
    check_codec(lossless::kinds()[0], input, false, tally);
    check_json(input, false, tally);
    CHECK(tally.failures == 0);
    const auto parsed = Json::parse(number);
    REQUIRE(parsed.ok());
    CHECK(parsed->dump() == number);
  }
}

TEST_CASE("Integer members keep their spelling when it is their value",
          "[codec][lossless][numbers][typed]") {
  // File.size and FlowPosition.retry_count are int64 members: every spelling a strict decode
  // accepts must come back as it came (the value was not changed).
  const std::string dispatch = codec_test::load_vector("flw_dispatch.json");
  const std::string memory = codec_test::load_vector("cliengo_request.json");
  for (const char* number :
       {"0", "-0", "233541", "-1", "9223372036854775807", "-9223372036854775808"}) {
    INFO("number " << number);
    const std::string a = lossless::with_value(dispatch, "/lastMessage/file/size", number);
    const std::string b = lossless::with_value(memory, "/flow/retry_count", number);
    for (const ParseOptions& options : {ParseOptions{}, lossless::tolerant_options()}) {
      const auto out_a = lossless::flw_dispatch(a, options, nullptr);
      REQUIRE(out_a.ok());
      CHECK(*out_a == compact(a));
      const auto out_b = lossless::cliengo_memory(b, options, nullptr);
      REQUIRE(out_b.ok());
      CHECK(*out_b == compact(b));
    }
  }
}
