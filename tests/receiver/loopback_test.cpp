// The receivers on a real loopback server, wired by the chathooks::httplib component (mount() of
// chathooks/httplib/receiver.hpp), driven with raw libcurl: signed, replayed, unsigned,
// tampered, stale and rotated-key deliveries; malformed and mistyped bodies; oversized bodies
// with and without Content-Length; wrong methods and content types; handlers that throw or
// refuse; Boticario's status events without webhook-id. The concurrent cases are in
// loopback_concurrency_test.cpp.
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/signing/keys.hpp"
#include "codec/codec_test_support.hpp"
#include "loopback_fixture.hpp"
#include "loopback_protocols.hpp"

using namespace chathooks_test;
using chathooks::Json;
using chathooks::receiver::Disposition;
using chathooks::receiver::ReceiverOptions;
using chathooks::receiver::Refusal;

namespace {

// A protocol's receiver with its call record, served on loopback. The server is declared last,
// so that it stops (and its threads end) before the record goes.
struct Served {
  Protocol protocol;
  std::shared_ptr<Calls> calls;
  std::unique_ptr<LoopbackServer> server;
};

Served serve(Protocol protocol, ReceiverOptions options, std::shared_ptr<Calls> calls = nullptr) {
  if (!calls) calls = std::make_shared<Calls>();
  auto receiver = protocol.make(calls, std::move(options));
  REQUIRE(receiver);
  auto server = std::make_unique<LoopbackServer>(std::move(*receiver));
  REQUIRE(server->ready());
  return Served{std::move(protocol), std::move(calls), std::move(server)};
}

Protocol generated_protocol() {
  const auto index = GENERATE(0, 1, 2);
  return all_protocols().at(static_cast<std::size_t>(index));
}

Outgoing post(std::vector<std::string> headers, std::string body) {
  Outgoing out;
  out.headers = std::move(headers);
  out.body = std::move(body);
  return out;
}

Received send_signed(const Served& s, const std::string& id, const std::string& body) {
  return s.server->send(post(signed_headers(id, body), body));
}

// The request completed at the HTTP level (whatever its status).
void check_transfer(const Received& r) {
  INFO("curl: " << r.error);
  REQUIRE(r.code == CURLE_OK);
}

// The answer to a delivery the handler answered: status, Content-Type and the exact body.
void check_answer(const Served& s, const Received& r) {
  check_transfer(r);
  INFO("body: " << r.body);
  CHECK(r.status == 200);
  CHECK(r.body == s.protocol.answer);
  if (s.protocol.answer_content_type.empty()) {
    CHECK_FALSE(r.header("Content-Type").has_value());
  } else {
    CHECK(r.header("Content-Type") == s.protocol.answer_content_type);
  }
}

// The problem document of an error answer, after checking its status, type and code.
Json check_problem(const Received& r, long status, const std::string& code) {
  check_transfer(r);
  INFO("body: " << r.body);
  CHECK(r.status == status);
  CHECK(r.header("Content-Type") == "application/problem+json");
  Json problem = codec_test::parse_json(r.body);
  const Json* status_member = problem.find("status");
  REQUIRE(status_member != nullptr);
  CHECK(status_member->get_int64() == status);
  const Json* code_member = problem.find("code");
  REQUIRE(code_member != nullptr);
  REQUIRE(code_member->is_string());
  CHECK(*code_member->get_string() == code);
  return problem;
}

std::string member(const Json& problem, std::string_view name) {
  const Json* value = problem.find(name);
  REQUIRE(value != nullptr);
  REQUIRE(value->is_string());
  return *value->get_string();
}

}  // namespace

TEST_CASE("loopback: a signed delivery is handled once and answered") {
  const Served s = serve(generated_protocol(), signed_options());
  INFO(s.protocol.name);
  check_answer(s, send_signed(s, "msg_valid_1", s.protocol.body));
  CHECK(s.calls->total() == 1);
  CHECK(s.calls->by_key() == std::map<std::string, int>{{s.protocol.name + ":msg_valid_1", 1}});
  const auto seen = s.server->seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].disposition == Disposition::handled);
  CHECK(seen[0].body_bytes == s.protocol.body.size());
}

TEST_CASE("loopback: a replayed webhook-id gets the same answer without a second call") {
  const Served s = serve(generated_protocol(), signed_options());
  INFO(s.protocol.name);
  const auto headers = signed_headers("msg_replay", s.protocol.body);
  const Received first = s.server->send(post(headers, s.protocol.body));
  const Received replay = s.server->send(post(headers, s.protocol.body));
  // A sender's retry: the same id, signed again (later, within the tolerance).
  const Received retry = s.server->send(
      post(signed_headers("msg_replay", s.protocol.body, {kSecret}, kNow + 60), s.protocol.body));
  check_answer(s, first);
  check_answer(s, replay);
  check_answer(s, retry);
  CHECK(s.calls->total() == 1);
  const auto seen = s.server->seen();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].disposition == Disposition::handled);
  CHECK(seen[1].disposition == Disposition::duplicate);
  CHECK(seen[2].disposition == Disposition::duplicate);
}

TEST_CASE("loopback: an unsigned request is refused with 401") {
  const Served s = serve(generated_protocol(), signed_options());
  INFO(s.protocol.name);
  check_problem(s.server->send(post({"Content-Type: application/json"}, s.protocol.body)), 401,
                "invalid_signature_header");
  // Two of the three headers are not enough either.
  auto headers = signed_headers("msg_partial", s.protocol.body);
  headers.pop_back();
  check_problem(s.server->send(post(headers, s.protocol.body)), 401, "invalid_signature_header");
  CHECK(s.calls->total() == 0);
}

TEST_CASE("loopback: a tampered body is refused with 401") {
  const Served s = serve(generated_protocol(), signed_options());
  INFO(s.protocol.name);
  const auto headers = signed_headers("msg_tampered", s.protocol.body);
  SECTION("a changed member") {
    check_problem(s.server->send(post(headers, s.protocol.wrong_type_body)), 401,
                  "signature_mismatch");
  }
  SECTION("the same JSON with other bytes: verification reads the raw body") {
    const std::string compact = codec_test::parse_json(s.protocol.body).dump();
    REQUIRE(compact != s.protocol.body);
    check_problem(s.server->send(post(headers, compact)), 401, "signature_mismatch");
    check_problem(s.server->send(post(headers, s.protocol.body + "\n")), 401, "signature_mismatch");
  }
  SECTION("a signature for another id") {
    auto other = signed_headers("msg_other", s.protocol.body);
    other[1] = "webhook-id: msg_tampered";
    check_problem(s.server->send(post(other, s.protocol.body)), 401, "signature_mismatch");
  }
  CHECK(s.calls->total() == 0);
}

TEST_CASE("loopback: a stale or future timestamp is refused with 401") {
  const Served s = serve(generated_protocol(), signed_options());
  INFO(s.protocol.name);
  const std::string& body = s.protocol.body;
  check_problem(s.server->send(post(signed_headers("msg_old", body, {kSecret}, kNow - 301), body)),
                401, "timestamp_out_of_range");
  check_problem(
      s.server->send(post(signed_headers("msg_future", body, {kSecret}, kNow + 301), body)), 401,
      "timestamp_out_of_range");
  CHECK(s.calls->total() == 0);
  // The edge of the default five-minute tolerance is still accepted.
  check_answer(s,
               s.server->send(post(signed_headers("msg_edge", body, {kSecret}, kNow - 300), body)));
  CHECK(s.calls->total() == 1);
}

TEST_CASE("loopback: during a secret rotation the old and new keys are accepted, others not") {
  const std::string old_key = chathooks::signing::generate_secret().value();
  const std::string new_key = chathooks::signing::generate_secret().value();
  const std::string third_key = chathooks::signing::generate_secret().value();
  const Served s = serve(generated_protocol(), signed_options({old_key, new_key}));
  INFO(s.protocol.name);
  const std::string& body = s.protocol.body;
  check_answer(s, s.server->send(post(signed_headers("msg_old_key", body, {old_key}), body)));
  check_answer(s, s.server->send(post(signed_headers("msg_new_key", body, {new_key}), body)));
  check_problem(s.server->send(post(signed_headers("msg_third_key", body, {third_key}), body)), 401,
                "signature_mismatch");
  // A sender signing with two keys at once: one matching signature is enough.
  check_answer(
      s, s.server->send(post(signed_headers("msg_two_keys", body, {third_key, new_key}), body)));
  CHECK(s.calls->total() == 3);
}

TEST_CASE("loopback: a body that is not JSON is 400 with a problem body") {
  const Served s = serve(generated_protocol(), signed_options());
  INFO(s.protocol.name);
  // Cut in the middle: the pointer names the member where the text stopped making sense, one
  // that the whole document has.
  const std::string cut = s.protocol.body.substr(0, s.protocol.body.size() / 2);
  const Json problem = check_problem(send_signed(s, "msg_cut", cut), 400, "syntax");
  const std::string pointer = member(problem, "pointer");
  INFO("pointer " << pointer);
  CHECK_FALSE(pointer.empty());
  CHECK(codec_test::parse_json(s.protocol.body).at_pointer(pointer) != nullptr);
  CHECK(member(problem, "detail").find("byte") != std::string::npos);

  const Json in_array = check_problem(
      send_signed(s, "msg_bad_literal", R"({"a": {"b": [true, fals]}})"), 400, "syntax");
  CHECK(member(in_array, "pointer") == "/a/b/1");

  const Json not_object = check_problem(send_signed(s, "msg_array", "[]"), 400, "type_mismatch");
  CHECK(member(not_object, "pointer").empty());
  CHECK(s.calls->total() == 0);
}

TEST_CASE("loopback: decoding strictly, a member of the wrong type is 400 with its JSON Pointer") {
  ReceiverOptions options = signed_options();
  options.parse_options.mode = chathooks::DecodeMode::strict;
  const Served s = serve(generated_protocol(), std::move(options));
  INFO(s.protocol.name);
  const Json problem = check_problem(send_signed(s, "msg_wrong_type", s.protocol.wrong_type_body),
                                     400, "type_mismatch");
  CHECK(member(problem, "pointer") == s.protocol.wrong_type_pointer);
  CHECK(s.calls->total() == 0);
}

TEST_CASE("loopback: decoding tolerantly (the default), a member of the wrong type is handled") {
  const Served s = serve(generated_protocol(), signed_options());
  INFO(s.protocol.name);
  check_answer(s, send_signed(s, "msg_wrong_type", s.protocol.wrong_type_body));
  CHECK(s.calls->total() == 1);
}

TEST_CASE("loopback: a body over the cap with Content-Length is 413 before it is read") {
  Protocol protocol = generated_protocol();
  ReceiverOptions options = signed_options();
  const std::size_t cap = protocol.body.size();
  options.max_body_bytes = cap;
  const Served s = serve(std::move(protocol), std::move(options));
  INFO(s.protocol.name);
  // Exactly at the cap: accepted.
  check_answer(s, send_signed(s, "msg_at_cap", s.protocol.body));
  // One byte more (still valid JSON, correctly signed): refused on its Content-Length alone.
  check_problem(send_signed(s, "msg_over_cap", s.protocol.body + " "), 413, "payload_too_large");
  // More, unsigned: the size is checked before authenticity. (Kept small enough for the client
  // to finish sending before it reads: the server never reads this body.)
  check_problem(
      s.server->send(post({"Content-Type: application/json"}, std::string(cap + 1000, ' '))), 413,
      "payload_too_large");
  CHECK(s.calls->total() == 1);
  const auto seen = s.server->seen();
  REQUIRE(seen.size() == 3);
  CHECK(seen[1].body_bytes == 0);
  CHECK(seen[2].body_bytes == 0);
}

TEST_CASE("loopback: a chunked body over the cap is 413 after at most cap + 1 bytes") {
  Protocol protocol = generated_protocol();
  ReceiverOptions options = signed_options();
  const std::size_t cap = protocol.body.size();
  options.max_body_bytes = cap;
  const Served s = serve(std::move(protocol), std::move(options));
  INFO(s.protocol.name);

  // Within the cap, chunked works as well as with a Content-Length.
  Outgoing within = post(signed_headers("msg_chunked", s.protocol.body), s.protocol.body);
  within.chunked = true;
  within.chunk_bytes = 100;
  check_answer(s, s.server->send(within));

  // A signed body one byte over the cap, and a body of a megabyte that the server must not
  // read whole.
  const std::string over = s.protocol.body + " ";
  Outgoing just_over = post(signed_headers("msg_chunked_over", over), over);
  just_over.chunked = true;
  just_over.chunk_bytes = 100;
  check_problem(s.server->send(just_over), 413, "payload_too_large");

  Outgoing huge = post({"Content-Type: application/json"}, std::string(1024 * 1024, ' '));
  huge.chunked = true;
  huge.chunk_bytes = 16 * 1024;
  const Received refused = s.server->send(huge);
  // The server answers without reading the rest; a client still sending may see the
  // connection break before it reads that answer (what the server did is checked below).
  if (refused.code == CURLE_OK) {
    check_problem(refused, 413, "payload_too_large");
  } else {
    INFO("curl: " << refused.error);
    CHECK((refused.code == CURLE_SEND_ERROR || refused.code == CURLE_RECV_ERROR));
  }

  CHECK(s.calls->total() == 1);
  const auto seen = s.server->seen();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].body_bytes == cap);
  // The adapter reads one byte past the cap, enough to know, and no more.
  CHECK(seen[1].status == 413);
  CHECK(seen[1].body_bytes == cap + 1);
  CHECK(seen[2].status == 413);
  CHECK(seen[2].body_bytes == cap + 1);
}

TEST_CASE("loopback: methods other than POST are 405 with Allow: POST") {
  const Served s = serve(generated_protocol(), signed_options());
  INFO(s.protocol.name);
  for (const std::string method : {"GET", "PUT", "DELETE", "PATCH"}) {
    INFO(method);
    Outgoing out = post(signed_headers("msg_" + method, s.protocol.body), s.protocol.body);
    out.method = method;
    if (method == "GET") out.body.clear();
    const Received r = s.server->send(out);
    check_problem(r, 405, "method_not_allowed");
    CHECK(r.header("Allow") == "POST");
  }
  CHECK(s.calls->total() == 0);
}

TEST_CASE("loopback: a Content-Type that is not JSON is 415") {
  const Served s = serve(generated_protocol(), signed_options());
  INFO(s.protocol.name);
  for (const std::string type :
       {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
        "application/json; charset=latin1"}) {
    INFO(type);
    auto headers = signed_headers("msg_type", s.protocol.body);
    headers[0] = "Content-Type: " + type;
    check_problem(s.server->send(post(headers, s.protocol.body)), 415, "unsupported_media_type");
  }
  CHECK(s.calls->total() == 0);
  // JSON with a charset parameter is JSON; so is a request without Content-Type (Boticario's
  // document sends none), unless the receiver requires one.
  auto headers = signed_headers("msg_charset", s.protocol.body);
  headers[0] = "Content-Type: application/json; charset=utf-8";
  check_answer(s, s.server->send(post(headers, s.protocol.body)));
  headers = signed_headers("msg_no_type", s.protocol.body);
  headers.erase(headers.begin());
  check_answer(s, s.server->send(post(headers, s.protocol.body)));
  CHECK(s.calls->total() == 2);
}

TEST_CASE("loopback: a handler that throws is 500 without its text, and the retry is handled") {
  auto calls = std::make_shared<Calls>();
  auto thrown = std::make_shared<std::atomic<int>>(0);
  calls->before = [thrown](const std::string&) -> std::optional<Refusal> {
    if (thrown->fetch_add(1) == 0)
      throw std::runtime_error("db password=hunter2 at 10.0.0.5 refused");
    return std::nullopt;
  };
  const Served s = serve(generated_protocol(), signed_options(), calls);
  INFO(s.protocol.name);
  const auto headers = signed_headers("msg_throws", s.protocol.body);
  const Received failed = s.server->send(post(headers, s.protocol.body));
  const Json problem = check_problem(failed, 500, "handler_failed");
  CHECK(failed.body.find("hunter2") == std::string::npos);
  CHECK(failed.body.find("10.0.0.5") == std::string::npos);
  CHECK(member(problem, "detail") == "the request could not be handled");
  // The exception's text is for the host's logs (Reply::error), not for the sender.
  const auto seen = s.server->seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].disposition == Disposition::failed);
  CHECK(seen[0].error.find("hunter2") != std::string::npos);
  // A failed delivery is forgotten: the sender's retry with the same id is handled.
  check_answer(s, s.server->send(post(headers, s.protocol.body)));
  CHECK(s.calls->total() == 2);
}

TEST_CASE("loopback: a handler's Refusal is answered with its status and Retry-After") {
  auto calls = std::make_shared<Calls>();
  calls->before = [](const std::string&) -> std::optional<Refusal> {
    return Refusal{503, "database unavailable", std::chrono::seconds(30)};
  };
  const Served s = serve(generated_protocol(), signed_options(), calls);
  INFO(s.protocol.name);
  const auto headers = signed_headers("msg_refused", s.protocol.body);
  const Received r = s.server->send(post(headers, s.protocol.body));
  const Json problem = check_problem(r, 503, "handler_refused");
  CHECK(r.header("Retry-After") == "30");
  CHECK(member(problem, "detail") == "database unavailable");
  // Refused deliveries are not remembered: the retry reaches the handler again.
  check_problem(s.server->send(post(headers, s.protocol.body)), 503, "handler_refused");
  CHECK(s.calls->total() == 2);
  const auto seen = s.server->seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].disposition == Disposition::refused);
}

TEST_CASE("loopback: Boticario's message and its status events are each handled once") {
  // The document's events carry no webhook-id and share one event.messageId; the receiver
  // keys them by id, type and status, so the status events are not taken for duplicates.
  ReceiverOptions options;
  options.authenticator = chathooks::receiver::allow_unauthenticated();
  const Served s = serve(boticario_protocol(), std::move(options));
  const std::vector<std::string> files = {
      "boticario_message_event.json", "boticario_status_sent.json",
      "boticario_status_delivered.json", "boticario_status_read.json"};
  for (const auto& file : files) {
    INFO(file);
    // Sent as the document's example request is: without a Content-Type.
    const Received r = s.server->send(post({}, codec_test::load_vector(file)));
    check_answer(s, r);
  }
  CHECK(s.calls->what() ==
        std::vector<std::string>{"message", "status:sent", "status:delivered", "status:read"});
  const auto keys = s.calls->by_key();
  CHECK(keys.size() == 4);
  for (const auto& [key, count] : keys) {
    INFO(key);
    CHECK(key.rfind("boticario:i3i4321d:", 0) == 0);
    CHECK(count == 1);
  }
  // Each of them again: duplicates now, acknowledged without a call.
  for (const auto& file : files) {
    INFO(file);
    check_answer(s, s.server->send(post({}, codec_test::load_vector(file))));
  }
  CHECK(s.calls->total() == 4);
  const auto seen = s.server->seen();
  REQUIRE(seen.size() == 8);
  for (std::size_t i = 0; i < 8; ++i)
    CHECK(seen[i].disposition == (i < 4 ? Disposition::handled : Disposition::duplicate));
}
