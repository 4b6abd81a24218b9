// Fuzz target: chathooks::Json::parse under each duplicate-member policy and without the byte
// order mark, then the dump round trip: what parses dumps (compact and pretty) to text that
// parses back to an equal value and dumps to the same bytes. The policies must agree with each
// other: reject accepts only what has no duplicate, and then all three give the same value.
#include <cstddef>
#include <cstdint>
#include <string>

#include "chathooks/json.hpp"
#include "fuzz_support.hpp"

namespace {

using chathooks::Json;

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
