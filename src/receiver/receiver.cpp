// The request pipeline every protocol's receiver shares: the checks in the order
// receiver/receiver.hpp lists, deduplication, the handler call and its answer.
#include "chathooks/receiver/receiver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "chathooks/receiver/options.hpp"
#include "core/hex.hpp"
#include "receiver/framing.hpp"
#include "receiver/media_type.hpp"
#include "receiver/problem_reply.hpp"
#include "receiver/receiver_core.hpp"
#include "receiver/request_report.hpp"
#include "signing/sha256.hpp"

namespace chathooks::receiver::detail {
namespace {

// Keys longer than this are replaced by a digest, so that a hostile `webhook-id` cannot make
// the store hold megabytes per entry.
constexpr std::size_t kMaxKeyBytes = 200;

Reply too_large(std::size_t cap) {
  return error_reply(
      413, Disposition::rejected,
      Error(Errc::payload_too_large, fmt::format("the body exceeds the limit of {} bytes", cap)));
}

// Steps 1 to 3 (the framing from the headers alone), and the body size when `body_read`.
std::optional<Reply> check_head(const ReceiverCore& core, const Request& request, bool body_read) {
  if (request.method != "POST") {
    Reply reply = error_reply(405, Disposition::rejected,
                              Error(Errc::method_not_allowed, "only POST is accepted"));
    (void)reply.response.headers.set("Allow", "POST");
    return reply;
  }
  std::optional<std::size_t> length;
  if (auto refused = check_framing(request, length)) return refused;
  const std::size_t cap = core.options.max_body_bytes;
  if (length && *length > cap) return too_large(cap);
  if (body_read && request.body.size() > cap) return too_large(cap);

  const std::size_t types = request.header_count("Content-Type");
  if (types > 1)
    return error_reply(415, Disposition::rejected,
                       Error(Errc::unsupported_media_type, "more than one Content-Type"));
  if (types == 0 && core.options.require_content_type)
    return error_reply(415, Disposition::rejected,
                       Error(Errc::unsupported_media_type, "Content-Type is required"));
  if (types == 1 && !is_json_media_type(*request.header("Content-Type")))
    return error_reply(
        415, Disposition::rejected,
        Error(Errc::unsupported_media_type, "Content-Type must be application/json (UTF-8)"));
  return std::nullopt;
}

// "sha256:" and the lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes) {
  const auto digest = signing::detail::sha256(bytes);
  std::string text = "sha256:";
  chathooks::detail::append_hex(
      text, std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  return text;
}

std::string idempotency_key(const ReceiverCore& core, std::string_view webhook_id,
                            const Payload& payload) {
  std::string id = webhook_id.empty() ? payload.key() : std::string(webhook_id);
  if (id.empty()) return id;
  if (id.size() > kMaxKeyBytes) id = sha256_hex(id);
  return core.protocol + ":" + id;
}

Reply reply_from_store(const StoredReply& stored) {
  Reply reply;
  reply.response.status = stored.status;
  reply.response.body = stored.body;
  if (!stored.content_type.empty())
    (void)reply.response.headers.set("Content-Type", stored.content_type);
  reply.disposition = Disposition::duplicate;
  return reply;
}

Reply refusal_reply(const Refusal& refusal) {
  const bool valid = refusal.status >= 400 && refusal.status <= 599;
  const int status = valid ? refusal.status : 500;
  Error error(Errc::handler_refused,
              valid ? refusal.detail
                    : fmt::format("the handler refused with status {}, which is not an error "
                                  "status; answered 500",
                                  refusal.status));
  Reply reply = problem_reply(status, Disposition::refused, std::move(error), refusal.detail);
  if (refusal.retry_after && refusal.retry_after->count() >= 0)
    (void)reply.response.headers.set("Retry-After", std::to_string(refusal.retry_after->count()));
  return reply;
}

Reply retry_later(int status, Error error, std::string_view seconds) {
  Reply reply = error_reply(status, Disposition::rejected, std::move(error));
  (void)reply.response.headers.set("Retry-After", std::string(seconds));
  return reply;
}

// A delivery's claim: its key in the store (empty when not deduplicated), the body's digest and
// the claim's token.
struct Claimed {
  IdempotencyStore* store = nullptr;
  std::string key;
  std::string digest;
  std::string token;
};

// Forgets the claim (when there is one) and returns `reply`, carrying the store's error if it
// could not.
Reply released(const Claimed& claimed, Reply reply) {
  if (claimed.store == nullptr) return reply;
  if (auto forgotten = claimed.store->release(claimed.key, claimed.token); !forgotten)
    reply.store_error = std::move(forgotten).error();
  return reply;
}

// Step 7: the handler, with the store told how it ended.
Reply run_handler(const ReceiverCore& core, const Payload& payload, const Delivery& delivery,
                  const Claimed& claimed) {
  std::variant<EncodedAnswer, Refusal> outcome;
  const auto started = std::chrono::steady_clock::now();
  const auto timed = [started](Reply reply) {
    reply.handler_time = std::chrono::steady_clock::now() - started;
    return reply;
  };
  try {
    outcome = payload.answer(delivery);
  } catch (const std::exception& e) {
    return released(claimed,
                    timed(problem_reply(
                        500, Disposition::failed,
                        Error(Errc::handler_failed, fmt::format("the handler threw: {}", e.what())),
                        "the request could not be handled")));
  } catch (...) {
    return released(claimed,
                    timed(problem_reply(
                        500, Disposition::failed,
                        Error(Errc::handler_failed, "the handler threw a non-standard exception"),
                        "the request could not be handled")));
  }
  const auto handler_time = std::chrono::steady_clock::now() - started;
  if (const Refusal* refusal = std::get_if<Refusal>(&outcome)) {
    Reply reply = refusal_reply(*refusal);
    reply.handler_time = handler_time;
    return released(claimed, std::move(reply));
  }
  EncodedAnswer& answer = std::get<EncodedAnswer>(outcome);
  Reply reply;
  reply.handler_time = handler_time;
  if (claimed.store != nullptr) {
    auto recorded = claimed.store->complete(claimed.key, claimed.digest,
                                            StoredReply{200, answer.content_type, answer.body},
                                            core.options.dedupe_window);
    if (!recorded) reply.store_error = std::move(recorded).error();
  }
  reply.response.status = 200;
  if (!answer.content_type.empty())
    (void)reply.response.headers.set("Content-Type", answer.content_type);
  reply.response.body = std::move(answer.body);
  reply.disposition = Disposition::handled;
  reply.problems = std::move(answer.problems);
  return reply;
}

// Steps 6 and 7.
Reply deduplicate_and_run(const ReceiverCore& core, const Payload& payload,
                          const Delivery& delivery, std::string_view body) {
  Claimed claimed;
  if (!delivery.idempotency_key.empty()) {
    // A webhook-id names one message, so another body under it is a conflict. A key taken from
    // the payload (no webhook-id) names an event the platform may send again re-serialized or
    // re-stamped: it gets no digest, and a repeat is a duplicate whatever its bytes.
    if (!delivery.webhook_id.empty()) claimed.digest = sha256_hex(body);
    auto claim = core.options.idempotency_store->claim(delivery.idempotency_key, claimed.digest,
                                                       core.options.claim_timeout);
    if (!claim) return retry_later(503, std::move(claim).error(), "5");
    switch (claim->state) {
      case ClaimState::completed:
        return reply_from_store(claim->reply.value_or(StoredReply{}));
      case ClaimState::in_progress:
        return retry_later(
            409, Error(Errc::in_progress, "a delivery with this id is being handled now"), "1");
      case ClaimState::conflict:
        return error_reply(409, Disposition::conflict,
                           Error(Errc::idempotency_conflict,
                                 "a delivery with this id was received before with another body"));
      case ClaimState::claimed:
        break;
    }
    claimed.store = core.options.idempotency_store.get();
    claimed.key = delivery.idempotency_key;
    claimed.token = std::move(claim->token);
  }
  return run_handler(core, payload, delivery, claimed);
}

}  // namespace

void ReceiverCore::count(const Request& request, const Reply& reply,
                         std::chrono::nanoseconds total_time) const noexcept {
  counts[static_cast<std::size_t>(reply.disposition)].fetch_add(1, std::memory_order_relaxed);
  if (reply.store_error) counts[kStoreErrorSlot].fetch_add(1, std::memory_order_relaxed);
  report_request(*this, request, reply, total_time);
}

}  // namespace chathooks::receiver::detail

namespace chathooks::receiver {

Receiver::Receiver(std::shared_ptr<const detail::ReceiverCore> core) noexcept
    : core_(std::move(core)) {}

std::size_t Receiver::max_body_bytes() const noexcept { return core_->options.max_body_bytes; }

ReceiverCounts Receiver::counts() const noexcept {
  const auto& c = core_->counts;
  const auto at = [&c](Disposition d) {
    return c[static_cast<std::size_t>(d)].load(std::memory_order_relaxed);
  };
  ReceiverCounts counts;
  counts.handled = at(Disposition::handled);
  counts.duplicate = at(Disposition::duplicate);
  counts.conflict = at(Disposition::conflict);
  counts.refused = at(Disposition::refused);
  counts.rejected = at(Disposition::rejected);
  counts.failed = at(Disposition::failed);
  counts.store_errors = c[detail::kStoreErrorSlot].load(std::memory_order_relaxed);
  return counts;
}

std::optional<Reply> Receiver::precheck(const Request& head) const {
  auto early = detail::check_head(*core_, head, false);
  if (early) core_->count(head, *early, std::chrono::nanoseconds(0));
  return early;
}

Reply Receiver::incomplete_body(std::string detail, bool timed_out) const {
  Reply reply = timed_out ? detail::error_reply(408, Disposition::rejected,
                                                Error(Errc::timeout, std::move(detail)))
                          : detail::bad_framing(std::move(detail));
  // Not given the request: observers see an empty one.
  static const Request unknown;
  core_->count(unknown, reply, std::chrono::nanoseconds(0));
  return reply;
}

Reply Receiver::handle(const Request& request) const {
  const auto started = std::chrono::steady_clock::now();
  Reply reply = handle_uncounted(request);
  core_->count(request, reply, std::chrono::steady_clock::now() - started);
  return reply;
}

Reply Receiver::handle_uncounted(const Request& request) const {
  const detail::ReceiverCore& core = *core_;
  if (auto early = detail::check_head(core, request, true)) return std::move(*early);

  const Authenticator& authenticator = *core.options.authenticator;
  if (auto authentic = authenticator.authenticate(request, core.options.system_now()); !authentic)
    return detail::error_reply(401, Disposition::rejected, std::move(authentic).error());

  std::vector<DecodeWarning> warnings;
  auto payload = core.decode(request.body, core.options.parse_options, &warnings);
  if (!payload) {
    Error error = std::move(payload).error();
    // A parse limit the host set below the body cap is still a size problem, not bad JSON.
    const int status = error.code() == Errc::too_large ? 413 : 400;
    return detail::error_reply(status, Disposition::rejected, std::move(error), true);
  }

  Delivery delivery;
  delivery.request = &request;
  delivery.warnings = std::move(warnings);
  delivery.authenticated = authenticator.proves_sender();
  if (const auto id = request.header("webhook-id")) delivery.webhook_id = std::string(*id);
  if (const auto trace = request.header(kTraceParentHeader))
    delivery.traceparent = TraceParent::parse(*trace);
  if (core.options.deduplicate)
    delivery.idempotency_key = detail::idempotency_key(core, delivery.webhook_id, **payload);

  Reply reply = detail::deduplicate_and_run(core, **payload, delivery, request.body);
  reply.idempotency_key = std::move(delivery.idempotency_key);
  reply.warnings = std::move(delivery.warnings);
  return reply;
}

}  // namespace chathooks::receiver

namespace chathooks::receiver::detail {

Result<Receiver> make_receiver(std::string protocol, ReceiverOptions options,
                               PayloadDecoder decode) {
  if (!options.authenticator)
    return Error(Errc::invalid_argument,
                 "ReceiverOptions::authenticator is required (allow_unauthenticated() accepts "
                 "every request)");
  if (!decode) return Error(Errc::invalid_argument, "the handler is empty");
  if (options.max_body_bytes == 0)
    return Error(Errc::invalid_argument, "ReceiverOptions::max_body_bytes must be at least 1");
  if (options.dedupe_window.count() <= 0)
    return Error(Errc::invalid_argument, "ReceiverOptions::dedupe_window must be positive");
  if (options.claim_timeout.count() <= 0)
    return Error(Errc::invalid_argument, "ReceiverOptions::claim_timeout must be positive");
  // A claim outliving the memory of the delivery would mean nothing more.
  options.claim_timeout = std::min(options.claim_timeout, options.dedupe_window);
  if (options.parse_options.max_bytes > options.max_body_bytes)
    options.parse_options.max_bytes = options.max_body_bytes;
  if (!options.system_now) options.system_now = std::chrono::system_clock::now;
  if (options.deduplicate && !options.idempotency_store) {
    auto store = MemoryIdempotencyStore::create();
    if (!store) return std::move(store).error();
    options.idempotency_store = std::move(*store);
  }
  if (!options.deduplicate) options.idempotency_store.reset();
  auto core = std::make_shared<ReceiverCore>();
  core->protocol = std::move(protocol);
  core->options = std::move(options);
  core->decode = std::move(decode);
  return ReceiverAccess::make(std::move(core));
}

}  // namespace chathooks::receiver::detail
