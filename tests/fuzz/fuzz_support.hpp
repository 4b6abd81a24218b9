// What the fuzz targets share: the input as text, splitting it into fields, failing loudly
// (abort(), which libFuzzer and the replay program both report) when a property does not hold,
// and the decode -> encode -> decode round trip that every payload codec must survive, under
// each duplicate-member policy.
// Thread-safety: pure functions; a target calls them from its one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/json.hpp"

namespace chathooks_fuzz {

/// The fuzz input as text (it may hold any byte, NUL included).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
  return size == 0 ? std::string_view()
                   : std::string_view(reinterpret_cast<const char*>(data), size);
}

/// Prints what failed, and `detail` (escaped, at most 2,000 bytes), then aborts.
[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
  std::string shown;
  for (const char c : detail.substr(0, 2000)) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
      shown += c;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      shown += hex;
    }
  }
  std::fprintf(stderr, "fuzz property failed: %s\n  %s\n", what, shown.c_str());
  std::abort();
}

/// fail(what, detail) unless `condition`.
inline void require(bool condition, const char* what, std::string_view detail = {}) {
  if (!condition) fail(what, detail);
}

/// The first `count - 1` lines of `input` (split at '\n', which is not kept) and, last, the
/// rest of the input, so that the last field may hold newlines (a body). Missing fields are
/// empty: every input gives exactly `count` fields.
inline std::vector<std::string_view> split_fields(std::string_view input, std::size_t count) {
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < count) {
    const auto newline = input.find('\n');
    if (newline == std::string_view::npos) {
      fields.push_back(input);
      input = {};
    } else {
      fields.push_back(input.substr(0, newline));
      input.remove_prefix(newline + 1);
    }
  }
  fields.push_back(input);
  return fields;
}

/// ParseOptions with each DuplicateKeys policy, the rest default.
inline std::vector<chathooks::ParseOptions> every_duplicate_policy() {
  std::vector<chathooks::ParseOptions> all(3);
  all[0].duplicate_keys = chathooks::DuplicateKeys::reject;
  all[1].duplicate_keys = chathooks::DuplicateKeys::first_wins;
  all[2].duplicate_keys = chathooks::DuplicateKeys::last_wins;
  return all;
}

/// The codec properties, for one payload type and one input: when `decode(input, options)`
/// succeeds, its encoding decodes again (with default options: the encoder writes what a strict
/// reader accepts), encodes to the same bytes, and is the same JSON as the input parsed with
/// `options` (the codecs lose nothing, unknown members included). Returns the first decoded
/// value's encoding, or nothing when the input does not decode.
template <class Decode, class Encode>
std::string check_round_trip(std::string_view input, const chathooks::ParseOptions& options,
                             Decode decode, Encode encode) {
  auto first = decode(input, options, nullptr);
  if (!first) return {};
  const std::string encoded = encode(*first);
  auto second = decode(encoded, chathooks::ParseOptions{}, nullptr);
  if (!second) fail("the encoding of a decoded payload does not decode", encoded);
  const std::string again = encode(*second);
  require(again == encoded, "decode(encode(decode(x))) encodes differently",
          encoded + " / " + again);

  auto as_json = chathooks::Json::parse(input, options);
  require(as_json.ok(), "a payload decoded but the same text is not JSON", input);
  auto encoded_json = chathooks::Json::parse(encoded);
  require(encoded_json.ok(), "an encoding is not JSON", encoded);
  require(*as_json == *encoded_json, "the encoding is not the same JSON as the input", encoded);
  return encoded;
}

/// check_round_trip() of `input` under each duplicate-member policy, for a codec whose decoder
/// is `decode` (a decode_* function, taking the text, ParseOptions and the warnings list, which
/// is given nullptr) and whose encoder is the encode() overload that argument-dependent lookup
/// finds for the decoded type (each protocol's namespace has one).
template <class Decode>
void check_round_trips(std::string_view input, Decode decode) {
  for (const auto& options : every_duplicate_policy()) {
    check_round_trip(input, options, decode, [](const auto& value) { return encode(value); });
  }
}

/// The tolerant-mode properties (DecodeMode::tolerant), for one payload type and one input:
/// when `decode(input, tolerant)` succeeds, the input is JSON (Json::parse accepts it: a
/// tolerant decode fails on what is not), its encoding is the same JSON, and decoding that
/// encoding tolerantly again succeeds with warnings at the same pointers and encodes to the same
/// bytes (decode -> encode is idempotent).
template <class Decode, class Encode>
void check_tolerant_round_trip(std::string_view input, Decode decode, Encode encode) {
  chathooks::ParseOptions tolerant;
  tolerant.mode = chathooks::DecodeMode::tolerant;
  std::vector<chathooks::DecodeWarning> first_warnings;
  auto first = decode(input, tolerant, &first_warnings);
  if (!first) return;
  const std::string encoded = encode(*first);
  auto as_json = chathooks::Json::parse(input);
  require(as_json.ok(), "a payload decoded tolerantly but the same text is not JSON", input);
  auto encoded_json = chathooks::Json::parse(encoded);
  require(encoded_json.ok(), "a tolerant encoding is not JSON", encoded);
  require(*as_json == *encoded_json, "the tolerant encoding is not the same JSON as the input",
          encoded);

  std::vector<chathooks::DecodeWarning> second_warnings;
  auto second = decode(encoded, tolerant, &second_warnings);
  if (!second) fail("the tolerant encoding does not decode tolerantly", encoded);
  const std::string again = encode(*second);
  require(again == encoded, "tolerant decode -> encode is not idempotent", encoded + " / " + again);
  bool same_warnings = first_warnings.size() == second_warnings.size();
  for (std::size_t i = 0; same_warnings && i < first_warnings.size(); ++i) {
    same_warnings = first_warnings[i].pointer == second_warnings[i].pointer;
  }
  require(same_warnings, "the tolerant encoding decodes with other warnings", encoded);
}

}  // namespace chathooks_fuzz
