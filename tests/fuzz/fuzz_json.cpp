// Fuzz target: chathooks::Json::parse under each duplicate-member policy and without the byte
// order mark, then the dump round trip: what parses dumps (compact and pretty) to text that
// parses back to an equal value and dumps to the same bytes. The policies must agree with each
// other: reject accepts only what has no duplicate, and then all three give the same value.
// Lossless dumps: when the input has no duplicate member, its dump holds the same member names
// (unescaped) and the same number tokens (as written), in the same order.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/json.hpp"
#include "fuzz_support.hpp"
#include "utf8_append.hpp"

namespace {

using chathooks::Json;

// The member names (escapes decoded) and the number tokens (as written) of a JSON text the
// parser accepted, in order. A tiny scanner: valid JSON is assumed (a leading BOM is skipped).
struct Tokens {
  std::vector<std::string> keys;
  std::vector<std::string_view> numbers;
};

unsigned hex_value(std::string_view text, std::size_t at) {
  unsigned v = 0;
  for (std::size_t k = at; k < at + 4 && k < text.size(); ++k) {
    const char c = text[k];
    v = v * 16 + static_cast<unsigned>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

Tokens tokens_of(std::string_view text) {
  Tokens out;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      std::string value;
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] != '\\') {
          value += text[i++];
          continue;
        }
        const char e = i + 1 < text.size() ? text[i + 1] : '\0';
        i += 2;
        switch (e) {
          case 'b':
            value += '\b';
            break;
          case 'f':
            value += '\f';
            break;
          case 'n':
            value += '\n';
            break;
          case 'r':
            value += '\r';
            break;
          case 't':
            value += '\t';
            break;
          case 'u': {
            unsigned cp = hex_value(text, i);
            i += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && text.substr(i, 2) == "\\u") {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (hex_value(text, i + 2) - 0xDC00);
              i += 6;
            }
            chathooks_test::append_utf8(value, cp);
            break;
          }
          default:
            value += e;
        }
      }
      ++i;  // the closing quote
      std::size_t next = i;
      while (next < text.size() &&
             (text[next] == ' ' || text[next] == '\t' || text[next] == '\n' || text[next] == '\r'))
        ++next;
      if (next < text.size() && text[next] == ':') out.keys.push_back(std::move(value));
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t start = i;
      while (i < text.size() &&
             (text[i] == '-' || text[i] == '+' || text[i] == '.' || text[i] == 'e' ||
              text[i] == 'E' || (text[i] >= '0' && text[i] <= '9')))
        ++i;
      out.numbers.push_back(text.substr(start, i - start));
    } else {
      ++i;
    }
  }
  return out;
}

// A dump of an input without duplicate members keeps its names and number spellings in order.
void check_lossless(std::string_view input, const Json& value) {
  const std::string compact = value.dump();
  const Tokens in = tokens_of(input);
  const Tokens out = tokens_of(compact);
  chathooks_fuzz::require(in.keys == out.keys, "dump() changed the member names or their order",
                          std::string(input) + " / " + compact);
  chathooks_fuzz::require(in.numbers == out.numbers,
                          "dump() changed a number's spelling or the numbers' order",
                          std::string(input) + " / " + compact);
  const std::string pretty_text = value.dump(2);  // the Tokens point into it
  const Tokens pretty = tokens_of(pretty_text);
  chathooks_fuzz::require(pretty.keys == in.keys && pretty.numbers == in.numbers,
                          "dump(2) changed the member names, numbers or their order", compact);
}

// The dump properties of one parsed value.
void check_dumps(const Json& value) {
  const std::string compact = value.dump();
  auto back = Json::parse(compact);
  if (!back) {
    chathooks_fuzz::fail("dump() does not parse", compact + " / " + back.error().to_string());
  }
  chathooks_fuzz::require(*back == value, "parse(dump(v)) != v", compact);
  chathooks_fuzz::require(back->dump() == compact, "dump(parse(dump(v))) != dump(v)", compact);

  const std::string pretty = value.dump(2);
  auto pretty_back = Json::parse(pretty);
  chathooks_fuzz::require(pretty_back.ok(), "dump(2) does not parse", pretty);
  chathooks_fuzz::require(*pretty_back == value, "parse(dump(2)) != v", pretty);
  chathooks_fuzz::require(pretty_back->dump() == compact, "dump(2) and dump() disagree", pretty);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = chathooks_fuzz::as_text(data, size);
  const auto policies = chathooks_fuzz::every_duplicate_policy();
  const auto rejected = Json::parse(input, policies[0]);
  const auto first = Json::parse(input, policies[1]);
  const auto last = Json::parse(input, policies[2]);
  chathooks_fuzz::require(first.ok() == last.ok(), "first_wins and last_wins disagree", input);
  if (rejected) {
    chathooks_fuzz::require(first.ok() && *first == *rejected && last.ok() && *last == *rejected,
                            "without duplicates the policies give different values", input);
  } else if (first.ok()) {
    chathooks_fuzz::require(rejected.error().code() == chathooks::Errc::duplicate_key,
                            "reject fails with another error than duplicate_key", input);
  }
  for (const auto* parsed : {&rejected, &first, &last}) {
    if (parsed->ok()) check_dumps(**parsed);
  }
  if (rejected) check_lossless(input, *rejected);

  chathooks::ParseOptions no_bom;
  no_bom.allow_bom = false;
  const auto strict = Json::parse(input, no_bom);
  if (input.substr(0, 3) == "\xEF\xBB\xBF") {
    chathooks_fuzz::require(!strict.ok(), "a BOM was accepted with allow_bom = false", input);
  } else {
    chathooks_fuzz::require(strict.ok() == rejected.ok(), "allow_bom changed a BOM-less verdict",
                            input);
  }
  return 0;
}
