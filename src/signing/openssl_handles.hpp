// Owning handles for the OpenSSL objects the signing code uses (keys, digest and MAC contexts,
// and the big numbers of ed25519_point.cpp), so that every early return frees them.
// Thread-safety: plain owning pointers; an EVP_PKEY may be shared read-only between threads
// (OpenSSL documents concurrent use of an unmodified key as safe), and so may an EVP_MAC_CTX
// that is only read (EVP_MAC_CTX_dup takes it const); a context in use may not.
#pragma once

#include <openssl/bn.h>
#include <openssl/evp.h>

#include <memory>

namespace chathooks::signing::detail {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const noexcept { EVP_MAC_CTX_free(ctx); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const noexcept { EVP_PKEY_CTX_free(ctx); }
};
struct BnFree {
  void operator()(BIGNUM* n) const noexcept { BN_free(n); }
};
struct BnCtxFree {
  void operator()(BN_CTX* ctx) const noexcept { BN_CTX_free(ctx); }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacCtxFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxFree>;

}  // namespace chathooks::signing::detail
