// The receiver pipeline without a server: the order of the checks and their statuses, problem
// bodies, deduplication against a store (including a failing one and one that reports a
// delivery in progress), handler refusals and exceptions, and each protocol's answer and key.
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/boticario/receiver.hpp"
#include "chathooks/cliengo/receiver.hpp"
#include "chathooks/cliengo/response_builder.hpp"
#include "chathooks/flw/receiver.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "chathooks/json.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"
#include "codec/codec_test_support.hpp"

using namespace chathooks;
using receiver::Disposition;
using receiver::Reply;
using receiver::Request;

namespace {

constexpr std::int64_t kNow = 1700000000;
const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

Request post(std::string body, std::string content_type = "application/json") {
  Request request;
  request.method = "POST";
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  request.body = std::move(body);
  request.remote_address = "127.0.0.1";
  return request;
}

Request signed_post(std::string body, const std::string& id, std::int64_t timestamp = kNow) {
  Request request = post(std::move(body));
  const auto signer = signing::Signer::create({kSecret}).value();
  request.headers.emplace_back("webhook-id", id);
  request.headers.emplace_back("webhook-timestamp", std::to_string(timestamp));
  request.headers.emplace_back("webhook-signature", signer.sign(id, timestamp, request.body));
  return request;
}

receiver::ReceiverOptions open_options() {
  receiver::ReceiverOptions options;
  options.authenticator = receiver::allow_unauthenticated();
  options.system_now = [] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(kNow));
  };
  return options;
}

receiver::ReceiverOptions signed_options() {
  receiver::ReceiverOptions options = open_options();
  options.authenticator = receiver::standard_webhooks(signing::Verifier::create({kSecret}).value());
  return options;
}

Json body_json(const Reply& reply) { return Json::parse(reply.response.body).value(); }

std::string member(const Reply& reply, std::string_view pointer) {
  const Json json = body_json(reply);
  const Json* value = json.at_pointer(pointer);
  REQUIRE(value != nullptr);
  REQUIRE(value->is_string());
  return *value->get_string();
}

// A Flw receiver that answers with the "CLIENTE_EXISTE" branch and counts its calls.
struct FlwFixture {
  std::atomic<int> calls{0};
  receiver::Receiver make(receiver::ReceiverOptions options) {
    return flw::make_receiver(
               [this](const flw::Dispatch&,
                      const receiver::Delivery&) -> receiver::HandlerResult<flw::Response> {
                 ++calls;
                 return flw::ResponseBuilder().branch("CLIENTE_EXISTE").text("ok").build();
               },
               std::move(options))
        .value();
  }
};

// A store whose answers a test sets.
class ScriptedStore final : public receiver::IdempotencyStore {
 public:
  Result<receiver::Claim> next = receiver::Claim{};
  int completes = 0;
  int releases = 0;
  Result<void> complete_result;
  Result<void> release_result;
  std::chrono::seconds claim_ttl{0};
  Result<receiver::Claim> claim(const std::string&, const std::string&,
                                std::chrono::seconds ttl) override {
    claim_ttl = ttl;
    return next;
  }
  Result<void> complete(const std::string&, const std::string&, const receiver::StoredReply&,
                        std::chrono::seconds) override {
    ++completes;
    return complete_result;
  }
  Result<void> release(const std::string&, const std::string&) override {
    ++releases;
    return release_result;
  }
};

// A Flw receiver over a ScriptedStore, and a dispatch with the webhook-id msg_1.
struct ScriptedFixture {
  FlwFixture flw;
  std::shared_ptr<ScriptedStore> store = std::make_shared<ScriptedStore>();
  receiver::Receiver receiver = make();
  Request request = with_id(post(codec_test::load_vector("flw_dispatch.json")), "msg_1");

  receiver::Receiver make() {
    auto options = open_options();
    options.idempotency_store = store;
    return flw.make(options);
  }
  static Request with_id(Request request, const std::string& id) {
    request.headers.emplace_back("webhook-id", id);
    return request;
  }
};

}  // namespace

TEST_CASE("a valid dispatch is handled and answered with the handler's response") {
  FlwFixture fixture;
  const auto receiver = fixture.make(open_options());
  const Reply reply = receiver.handle(post(codec_test::load_vector("flw_dispatch.json")));
  CHECK(reply.disposition == Disposition::handled);
  CHECK(reply.response.status == 200);
  CHECK(reply.response.headers.get("Content-Type") == "application/json");
  CHECK(member(reply, "/response") == "CLIENTE_EXISTE");
  CHECK_FALSE(reply.error);
  CHECK(fixture.calls == 1);
}

TEST_CASE("the checks run in order, each with its own status") {
  FlwFixture fixture;
  const auto receiver = fixture.make(signed_options());
  const std::string body = codec_test::load_vector("flw_dispatch.json");

  SECTION("method first: a GET with a bad body and no signature is 405") {
    Request request = post("{", "text/plain");
    request.method = "GET";
    const Reply reply = receiver.handle(request);
    CHECK(reply.response.status == 405);
    CHECK(reply.response.headers.get("Allow") == "POST");
    CHECK(reply.error->code() == Errc::method_not_allowed);
  }
  SECTION("methods are case-sensitive") {
    Request request = post(body);
    request.method = "post";
    CHECK(receiver.handle(request).response.status == 405);
  }
  SECTION("size before content type and signature") {
    Request request = post(std::string((1u << 20) + 1, ' '), "text/plain");
    const Reply reply = receiver.handle(request);
    CHECK(reply.response.status == 413);
    CHECK(reply.error->code() == Errc::payload_too_large);
  }
  SECTION("a Content-Length over the cap is 413 even before the body is read") {
    Request head = post("", "application/json");
    head.headers.emplace_back("Content-Length", std::to_string((1u << 20) + 1));
    const auto early = receiver.precheck(head);
    REQUIRE(early);
    CHECK(early->response.status == 413);
  }
  SECTION("content type before signature") {
    const Reply reply = receiver.handle(post(body, "text/plain"));
    CHECK(reply.response.status == 415);
    CHECK(reply.error->code() == Errc::unsupported_media_type);
  }
  SECTION("signature before JSON") {
    const Reply reply = receiver.handle(post("{"));
    CHECK(reply.response.status == 401);
    CHECK(reply.error->code() == Errc::invalid_signature_header);
  }
  SECTION("JSON: a syntax error is 400 with an empty pointer") {
    const Reply reply = receiver.handle(signed_post("nope", "msg_1"));
    CHECK(reply.response.status == 400);
    CHECK(reply.error->code() == Errc::syntax);
    INFO(reply.response.body);
    CHECK(member(reply, "/pointer").empty());
    CHECK(member(reply, "/code") == "syntax");
    CHECK(reply.response.headers.get("Content-Type") == "application/problem+json");
  }
  SECTION("types, when decoding strictly: the pointer names the member") {
    receiver::ReceiverOptions strict = signed_options();
    strict.parse_options.mode = DecodeMode::strict;
    const auto strict_receiver = fixture.make(std::move(strict));
    Json dispatch = Json::parse(body).value();
    codec_test::set_at(dispatch, "/contact/tags", Json("not a list"));
    const Reply reply = strict_receiver.handle(signed_post(dispatch.dump(), "msg_2"));
    CHECK(reply.response.status == 400);
    CHECK(reply.error->code() == Errc::type_mismatch);
    CHECK(member(reply, "/pointer") == "/contact/tags");
  }
  CHECK(fixture.calls == 0);
}

TEST_CASE("receivers decode tolerantly by default: an off-type member is kept and named") {
  std::vector<DecodeWarning> seen;
  std::string seen_tags;
  const auto receiver =
      flw::make_receiver(
          [&](const flw::Dispatch& dispatch,
              const receiver::Delivery& delivery) -> receiver::HandlerResult<flw::Response> {
            seen = delivery.warnings;
            if (dispatch.contact && dispatch.contact->tags.is_unreadable()) {
              const Json* raw = dispatch.contact->extra.unreadable("tags");
              if (raw != nullptr) seen_tags = raw->dump();
            }
            return flw::Response{};
          },
          open_options())
          .value();
  Json dispatch = Json::parse(codec_test::load_vector("flw_dispatch.json")).value();
  codec_test::set_at(dispatch, "/contact/tags", Json("not a list"));
  const Reply reply = receiver.handle(post(dispatch.dump()));
  CHECK(reply.response.status == 200);
  CHECK(reply.disposition == receiver::Disposition::handled);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].pointer == "/contact/tags");
  CHECK(seen[0].reason == "expected array, got string");
  CHECK(seen_tags == R"("not a list")");
  REQUIRE(reply.warnings.size() == 1);
  CHECK(reply.warnings[0].pointer == "/contact/tags");
}

TEST_CASE("precheck passes a request whose body is yet to be read") {
  FlwFixture fixture;
  const auto receiver = fixture.make(open_options());
  Request head = post("");
  head.headers.emplace_back("Content-Length", "1000");
  CHECK_FALSE(receiver.precheck(head));
  CHECK(receiver.max_body_bytes() == (1u << 20));
}

TEST_CASE("content types: JSON with UTF-8 only, absent allowed unless required") {
  FlwFixture fixture;
  const std::string body = codec_test::load_vector("flw_dispatch.json");
  const auto receiver = fixture.make(open_options());
  for (const char* accepted :
       {"application/json", "Application/JSON; charset=UTF-8", "application/json;charset=\"utf-8\"",
        "application/vnd.flw+json", "application/json; version=2"}) {
    INFO(accepted);
    CHECK(receiver.handle(post(body, accepted)).response.status == 200);
  }
  for (const char* refused : {"text/json", "application/jsonp", "application/json; charset=latin1",
                              "application/+json", "json", "application/x-www-form-urlencoded"}) {
    INFO(refused);
    CHECK(receiver.handle(post(body, refused)).response.status == 415);
  }
  CHECK(receiver.handle(post(body, "")).response.status == 200);
  Request twice = post(body);
  twice.headers.emplace_back("content-type", "application/json");
  CHECK(receiver.handle(twice).response.status == 415);

  auto options = open_options();
  options.require_content_type = true;
  CHECK(fixture.make(options).handle(post(body, "")).response.status == 415);
}

TEST_CASE("a delivery seen before is answered again without calling the handler") {
  FlwFixture fixture;
  const auto receiver = fixture.make(signed_options());
  const std::string body = codec_test::load_vector("flw_dispatch.json");
  const Reply first = receiver.handle(signed_post(body, "msg_replayed"));
  const Reply again = receiver.handle(signed_post(body, "msg_replayed"));
  CHECK(first.disposition == Disposition::handled);
  CHECK(again.disposition == Disposition::duplicate);
  CHECK(again.response.status == 200);
  CHECK(again.response.body == first.response.body);
  CHECK(again.response.headers.get("Content-Type") == "application/json");
  CHECK(fixture.calls == 1);

  // A copy shares the store; another id is a new delivery.
  const auto copy = receiver;
  CHECK(copy.handle(signed_post(body, "msg_replayed")).disposition == Disposition::duplicate);
  CHECK(copy.handle(signed_post(body, "msg_other")).disposition == Disposition::handled);
  CHECK(fixture.calls == 2);
}

TEST_CASE("an id seen before with another body is 409 conflict, not a duplicate, and counted") {
  FlwFixture fixture;
  const auto receiver = fixture.make(signed_options());
  const std::string body = codec_test::load_vector("flw_dispatch.json");
  CHECK(receiver.handle(signed_post(body, "msg_reused")).disposition == Disposition::handled);
  // The same JSON, other bytes: the digest is over the raw body.
  const Reply reused = receiver.handle(signed_post(body + " ", "msg_reused"));
  CHECK(reused.disposition == Disposition::conflict);
  CHECK(reused.response.status == 409);
  CHECK(reused.error->code() == Errc::idempotency_conflict);
  CHECK(reused.response.headers.get("Content-Type") == "application/problem+json");
  CHECK(member(reused, "/code") == "idempotency_conflict");
  CHECK_FALSE(reused.response.headers.contains("Retry-After"));
  CHECK(reused.idempotency_key == "flw:msg_reused");
  CHECK(fixture.calls == 1);
  // The original body is still a duplicate.
  CHECK(receiver.handle(signed_post(body, "msg_reused")).disposition == Disposition::duplicate);

  const receiver::ReceiverCounts counts = receiver.counts();
  CHECK(counts.handled == 1);
  CHECK(counts.conflict == 1);
  CHECK(counts.duplicate == 1);
  CHECK(counts.rejected == 0);
  CHECK(counts.store_errors == 0);
  // Rejections are counted too, precheck's included.
  Request get = post(body);
  get.method = "GET";
  CHECK(receiver.handle(get).response.status == 405);
  CHECK(receiver.precheck(get).has_value());
  CHECK(receiver.counts().rejected == 2);
}

TEST_CASE("a store that cannot record the ending is reported, and the answer still goes out") {
  ScriptedFixture scripted;
  ScriptedStore* store = scripted.store.get();
  const receiver::Receiver& receiver = scripted.receiver;
  const Request& request = scripted.request;

  store->complete_result = Error(Errc::connection_failed, "redis went away");
  Reply reply = receiver.handle(request);
  CHECK(reply.disposition == Disposition::handled);
  CHECK(reply.response.status == 200);
  REQUIRE(reply.store_error);
  CHECK(reply.store_error->code() == Errc::connection_failed);
  CHECK(receiver.counts().store_errors == 1);

  store->complete_result = {};
  CHECK_FALSE(receiver.handle(request).store_error);
  CHECK(receiver.counts().store_errors == 1);
  CHECK(receiver.counts().handled == 2);
}

TEST_CASE("deduplication can be turned off, and requests without an id are not deduplicated") {
  FlwFixture fixture;
  const std::string body = codec_test::load_vector("flw_dispatch.json");
  auto options = open_options();
  const auto receiver = fixture.make(options);
  receiver.handle(post(body));
  receiver.handle(post(body));
  CHECK(fixture.calls == 2);

  options.deduplicate = false;
  const auto no_dedupe = fixture.make(options);
  Request with_id = post(body);
  with_id.headers.emplace_back("webhook-id", "msg_1");
  CHECK(no_dedupe.handle(with_id).disposition == Disposition::handled);
  CHECK(no_dedupe.handle(with_id).disposition == Disposition::handled);
  CHECK(fixture.calls == 4);
}

TEST_CASE("the store decides: in progress is 409, a failing store is 503") {
  ScriptedFixture scripted;
  FlwFixture& fixture = scripted.flw;
  ScriptedStore* store = scripted.store.get();
  const receiver::Receiver& receiver = scripted.receiver;
  const Request& request = scripted.request;

  store->next = receiver::Claim{receiver::ClaimState::in_progress, std::nullopt, {}};
  Reply reply = receiver.handle(request);
  CHECK(reply.response.status == 409);
  CHECK(reply.error->code() == Errc::in_progress);
  CHECK(reply.response.headers.get("Retry-After") == "1");

  store->next = Error(Errc::connection_failed, "redis is down");
  reply = receiver.handle(request);
  CHECK(reply.response.status == 503);
  CHECK(reply.error->code() == Errc::connection_failed);
  CHECK(reply.response.headers.contains("Retry-After"));

  store->next = receiver::Claim{receiver::ClaimState::completed, std::nullopt, {}};
  reply = receiver.handle(request);
  CHECK(reply.disposition == Disposition::duplicate);
  CHECK(reply.response.status == 200);
  CHECK(fixture.calls == 0);

  store->next = receiver::Claim{};
  CHECK(receiver.handle(request).disposition == Disposition::handled);
  CHECK(store->completes == 1);
  CHECK(store->releases == 0);
}

TEST_CASE("claims hold for claim_timeout, cut to the dedupe window") {
  ScriptedFixture scripted;
  CHECK(scripted.receiver.handle(scripted.request).disposition == Disposition::handled);
  CHECK(scripted.store->claim_ttl == receiver::ReceiverOptions{}.claim_timeout);
  auto options = open_options();
  options.idempotency_store = scripted.store;
  options.dedupe_window = std::chrono::seconds(30);
  const auto short_window = scripted.flw.make(options);
  CHECK(short_window.handle(scripted.request).disposition == Disposition::handled);
  CHECK(scripted.store->claim_ttl == std::chrono::seconds(30));
}

TEST_CASE("a handler that throws gets 500 without its text, the delivery is forgotten") {
  auto store = std::make_shared<ScriptedStore>();
  auto options = open_options();
  options.idempotency_store = store;
  const auto receiver =
      flw::make_receiver(
          [](const flw::Dispatch&,
             const receiver::Delivery&) -> receiver::HandlerResult<flw::Response> {
            throw std::runtime_error("password=hunter2 at db.internal:5432");
          },
          options)
          .value();
  Request request = post(codec_test::load_vector("flw_dispatch.json"));
  request.headers.emplace_back("webhook-id", "msg_1");
  const Reply reply = receiver.handle(request);
  CHECK(reply.response.status == 500);
  CHECK(reply.disposition == Disposition::failed);
  CHECK(reply.response.body.find("hunter2") == std::string::npos);
  CHECK(reply.response.body.find("db.internal") == std::string::npos);
  CHECK(reply.error->code() == Errc::handler_failed);
  CHECK(reply.error->message().find("hunter2") != std::string::npos);
  CHECK(store->releases == 1);
  CHECK_FALSE(reply.store_error);
  // A release the store cannot make is reported beside the handler's failure.
  store->release_result = Error(Errc::timeout, "the store did not answer");
  const Reply unreleased = receiver.handle(request);
  CHECK(unreleased.response.status == 500);
  REQUIRE(unreleased.store_error);
  CHECK(unreleased.store_error->code() == Errc::timeout);

  const auto odd = flw::make_receiver([](const flw::Dispatch&, const receiver::Delivery&)
                                          -> receiver::HandlerResult<flw::Response> { throw 42; },
                                      open_options())
                       .value();
  CHECK(odd.handle(request).response.status == 500);
}

TEST_CASE("a handler's refusal is sent with its status and Retry-After") {
  auto store = std::make_shared<ScriptedStore>();
  auto options = open_options();
  options.idempotency_store = store;
  int status = 503;
  const auto receiver =
      boticario::make_receiver(
          [&status](const boticario::Event&,
                    const receiver::Delivery&) -> receiver::HandlerResult<void> {
            return receiver::Refusal{status, "database unavailable", std::chrono::seconds(30)};
          },
          options)
          .value();
  const Request request = post(codec_test::load_vector("boticario_message_event.json"));
  Reply reply = receiver.handle(request);
  CHECK(reply.response.status == 503);
  CHECK(reply.disposition == Disposition::refused);
  CHECK(reply.response.headers.get("Retry-After") == "30");
  CHECK(member(reply, "/detail") == "database unavailable");
  CHECK(store->releases == 1);

  status = 200;  // not an error status: answered 500
  reply = receiver.handle(request);
  CHECK(reply.response.status == 500);
  CHECK(reply.error->code() == Errc::handler_refused);
}

TEST_CASE("the Flw answer is checked against the dispatch") {
  const auto receiver =
      flw::make_receiver(
          [](const flw::Dispatch&,
             const receiver::Delivery&) -> receiver::HandlerResult<flw::Response> {
            return flw::ResponseBuilder().branch("NOT_LISTED").build();
          },
          open_options())
          .value();
  const Reply reply = receiver.handle(post(codec_test::load_vector("flw_dispatch.json")));
  CHECK(reply.response.status == 200);
  REQUIRE(reply.problems.size() == 1);
  CHECK(reply.problems[0].pointer == "/response");
}

TEST_CASE("Boticario: acknowledged with an empty 200, keyed on messageId, type and status") {
  std::vector<std::string> seen;
  std::mutex mutex;
  const auto receiver =
      boticario::make_receiver(
          [&](const boticario::Event& event,
              const receiver::Delivery& delivery) -> receiver::HandlerResult<void> {
            std::lock_guard<std::mutex> lock(mutex);
            seen.push_back(delivery.idempotency_key);
            CHECK_FALSE(delivery.authenticated);
            CHECK(delivery.request != nullptr);
            (void)event;
            return {};
          },
          open_options())
          .value();
  for (const char* name : {"boticario_message_event.json", "boticario_status_sent.json",
                           "boticario_status_delivered.json", "boticario_status_read.json"}) {
    const Reply reply = receiver.handle(post(codec_test::load_vector(name)));
    CHECK(reply.response.status == 200);
    CHECK(reply.response.body.empty());
    CHECK(reply.disposition == Disposition::handled);
  }
  CHECK(seen == std::vector<std::string>{
                    "boticario:i3i4321d:response:", "boticario:i3i4321d:status:sent",
                    "boticario:i3i4321d:status:delivered", "boticario:i3i4321d:status:read"});
  const Reply again = receiver.handle(post(codec_test::load_vector("boticario_status_read.json")));
  CHECK(again.disposition == Disposition::duplicate);
  // A key from the payload carries no digest: the same event re-serialized is a duplicate too.
  const Reply reserialized =
      receiver.handle(post(codec_test::load_vector("boticario_status_read.json") + "\n"));
  CHECK(reserialized.disposition == Disposition::duplicate);
  CHECK(seen.size() == 4);

  // An undocumented event type is handled whole, keyed on its id and type.
  receiver.handle(post(R"({"event":{"messageId":"x1","type":"typing"}})"));
  CHECK(seen.back() == "boticario:x1:typing");
  // Without any id: not deduplicated.
  receiver.handle(post(R"({"event":{"type":"status","status":"sent"}})"));
  receiver.handle(post(R"({"event":{"type":"status","status":"sent"}})"));
  CHECK(seen.size() == 7);
  CHECK(seen.back().empty());
}

TEST_CASE("Cliengo: the handler's response is the answer, an empty one is {}") {
  bool say = true;
  const auto receiver =
      cliengo::make_receiver(
          [&say](const cliengo::Memory&,
                 const receiver::Delivery&) -> receiver::HandlerResult<cliengo::Response> {
            if (!say) return cliengo::Response{};
            return cliengo::ResponseBuilder().say("Hola!").build();
          },
          open_options())
          .value();
  const std::string body = codec_test::load_vector("cliengo_request.json");
  Reply reply = receiver.handle(post(body));
  CHECK(reply.response.status == 200);
  CHECK(reply.response.body.find("Hola!") != std::string::npos);
  say = false;
  reply = receiver.handle(post(body));
  CHECK(reply.response.body == "{}");
}

TEST_CASE("long webhook ids are stored as digests") {
  std::string key;
  const auto receiver =
      cliengo::make_receiver(
          [&key](const cliengo::Memory&,
                 const receiver::Delivery& delivery) -> receiver::HandlerResult<cliengo::Response> {
            key = delivery.idempotency_key;
            return cliengo::Response{};
          },
          open_options())
          .value();
  Request request = post(codec_test::load_vector("cliengo_request.json"));
  request.headers.emplace_back("Webhook-Id", std::string(5000, 'a'));
  receiver.handle(request);
  CHECK(key.size() == std::string("cliengo:sha256:").size() + 64);
  CHECK(key.rfind("cliengo:sha256:", 0) == 0);
  CHECK(receiver.handle(request).disposition == Disposition::duplicate);
}

TEST_CASE("a parse limit below the body cap is still 413") {
  FlwFixture fixture;
  auto options = open_options();
  options.parse_options.max_bytes = 100;
  const Reply reply =
      fixture.make(options).handle(post(codec_test::load_vector("flw_dispatch.json")));
  CHECK(reply.response.status == 413);
  CHECK(reply.error->code() == Errc::too_large);
}

TEST_CASE("receivers refuse options they cannot work with") {
  const flw::DispatchHandler handler = [](const flw::Dispatch&, const receiver::Delivery&)
      -> receiver::HandlerResult<flw::Response> { return flw::Response{}; };
  receiver::ReceiverOptions options;
  CHECK(flw::make_receiver(handler, options).error().code() == Errc::invalid_argument);
  options = open_options();
  CHECK(flw::make_receiver(nullptr, options).error().code() == Errc::invalid_argument);
  options.max_body_bytes = 0;
  CHECK(flw::make_receiver(handler, options).error().code() == Errc::invalid_argument);
  options = open_options();
  options.dedupe_window = std::chrono::seconds(0);
  CHECK(flw::make_receiver(handler, options).error().code() == Errc::invalid_argument);
  options = open_options();
  options.claim_timeout = std::chrono::seconds(0);
  CHECK(flw::make_receiver(handler, options).error().code() == Errc::invalid_argument);
  // A claim longer than the window is cut to it (a host's short window keeps working).
  options.claim_timeout = options.dedupe_window + std::chrono::seconds(1);
  CHECK(flw::make_receiver(handler, options));
}

TEST_CASE("dispositions have names") {
  CHECK(receiver::to_string(Disposition::handled) == "handled");
  CHECK(receiver::to_string(Disposition::duplicate) == "duplicate");
  CHECK(receiver::to_string(Disposition::refused) == "refused");
  CHECK(receiver::to_string(Disposition::rejected) == "rejected");
  CHECK(receiver::to_string(Disposition::failed) == "failed");
  CHECK(receiver::to_string(Disposition::conflict) == "conflict");
}

TEST_CASE("precheck refuses a broken framing, and incomplete_body() answers a body cut short") {
  FlwFixture fixture;
  const auto receiver = fixture.make(open_options());
  Request head = post("");
  head.headers.emplace_back("Content-Length", "10");
  head.headers.emplace_back("Transfer-Encoding", "chunked");
  auto early = receiver.precheck(head);
  REQUIRE(early);
  CHECK(early->response.status == 400);
  CHECK(early->error->code() == Errc::protocol);
  CHECK(early->error->message() ==
        "Content-Length and Transfer-Encoding are both present, so the body's length is "
        "ambiguous");
  // handle() runs the same checks.
  CHECK(receiver.handle(head).response.status == 400);

  const Reply cut = receiver.incomplete_body("the body ended early");
  CHECK(cut.response.status == 400);
  CHECK(cut.error->code() == Errc::protocol);
  CHECK(member(cut, "/detail") == "the body ended early");
  CHECK(member(cut, "/code") == "protocol");
  const Reply slow = receiver.incomplete_body("the read timed out", true);
  CHECK(slow.response.status == 408);
  CHECK(slow.error->code() == Errc::timeout);
  CHECK(member(slow, "/title") == "Request Timeout");
  CHECK(receiver.counts().rejected == 4);
  CHECK(fixture.calls == 0);
}
