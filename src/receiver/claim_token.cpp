// Claim tokens for the shared idempotency stores (claim_token.hpp).
#include "receiver/claim_token.hpp"

#include <openssl/err.h>
#include <openssl/rand.h>

namespace chathooks::receiver::detail {

Result<std::string> random_claim_token() {
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    ERR_clear_error();
    return Error(Errc::internal, "the random generator failed to make a claim token");
  }
  std::string token;
  token.reserve(2 * sizeof bytes);
  for (unsigned char byte : bytes) {
    token += kHex[byte >> 4];
    token += kHex[byte & 15];
  }
  return token;
}

}  // namespace chathooks::receiver::detail
