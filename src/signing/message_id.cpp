// Message ids for the `webhook-id` header: "msg_" and 26 characters of lower-case Crockford
// base32 (130 random bits: collisions are not a concern, and the id is safe in URLs, logs and
// file names).
#include <stdexcept>
#include <string_view>

#include "chathooks/signing/signer.hpp"
#include "signing/random.hpp"

namespace chathooks::signing {

std::string new_message_id() {
  constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";
  constexpr std::size_t kChars = 26;
  const auto bytes = detail::random_bytes(kChars);
  if (!bytes) throw std::runtime_error("chathooks: the cryptographic random generator failed");
  std::string id = "msg_";
  id.reserve(4 + kChars);
  // 256 is a multiple of 32, so the low five bits of a uniform byte are uniform.
  for (const char byte : *bytes) id += kAlphabet[static_cast<unsigned char>(byte) & 31u];
  return id;
}

}  // namespace chathooks::signing
