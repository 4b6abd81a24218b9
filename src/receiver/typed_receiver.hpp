// How each protocol's make_receiver is written: a decoder, an answer encoder and an optional
// key function, given to make_typed_receiver, which wraps them and the host's handler into the
// pipeline's Payload. Private to the library.
// Thread-safety: the resulting Receiver is immutable; see receiver/receiver.hpp.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "chathooks/error.hpp"
#include "chathooks/json.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/request.hpp"
#include "receiver/receiver_core.hpp"

namespace chathooks::receiver::detail {

/// One protocol's side of the pipeline, for a payload In answered with Out (void: an
/// acknowledgement).
template <class In, class Out>
struct ProtocolSteps {
  using Handler = std::function<HandlerResult<Out>(const In&, const Delivery&)>;
  /// "flw", "boticario", "cliengo": the deduplication key's prefix.
  std::string name;
  /// The protocol's decoder.
  Result<In> (*decode)(std::string_view, const ParseOptions&,
                       std::vector<DecodeWarning>*) = nullptr;
  /// Encodes the handler's answer (unused when Out is void: an empty 200).
  EncodedAnswer (*encode)(
      const In& payload, const std::conditional_t<std::is_void_v<Out>, int, Out>& answer) = nullptr;
  /// The key the payload gives when the request has no webhook-id; null when none.
  std::string (*key)(const In& payload) = nullptr;
};

template <class In, class Out>
class TypedPayload final : public Payload {
 public:
  TypedPayload(In value, const ProtocolSteps<In, Out>& steps,
               const typename ProtocolSteps<In, Out>::Handler& handler)
      : value_(std::move(value)), steps_(steps), handler_(handler) {}

  std::string key() const override { return steps_.key != nullptr ? steps_.key(value_) : ""; }

  std::variant<EncodedAnswer, Refusal> answer(const Delivery& delivery) const override {
    HandlerResult<Out> result = handler_(value_, delivery);
    if (const Refusal* refusal = result.refusal()) return *refusal;
    if constexpr (std::is_void_v<Out>) {
      return EncodedAnswer{};
    } else {
      return steps_.encode(value_, *result.answer());
    }
  }

 private:
  In value_;
  const ProtocolSteps<In, Out>& steps_;
  const typename ProtocolSteps<In, Out>::Handler& handler_;
};

/// The Receiver for `steps` and the host's `handler`; Errc::invalid_argument when the handler
/// is empty or the options are not acceptable (see make_receiver in receiver_core.hpp).
template <class In, class Out>
Result<Receiver> make_typed_receiver(ProtocolSteps<In, Out> steps,
                                     typename ProtocolSteps<In, Out>::Handler handler,
                                     ReceiverOptions options) {
  if (!handler) return Error(Errc::invalid_argument, "the handler is empty");
  // Both live as long as the Receiver's core (the decoder below owns them); each request's
  // Payload refers to them.
  struct Shared {
    ProtocolSteps<In, Out> steps;
    typename ProtocolSteps<In, Out>::Handler handler;
  };
  auto shared = std::make_shared<const Shared>(Shared{steps, std::move(handler)});
  std::string name = steps.name;
  return make_receiver(
      std::move(name), std::move(options),
      [shared](std::string_view body, const ParseOptions& parse_options,
               std::vector<DecodeWarning>* warnings) -> Result<std::unique_ptr<Payload>> {
        Result<In> decoded = shared->steps.decode(body, parse_options, warnings);
        if (!decoded) return std::move(decoded).error();
        return std::unique_ptr<Payload>(std::make_unique<TypedPayload<In, Out>>(
            std::move(*decoded), shared->steps, shared->handler));
      });
}

}  // namespace chathooks::receiver::detail
