// Text that is not JSON (truncated vectors, garbage, bad UTF-8) and hostile sizes: syntax
// errors carry the byte offset, and ParseOptions' size and depth limits hold for every decoder.
#include <string>
#include <variant>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::Errc;
using chathooks::Json;
using chathooks::ParseOptions;
using codec_test::all_vectors;
using codec_test::load_vector;
using codec_test::parse_json;
using codec_test::require_error;

namespace {

// Success or the error, whatever the payload type.
template <class T>
chathooks::Result<bool> outcome(const chathooks::Result<T>& result) {
  if (!result) return result.error();
  return true;
}

// Decodes `input` with the decoder of the vector `file`.
chathooks::Result<bool> decode_with(const std::string& file, std::string_view input,
                                    const ParseOptions& options) {
  if (file == "flw_dispatch.json") return outcome(chathooks::flw::decode_dispatch(input, options));
  if (file.rfind("flw_response", 0) == 0) {
    return outcome(chathooks::flw::decode_response(input, options));
  }
  if (file.rfind("boticario", 0) == 0) {
    return outcome(chathooks::boticario::decode_event(input, options));
  }
  if (file == "cliengo_request.json") {
    return outcome(chathooks::cliengo::decode_memory(input, options));
  }
  return outcome(chathooks::cliengo::decode_response(input, options));
}

// An undocumented member "x" holding `arrays` nested arrays, after a Boticario event type so
// that every decoder accepts the document.
std::string nested_arrays(std::size_t arrays) {
  return R"({"event":{"type":"status"},"x":)" + std::string(arrays, '[') +
         std::string(arrays, ']') + "}";
}

}  // namespace

TEST_CASE("Truncated vectors are syntax errors with an offset", "[codec][syntax]") {
  for (const auto& v : all_vectors()) {
    const std::string full = load_vector(v.file);
    for (const std::size_t keep :
         {std::size_t{1}, full.size() / 3, full.size() / 2, full.size() - 2}) {
      const std::string cut = full.substr(0, keep);
      INFO(v.file << " cut to " << keep << " bytes");
      const auto error = require_error(v.round_trip(cut));
      INFO(error.to_string());
      CHECK(error.code() == Errc::syntax);
      REQUIRE(error.offset().has_value());
      CHECK(*error.offset() <= cut.size());
      CHECK(error.message().find("syntax error at byte " + std::to_string(*error.offset())) == 0);
    }
  }
}

TEST_CASE("Syntax errors point at the offending byte", "[codec][syntax]") {
  const auto trailing_comma = require_error(chathooks::flw::decode_response(R"({"a":1,})"));
  CHECK(trailing_comma.code() == Errc::syntax);
  CHECK(trailing_comma.offset() == std::optional<std::size_t>(7));

  const auto garbage_after = require_error(chathooks::flw::decode_response("{} x"));
  CHECK(garbage_after.code() == Errc::syntax);
  CHECK(garbage_after.offset() == std::optional<std::size_t>(3));

  const auto empty = require_error(chathooks::cliengo::decode_memory(""));
  CHECK(empty.code() == Errc::syntax);
  CHECK(empty.offset() == std::optional<std::size_t>(0));

  const auto spaces = require_error(chathooks::boticario::decode_event("   "));
  CHECK(spaces.code() == Errc::syntax);

  // The spec's own Cliengo response example: single quotes and a trailing comma.
  const auto single_quotes =
      require_error(chathooks::cliengo::decode_response("{'name': {'value': 'Juan'},}"));
  CHECK(single_quotes.code() == Errc::syntax);
  CHECK(single_quotes.offset() == std::optional<std::size_t>(1));
}

TEST_CASE("Syntax errors name the member the parser was in", "[codec][syntax]") {
  const auto bad_literal =
      require_error(chathooks::flw::decode_dispatch(R"({"contact":{"name":tru}})"));
  CHECK(bad_literal.code() == Errc::syntax);
  CHECK(bad_literal.offset() == std::optional<std::size_t>(22));
  CHECK(bad_literal.pointer() == "/contact/name");

  const auto too_big =
      require_error(chathooks::flw::decode_dispatch(R"({"lastMessage":{"file":{"size":1e999}}})"));
  CHECK(too_big.code() == Errc::number_out_of_range);
  CHECK(too_big.offset() == std::optional<std::size_t>(31));
  CHECK(too_big.pointer() == "/lastMessage/file/size");

  const auto in_map = require_error(
      chathooks::flw::decode_dispatch(R"({"questions":{"q/1":{"answer":"a","text":nul}}})"));
  CHECK(in_map.code() == Errc::syntax);
  CHECK(in_map.pointer() == "/questions/q~11/text");
}

TEST_CASE("Invalid UTF-8 is refused with the member's pointer", "[codec][syntax]") {
  const auto raw =
      require_error(chathooks::flw::decode_dispatch("{\"contact\":{\"name\":\"Jo\xC3\x28o\"}}"));
  CHECK(raw.code() == Errc::invalid_utf8);
  CHECK(raw.offset().has_value());

  const auto surrogate =
      require_error(chathooks::cliengo::decode_memory(R"({"chat_log":[{"text":"\udc00"}]})"));
  CHECK(surrogate.code() == Errc::invalid_utf8);
  CHECK(surrogate.pointer() == "/chat_log/0/text");

  // In a member name too, known or not.
  const auto in_key = require_error(chathooks::flw::decode_response("{\"resp\xFFonse\":\"A\"}"));
  CHECK(in_key.code() == Errc::invalid_utf8);
  const auto surrogate_key =
      require_error(chathooks::flw::decode_response(R"({"contact":{"\udc00":1}})"));
  CHECK(surrogate_key.code() == Errc::invalid_utf8);

  // A paired surrogate is fine and is written back as UTF-8.
  auto emoji = chathooks::cliengo::decode_memory(R"({"chat_log":[{"text":"\ud83d\ude00"}]})");
  REQUIRE(emoji.ok());
  CHECK((*emoji->chat_log)[0].text == std::string("\xF0\x9F\x98\x80"));
}

TEST_CASE("A leading byte order mark follows ParseOptions::allow_bom", "[codec][syntax]") {
  const std::string input = "\xEF\xBB\xBF" + load_vector("cliengo_response.json");
  auto with_bom = chathooks::cliengo::decode_response(input);
  REQUIRE(with_bom.ok());
  CHECK(with_bom->name->value == std::string("Juan Roman"));

  ParseOptions strict;
  strict.allow_bom = false;
  const auto error = require_error(chathooks::cliengo::decode_response(input, strict));
  CHECK(error.code() == Errc::syntax);
  CHECK(error.offset() == std::optional<std::size_t>(0));
}

TEST_CASE("ParseOptions::max_bytes bounds every decoder", "[codec][limits]") {
  for (const auto& v : all_vectors()) {
    INFO(v.file);
    const std::string input = load_vector(v.file);
    ParseOptions exact;
    exact.max_bytes = input.size();
    CHECK(decode_with(v.file, input, exact).ok());
    ParseOptions smaller;
    smaller.max_bytes = input.size() - 1;
    const auto error = require_error(decode_with(v.file, input, smaller));
    CHECK(error.code() == Errc::too_large);
  }
}

TEST_CASE("ParseOptions::max_depth bounds every decoder", "[codec][limits]") {
  // The default allows 128 levels, the top-level object included.
  for (const auto& v : all_vectors()) {
    INFO(v.file);
    CHECK(decode_with(v.file, nested_arrays(127), ParseOptions{}).ok());
    const auto error = require_error(decode_with(v.file, nested_arrays(128), ParseOptions{}));
    CHECK(error.code() == Errc::too_deep);
  }
  // The deepest documented member, /session/utm/clid, is at level 3.
  const std::string dispatch = load_vector("flw_dispatch.json");
  ParseOptions three;
  three.max_depth = 3;
  CHECK(chathooks::flw::decode_dispatch(dispatch, three).ok());
  ParseOptions two;
  two.max_depth = 2;
  const auto error = require_error(chathooks::flw::decode_dispatch(dispatch, two));
  CHECK(error.code() == Errc::too_deep);
  CHECK(error.pointer() == "/session/utm");
  // Deep input that a raised limit admits decodes and round-trips.
  ParseOptions deep;
  deep.max_depth = 2000;
  auto ok = chathooks::flw::decode_response(nested_arrays(1999), deep);
  REQUIRE(ok.ok());
  CHECK(chathooks::flw::encode(*ok) == nested_arrays(1999));
}

TEST_CASE("Hostile nesting far past the limit is refused without a crash", "[codec][limits]") {
  const std::string brackets(1000000, '[');
  const auto error = require_error(chathooks::flw::decode_dispatch("{\"x\":" + brackets));
  CHECK(error.code() == Errc::too_deep);
  const std::string objects = [] {
    std::string out;
    for (int i = 0; i < 200000; ++i) out += "{\"a\":";
    return out;
  }();
  CHECK(require_error(chathooks::boticario::decode_event(objects)).code() == Errc::too_deep);
}

TEST_CASE("Large payloads within the limits decode whole", "[codec][limits]") {
  // 20,000 custom fields on a contact, 20,000 chat log entries, a 4 MiB answer.
  std::string contact = R"({"contact":{"name":"n")";
  for (int i = 0; i < 20000; ++i)
    contact += ",\"campo-" + std::to_string(i) + "\":" + std::to_string(i);
  contact += "}}";
  auto d = chathooks::flw::decode_dispatch(contact);
  REQUIRE(d.ok());
  CHECK(d->contact->extra.size() == 20000);
  REQUIRE(d->contact->custom_field("campo-19999") != nullptr);
  CHECK(d->contact->custom_field("campo-19999")->get_int64() == 19999);
  CHECK(chathooks::flw::encode(*d) == contact);

  std::string log = R"({"chat_log":[)";
  for (int i = 0; i < 20000; ++i)
    log += std::string(i ? "," : "") + R"({"sender":"visitor","text":"m"})";
  log += "]}";
  auto r = chathooks::cliengo::decode_memory(log);
  REQUIRE(r.ok());
  CHECK(r->chat_log->size() == 20000);
  CHECK(chathooks::cliengo::encode(*r) == log);

  const std::string big_answer(4 * 1024 * 1024, 'a');
  auto q =
      chathooks::flw::decode_dispatch(R"({"questions":{"q":{"answer":")" + big_answer + R"("}}})");
  REQUIRE(q.ok());
  CHECK(codec_test::value_of(q->questions->find("q"))->answer->size() == big_answer.size());
}

TEST_CASE("A deep payload admitted by a raised max_depth costs heap, not stack",
          "[codec][limits]") {
  // ParseOptions::max_depth: "the parser is iterative, so a larger limit costs heap, never
  // stack". Half a million levels overflow an 8 MiB stack if anything on the way (decoding,
  // encoding, destroying the decoded value) recurses once per level.
  constexpr std::size_t kLevels = 500000;
  ParseOptions deep;
  deep.max_depth = kLevels + 2;
  deep.max_values = kLevels + 10;  // every level is a value (ParseOptions::max_values)
  const std::string input = nested_arrays(kLevels);
  {
    auto decoded = chathooks::flw::decode_response(input, deep);
    REQUIRE(decoded.ok());
    const std::string encoded = chathooks::flw::encode(*decoded);
    CHECK(encoded.size() == input.size());
    CHECK(encoded == input);
  }  // the decoded value is destroyed here
  SUCCEED("decoded, encoded and destroyed");
}
