// What a protocol gives the shared request pipeline (receiver.cpp): a decoder that turns the
// body into a Payload, and the Payload's own way of calling the host's handler and encoding its
// answer. Private to the library.
// Thread-safety: a ReceiverCore is immutable once made (but for its atomic counts); a Payload
// belongs to one request.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "chathooks/error.hpp"
#include "chathooks/json.hpp"
#include "chathooks/problem.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks::receiver::detail {

/// A handler's answer, encoded: sent with status 200.
struct EncodedAnswer {
  std::string content_type;  ///< empty when the body is empty
  std::string body;
  Problems problems;  ///< the protocol's pre-send check on the answer
};

/// One decoded request body.
class Payload {
 public:
  virtual ~Payload() = default;
  /// The deduplication key the payload itself gives, without the protocol prefix, when the
  /// request has no `webhook-id`; empty when it gives none.
  virtual std::string key() const { return {}; }
  /// Calls the host's handler and encodes its answer. May throw whatever the handler throws.
  virtual std::variant<EncodedAnswer, Refusal> answer(const Delivery& delivery) const = 0;
};

/// Decodes a body into a Payload, or says why it cannot.
/// Members a tolerant decode kept as they came are appended to `warnings`.
using PayloadDecoder = std::function<Result<std::unique_ptr<Payload>>(
    std::string_view body, const ParseOptions&, std::vector<DecodeWarning>* warnings)>;

/// The slot of ReceiverCore::counts after the dispositions' (conflict is the last): store errors.
constexpr std::size_t kStoreErrorSlot = static_cast<std::size_t>(Disposition::conflict) + 1;

/// Everything a Receiver shares between its copies.
struct ReceiverCore {
  std::string protocol;  ///< "flw", "boticario", "cliengo": the key prefix
  ReceiverOptions options;
  PayloadDecoder decode;
  /// Replies by Disposition (its enumerator's value), then store errors: Receiver::counts().
  mutable std::array<std::atomic<std::uint64_t>, kStoreErrorSlot + 1> counts{};
  /// Counts `reply` (its disposition, and its store error if any) and reports it to the
  /// observer and the log.
  void count(const Request& request, const Reply& reply,
             std::chrono::nanoseconds total_time) const noexcept;
};

/// Constructs Receivers (their constructor is private, and this is its friend).
struct ReceiverAccess {
  static Receiver make(std::shared_ptr<const ReceiverCore> core) noexcept {
    return Receiver(std::move(core));
  }
};

/// Checks `options`, fills in their defaults (the clock, the memory store, the parse limit)
/// and makes the Receiver. Errc::invalid_argument for a missing authenticator or decoder, or
/// a zero limit.
Result<Receiver> make_receiver(std::string protocol, ReceiverOptions options,
                               PayloadDecoder decode);

}  // namespace chathooks::receiver::detail
