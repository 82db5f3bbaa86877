// AES key wrap: RFC 3394 (no padding) and RFC 5649 (with padding), over AES-ECB.
//
// Debian's mbedTLS 2.28 is built without MBEDTLS_NIST_KW_C, so the wrapping function W and its
// inverse are written here, straight from RFC 3394 §2.2.1 / §2.2.2 (the index-based form), and
// checked against the RFCs' own vectors in keywrap_test.cc.
#include <mbedtls/aes.h>

#include <array>
#include <cstring>
#include <string>

#include "crypto/core/aead.h"
#include "crypto/core/mbedtls_util.h"

namespace carnet::crypto {
namespace {

constexpr size_t kSemiblock = 8;
constexpr std::array<uint8_t, 8> kDefaultIv = {0xA6, 0xA6, 0xA6, 0xA6,
                                               0xA6, 0xA6, 0xA6, 0xA6};  // RFC 3394 §2.2.3.1
constexpr std::array<uint8_t, 4> kAivPrefix = {0xA6, 0x59, 0x59, 0xA6};  // RFC 5649 §3
constexpr uint64_t kMaxPaddedInput = 0xFFFFFFFFULL;                      // the 32-bit MLI

// One AES key schedule (encrypt or decrypt direction), wiped on destruction.
class AesEcb {
 public:
  AesEcb() { mbedtls_aes_init(&ctx_); }
  ~AesEcb() { mbedtls_aes_free(&ctx_); }
  AesEcb(const AesEcb&) = delete;
  AesEcb& operator=(const AesEcb&) = delete;

  Status Init(const SecretBytes& kek, bool encrypt) {
    if (kek.size() != 16 && kek.size() != 24 && kek.size() != 32) {
      return InvalidArgument("key-encryption key must be 16, 24 or 32 bytes, got " +
                             std::to_string(kek.size()));
    }
    encrypt_ = encrypt;
    const auto bits = static_cast<unsigned>(kek.size() * 8);
    int ret = encrypt ? mbedtls_aes_setkey_enc(&ctx_, kek.view().data(), bits)
                      : mbedtls_aes_setkey_dec(&ctx_, kek.view().data(), bits);
    if (ret != 0) return MbedtlsError(ret, "AES key setup for key wrap");
    return Status::Ok();
  }
  // In place on a 16-byte block.
  int Block(uint8_t* block) {
    return mbedtls_aes_crypt_ecb(&ctx_, encrypt_ ? MBEDTLS_AES_ENCRYPT : MBEDTLS_AES_DECRYPT, block,
                                 block);
  }

 private:
  mbedtls_aes_context ctx_;
  bool encrypt_ = true;
};

void XorCounter(uint8_t* a, uint64_t t) {
  for (size_t k = 0; k < 8; ++k) a[7 - k] ^= static_cast<uint8_t>(t >> (8 * k));
}

// W (RFC 3394 §2.2.1): `a` is the 8-byte initial value in, the first ciphertext block out;
// `r` holds n >= 2 semiblocks, encrypted in place.
int Wrap(AesEcb& aes, uint8_t* a, MutableByteView r) {
  const size_t n = r.size() / kSemiblock;
  std::array<uint8_t, 16> b{};
  int ret = 0;
  for (uint64_t j = 0; j <= 5 && ret == 0; ++j) {
    for (size_t i = 1; i <= n && ret == 0; ++i) {
      std::memcpy(b.data(), a, 8);
      std::memcpy(b.data() + 8, r.data() + (i - 1) * kSemiblock, 8);
      ret = aes.Block(b.data());
      std::memcpy(a, b.data(), 8);
      XorCounter(a, n * j + i);
      std::memcpy(r.data() + (i - 1) * kSemiblock, b.data() + 8, 8);
    }
  }
  Zeroize(b);
  return ret;
}

// W^-1 (RFC 3394 §2.2.2): the inverse, leaving the recovered initial value in `a`.
int Unwrap(AesEcb& aes, uint8_t* a, MutableByteView r) {
  const size_t n = r.size() / kSemiblock;
  std::array<uint8_t, 16> b{};
  int ret = 0;
  for (uint64_t j = 6; j-- > 0 && ret == 0;) {
    for (size_t i = n; i >= 1 && ret == 0; --i) {
      std::memcpy(b.data(), a, 8);
      XorCounter(b.data(), n * j + i);
      std::memcpy(b.data() + 8, r.data() + (i - 1) * kSemiblock, 8);
      ret = aes.Block(b.data());
      std::memcpy(a, b.data(), 8);
      std::memcpy(r.data() + (i - 1) * kSemiblock, b.data() + 8, 8);
    }
  }
  Zeroize(b);
  return ret;
}

Status IntegrityFailure(const char* what) {
  // One message for every way the check fails: which part mismatched is nobody's business.
  return DataLoss(std::string(what) + ": integrity check failed (wrong KEK or altered data)");
}

}  // namespace

Result<Bytes> AesKeyWrap(const SecretBytes& kek, const SecretBytes& key) {
  if (key.size() < 16 || key.size() % kSemiblock != 0) {
    return InvalidArgument("RFC 3394 key wrap needs a multiple of 8 bytes, at least 16; got " +
                           std::to_string(key.size()) + " (use AesKeyWrapPad)");
  }
  AesEcb aes;
  CARNET_TRY(aes.Init(kek, /*encrypt=*/true));
  Bytes out(kSemiblock + key.size());
  std::memcpy(out.data(), kDefaultIv.data(), kSemiblock);
  std::memcpy(out.data() + kSemiblock, key.view().data(), key.size());
  int ret = Wrap(aes, out.data(), MutableByteView(out).subspan(kSemiblock));
  if (ret != 0) return MbedtlsError(ret, "AES key wrap");
  return out;
}

Result<SecretBytes> AesKeyUnwrap(const SecretBytes& kek, ByteView wrapped) {
  if (wrapped.size() < 24 || wrapped.size() % kSemiblock != 0) {
    return InvalidArgument("RFC 3394 wrapped key must be a multiple of 8 bytes, at least 24; got " +
                           std::to_string(wrapped.size()));
  }
  AesEcb aes;
  CARNET_TRY(aes.Init(kek, /*encrypt=*/false));
  std::array<uint8_t, 8> a{};
  std::memcpy(a.data(), wrapped.data(), kSemiblock);
  SecretBytes key(wrapped.subspan(kSemiblock));
  int ret = Unwrap(aes, a.data(), key.mutable_view());
  if (ret != 0) return MbedtlsError(ret, "AES key unwrap");
  if (!ConstantTimeEqual(a, kDefaultIv)) return IntegrityFailure("RFC 3394 unwrap");
  return key;
}

Result<Bytes> AesKeyWrapPad(const SecretBytes& kek, const SecretBytes& key) {
  if (key.empty() || key.size() > kMaxPaddedInput) {
    return InvalidArgument("RFC 5649 key wrap takes 1..2^32-1 bytes, got " +
                           std::to_string(key.size()));
  }
  AesEcb aes;
  CARNET_TRY(aes.Init(kek, /*encrypt=*/true));
  const size_t padded = (key.size() + kSemiblock - 1) / kSemiblock * kSemiblock;
  // AIV = A65959A6 || MLI (RFC 5649 §3), then the key zero-padded to whole semiblocks.
  Bytes out(kSemiblock + padded, 0);
  std::memcpy(out.data(), kAivPrefix.data(), kAivPrefix.size());
  for (size_t k = 0; k < 4; ++k) out[4 + k] = static_cast<uint8_t>(key.size() >> (24 - 8 * k));
  std::memcpy(out.data() + kSemiblock, key.view().data(), key.size());
  // One semiblock of key: a single AES block encryption (RFC 5649 §4.1 step 2).
  int ret = padded == kSemiblock ? aes.Block(out.data())
                                 : Wrap(aes, out.data(), MutableByteView(out).subspan(kSemiblock));
  if (ret != 0) return MbedtlsError(ret, "AES key wrap with padding");
  return out;
}

Result<SecretBytes> AesKeyUnwrapPad(const SecretBytes& kek, ByteView wrapped) {
  if (wrapped.size() < 16 || wrapped.size() % kSemiblock != 0) {
    return InvalidArgument("RFC 5649 wrapped key must be a multiple of 8 bytes, at least 16; got " +
                           std::to_string(wrapped.size()));
  }
  AesEcb aes;
  CARNET_TRY(aes.Init(kek, /*encrypt=*/false));
  SecretBytes block(wrapped);  // AIV || padded key, recovered in place
  uint8_t* a = block.mutable_view().data();
  const size_t padded = wrapped.size() - kSemiblock;
  int ret = padded == kSemiblock ? aes.Block(a)
                                 : Unwrap(aes, a, block.mutable_view().subspan(kSemiblock));
  if (ret != 0) return MbedtlsError(ret, "AES key unwrap with padding");
  // RFC 5649 §3: prefix, 8*(n-1) < MLI <= 8*n, and zero padding. Accumulate every check so
  // the work done does not depend on which one fails.
  const uint32_t mli = ReadU32Be(ByteView(a + 4, 4));
  uint32_t bad = ConstantTimeEqual(ByteView(a, 4), kAivPrefix) ? 0U : 1U;
  bad |= (mli > padded || mli + kSemiblock <= padded) ? 1U : 0U;
  const size_t len = mli > padded ? padded : mli;
  for (size_t k = kSemiblock + len; k < block.size(); ++k) bad |= block.view()[k];
  if (bad != 0) return IntegrityFailure("RFC 5649 unwrap");
  return SecretBytes(block.view().subspan(kSemiblock, len));
}

}  // namespace carnet::crypto
