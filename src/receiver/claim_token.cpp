// Claim tokens for the shared idempotency stores (claim_token.hpp).
#include "receiver/claim_token.hpp"

#include "core/hex.hpp"
#include "signing/random.hpp"

namespace chathooks::receiver::detail {

Result<std::string> random_claim_token() {
  const auto bytes = signing::detail::random_bytes(16);
  if (!bytes) return Error(Errc::internal, "the random generator failed to make a claim token");
  std::string token;
  chathooks::detail::append_hex(token, *bytes);
  return token;
}

}  // namespace chathooks::receiver::detail
