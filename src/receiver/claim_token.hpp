// The token a shared idempotency store gives each claim (Claim::token): 128 random bits in hex,
// so that claims made by different processes never share one. Private.
// Thread-safety: safe from any thread (OpenSSL's generator is).
#pragma once

#include <string>

#include "chathooks/error.hpp"

namespace chathooks::receiver::detail {

/// 32 lowercase hex digits from the system's random generator; Errc::internal if it fails.
Result<std::string> random_claim_token();

}  // namespace chathooks::receiver::detail
