// Runs the decoder's tokenizer (src/json/reader.hpp) and RapidJSON's Reader as the decoder used
// it before (iterative, in situ, numbers as strings), validating UTF-8, on the same text, recording
// their events, error codes and offsets, for tests/json/reader_differential_test.cpp and the fuzz
// target tests/fuzz/fuzz_reader.cpp. Test-only; not thread-safe (one run at a time per Recorder).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/reader.h>

#include "json/reader.hpp"

namespace reader_compare {

// Records every event as a line; stops the parse at event number `stop_at` (1-based) to check
// the offsets reported for a handler that returns false.
struct Recorder {
  std::vector<std::string> events;
  std::size_t stop_at = static_cast<std::size_t>(-1);

  bool add(std::string event) {
    events.push_back(std::move(event));
    return events.size() != stop_at;
  }
  bool Null() { return add("null"); }
  bool Bool(bool b) { return add(b ? "true" : "false"); }
  bool Int(int) { return add("unexpected int"); }
  bool Uint(unsigned) { return add("unexpected uint"); }
  bool Int64(std::int64_t) { return add("unexpected int64"); }
  bool Uint64(std::uint64_t) { return add("unexpected uint64"); }
  bool Double(double) { return add("unexpected double"); }
  bool RawNumber(const char* s, unsigned n, bool) { return add("number " + std::string(s, n)); }
  bool String(const char* s, unsigned n, bool) { return add("string " + std::string(s, n)); }
  bool Key(const char* s, unsigned n, bool) { return add("key " + std::string(s, n)); }
  bool StartObject() { return add("{"); }
  bool EndObject(unsigned) { return add("}"); }
  bool StartArray() { return add("["); }
  bool EndArray(unsigned) { return add("]"); }
};

struct Outcome {
  std::vector<std::string> events;
  rapidjson::ParseErrorCode code;
  std::size_t offset;
};

inline Outcome with_rapidjson(std::string_view text, std::size_t stop_at) {
  // In situ: a mutable, NUL-terminated copy. Validating a sequence cut by the end, RapidJSON
  // takes its continuation bytes past the terminator: three more NUL bytes keep that inside
  // the buffer (they end the text as the first one does).
  std::string buffer(text);
  buffer.append(3, '\0');
  Recorder recorder;
  recorder.stop_at = stop_at;
  rapidjson::InsituStringStream stream(&buffer[0]);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag |
                              rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseValidateEncodingFlag;
  const rapidjson::ParseResult result = reader.Parse<kFlags>(stream, recorder);
  return {recorder.events, result.Code(), result.IsError() ? result.Offset() : 0};
}

inline Outcome with_tokenizer(std::string_view text, std::size_t stop_at) {
  // A copy in a buffer of its own size, so that AddressSanitizer sees any read past the end.
  const std::vector<char> exact(text.begin(), text.end());
  Recorder recorder;
  recorder.stop_at = stop_at;
  chathooks::detail::Reader reader;
  const auto result = reader.parse(std::string_view(exact.data(), exact.size()), recorder);
  return {recorder.events, result.code, result.ok() ? 0 : result.offset};
}

/// Texts both can read the same way: RapidJSON's in-situ reader takes a NUL byte for the end
/// of the text (the tokenizer refuses it where it stands, and the decoder reports it first).
inline bool eligible(std::string_view text) { return text.find('\0') == std::string_view::npos; }

/// The one difference by design: RapidJSON refuses some numbers as too big by their written
/// form, where the tokenizer hands every well-formed number on (the decoder judges its value).
inline bool comparable(const Outcome& rapidjson_outcome) {
  return rapidjson_outcome.code != rapidjson::kParseErrorNumberTooBig;
}

inline bool same(const Outcome& a, const Outcome& b) {
  return a.code == b.code && a.offset == b.offset && a.events == b.events;
}

}  // namespace reader_compare
