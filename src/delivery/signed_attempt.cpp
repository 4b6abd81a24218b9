// ensure_message_id and sign_attempt: the Standard Webhooks headers of one attempt.
#include "chathooks/delivery/signed_attempt.hpp"

#include <cstdint>
#include <utility>

namespace chathooks::delivery {

std::string ensure_message_id(http::HttpRequest& request) {
  auto existing = request.headers.get(signing::kIdHeader);
  if (existing && !existing->empty()) return std::move(*existing);
  std::string id = signing::new_message_id();
  // new_message_id() gives "msg_" and base32 characters: always a valid header value.
  (void)request.headers.set(std::string(signing::kIdHeader), id);
  return id;
}

Result<void> sign_attempt(http::HttpRequest& request, const signing::Signer& signer,
                          std::string_view message_id, std::chrono::system_clock::time_point now) {
  auto valid = http::HttpHeaders::validate(signing::kIdHeader, message_id);
  if (!valid.ok()) return valid;
  const std::int64_t timestamp = static_cast<std::int64_t>(
      std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count());
  std::string signature = signer.sign(message_id, timestamp, request.body);
  // The three names are tokens and the values hold no CR/LF: these cannot fail after the
  // validation above.
  (void)request.headers.set(std::string(signing::kIdHeader), std::string(message_id));
  (void)request.headers.set(std::string(signing::kTimestampHeader), std::to_string(timestamp));
  (void)request.headers.set(std::string(signing::kSignatureHeader), std::move(signature));
  return {};
}

}  // namespace chathooks::delivery
