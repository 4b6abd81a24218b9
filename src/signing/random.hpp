// Bytes from OpenSSL's cryptographic random generator, for message ids and new keys.
// Thread-safety: RAND_bytes is thread-safe; so is this.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace chathooks::signing::detail {

/// `count` random bytes, or nullopt when the generator fails (no entropy source).
std::optional<std::string> random_bytes(std::size_t count);

}  // namespace chathooks::signing::detail
