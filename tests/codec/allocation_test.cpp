// Allocation-heavy payloads for every typed decoder, at each place where a payload holds a
// free-form array or object: a million elements (Flw responseKeys, contact tags, response
// messages; Cliengo chat_log, intent, entities, tags, fired_triggers, reply text and options;
// a Boticario unknown event's payload) and 10,000 members (Flw contact custom fields, metadata,
// questions, template parameters, extras; Cliengo custom memory and extras; Boticario
// extras). The million-element payloads are refused under the default ParseOptions::max_values
// (100,000) with Errc::too_large at the 100,001st value, and decode whole with max_values and
// max_bytes raised to exactly the payload's values and bytes: the decoders cope with them. The
// 10,000-member payloads are under the default limit and decode whole with it. Each finds a
// duplicate at the very end, and is refused with Errc::too_large one byte over
// ParseOptions::max_bytes. Member names that collide in std::hash go through the typed map and
// extras paths too. Time and memory: tests/perf/allocation_bench.
#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <variant>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"
#include "json/colliding_keys.hpp"
#include "json/pointer_token.hpp"

using chathooks::DecodeWarning;
using chathooks::Errc;
using chathooks::ParseOptions;
using chathooks::Result;
using codec_test::check_error;
using codec_test::require_error;

namespace {

constexpr std::size_t kMillion = 1000000;
constexpr std::size_t kMembers = 10000;

std::string array_of(std::size_t count, const std::string& element) {
  std::string out = "[";
  out.reserve(count * (element.size() + 1) + 2);
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ',';
    out += element;
  }
  return out + "]";
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

/// Success, or the error, whatever the payload type.
template <class T>
Result<bool> outcome(const Result<T>& result) {
  if (!result) return result.error();
  return true;
}

using Decode = std::function<Result<bool>(std::string_view, const ParseOptions&)>;

/// The same document with `inner` (an object's members, no braces) extended by a repeat of
/// "m0", the first member: the decoder must find the duplicate among 10,000 members.
std::string with_duplicate(const std::string& document, const std::string& inner) {
  const auto at = document.find(inner);
  REQUIRE(at != std::string::npos);
  std::string out = document;
  out.insert(at + inner.size(), ",\"m0\":\"again\"");
  return out;
}

template <class T>
Decode decoder(Result<T> (*fn)(std::string_view, const ParseOptions&,
                               std::vector<DecodeWarning>*)) {
  return [fn](std::string_view text, const ParseOptions& options) {
    return outcome(fn(text, options, nullptr));
  };
}

/// ParseOptions whose max_bytes is exactly the size of `document`: the decodes below run at
/// the limit.
ParseOptions exactly(const std::string& document) {
  ParseOptions options;
  options.max_bytes = document.size();
  return options;
}

/// ParseOptions whose max_bytes and max_values are exactly the size of `document` and its
/// number of values (the root, and every member and element): past the default max_values.
ParseOptions raised(const std::string& document, std::size_t values) {
  ParseOptions options;
  options.max_bytes = document.size();
  options.max_values = values;
  return options;
}

/// One byte less than the document is refused before parsing, whatever max_values allows.
void check_refused_below(const std::string& what, const Decode& decode,
                         const std::string& document) {
  INFO(what << " (" << document.size() << " bytes)");
  ParseOptions smaller;
  smaller.max_bytes = document.size() - 1;
  smaller.max_values = std::numeric_limits<std::size_t>::max();
  const auto error = require_error(decode(document, smaller));
  CHECK(error.code() == Errc::too_large);
  CHECK(error.message() == "document is " + std::to_string(document.size()) +
                               " bytes, the limit is " + std::to_string(document.size() - 1));
}

/// Under the default options the document is refused at its 100,001st value, at `pointer`.
void check_refused_by_default(const std::string& what, const Decode& decode,
                              const std::string& document, const std::string& pointer) {
  INFO(what << " (" << document.size() << " bytes)");
  REQUIRE(document.size() <= ParseOptions{}.max_bytes);
  check_error(require_error(decode(document, ParseOptions{})), Errc::too_large, pointer,
              "more values than the limit of 100000");
}

/// With max_values one less than the document's `values`, it is refused at its last value.
void check_refused_at_last(const std::string& what, const Decode& decode,
                           const std::string& document, std::size_t values,
                           const std::string& pointer) {
  INFO(what << " (" << values << " values)");
  check_error(require_error(decode(document, raised(document, values - 1))), Errc::too_large,
              pointer, "more values than the limit of " + std::to_string(values - 1));
}

}  // namespace

TEST_CASE("Flw dispatch: a million tags and response keys, 10,000 custom fields",
          "[codec][allocation]") {
  const std::string keys = array_of(kMillion, "\"K\"");
  const std::string tags = array_of(kMillion, "\"vip\"");
  const std::string inner = members(kMembers);
  {
    const std::string doc = "{\"responseKeys\":" + keys + ",\"contact\":{\"tags\":" + tags + "}}";
    const Decode decode = decoder(&chathooks::flw::decode_dispatch);
    // The root, responseKeys, its elements, contact, tags, its elements.
    const std::size_t values = 2 * kMillion + 4;
    check_refused_by_default("responseKeys and tags", decode, doc, "/responseKeys/99998");
    auto d = chathooks::flw::decode_dispatch(doc, raised(doc, values));
    REQUIRE(d.ok());
    CHECK(d->response_keys->size() == kMillion);
    CHECK(d->contact->tags->size() == kMillion);
    CHECK(d->contact->tags->back() == "vip");
    check_refused_at_last("responseKeys and tags", decode, doc, values, "/contact/tags/999999");
    check_refused_below("responseKeys and tags", decode, doc);
  }
  for (const std::string& place :
       {std::string("contact"), std::string("contact/metadata"), std::string("questions"),
        std::string("session/utm"), std::string("extra")}) {
    std::string doc;
    if (place == "contact") doc = "{\"contact\":{\"name\":\"n\"," + inner + "}}";
    if (place == "contact/metadata") doc = "{\"contact\":{\"metadata\":{" + inner + "}}}";
    if (place == "session/utm") doc = "{\"session\":{\"utm\":{" + inner + "}}}";
    if (place == "extra") doc = "{\"sessionId\":\"s\"," + inner + "}";
    if (place == "questions") {
      std::string questions;
      for (std::size_t i = 0; i < kMembers; ++i) {
        if (i != 0) questions += ',';
        questions += "\"m" + std::to_string(i) + "\":{\"text\":\"t\",\"answer\":\"a\"}";
      }
      doc = "{\"questions\":{" + questions + "}}";
    }
    INFO(place);
    auto d = chathooks::flw::decode_dispatch(doc, exactly(doc));
    REQUIRE(d.ok());
    if (place == "contact") {
      CHECK(d->contact->extra.size() == kMembers);
      REQUIRE(d->contact->custom_field("m9999") != nullptr);
      CHECK(d->contact->custom_field("m9999")->get_int64() == 9999);
    }
    if (place == "contact/metadata") CHECK(d->contact->metadata->size() == kMembers);
    if (place == "session/utm") CHECK(d->session->utm->extra.size() == kMembers);
    if (place == "extra") CHECK(d->extra.size() == kMembers);
    if (place == "questions") CHECK(d->questions->size() == kMembers);
    check_refused_below(place, decoder(&chathooks::flw::decode_dispatch), doc);

    // The first member written again after the 10,000th.
    const std::string last_inner =
        place == "questions" ? "\"m9999\":{\"text\":\"t\",\"answer\":\"a\"}" : "\"m9999\":9999";
    const auto error =
        require_error(chathooks::flw::decode_dispatch(with_duplicate(doc, last_inner)));
    CHECK(error.code() == Errc::duplicate_key);
    const std::string prefix = place == "extra" ? "" : "/" + place;
    CHECK(error.pointer() == prefix + "/m0");
  }
}

TEST_CASE("Flw response: a million messages, 10,000 metadata members and template parameters",
          "[codec][allocation]") {
  const std::string messages = array_of(kMillion, "{}");
  const std::string doc = "{\"response\":\"A\",\"messages\":" + messages + "}";
  {
    const Decode decode = decoder(&chathooks::flw::decode_response);
    check_refused_by_default("messages", decode, doc, "/messages/99997");
    // The root, response, messages and its elements.
    auto r = chathooks::flw::decode_response(doc, raised(doc, kMillion + 3));
    REQUIRE(r.ok());
    CHECK(r->messages->size() == kMillion);
    check_refused_at_last("messages", decode, doc, kMillion + 3, "/messages/999999");
  }
  check_refused_below("messages", decoder(&chathooks::flw::decode_response), doc);

  const std::string inner = members(kMembers);
  const std::string metadata = "{\"metadata\":{" + inner + "}}";
  const std::string parameters =
      "{\"messages\":[{\"template\":{\"id\":\"t\",\"parameters\":{" + inner + "}}}]}";
  auto m = chathooks::flw::decode_response(metadata, exactly(metadata));
  REQUIRE(m.ok());
  CHECK(m->metadata->size() == kMembers);
  auto p = chathooks::flw::decode_response(parameters);
  REQUIRE(p.ok());
  CHECK((*p->messages)[0].message_template->parameters->size() == kMembers);
  check_refused_below("metadata", decoder(&chathooks::flw::decode_response), metadata);
  CHECK(
      require_error(chathooks::flw::decode_response(with_duplicate(parameters, inner))).pointer() ==
      "/messages/0/template/parameters/m0");
}

TEST_CASE("Cliengo request: a million chat log entries, intents, entities and tags",
          "[codec][allocation]") {
  for (const std::string& place : {std::string("chat_log"), std::string("collected_data/intent"),
                                   std::string("collected_data/entities"), std::string("tags"),
                                   std::string("fired_triggers")}) {
    INFO(place);
    const bool collected = place.rfind("collected", 0) == 0;
    const std::string element = place == "chat_log" ? "{\"sender\":null}"
                                : collected         ? "[]"
                                                    : "\"t\"";
    const std::string list = array_of(kMillion, element);
    const std::string doc = collected
                                ? "{\"collected_data\":{\"" + place.substr(15) + "\":" + list + "}}"
                                : "{\"" + place + "\":" + list + "}";
    const Decode decode = decoder(&chathooks::cliengo::decode_memory);
    // The root, the list (and collected_data) and its elements; a chat log entry is two values,
    // the entry i's object the (2i + 3)th.
    const std::size_t values = place == "chat_log" ? 2 * kMillion + 2
                               : collected         ? kMillion + 3
                                                   : kMillion + 2;
    const std::string refused = place == "chat_log" ? "/chat_log/49999"
                                : collected         ? "/" + place + "/99997"
                                                    : "/" + place + "/99998";
    check_refused_by_default(place, decode, doc, refused);
    auto r = chathooks::cliengo::decode_memory(doc, raised(doc, values));
    REQUIRE(r.ok());
    std::size_t size = 0;
    if (place == "chat_log") size = r->chat_log->size();
    if (place == "collected_data/intent") size = r->collected_data->intent->size();
    if (place == "collected_data/entities") size = r->collected_data->entities->size();
    if (place == "tags") size = r->tags->size();
    if (place == "fired_triggers") size = r->fired_triggers->size();
    CHECK(size == kMillion);
    if (place == "chat_log") {
      check_refused_at_last(place, decode, doc, values, "/chat_log/999999/sender");
    }
    check_refused_below(place, decode, doc);
  }
  // The same million entries with a real sender are 21 MB: past the default 16 MiB limit, and
  // refused by their size before the value limit is reached.
  const std::string big = "{\"chat_log\":" + array_of(kMillion, "{\"sender\":\"visitor\"}") + "}";
  REQUIRE(big.size() > ParseOptions{}.max_bytes);
  const auto error = require_error(chathooks::cliengo::decode_memory(big));
  CHECK(error.code() == Errc::too_large);
  CHECK(error.message() ==
        "document is " + std::to_string(big.size()) + " bytes, the limit is 16777216");
}

TEST_CASE("Cliengo: 10,000 custom memory entries and extras, a million reply texts",
          "[codec][allocation]") {
  const std::string inner = members(kMembers);
  const std::string custom = "{\"collected_data\":{\"custom\":{" + inner + "}}}";
  auto r = chathooks::cliengo::decode_memory(custom, exactly(custom));
  REQUIRE(r.ok());
  CHECK(r->collected_data->custom->size() == kMembers);
  check_refused_below("custom", decoder(&chathooks::cliengo::decode_memory), custom);
  CHECK(require_error(chathooks::cliengo::decode_memory(with_duplicate(custom, inner))).pointer() ==
        "/collected_data/custom/m0");

  const std::string extra = "{\"channel\":\"WEB\"," + inner + "}";
  auto e = chathooks::cliengo::decode_memory(extra);
  REQUIRE(e.ok());
  CHECK(e->extra.size() == kMembers);
  CHECK(require_error(chathooks::cliengo::decode_memory(with_duplicate(extra, inner))).pointer() ==
        "/m0");

  const std::string response_custom = "{\"custom\":{" + inner + "}}";
  auto rc = chathooks::cliengo::decode_response(response_custom);
  REQUIRE(rc.ok());
  CHECK(rc->custom->size() == kMembers);

  const std::string texts = "{\"response\":{\"text\":" + array_of(kMillion, "\"hi\"") +
                            ",\"response_options\":" + array_of(kMillion, "\"o\"") + "}}";
  check_refused_by_default("reply text", decoder(&chathooks::cliengo::decode_response), texts,
                           "/response/text/99997");
  // The root, response, text and its elements, response_options and its elements.
  auto t = chathooks::cliengo::decode_response(texts, raised(texts, 2 * kMillion + 4));
  REQUIRE(t.ok());
  CHECK(t->reply->text->size() == kMillion);
  CHECK(t->reply->response_options->size() == kMillion);
  check_refused_below("reply text", decoder(&chathooks::cliengo::decode_response), texts);
}

TEST_CASE("Boticario: a million elements in an unknown event, 10,000 members in extras",
          "[codec][allocation]") {
  // An unknown type is decoded twice (typed pass, then whole as Json): both passes hold.
  const std::string unknown =
      "{\"event\":{\"type\":\"future\"},\"items\":" + array_of(kMillion, "{}") + "}";
  const Decode decode = decoder(&chathooks::boticario::decode_event);
  check_refused_by_default("unknown event", decode, unknown, "/items/99996");
  // The root, event, type, items and its elements.
  auto u = chathooks::boticario::decode_event(unknown, raised(unknown, kMillion + 4));
  REQUIRE(u.ok());
  const auto* event = std::get_if<chathooks::boticario::UnknownEvent>(&*u);
  REQUIRE(event != nullptr);
  CHECK(event->payload.find("items")->size() == kMillion);
  check_refused_at_last("unknown event", decode, unknown, kMillion + 4, "/items/999999");
  check_refused_below("unknown event", decode, unknown);

  const std::string inner = members(kMembers);
  for (const std::string& place :
       {std::string("event"), std::string("message"), std::string("clientData"), std::string("")}) {
    INFO(place);
    const std::string doc =
        place.empty()      ? "{\"event\":{\"type\":\"status\"}," + inner + "}"
        : place == "event" ? "{\"event\":{\"type\":\"message\"," + inner + "}}"
                           : "{\"event\":{\"type\":\"message\"},\"" + place + "\":{" + inner + "}}";
    auto d = chathooks::boticario::decode_event(doc, exactly(doc));
    REQUIRE(d.ok());
    check_refused_below(place, decoder(&chathooks::boticario::decode_event), doc);
    const auto error =
        require_error(chathooks::boticario::decode_event(with_duplicate(doc, inner)));
    CHECK(error.code() == Errc::duplicate_key);
    CHECK(error.pointer() == (place.empty() ? "" : "/" + place) + "/m0");
  }
}

TEST_CASE("Colliding member names through typed maps and extras", "[codec][allocation]") {
  const auto keys = colliding_keys::names(12);
  const std::string object = colliding_keys::object(keys);
  auto contact = chathooks::flw::decode_dispatch("{\"contact\":" + object + "}");
  REQUIRE(contact.ok());
  CHECK(contact->contact->extra.size() == keys.size());

  std::string questions = "{\"questions\":{";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i != 0) questions += ',';
    questions += colliding_keys::quoted(keys[i]) + ":{\"answer\":\"a\"}";
  }
  auto q = chathooks::flw::decode_dispatch(questions + "}}");
  REQUIRE(q.ok());
  CHECK(q->questions->size() == keys.size());
  const auto error = require_error(chathooks::flw::decode_dispatch(
      questions + "," + colliding_keys::quoted(keys[4000]) + ":null}}"));
  CHECK(error.code() == Errc::duplicate_key);
  CHECK(error.pointer() == "/questions/" + json_test::pointer_token(keys[4000]));
}
