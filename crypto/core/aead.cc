// AES-256-GCM over mbedtls_gcm. Key wrap is in keywrap.cc.
#include "crypto/core/aead.h"

#include <mbedtls/cipher.h>
#include <mbedtls/gcm.h>

#include <string>

#include "crypto/core/mbedtls_util.h"

namespace carnet::crypto {
namespace {

constexpr size_t kAes256KeySize = 32;

// Owns an mbedtls_gcm_context keyed with `key`; freeing it zeroizes the key schedule.
class Gcm {
 public:
  Gcm() { mbedtls_gcm_init(&ctx_); }
  ~Gcm() { mbedtls_gcm_free(&ctx_); }
  Gcm(const Gcm&) = delete;
  Gcm& operator=(const Gcm&) = delete;

  Status SetKey(const SecretBytes& key) {
    if (key.size() != kAes256KeySize) {
      return InvalidArgument("AES-256-GCM key must be 32 bytes, got " + std::to_string(key.size()));
    }
    int ret = mbedtls_gcm_setkey(&ctx_, MBEDTLS_CIPHER_ID_AES, key.view().data(), 256);
    if (ret != 0) return MbedtlsError(ret, "AES-256-GCM key setup");
    return Status::Ok();
  }
  mbedtls_gcm_context* get() { return &ctx_; }

 private:
  mbedtls_gcm_context ctx_;
};

Status CheckNonce(ByteView nonce) {
  if (nonce.size() != kGcmNonceSize) {
    return InvalidArgument("AES-GCM nonce must be 12 bytes, got " + std::to_string(nonce.size()));
  }
  return Status::Ok();
}

}  // namespace

Result<Bytes> AesGcmEncrypt(const SecretBytes& key,
                            ByteView nonce,
                            ByteView plaintext,
                            ByteView aad) {
  CARNET_TRY(CheckNonce(nonce));
  Gcm gcm;
  CARNET_TRY(gcm.SetKey(key));
  Bytes out(plaintext.size() + kGcmTagSize);
  int ret = mbedtls_gcm_crypt_and_tag(
      gcm.get(), MBEDTLS_GCM_ENCRYPT, plaintext.size(), nonce.data(), nonce.size(), aad.data(),
      aad.size(), plaintext.data(), out.data(), kGcmTagSize, out.data() + plaintext.size());
  if (ret != 0) return MbedtlsError(ret, "AES-256-GCM encryption", StatusCode::kInvalidArgument);
  return out;
}

Result<SecretBytes> AesGcmDecrypt(const SecretBytes& key,
                                  ByteView nonce,
                                  ByteView ciphertext_and_tag,
                                  ByteView aad) {
  CARNET_TRY(CheckNonce(nonce));
  Gcm gcm;
  CARNET_TRY(gcm.SetKey(key));
  if (ciphertext_and_tag.size() < kGcmTagSize) {
    return DataLoss("AES-256-GCM input shorter than its 16-byte tag");
  }
  const size_t n = ciphertext_and_tag.size() - kGcmTagSize;
  SecretBytes plaintext(n);
  // mbedTLS checks the tag in constant time and wipes `plaintext` when it does not match;
  // the SecretBytes is then dropped too, so no unauthenticated byte ever leaves.
  int ret = mbedtls_gcm_auth_decrypt(gcm.get(), n, nonce.data(), nonce.size(), aad.data(),
                                     aad.size(), ciphertext_and_tag.data() + n, kGcmTagSize,
                                     ciphertext_and_tag.data(), plaintext.mutable_view().data());
  if (ret != 0) {
    return MbedtlsError(ret, "AES-256-GCM: wrong key or altered nonce, ciphertext, tag or AAD",
                        StatusCode::kDataLoss);
  }
  return plaintext;
}

Result<Bytes> AesGcmSeal(const SecretBytes& key, ByteView plaintext, ByteView aad, Random& rng) {
  // A random 96-bit nonce per message: with one key, stay well under 2^32 messages
  // (NIST SP 800-38D §8.3) — Carnet's per-document keys are used a handful of times.
  Bytes out(kGcmNonceSize);
  CARNET_TRY(rng.Fill(out));
  CARNET_ASSIGN_OR_RETURN(Bytes body, AesGcmEncrypt(key, out, plaintext, aad));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Result<SecretBytes> AesGcmOpen(const SecretBytes& key, ByteView sealed, ByteView aad) {
  if (sealed.size() < kGcmNonceSize + kGcmTagSize) {
    return DataLoss("sealed AES-256-GCM data shorter than nonce and tag (28 bytes)");
  }
  return AesGcmDecrypt(key, sealed.first(kGcmNonceSize), sealed.subspan(kGcmNonceSize), aad);
}

}  // namespace carnet::crypto
