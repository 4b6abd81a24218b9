// The decoder's tokenizer (src/json/reader.hpp) against RapidJSON's Reader as the decoder used it
// before (iterative, in situ, numbers as strings): the same events with the same text, the same
// error codes at the same byte offsets, for the documents' payloads, each of their prefixes, and
// many random mutations of them, with RapidJSON validating UTF-8 as the tokenizer does. Only one
// difference is by design: RapidJSON refuses some
// numbers as "too big" by their written form; the tokenizer hands every well-formed number on.
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "json_test_util.hpp"
#include "reader_compare.hpp"

namespace {

using reader_compare::comparable;
using reader_compare::eligible;
using reader_compare::Outcome;
using reader_compare::with_rapidjson;
using reader_compare::with_tokenizer;

// Compares both readers on `text` run to the end and, with `each_stop`, stopped by the handler
// at each event in turn.
void compare(const std::string& text, bool each_stop = false) {
  if (!eligible(text)) return;
  const Outcome expected = with_rapidjson(text, static_cast<std::size_t>(-1));
  if (!comparable(expected)) return;
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
       {"{}", "[]", "  [1, -2.5e+3, 0, -0, 1E400, 0.1e-7, true, false, null]  ",
        R"({"a":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","b":{"c":[{}, [], ""]}})",
        R"(["\u0041\u00", "\ud800", "\ud800\u0041", "\udc00", "\x", "tab	in"])", "[1,]",
        "{\"a\":1,}", "{\"a\" 1}", "{\"a\":}", "{,}", "[,1]", "{1:2}", "01", "-", "1.", "1e", "1e+",
        ".5", "tru", "nul", "fals", "[1 2]", "{\"a\":1 \"b\":2}", "]", "}", ":", ",", "\"open",
        "[\"a\\", "{\"a\":[1,{\"b\":null}]}x", "\t\r\n 7 \n",
        // Whitespace runs longer than sixteen bytes, with line breaks and tabs inside and at
        // either end, and one that runs to the end of the text.
        "[1,\n                    \t  \r\n                        2 ,\t\t\t\t\t\t\t\t\t\t\t\t"
        "\t\t\t\t\t\t 3\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n\r\n]                                  ",
        "\"\\u12G4\"",
        // UTF-8: valid sequences of each length around escapes, then each kind of invalid one
        // (a stray continuation, an overlong form, a surrogate, above U+10FFFF, a truncated
        // sequence, one cut by the quote or the end) in strings, in keys and outside strings.
        "{\"cl\xc3\xa9\":\"\xe2\x82\xac \\n \xf0\x9f\x98\x80\xc2\xa9\\u00e9\xe4\xb8\xad\"}",
        "[\"\x80\"]", "[\"ab\xc0\xaf\"]", "[\"\\n\xe0\x80\xaf\"]", "[\"\xed\xa0\x80\"]",
        "[\"\xf4\x90\x80\x80\"]", "[\"\xf5\x80\x80\x80\"]", "[\"\xe2\x82\"]", "[\"\\t\xe2\x82\"]",
        "[\"\xe2\x82", "[\"\xf0", "[\"0123456789abcdef\xc3\xa9 and \xff\"]", "{\"k\xff\":1}",
        "[1,\xc3\xa9]", "{\"a\":1}\xc3\xa9", "\xef\xbb\xbf{}"}) {
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
  const std::string alphabet =
      "{}[]:,\"\\ \t\n0123456789-+.eEtrufalsn/ubx\x7f\x01\x80\xbf\xc3\xa9\xe2\xed\xf0\xf4\xff";
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
