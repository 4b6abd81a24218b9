// The three protocols as the loopback tests drive them: the documented payload, a copy with one
// member of the wrong type, the answer the receiver must send, and a receiver whose handler
// reports every call to a Calls record (which can also make it throw, refuse or wait). Plus
// Standard Webhooks header lines for the raw client.
// Thread-safety: Calls is safe to use from the server's threads and the test's at once; the
// rest is used from the test's main thread (it uses Catch2 assertions).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/boticario/receiver.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/cliengo/receiver.hpp"
#include "chathooks/cliengo/response_builder.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/receiver.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"
#include "codec/codec_test_support.hpp"

namespace chathooks_test {

/// The receivers' clock in these tests, and the timestamp signed requests carry.
inline constexpr std::int64_t kNow = 1700000000;
/// The secret the receivers verify with, unless a test says otherwise.
inline const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Every call of a test receiver's handler.
class Calls {
 public:
  /// What the handler does after recording the call: nothing (answer), or a Refusal, or throw.
  /// Set it before the server starts (the server's threads read it without a lock).
  std::function<std::optional<chathooks::receiver::Refusal>(const std::string& key)> before;

  /// Records one call and runs `before`.
  std::optional<chathooks::receiver::Refusal> record(const chathooks::receiver::Delivery& delivery,
                                                     std::string what) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++by_key_[delivery.idempotency_key];
      what_.push_back(std::move(what));
      ++total_;
    }
    return before ? before(delivery.idempotency_key) : std::nullopt;
  }

  int total() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return total_;
  }
  std::map<std::string, int> by_key() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return by_key_;
  }
  /// A description of each call ("message", "status:read", "flw", ...), in order.
  std::vector<std::string> what() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return what_;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int> by_key_;
  std::vector<std::string> what_;
  int total_ = 0;
};

/// One protocol as the tests see it.
struct Protocol {
  std::string name;
  /// The documented payload, as the document writes it (whitespace included).
  std::string body;
  /// `body` with the member at `wrong_type_pointer` given a value of the wrong JSON type.
  std::string wrong_type_body;
  std::string wrong_type_pointer;
  /// The exact body and Content-Type of a 200 (empty for Boticario's acknowledgement).
  std::string answer;
  std::string answer_content_type;
  /// A receiver whose handler records into `calls`.
  std::function<chathooks::Result<chathooks::receiver::Receiver>(
      std::shared_ptr<Calls> calls, chathooks::receiver::ReceiverOptions options)>
      make;
};

/// `body` with the member at `pointer` set to `value`, compact.
inline std::string with_member(const std::string& body, const std::string& pointer,
                               chathooks::Json value) {
  chathooks::Json root = codec_test::parse_json(body);
  codec_test::set_at(root, pointer, std::move(value));
  return root.dump();
}

inline Protocol flw_protocol() {
  using namespace chathooks;
  Protocol p;
  p.name = "flw";
  p.body = codec_test::load_vector("flw_dispatch.json");
  p.wrong_type_pointer = "/contact/tags";
  p.wrong_type_body = with_member(p.body, p.wrong_type_pointer, "Lead");
  const flw::Response answer =
      flw::ResponseBuilder().branch("CLIENTE_EXISTE").text("Olá, David!").build();
  p.answer = flw::encode(answer);
  p.answer_content_type = "application/json";
  p.make = [answer](std::shared_ptr<Calls> calls, receiver::ReceiverOptions options) {
    return flw::make_receiver(
        [calls, answer](const flw::Dispatch&, const receiver::Delivery& delivery)
            -> receiver::HandlerResult<flw::Response> {
          if (auto refusal = calls->record(delivery, "flw")) return *refusal;
          return answer;
        },
        std::move(options));
  };
  return p;
}

inline Protocol boticario_protocol() {
  using namespace chathooks;
  Protocol p;
  p.name = "boticario";
  p.body = codec_test::load_vector("boticario_message_event.json");
  p.wrong_type_pointer = "/event/messageId";
  p.wrong_type_body = with_member(p.body, p.wrong_type_pointer, 42);
  p.make = [](std::shared_ptr<Calls> calls, receiver::ReceiverOptions options) {
    return boticario::make_receiver(
        [calls](const boticario::Event& event,
                const receiver::Delivery& delivery) -> receiver::HandlerResult<void> {
          std::string what = "unknown";
          if (std::holds_alternative<boticario::MessageEvent>(event)) what = "message";
          if (const auto* status = std::get_if<boticario::StatusEvent>(&event))
            what = "status:" + status->status().text();
          if (auto refusal = calls->record(delivery, what)) return *refusal;
          return {};
        },
        std::move(options));
  };
  return p;
}

inline Protocol cliengo_protocol() {
  using namespace chathooks;
  Protocol p;
  p.name = "cliengo";
  p.body = codec_test::load_vector("cliengo_request.json");
  p.wrong_type_pointer = "/reactivated";
  p.wrong_type_body = with_member(p.body, p.wrong_type_pointer, "no");
  const cliengo::Response answer = cliengo::ResponseBuilder()
                                       .say("Hola Ariel, ¿qué modelo te interesa?")
                                       .expect_list({"Model 3", "Model Y"})
                                       .build();
  p.answer = cliengo::encode(answer);
  p.answer_content_type = "application/json";
  p.make = [answer](std::shared_ptr<Calls> calls, receiver::ReceiverOptions options) {
    return cliengo::make_receiver(
        [calls, answer](const cliengo::Memory&, const receiver::Delivery& delivery)
            -> receiver::HandlerResult<cliengo::Response> {
          if (auto refusal = calls->record(delivery, "cliengo")) return *refusal;
          return answer;
        },
        std::move(options));
  };
  return p;
}

/// The three protocols, for GENERATE.
inline std::vector<Protocol> all_protocols() {
  return {flw_protocol(), boticario_protocol(), cliengo_protocol()};
}

/// Options with Standard Webhooks verification by `keys` and the clock at kNow.
inline chathooks::receiver::ReceiverOptions signed_options(std::vector<std::string> keys = {
                                                               kSecret}) {
  chathooks::receiver::ReceiverOptions options;
  auto verifier = chathooks::signing::Verifier::create(std::move(keys));
  REQUIRE(verifier);
  options.authenticator = chathooks::receiver::standard_webhooks(std::move(*verifier));
  options.system_now = [] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(kNow));
  };
  return options;
}

/// Header lines for a JSON request signed with `keys` (all of them: one signature each).
inline std::vector<std::string> signed_headers(const std::string& id, const std::string& body,
                                               std::vector<std::string> keys = {kSecret},
                                               std::int64_t timestamp = kNow) {
  auto signer = chathooks::signing::Signer::create(std::move(keys));
  REQUIRE(signer);
  return {"Content-Type: application/json", "webhook-id: " + id,
          "webhook-timestamp: " + std::to_string(timestamp),
          "webhook-signature: " + signer->sign(id, timestamp, body)};
}

}  // namespace chathooks_test
