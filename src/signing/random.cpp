// OpenSSL's RAND_bytes behind a std::string interface.
#include "signing/random.hpp"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <climits>

namespace chathooks::signing::detail {

std::optional<std::string> random_bytes(std::size_t count) {
  if (count > static_cast<std::size_t>(INT_MAX)) return std::nullopt;
  std::string bytes(count, '\0');
  if (count > 0 &&
      RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return bytes;
}

}  // namespace chathooks::signing::detail
