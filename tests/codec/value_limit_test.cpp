// ParseOptions::max_values through the typed decoders: every value counts the same whether the
// schema gives it a struct member, a map entry, a vector element or extras (member names do
// not count), the boundary is exact (max_values accepted, one more refused with
// Errc::too_large at the pointer of the first value past it), and the default of 100,000
// applies to each protocol's decoders, Boticario's second, whole-payload pass included.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::Errc;
using chathooks::ParseOptions;
using chathooks::Result;
using codec_test::check_error;
using codec_test::require_error;

namespace {

constexpr std::size_t kDefault = 100000;

std::string limit_message(std::size_t max_values) {
  return "more values than the limit of " + std::to_string(max_values);
}

ParseOptions limit(std::size_t max_values) {
  ParseOptions options;
  options.max_values = max_values;
  return options;
}

/// Success, or the error, whatever the payload type.
template <class T>
Result<bool> outcome(const Result<T>& result) {
  if (!result) return result.error();
  return true;
}

/// The typed decoder of a test vector, by its file name.
Result<bool> decode_vector(std::string_view file, std::string_view text,
                           const ParseOptions& options) {
  if (file.rfind("flw_dispatch", 0) == 0) {
    return outcome(chathooks::flw::decode_dispatch(text, options));
  }
  if (file.rfind("flw_response", 0) == 0) {
    return outcome(chathooks::flw::decode_response(text, options));
  }
  if (file.rfind("boticario", 0) == 0) {
    return outcome(chathooks::boticario::decode_event(text, options));
  }
  if (file.rfind("cliengo_request", 0) == 0) {
    return outcome(chathooks::cliengo::decode_memory(text, options));
  }
  REQUIRE(file.rfind("cliengo_response", 0) == 0);
  return outcome(chathooks::cliengo::decode_response(text, options));
}

/// `count` copies of `element`, comma-separated, no brackets.
std::string list_of(std::size_t count, const std::string& element) {
  std::string out;
  out.reserve(count * (element.size() + 1));
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ',';
    out += element;
  }
  return out;
}

/// `count` members "m0":0, "m1":1, ... without braces.
std::string members(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ',';
    out += "\"m" + std::to_string(i) + "\":" + std::to_string(i);
  }
  return out;
}

}  // namespace

TEST_CASE("Every test vector decodes with max_values at its value count, not one less",
          "[codec][limits][max_values]") {
  for (const auto& vector : codec_test::all_vectors()) {
    INFO(vector.file);
    const std::string text = codec_test::load_vector(vector.file);
    // The vector's values, counted on its Json tree (no duplicates): the root and every
    // member and element; the last in document order is the last of a pre-order walk.
    const auto values = codec_test::all_members(codec_test::parse_json(text));
    REQUIRE_FALSE(values.empty());
    const std::size_t count = values.size() + 1;
    INFO(count << " values, the last at " << values.back().first);
    CHECK(decode_vector(vector.file, text, limit(count)).ok());
    check_error(require_error(decode_vector(vector.file, text, limit(count - 1))), Errc::too_large,
                values.back().first, limit_message(count - 1));
    // Well under the default.
    CHECK(count < kDefault);
  }
}

TEST_CASE("Flw: the default max_values in a dispatch and a response",
          "[codec][limits][max_values]") {
  SECTION("dispatch: responseKeys") {
    // The root, responseKeys and 99,998 keys: exactly the limit.
    const std::string keys = list_of(kDefault - 2, "\"K\"");
    auto d = chathooks::flw::decode_dispatch("{\"responseKeys\":[" + keys + "]}");
    REQUIRE(d.ok());
    CHECK(d->response_keys->size() == kDefault - 2);
    check_error(
        require_error(chathooks::flw::decode_dispatch("{\"responseKeys\":[" + keys + ",\"K\"]}")),
        Errc::too_large, "/responseKeys/99998", limit_message(kDefault));
  }
  SECTION("dispatch: contact custom fields (extras) and metadata") {
    // The root, contact, and 99,998 extras members: exactly the limit.
    const std::string custom = members(kDefault - 2);
    auto d = chathooks::flw::decode_dispatch("{\"contact\":{" + custom + "}}");
    REQUIRE(d.ok());
    CHECK(d->contact->extra.size() == kDefault - 2);
    check_error(
        require_error(chathooks::flw::decode_dispatch("{\"contact\":{" + custom + ",\"x\":[]}}")),
        Errc::too_large, "/contact/x", limit_message(kDefault));
    // A typed struct member past the limit is named the same way.
    check_error(require_error(chathooks::flw::decode_dispatch("{\"contact\":{" + custom +
                                                              ",\"name\":\"n\"}}")),
                Errc::too_large, "/contact/name", limit_message(kDefault));
    check_error(require_error(chathooks::flw::decode_dispatch("{\"contact\":{\"metadata\":{" +
                                                              custom + "}}}")),
                Errc::too_large, "/contact/metadata/m99997", limit_message(kDefault));
  }
  SECTION("response: messages") {
    // The root, response, messages, and each message of two values: {"text":"t"}.
    const std::size_t count = (kDefault - 3) / 2;  // 49,998 messages: 99,999 values
    const std::string messages = list_of(count, "{\"text\":\"t\"}");
    const std::string head = "{\"response\":\"A\",\"messages\":[" + messages;
    auto at_limit = chathooks::flw::decode_response(head + ",{}]}");  // 100,000 values
    REQUIRE(at_limit.ok());
    CHECK(at_limit->messages->size() == count + 1);
    check_error(require_error(chathooks::flw::decode_response(head + ",{\"text\":\"t\"}]}")),
                Errc::too_large, "/messages/49998/text", limit_message(kDefault));
  }
}

TEST_CASE("Cliengo: the default max_values in a request and a response",
          "[codec][limits][max_values]") {
  SECTION("request: chat log entries, the limit at a struct member") {
    // The root, chat_log, and 33,333 entries of three values: {"sender":..,"text":..}.
    const std::size_t count = 33333;
    const std::string head =
        "{\"chat_log\":[" + list_of(count - 1, "{\"sender\":\"visitor\",\"text\":\"x\"}");
    // The last entry with one member: 100,000 values.
    auto at_limit = chathooks::cliengo::decode_memory(head + ",{\"sender\":\"visitor\"}]}");
    REQUIRE(at_limit.ok());
    CHECK(at_limit->chat_log->size() == count);
    // With both members: its text is the 100,001st value.
    check_error(require_error(chathooks::cliengo::decode_memory(
                    head + ",{\"sender\":\"visitor\",\"text\":\"x\"}]}")),
                Errc::too_large, "/chat_log/33332/text", limit_message(kDefault));
  }
  SECTION("request: custom memory (free-form)") {
    const std::string custom = members(kDefault - 3);  // the root, collected_data, custom
    auto r =
        chathooks::cliengo::decode_memory("{\"collected_data\":{\"custom\":{" + custom + "}}}");
    REQUIRE(r.ok());
    CHECK(r->collected_data->custom->size() == kDefault - 3);
    check_error(require_error(chathooks::cliengo::decode_memory(
                    "{\"collected_data\":{\"custom\":{" + custom + ",\"last\":{}}}}")),
                Errc::too_large, "/collected_data/custom/last", limit_message(kDefault));
  }
  SECTION("response: reply texts") {
    const std::string texts = list_of(kDefault - 3, "\"hi\"");  // the root, response, text
    auto r = chathooks::cliengo::decode_response("{\"response\":{\"text\":[" + texts + "]}}");
    REQUIRE(r.ok());
    CHECK(r->reply->text->size() == kDefault - 3);
    check_error(require_error(chathooks::cliengo::decode_response("{\"response\":{\"text\":[" +
                                                                  texts + ",\"hi\"]}}")),
                Errc::too_large, "/response/text/99997", limit_message(kDefault));
  }
}

TEST_CASE("Boticario: the default max_values in known and unknown events",
          "[codec][limits][max_values]") {
  SECTION("a status event's extras") {
    // The root, event, type, and 99,997 extras members.
    const std::string head = "{\"event\":{\"type\":\"status\"}," + members(kDefault - 3);
    auto at_limit = chathooks::boticario::decode_event(head + "}");
    REQUIRE(at_limit.ok());
    REQUIRE(std::holds_alternative<chathooks::boticario::StatusEvent>(*at_limit));
    check_error(require_error(chathooks::boticario::decode_event(head + ",\"z\":null}")),
                Errc::too_large, "/z", limit_message(kDefault));
  }
  SECTION("an unknown event, kept whole by a second parse") {
    // The root, event, type, items, and 99,996 elements.
    const std::string head =
        "{\"event\":{\"type\":\"future\"},\"items\":[" + list_of(kDefault - 4, "0");
    auto at_limit = chathooks::boticario::decode_event(head + "]}");
    REQUIRE(at_limit.ok());
    const auto* event = std::get_if<chathooks::boticario::UnknownEvent>(&*at_limit);
    REQUIRE(event != nullptr);
    CHECK(event->payload.find("items")->size() == kDefault - 4);
    check_error(require_error(chathooks::boticario::decode_event(head + ",0]}")), Errc::too_large,
                "/items/99996", limit_message(kDefault));
    // Raised, both passes take the larger document.
    auto raised = chathooks::boticario::decode_event(head + ",0]}", limit(kDefault + 1));
    REQUIRE(raised.ok());
    REQUIRE(std::holds_alternative<chathooks::boticario::UnknownEvent>(*raised));
  }
}

TEST_CASE("Typed decoders locate invalid UTF-8 in documents past max_values",
          "[codec][limits][max_values][utf8]") {
  // 200,000 response keys, the 150,000th with a bad byte: the location pass sets no limit.
  std::string text = "{\"responseKeys\":[" + list_of(150000, "\"K\"") + ",\"K";
  const std::size_t bad = text.size();
  text += "\xC0\"," + list_of(49999, "\"K\"") + "]}";
  for (const std::size_t max_values : {kDefault, std::size_t{1}}) {
    INFO("max_values " << max_values);
    check_error(require_error(chathooks::flw::decode_dispatch(text, limit(max_values))),
                Errc::invalid_utf8, "/responseKeys/150000",
                "invalid UTF-8 at byte " + std::to_string(bad));
    check_error(require_error(chathooks::cliengo::decode_memory(
                    "{\"tags\":" + text.substr(text.find('[')), limit(max_values))),
                Errc::invalid_utf8, "/tags/150000",
                "invalid UTF-8 at byte " + std::to_string(bad - 8));
  }
}
