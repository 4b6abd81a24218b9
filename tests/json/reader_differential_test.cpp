// The decoder's tokenizer (src/json/reader.hpp) against RapidJSON's Reader as the decoder used it
// before (iterative, in situ, numbers as strings): the same events with the same text, the same
// error codes at the same byte offsets, for the documents' payloads, each of their prefixes, and
// many random mutations of them. Only one difference is by design: RapidJSON refuses some
// numbers as "too big" by their written form; the tokenizer hands every well-formed number on.
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/reader.h>

#include "catch.hpp"
#include "json/reader.hpp"
#include "json/utf8.hpp"
#include "json_test_util.hpp"

namespace {

// Records every event as a line; can stop the parse at a given event to check the offsets
// reported for a handler that returns false.
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

Outcome with_rapidjson(const std::string& text, std::size_t stop_at) {
  std::string buffer = text;  // in situ: a mutable, NUL-terminated copy
  Recorder recorder;
  recorder.stop_at = stop_at;
  rapidjson::InsituStringStream stream(&buffer[0]);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseInsituFlag |
                              rapidjson::kParseNumbersAsStringsFlag;
  const rapidjson::ParseResult result = reader.Parse<kFlags>(stream, recorder);
  return {recorder.events, result.Code(), result.IsError() ? result.Offset() : 0};
}

Outcome with_tokenizer(const std::string& text, std::size_t stop_at) {
  // A copy in a buffer of its own size, so that AddressSanitizer sees any read past the end.
  const std::vector<char> exact(text.begin(), text.end());
  Recorder recorder;
  recorder.stop_at = stop_at;
  chathooks::detail::Reader reader;
  const auto result = reader.parse(std::string_view(exact.data(), exact.size()), recorder);
  return {recorder.events, result.code, result.ok() ? 0 : result.offset};
}

// The tokenizer's preconditions: valid UTF-8 and no NUL byte (the decoder checks both first).
bool eligible(const std::string& text) {
  return text.find('\0') == std::string::npos &&
         chathooks::detail::find_invalid_utf8(text) == std::string_view::npos;
}

// Compares both readers on `text` run to the end and, with `each_stop`, stopped by the handler
// at each event in turn.
void compare(const std::string& text, bool each_stop = false) {
  if (!eligible(text)) return;
  const Outcome expected = with_rapidjson(text, static_cast<std::size_t>(-1));
  if (expected.code == rapidjson::kParseErrorNumberTooBig) return;  // the one difference
  const Outcome got = with_tokenizer(text, static_cast<std::size_t>(-1));
  INFO("text: " << text);
  REQUIRE(got.code == expected.code);
  REQUIRE(got.offset == expected.offset);
  REQUIRE(got.events == expected.events);
  for (std::size_t stop = 1; each_stop && stop <= expected.events.size(); ++stop) {
    INFO("stopped at event " << stop);
    const Outcome stopped_expected = with_rapidjson(text, stop);
    const Outcome stopped = with_tokenizer(text, stop);
    REQUIRE(stopped.code == stopped_expected.code);
    REQUIRE(stopped.offset == stopped_expected.offset);
  }
}

std::vector<std::string> seeds() {
  std::vector<std::string> out;
  for (const char* name : {"flw_dispatch.json", "flw_response_contact.json",
                           "boticario_message_event.json", "cliengo_request.json"}) {
    out.push_back(json_test::read_test_data(name));
  }
  for (const char* text :
       {"{}",
        "[]",
        "  [1, -2.5e+3, 0, -0, 1E400, 0.1e-7, true, false, null]  ",
        R"({"a":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","b":{"c":[{}, [], ""]}})",
        R"(["\u0041\u00", "\ud800", "\ud800\u0041", "\udc00", "\x", "tab	in"])",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{\"a\":}",
        "{,}",
        "[,1]",
        "{1:2}",
        "01",
        "-",
        "1.",
        "1e",
        "1e+",
        ".5",
        "tru",
        "nul",
        "fals",
        "[1 2]",
        "{\"a\":1 \"b\":2}",
        "]",
        "}",
        ":",
        ",",
        "\"open",
        "[\"a\\",
        "{\"a\":[1,{\"b\":null}]}x",
        "\t\r\n 7 \n",
        "\"\\u12G4\""}) {
    out.emplace_back(text);
  }
  return out;
}

}  // namespace

TEST_CASE("The tokenizer matches RapidJSON on the payloads and on each of their prefixes",
          "[json][reader]") {
  for (const std::string& seed : seeds()) {
    compare(seed, true);
    for (std::size_t cut = 0; cut < seed.size(); ++cut) compare(seed.substr(0, cut));
  }
}

TEST_CASE("The tokenizer matches RapidJSON on random mutations", "[json][reader]") {
  const std::vector<std::string> base = seeds();
  // Bytes that change JSON's structure most often, and some that are never valid.
  const std::string alphabet = "{}[]:,\"\\ \t\n0123456789-+.eEtrufalsn/ubx\x7f\x01";
  std::mt19937 random(20261204);
  for (int round = 0; round < 3000; ++round) {
    std::string text = base[random() % base.size()];
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = random() % text.size();
      const char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          text.erase(at, 1 + random() % 3);
          break;
      }
    }
    compare(text, round % 10 == 0);
  }
}
