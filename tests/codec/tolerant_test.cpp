// DecodeMode::tolerant: a known member whose value has an unexpected type or format is kept as
// it came (encoded unchanged, in its place), its Field is_unreadable(), extra.unreadable(name)
// is the raw value, and the warnings list the JSON Pointer of each value at fault; strict mode
// fails with the member's error and pointer. Malformed JSON, the limits, rejected duplicate
// keys and a root that is not an object still fail a tolerant decode.
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/json.hpp"
#include "codec_test_support.hpp"
#include "lossless_support.hpp"

namespace {

using chathooks::DecodeWarning;
using chathooks::Errc;
using chathooks::ExtraMembers;
using chathooks::Json;
using chathooks::ParseOptions;
using lossless::compact;
using lossless::tolerant_options;

// Each protocol's decoder, with the three arguments.
const auto decode_dispatch = [](std::string_view t, const ParseOptions& o,
                                std::vector<DecodeWarning>* w) {
  return chathooks::flw::decode_dispatch(t, o, w);
};
const auto decode_flw_response = [](std::string_view t, const ParseOptions& o,
                                    std::vector<DecodeWarning>* w) {
  return chathooks::flw::decode_response(t, o, w);
};
const auto decode_memory = [](std::string_view t, const ParseOptions& o,
                              std::vector<DecodeWarning>* w) {
  return chathooks::cliengo::decode_memory(t, o, w);
};
const auto decode_cliengo_response = [](std::string_view t, const ParseOptions& o,
                                        std::vector<DecodeWarning>* w) {
  return chathooks::cliengo::decode_response(t, o, w);
};
const auto decode_event = [](std::string_view t, const ParseOptions& o,
                             std::vector<DecodeWarning>* w) {
  return chathooks::boticario::decode_event(t, o, w);
};

// `text` with each (pointer, raw JSON) replacement made.
std::string edited(const std::string& text,
                   const std::vector<std::pair<std::string, std::string>>& edits) {
  std::string out = text;
  for (const auto& [pointer, raw] : edits) out = lossless::with_value(out, pointer, raw);
  return out;
}

// Strict fails with `code` at `pointer`; tolerant succeeds with warnings at exactly
// `warnings`, encodes to the input compacted, and passes `check` (the Fields and raw values).
template <class Decode, class Check>
void check_kept(const std::string& input, Decode decode, Errc code, const std::string& pointer,
                const std::vector<std::string>& warnings, Check check) {
  INFO("input: " << input);
  const auto strict = decode(input, ParseOptions{}, nullptr);
  REQUIRE_FALSE(strict.ok());
  INFO("strict error: " << strict.error().to_string());
  CHECK(strict.error().code() == code);
  CHECK(strict.error().pointer() == pointer);

  std::vector<DecodeWarning> got;
  const auto decoded = decode(input, tolerant_options(), &got);
  if (!decoded) FAIL("tolerant decode failed: " << decoded.error().to_string());
  std::vector<std::string> pointers;
  for (const DecodeWarning& w : got) {
    pointers.push_back(w.pointer);
    CHECK_FALSE(w.reason.empty());
  }
  CHECK(pointers == warnings);
  CHECK(encode(*decoded) == compact(input));
  check(*decoded);
  // Without a warnings list the tolerant decode gives the same value.
  const auto quiet = decode(input, tolerant_options(), nullptr);
  REQUIRE(quiet.ok());
  CHECK(encode(*quiet) == compact(input));
}

// extra.unreadable(name) is `raw` (JSON text), spelled as it came.
void check_raw(const ExtraMembers& extra, const char* name, const std::string& raw) {
  INFO("unreadable member " << name);
  const Json* kept = extra.unreadable(name);
  REQUIRE(kept != nullptr);
  CHECK(kept->dump() == compact(raw));
  CHECK(*kept == codec_test::parse_json(raw));
}

const char* const kNoZone = "\"2024-06-02T12:00:10.38771\"";

}  // namespace

TEST_CASE("Tolerant Flw dispatch: timestamps, arrays of strings, objects for strings, numbers",
          "[codec][tolerant][flw]") {
  const std::string base = codec_test::load_vector("flw_dispatch.json");

  SECTION("a timestamp without a zone") {
    check_kept(edited(base, {{"/session/createdAt", kNoZone}}), decode_dispatch,
               Errc::invalid_value, "/session/createdAt", {"/session/createdAt"},
               [](const chathooks::flw::Dispatch& d) {
                 REQUIRE(d.session.has_value());
                 CHECK(d.session.get()->created_at.is_unreadable());
                 check_raw(d.session.get()->extra, "createdAt", kNoZone);
                 CHECK_FALSE(d.session.get()->id.is_unreadable());
               });
  }
  SECTION("an empty timestamp") {
    check_kept(edited(base, {{"/lastMessage/createdAt", "\"\""}}), decode_dispatch,
               Errc::invalid_value, "/lastMessage/createdAt", {"/lastMessage/createdAt"},
               [](const chathooks::flw::Dispatch& d) {
                 REQUIRE(d.last_message.has_value());
                 CHECK(d.last_message.get()->created_at.is_unreadable());
                 check_raw(d.last_message.get()->extra, "createdAt", "\"\"");
               });
  }
  SECTION("a null inside an array of strings") {
    const std::string raw = R"(["Lead", null, "VIP"])";
    check_kept(edited(base, {{"/contact/tags", raw}}), decode_dispatch, Errc::type_mismatch,
               "/contact/tags/1", {"/contact/tags/1"}, [&](const chathooks::flw::Dispatch& d) {
                 REQUIRE(d.contact.has_value());
                 CHECK(d.contact.get()->tags.is_unreadable());
                 check_raw(d.contact.get()->extra, "tags", raw);
               });
  }
  SECTION("an object where a string is expected") {
    const std::string raw = R"({"first": "David", "n": 1.50, "big": 18446744073709551616})";
    check_kept(edited(base, {{"/contact/name", raw}}), decode_dispatch, Errc::type_mismatch,
               "/contact/name", {"/contact/name"}, [&](const chathooks::flw::Dispatch& d) {
                 REQUIRE(d.contact.has_value());
                 CHECK(d.contact.get()->name.is_unreadable());
                 check_raw(d.contact.get()->extra, "name", raw);
                 // The unknown member after it is still read.
                 CHECK(d.contact.get()->extra.find("cnpj") != nullptr);
               });
  }
  SECTION("a string where a struct is expected") {
    check_kept(edited(base, {{"/session/utm", "\"utm=1\""}}), decode_dispatch, Errc::type_mismatch,
               "/session/utm", {"/session/utm"}, [](const chathooks::flw::Dispatch& d) {
                 REQUIRE(d.session.has_value());
                 CHECK(d.session.get()->utm.is_unreadable());
                 check_raw(d.session.get()->extra, "utm", "\"utm=1\"");
               });
  }
  SECTION("a fraction at an integer member") {
    check_kept(edited(base, {{"/lastMessage/file/size", "1.0"}}), decode_dispatch,
               Errc::type_mismatch, "/lastMessage/file/size", {"/lastMessage/file/size"},
               [](const chathooks::flw::Dispatch& d) {
                 const auto* file = d.last_message.get()->file.get();
                 REQUIRE(file != nullptr);
                 CHECK(file->size.is_unreadable());
                 check_raw(file->extra, "size", "1.0");
               });
  }
  SECTION("an integer beyond 64 bits at an integer member") {
    check_kept(edited(base, {{"/lastMessage/file/size", "18446744073709551616"}}), decode_dispatch,
               Errc::number_out_of_range, "/lastMessage/file/size", {"/lastMessage/file/size"},
               [](const chathooks::flw::Dispatch& d) {
                 const auto* file = d.last_message.get()->file.get();
                 REQUIRE(file != nullptr);
                 CHECK(file->size.is_unreadable());
                 check_raw(file->extra, "size", "18446744073709551616");
               });
  }
  SECTION("a number at a string member of a map of structs' entry") {
    check_kept(edited(base, {{"/questions/cb-ec36e3fe-qst-c0b0875a/answer", "5"}}), decode_dispatch,
               Errc::type_mismatch, "/questions/cb-ec36e3fe-qst-c0b0875a/answer",
               {"/questions/cb-ec36e3fe-qst-c0b0875a/answer"},
               [](const chathooks::flw::Dispatch& d) {
                 const auto* entry = d.questions.get()->find("cb-ec36e3fe-qst-c0b0875a");
                 REQUIRE(entry != nullptr);
                 REQUIRE(entry->has_value());
                 CHECK(entry->get()->answer.is_unreadable());
                 check_raw(entry->get()->extra, "answer", "5");
               });
  }
  SECTION("several members at fault: one warning each, in document order") {
    check_kept(edited(base, {{"/session/createdAt", "\"\""},
                             {"/contact/tags", "[null, 5]"},
                             {"/lastMessage/file/size", "1E+2"},
                             {"/sessionId", "-0"}}),
               decode_dispatch, Errc::type_mismatch, "/sessionId",
               {"/sessionId", "/session/createdAt", "/contact/tags/0", "/lastMessage/file/size"},
               [](const chathooks::flw::Dispatch& d) {
                 CHECK(d.session_id.is_unreadable());
                 check_raw(d.extra, "sessionId", "-0");
                 check_raw(d.contact.get()->extra, "tags", "[null,5]");
                 check_raw(d.last_message.get()->file.get()->extra, "size", "1E+2");
                 CHECK(d.extra.unreadable("session") == nullptr);
               });
  }
}

TEST_CASE("Tolerant Flw response: members of structs inside an array of structs",
          "[codec][tolerant][flw]") {
  const std::string base = codec_test::load_vector("flw_response_messages.json");

  SECTION("a nested struct's member of the wrong type") {
    check_kept(edited(base, {{"/messages/2/template/id", "7"}}), decode_flw_response,
               Errc::type_mismatch, "/messages/2/template/id", {"/messages/2/template/id"},
               [](const chathooks::flw::Response& r) {
                 const auto& messages = *r.messages.get();
                 REQUIRE(messages.size() == 3);
                 const auto* tmpl = messages[2].message_template.get();
                 REQUIRE(tmpl != nullptr);
                 CHECK(tmpl->id.is_unreadable());
                 check_raw(tmpl->extra, "id", "7");
                 CHECK(tmpl->parameters.has_value());
               });
  }
  SECTION("an array where a string is expected in an element") {
    check_kept(edited(base, {{"/messages/1/fileUrl", R"(["a", 1.50])"}}), decode_flw_response,
               Errc::type_mismatch, "/messages/1/fileUrl", {"/messages/1/fileUrl"},
               [](const chathooks::flw::Response& r) {
                 const auto& messages = *r.messages.get();
                 REQUIRE(messages.size() == 3);
                 CHECK(messages[1].file_url.is_unreadable());
                 check_raw(messages[1].extra, "fileUrl", R"(["a",1.50])");
                 CHECK(messages[0].text.has_value());
                 CHECK(messages[2].message_template.has_value());
               });
  }
  SECTION("an element of an array of structs that is not an object") {
    check_kept(
        edited(base, {{"/messages/1", "\"x\""}}), decode_flw_response, Errc::type_mismatch,
        "/messages/1", {"/messages/1"}, [&](const chathooks::flw::Response& r) {
          CHECK(r.messages.is_unreadable());
          lossless::Node tree = lossless::parse_tree(edited(base, {{"/messages/1", "\"x\""}}));
          check_raw(r.extra, "messages", lossless::write_tree(lossless::at(tree, "/messages")));
        });
  }
  SECTION("an array where an object (free-form) is expected") {
    const std::string contact = codec_test::load_vector("flw_response_contact.json");
    check_kept(edited(contact, {{"/metadata", "[1.0, -0]"}}), decode_flw_response,
               Errc::type_mismatch, "/metadata", {"/metadata"},
               [](const chathooks::flw::Response& r) {
                 CHECK(r.metadata.is_unreadable());
                 check_raw(r.extra, "metadata", "[1.0,-0]");
               });
  }
}

TEST_CASE("Tolerant Cliengo memory", "[codec][tolerant][cliengo]") {
  const std::string base = codec_test::load_vector("cliengo_request.json");

  SECTION("last_question_id as a string") {
    check_kept(edited(base, {{"/flow/last_question_id", "\"3\""}}), decode_memory,
               Errc::type_mismatch, "/flow/last_question_id", {"/flow/last_question_id"},
               [](const chathooks::cliengo::Memory& m) {
                 REQUIRE(m.flow.has_value());
                 CHECK(m.flow.get()->last_question_id.is_unreadable());
                 check_raw(m.flow.get()->extra, "last_question_id", "\"3\"");
                 CHECK(m.flow.get()->retry_count.has_value());
               });
  }
  SECTION("a timestamp without a zone and an empty one") {
    check_kept(edited(base, {{"/creation_date", kNoZone}, {"/lead_post_date", "\"\""}}),
               decode_memory, Errc::invalid_value, "/creation_date",
               {"/creation_date", "/lead_post_date"}, [](const chathooks::cliengo::Memory& m) {
                 CHECK(m.creation_date.is_unreadable());
                 CHECK(m.lead_post_date.is_unreadable());
                 CHECK(m.last_interaction_date.has_value());
                 check_raw(m.extra, "creation_date", kNoZone);
                 check_raw(m.extra, "lead_post_date", "\"\"");
               });
  }
  SECTION("a null inside an array of strings") {
    check_kept(edited(base, {{"/tags", R"(["fired_new_lead", null])"}}), decode_memory,
               Errc::type_mismatch, "/tags/1", {"/tags/1"},
               [](const chathooks::cliengo::Memory& m) {
                 CHECK(m.tags.is_unreadable());
                 check_raw(m.extra, "tags", R"(["fired_new_lead",null])");
               });
  }
  SECTION("an object where a string is expected, in an array of structs") {
    check_kept(edited(base, {{"/chat_log/1/text", R"({"t": "x", "n": 1E+2})"}}), decode_memory,
               Errc::type_mismatch, "/chat_log/1/text", {"/chat_log/1/text"},
               [](const chathooks::cliengo::Memory& m) {
                 const auto& log = *m.chat_log.get();
                 REQUIRE(log.size() == 2);
                 CHECK(log[1].text.is_unreadable());
                 CHECK(log[1].sender.has_value());
                 check_raw(log[1].extra, "text", R"({"t":"x","n":1E+2})");
               });
  }
  SECTION("a number at a nested struct's string member") {
    check_kept(edited(base, {{"/collected_data/phone/national_format", "11.0"}}), decode_memory,
               Errc::type_mismatch, "/collected_data/phone/national_format",
               {"/collected_data/phone/national_format"}, [](const chathooks::cliengo::Memory& m) {
                 const auto* phone = m.collected_data.get()->phone.get();
                 REQUIRE(phone != nullptr);
                 CHECK(phone->national_format.is_unreadable());
                 check_raw(phone->extra, "national_format", "11.0");
               });
  }
  SECTION("a string at a boolean member") {
    check_kept(edited(base, {{"/reactivated", "\"false\""}}), decode_memory, Errc::type_mismatch,
               "/reactivated", {"/reactivated"}, [](const chathooks::cliengo::Memory& m) {
                 CHECK(m.reactivated.is_unreadable());
                 check_raw(m.extra, "reactivated", "\"false\"");
               });
  }
}

TEST_CASE("Tolerant Cliengo response", "[codec][tolerant][cliengo]") {
  const std::string base = codec_test::load_vector("cliengo_response.json");

  SECTION("flow as 5.0") {
    check_kept(edited(base, {{"/response/flow", "5.0"}}), decode_cliengo_response,
               Errc::type_mismatch, "/response/flow", {"/response/flow"},
               [](const chathooks::cliengo::Response& r) {
                 REQUIRE(r.reply.has_value());
                 CHECK(r.reply.get()->flow.is_unreadable());
                 check_raw(r.reply.get()->extra, "flow", "5.0");
               });
  }
  SECTION("a null inside an array of strings") {
    check_kept(edited(base, {{"/response/text", R"(["Ok", null])"}}), decode_cliengo_response,
               Errc::type_mismatch, "/response/text/1", {"/response/text/1"},
               [](const chathooks::cliengo::Response& r) {
                 CHECK(r.reply.get()->text.is_unreadable());
                 check_raw(r.reply.get()->extra, "text", R"(["Ok",null])");
               });
  }
  SECTION("an object where a struct's string is expected") {
    check_kept(edited(base, {{"/email/value", R"({"v": "juan@example.com"})"}}),
               decode_cliengo_response, Errc::type_mismatch, "/email/value", {"/email/value"},
               [](const chathooks::cliengo::Response& r) {
                 CHECK(r.email.get()->value.is_unreadable());
                 check_raw(r.email.get()->extra, "value", R"({"v":"juan@example.com"})");
               });
  }
}

TEST_CASE("Tolerant Boticario events", "[codec][tolerant][boticario]") {
  const std::string message = codec_test::load_vector("boticario_message_event.json");
  const std::string status = codec_test::load_vector("boticario_status_read.json");
  auto fields =
      [](const chathooks::boticario::Event& e) -> const chathooks::boticario::EventFields& {
    if (const auto* m = std::get_if<chathooks::boticario::MessageEvent>(&e)) return *m;
    const auto* s = std::get_if<chathooks::boticario::StatusEvent>(&e);
    REQUIRE(s != nullptr);
    return *s;
  };

  SECTION("a timestamp without a zone") {
    check_kept(edited(message, {{"/message/createdAt", kNoZone}}), decode_event,
               Errc::invalid_value, "/message/createdAt", {"/message/createdAt"},
               [&](const chathooks::boticario::Event& e) {
                 CHECK(std::holds_alternative<chathooks::boticario::MessageEvent>(e));
                 const auto* m = fields(e).message.get();
                 REQUIRE(m != nullptr);
                 CHECK(m->created_at.is_unreadable());
                 check_raw(m->extra, "createdAt", kNoZone);
               });
  }
  SECTION("an empty timestamp") {
    check_kept(edited(message, {{"/clientData/timeLastMessage", "\"\""}}), decode_event,
               Errc::invalid_value, "/clientData/timeLastMessage", {"/clientData/timeLastMessage"},
               [&](const chathooks::boticario::Event& e) {
                 const auto* c = fields(e).client_data.get();
                 REQUIRE(c != nullptr);
                 CHECK(c->time_last_message.is_unreadable());
                 check_raw(c->extra, "timeLastMessage", "\"\"");
               });
  }
  SECTION("an object where a string is expected") {
    check_kept(edited(message, {{"/message/to", R"({"n": "+55", "k": -0})"}}), decode_event,
               Errc::type_mismatch, "/message/to", {"/message/to"},
               [&](const chathooks::boticario::Event& e) {
                 const auto* m = fields(e).message.get();
                 CHECK(m->to.is_unreadable());
                 check_raw(m->extra, "to", R"({"n":"+55","k":-0})");
               });
  }
  SECTION("a nested struct's member of the wrong type") {
    check_kept(edited(status, {{"/message/mediaData/link", "[1.50]"}}), decode_event,
               Errc::type_mismatch, "/message/mediaData/link", {"/message/mediaData/link"},
               [&](const chathooks::boticario::Event& e) {
                 CHECK(std::holds_alternative<chathooks::boticario::StatusEvent>(e));
                 const auto* media = fields(e).message.get()->media_data.get();
                 REQUIRE(media != nullptr);
                 CHECK(media->link.is_unreadable());
                 check_raw(media->extra, "link", "[1.50]");
               });
  }
  SECTION("a number at the delivery status") {
    check_kept(edited(status, {{"/event/status", "3"}}), decode_event, Errc::type_mismatch,
               "/event/status", {"/event/status"}, [&](const chathooks::boticario::Event& e) {
                 CHECK(std::holds_alternative<chathooks::boticario::StatusEvent>(e));
                 CHECK(fields(e).event.get()->status.is_unreadable());
                 check_raw(fields(e).event.get()->extra, "status", "3");
               });
  }
  SECTION("a type that is not a string is still an error") {
    for (const char* type : {"5", "null", "[\"status\"]", "{\"t\": \"status\"}"}) {
      const std::string input = edited(status, {{"/event/type", type}});
      INFO("input: " << input);
      for (const ParseOptions& options : {ParseOptions{}, tolerant_options()}) {
        const auto out = chathooks::boticario::decode_event(input, options);
        REQUIRE_FALSE(out.ok());
        INFO(out.error().to_string());
        if (std::string(type) != "null") CHECK(out.error().code() == Errc::type_mismatch);
        CHECK(out.error().pointer() == "/event/type");
      }
    }
  }
  SECTION("an event that is not an object is still an error") {
    const std::string input = edited(status, {{"/event", "\"status\""}});
    for (const ParseOptions& options : {ParseOptions{}, tolerant_options()}) {
      const auto out = chathooks::boticario::decode_event(input, options);
      REQUIRE_FALSE(out.ok());
      CHECK(out.error().code() == Errc::type_mismatch);
      CHECK(out.error().pointer() == "/event");
    }
  }
}

TEST_CASE("Tolerant decoding still fails on malformed JSON, limits, duplicates and a bad root",
          "[codec][tolerant][errors]") {
  const ParseOptions tolerant = tolerant_options();
  auto code_of = [&](const std::string& input) {
    INFO("input: " << input.substr(0, 300));
    std::vector<DecodeWarning> warnings;
    const auto out = chathooks::flw::decode_dispatch(input, tolerant, &warnings);
    if (out) FAIL_CHECK("decoded, encodes to " << chathooks::flw::encode(*out));
    return out ? Errc::internal : out.error().code();
  };
  CHECK(code_of(R"({"contact":{"name":"D")") == Errc::syntax);
  CHECK(code_of(R"({"contact":{"name":"D",}})") == Errc::syntax);
  CHECK(code_of(R"({"contact":{"name":{"a":}}})") == Errc::syntax);
  CHECK(code_of(R"([{"sessionId":"x"}])") == Errc::type_mismatch);
  CHECK(code_of(R"("x")") == Errc::type_mismatch);
  CHECK(code_of("null") == Errc::type_mismatch);
  CHECK(code_of(R"({"sessionId":"a","sessionId":"b"})") == Errc::duplicate_key);
  CHECK(code_of(R"({"contact":{"zz":1,"zz":2}})") == Errc::duplicate_key);

  std::string deep_unknown = R"({"contact":{"x":)";
  std::string deep_known = R"({"contact":{"name":)";
  for (int i = 0; i < 200; ++i) {
    deep_unknown += '[';
    deep_known += '[';
  }
  for (int i = 0; i < 200; ++i) {
    deep_unknown += ']';
    deep_known += ']';
  }
  deep_unknown += "}}";
  deep_known += "}}";
  CHECK(code_of(deep_unknown) == Errc::too_deep);
  SECTION("too deep inside a member kept as it came") {
    CHECK(code_of(deep_known) == Errc::too_deep);
  }
  SECTION("too many values inside a member kept as it came") {
    ParseOptions small = tolerant;
    small.max_values = 20;
    std::string many = R"({"contact":{"name":[)";
    for (int i = 0; i < 50; ++i) many += i == 0 ? "1" : ",1";
    many += "]}}";
    const auto out = chathooks::flw::decode_dispatch(many, small);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code() == Errc::too_large);
  }
  SECTION("a duplicate key inside a member kept as it came") {
    CHECK(code_of(R"({"contact":{"name":{"a":1,"a":2}}})") == Errc::duplicate_key);
  }
  SECTION("invalid UTF-8 inside a member kept as it came") {
    CHECK(code_of("{\"contact\":{\"name\":[\"\xFF\"]}}") == Errc::invalid_utf8);
    CHECK(code_of(R"({"contact":{"name":["\ud800"]}})") == Errc::invalid_utf8);
  }
}

TEST_CASE("A failed tolerant decode adds no warnings, and invalid UTF-8 anywhere is its error",
          "[codec][tolerant][errors]") {
  const ParseOptions tolerant = tolerant_options();
  // "flow": 5.5 is kept as it came (a warning) before the parse reaches the fault.
  const std::string kept = R"({"name":{"value":"J"},"response":{"flow":5.5,)";
  std::vector<DecodeWarning> warnings{DecodeWarning{"/earlier", "from an earlier decode"}};
  const auto error_of = [&](const std::string& input) {
    INFO("input: " << input);
    auto out = chathooks::cliengo::decode_response(input, tolerant, &warnings);
    REQUIRE_FALSE(out.ok());
    REQUIRE(warnings.size() == 1);  // the caller's own entries stay, none are added
    CHECK(warnings[0].pointer == "/earlier");
    return std::move(out).error();
  };
  const std::size_t at = kept.size();
  CHECK(error_of(kept + "}").code() == Errc::syntax);
  CHECK(error_of(kept + R"("text":["a"]},"x":1,"x":2})").code() == Errc::duplicate_key);
  // Found by the second pass that takes the kept members' values whole.
  CHECK(error_of(kept + R"("text":{"a":1,"a":2}}})").code() == Errc::duplicate_key);
  // Invalid UTF-8 or a NUL byte is the error wherever it is, even after a syntax error (at
  // `at`, where a member name should be).
  const auto bad_string = error_of(kept + "}}, \"z\":\"\xC3(\"}");
  CHECK(bad_string.code() == Errc::invalid_utf8);
  CHECK(bad_string.offset() == at + 9);
  const auto bad_byte = error_of(kept + "1}}\xFF");
  CHECK(bad_byte.code() == Errc::invalid_utf8);
  CHECK(bad_byte.offset() == at + 3);
  const auto nul = error_of(kept + std::string("1}}\0", 4));
  CHECK(nul.code() == Errc::syntax);
  CHECK(nul.offset() == at + 3);
  CHECK(nul.message().find("NUL byte") != std::string::npos);
  // Valid UTF-8 that is not ASCII, outside strings: a syntax error where it stands.
  const std::string before_value = kept + R"("text":["a"]}, "z":)";
  const auto outside = error_of(before_value + "\xC3\xA9}");
  CHECK(outside.code() == Errc::syntax);
  CHECK(outside.offset() == before_value.size());
  // A success after them still reports its warning.
  warnings.clear();
  const auto ok =
      chathooks::cliengo::decode_response(kept + "\"text\":[\"\xC3\xA9\"]}}", tolerant, &warnings);
  REQUIRE(ok.ok());
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].pointer == "/response/flow");
}

TEST_CASE("A number beyond double in a tolerant decode is refused or kept, never lost",
          "[codec][tolerant][numbers]") {
  // Json::parse refuses 1e400 (number_out_of_range). A tolerant decode may refuse it too, or
  // keep it; what it may not do is succeed and encode something else.
  for (const char* input :
       {R"({"contact":{"x":1e400,"id":"1"}})", R"({"contact":{"name":[1e400],"id":"1"}})",
        R"({"contact":{"metadata":{"k":1e400},"id":"1"}})",
        R"({"lastMessage":{"file":{"size":1e400}}})"}) {
    INFO("input: " << input);
    const auto out = chathooks::flw::decode_dispatch(input, tolerant_options());
    if (out) {
      CHECK(chathooks::flw::encode(*out) == input);
    } else {
      CHECK(out.error().code() == Errc::number_out_of_range);
    }
  }
}

TEST_CASE("Tolerant decoding of the vectors gives no warnings and the same encoding",
          "[codec][tolerant][vectors]") {
  for (const auto& kind : lossless::kinds()) {
    for (const char* file : kind.files) {
      INFO(file);
      const std::string text = codec_test::load_vector(file);
      std::vector<DecodeWarning> warnings;
      const auto out = kind.round_trip(text, tolerant_options(), &warnings);
      REQUIRE(out.ok());
      CHECK(warnings.empty());
      CHECK(*out == compact(text));
    }
  }
}

TEST_CASE("A repeated member under each duplicate policy keeps the value the policy picks",
          "[codec][lossless][tolerant][duplicates]") {
  // Found by fuzz_flw_response: a number that keeps its spelling, given to a repeated member
  // the policy skips, was written in place of the member's value (or another member's).
  const std::string input = R"({"response":"A","metadata":{"c":true},"response":0.36854})";
  ParseOptions options;
  SECTION("first_wins keeps the first value, and writes it") {
    options.duplicate_keys = chathooks::DuplicateKeys::first_wins;
    for (const auto mode : {chathooks::DecodeMode::strict, chathooks::DecodeMode::tolerant}) {
      options.mode = mode;
      std::vector<DecodeWarning> warnings;
      auto r = decode_flw_response(input, options, &warnings);
      REQUIRE(r.ok());
      CHECK(warnings.empty());
      CHECK(r->branch == std::string("A"));
      CHECK(chathooks::flw::encode(*r) == R"({"response":"A","metadata":{"c":true}})");
    }
  }
  SECTION("last_wins, strict: the last value is of the wrong type") {
    options.duplicate_keys = chathooks::DuplicateKeys::last_wins;
    auto r = decode_flw_response(input, options, nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == Errc::type_mismatch);
    CHECK(r.error().pointer() == "/response");
  }
  SECTION("last_wins, tolerant: the last value is kept as it came, in the first one's place") {
    options.duplicate_keys = chathooks::DuplicateKeys::last_wins;
    options.mode = chathooks::DecodeMode::tolerant;
    std::vector<DecodeWarning> warnings;
    auto r = decode_flw_response(input, options, &warnings);
    REQUIRE(r.ok());
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].pointer == "/response");
    CHECK(r->branch.is_unreadable());
    CHECK(chathooks::flw::encode(*r) == R"({"response":0.36854,"metadata":{"c":true}})");
  }
  SECTION("last_wins, tolerant: an unreadable value then a good one") {
    options.duplicate_keys = chathooks::DuplicateKeys::last_wins;
    options.mode = chathooks::DecodeMode::tolerant;
    std::vector<DecodeWarning> warnings;
    auto r = decode_flw_response(R"({"response":1.5,"response":"B"})", options, &warnings);
    REQUIRE(r.ok());
    CHECK(warnings.size() == 1);  // the first value was at fault when it was read
    CHECK(r->branch == std::string("B"));
    CHECK(chathooks::flw::encode(*r) == R"({"response":"B"})");
  }
  SECTION("last_wins, tolerant: two unreadable values, the last one kept") {
    options.duplicate_keys = chathooks::DuplicateKeys::last_wins;
    options.mode = chathooks::DecodeMode::tolerant;
    std::vector<DecodeWarning> warnings;
    auto r = decode_flw_response(R"({"response":1.5,"response":[2]})", options, &warnings);
    REQUIRE(r.ok());
    CHECK(warnings.size() == 2);
    CHECK(r->branch.is_unreadable());
    CHECK(chathooks::flw::encode(*r) == R"({"response":[2]})");
  }
}
