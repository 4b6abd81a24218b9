// Decoding an Ed25519 point (RFC 8032 section 5.1.3) and refusing the small-order ones, with
// OpenSSL's BIGNUM arithmetic modulo p = 2^255 - 19. OpenSSL has no public call for either:
// EVP_PKEY_new_raw_public_key takes any 32 bytes. Speed does not matter (once per key load),
// so the code follows the RFC's formulas in affine coordinates, for a reader to check.
#include "signing/ed25519_point.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>

#include <array>
#include <cstddef>
#include <utility>

#include "signing/openssl_handles.hpp"

namespace chathooks::signing::detail {
namespace {

constexpr std::size_t kPointSize = 32;

// Arithmetic modulo p. Every operation gives a new number, or nullptr once anything has failed
// (an allocation, in practice): the caller checks failed() before trusting a result, and
// operations given a nullptr fail in turn rather than crash.
class Field {
 public:
  Field() : ctx_(BN_CTX_new()), p_(fresh()) {
    // p = 2^255 - 19
    if (!ctx_ || !p_ || BN_set_bit(p_.get(), 255) != 1 || BN_sub_word(p_.get(), 19) != 1) {
      failed_ = true;
    }
  }

  bool failed() const { return failed_; }
  const BIGNUM* p() const { return p_.get(); }

  BnPtr word(BN_ULONG w) {
    BnPtr n = fresh();
    if (n && BN_set_word(n.get(), w) != 1) return fail();
    return n;
  }

  BnPtr add(const BIGNUM* a, const BIGNUM* b) { return binary(a, b, BN_mod_add); }
  BnPtr sub(const BIGNUM* a, const BIGNUM* b) { return binary(a, b, BN_mod_sub); }
  BnPtr mul(const BIGNUM* a, const BIGNUM* b) { return binary(a, b, BN_mod_mul); }
  /// a^e mod p, e any non-negative number (not reduced mod p).
  BnPtr pow(const BIGNUM* a, const BIGNUM* e) { return binary(a, e, BN_mod_exp); }
  /// a / b mod p; fails when b = 0.
  BnPtr div(const BIGNUM* a, const BIGNUM* b) {
    if (failed_ || !b) return fail();
    BnPtr inverse = fresh();
    if (!inverse || BN_mod_inverse(inverse.get(), b, p_.get(), ctx_.get()) == nullptr) {
      return fail();
    }
    return mul(a, inverse.get());
  }
  /// p - a, for a in [0, p).
  BnPtr neg(const BIGNUM* a) {
    BnPtr zero = word(0);
    return sub(zero.get(), a);
  }

  bool equal(const BIGNUM* a, const BIGNUM* b) const {
    return !failed_ && a && b && BN_cmp(a, b) == 0;
  }

 private:
  BnPtr fail() {
    failed_ = true;
    return nullptr;
  }
  BnPtr fresh() {
    BnPtr n(BN_new());
    if (!n) failed_ = true;
    return n;
  }
  // BN_mod_add, BN_mod_sub, BN_mod_mul and BN_mod_exp: r = a op b mod m.
  using ModOp = int (*)(BIGNUM* r, const BIGNUM* a, const BIGNUM* b, const BIGNUM* m, BN_CTX* ctx);
  BnPtr binary(const BIGNUM* a, const BIGNUM* b, ModOp op) {
    if (failed_ || !a || !b) return fail();
    BnPtr r = fresh();
    if (!r || op(r.get(), a, b, p_.get(), ctx_.get()) != 1) return fail();
    return r;
  }

  bool failed_ = false;
  BnCtxPtr ctx_;
  BnPtr p_;
};

// An affine point (x, y) of -x^2 + y^2 = 1 + d x^2 y^2.
struct Point {
  BnPtr x;
  BnPtr y;
};

// P + Q by the twisted Edwards addition law (RFC 8032 section 5.1.4, affine form). With a = -1
// a square and d not one, the law is complete: the denominators are never zero on the curve.
Point add_points(Field& f, const BIGNUM* d, const Point& a, const Point& b) {
  const BnPtr x1y2 = f.mul(a.x.get(), b.y.get());
  const BnPtr y1x2 = f.mul(a.y.get(), b.x.get());
  const BnPtr y1y2 = f.mul(a.y.get(), b.y.get());
  const BnPtr x1x2 = f.mul(a.x.get(), b.x.get());
  const BnPtr t = f.mul(d, f.mul(x1x2.get(), y1y2.get()).get());
  const BnPtr one = f.word(1);
  Point sum;
  sum.x = f.div(f.add(x1y2.get(), y1x2.get()).get(), f.add(one.get(), t.get()).get());
  sum.y = f.div(f.add(y1y2.get(), x1x2.get()).get(), f.sub(one.get(), t.get()).get());
  return sum;
}

}  // namespace

Ed25519PointCheck check_ed25519_public_point(std::string_view encoded) {
  if (encoded.size() != kPointSize) return Ed25519PointCheck::wrong_size;
  std::array<unsigned char, kPointSize> bytes{};
  for (std::size_t i = 0; i < kPointSize; ++i) bytes[i] = static_cast<unsigned char>(encoded[i]);
  // The top bit of the last byte is x's sign (its lowest bit); the other 255 bits are y.
  const bool x_odd = (bytes[kPointSize - 1] & 0x80U) != 0;
  bytes[kPointSize - 1] = static_cast<unsigned char>(bytes[kPointSize - 1] & 0x7FU);

  Field f;
  const auto result = [&f](Ed25519PointCheck check) {
    if (!f.failed()) return check;
    ERR_clear_error();
    return Ed25519PointCheck::internal;
  };

  BnPtr y(BN_lebin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  if (!y || f.failed()) {
    ERR_clear_error();
    return Ed25519PointCheck::internal;
  }
  // Step 1: y < p, else the same y has a second, non-canonical encoding.
  if (BN_cmp(y.get(), f.p()) >= 0) return result(Ed25519PointCheck::non_canonical);

  // d = -121665 / 121666.
  const BnPtr one = f.word(1);
  const BnPtr d = f.div(f.neg(f.word(121665).get()).get(), f.word(121666).get());

  // Step 2: x^2 = u / v with u = y^2 - 1 and v = d y^2 + 1. The candidate root
  // x = u v^3 (u v^7)^((p-5)/8) works because p = 5 (mod 8).
  const BnPtr y2 = f.mul(y.get(), y.get());
  const BnPtr u = f.sub(y2.get(), one.get());
  const BnPtr v = f.add(f.mul(d.get(), y2.get()).get(), one.get());
  BnPtr exponent = f.sub(f.p(), f.word(5).get());  // p - 5 (below p, so the same mod p)
  if (exponent && BN_rshift(exponent.get(), exponent.get(), 3) != 1) exponent.reset();
  const BnPtr v3 = f.mul(f.mul(v.get(), v.get()).get(), v.get());
  const BnPtr v7 = f.mul(f.mul(v3.get(), v3.get()).get(), v.get());
  BnPtr x = f.mul(f.mul(u.get(), v3.get()).get(),
                  f.pow(f.mul(u.get(), v7.get()).get(), exponent.get()).get());

  // Step 3: v x^2 = u, or v x^2 = -u and x times sqrt(-1) = 2^((p-1)/4) is the root; else y
  // is on no point of the curve.
  const BnPtr vx2 = f.mul(v.get(), f.mul(x.get(), x.get()).get());
  if (f.equal(vx2.get(), f.neg(u.get()).get())) {
    BnPtr quarter = f.sub(f.p(), one.get());
    if (quarter && BN_rshift(quarter.get(), quarter.get(), 2) != 1) quarter.reset();
    x = f.mul(x.get(), f.pow(f.word(2).get(), quarter.get()).get());
  } else if (!f.equal(vx2.get(), u.get())) {
    return result(Ed25519PointCheck::not_on_curve);
  }
  if (f.failed()) return result(Ed25519PointCheck::internal);

  // Step 4: x = 0 has no sign to give, so a set sign bit is a second encoding of (0, y).
  if (BN_is_zero(x.get()) && x_odd) return result(Ed25519PointCheck::non_canonical);
  if ((BN_is_odd(x.get()) == 1) != x_odd) x = f.neg(x.get());

  // Small order: [8]P is the identity (0, 1). The curve's group has order 8 L with L prime, so
  // these are exactly the eight points of order 1, 2, 4 or 8.
  Point point{std::move(x), std::move(y)};
  for (int i = 0; i < 3; ++i) point = add_points(f, d.get(), point, point);
  if (f.failed()) return result(Ed25519PointCheck::internal);
  if (BN_is_zero(point.x.get()) && BN_is_one(point.y.get())) {
    return result(Ed25519PointCheck::small_order);
  }
  return result(Ed25519PointCheck::ok);
}

}  // namespace chathooks::signing::detail
