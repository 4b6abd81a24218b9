// SHA-256 through OpenSSL's one-shot EVP_Digest.
#include "signing/sha256.hpp"

#include <openssl/evp.h>

#include <cstdlib>

namespace chathooks::signing::detail {

std::array<unsigned char, kSha256Size> sha256(std::string_view bytes) {
  std::array<unsigned char, kSha256Size> digest{};
  unsigned int size = 0;
  // EVP_Digest with SHA-256 fails only when OpenSSL cannot allocate or is broken; no caller
  // could do anything useful with such a failure, and a wrong digest would be worse.
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != kSha256Size)
    std::abort();
  return digest;
}

}  // namespace chathooks::signing::detail
