#pragma once
// AES-256-GCM (NIST SP 800-38D) with 96-bit nonces and 128-bit tags, and AES key wrap
// (RFC 3394 without padding, RFC 5649 with padding). mbedTLS 2.28 on Debian is built without
// MBEDTLS_NIST_KW_C, so key wrap is implemented here over AES-ECB and checked against the RFCs'
// vectors.

#include "crypto/core/secret.h"
#include "hal/base/bytes.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::crypto {

inline constexpr size_t kGcmNonceSize = 12;
inline constexpr size_t kGcmTagSize = 16;

// Output: nonce (12) || ciphertext || tag (16), with a fresh random nonce.
Result<Bytes> AesGcmSeal(const SecretBytes& key, ByteView plaintext, ByteView aad, Random& rng);
// Input as produced by AesGcmSeal. Any change to key, nonce, ciphertext, tag or aad fails
// with kDataLoss and releases no plaintext.
Result<SecretBytes> AesGcmOpen(const SecretBytes& key, ByteView sealed, ByteView aad);

// Lower-level form with an explicit nonce (for known-answer tests): ciphertext || tag.
Result<Bytes> AesGcmEncrypt(const SecretBytes& key,
                            ByteView nonce,
                            ByteView plaintext,
                            ByteView aad);
Result<SecretBytes> AesGcmDecrypt(const SecretBytes& key,
                                  ByteView nonce,
                                  ByteView ciphertext_and_tag,
                                  ByteView aad);

// RFC 3394: key data a multiple of 8 bytes, at least 16. RFC 5649: any length 1..2^32-1.
// The KEK is an AES key of 16, 24 or 32 bytes. Bad lengths are kInvalidArgument; a failed
// integrity check on unwrap (wrong KEK, altered data) is kDataLoss, one message for all causes.
Result<Bytes> AesKeyWrap(const SecretBytes& kek, const SecretBytes& key);
Result<SecretBytes> AesKeyUnwrap(const SecretBytes& kek, ByteView wrapped);
Result<Bytes> AesKeyWrapPad(const SecretBytes& kek, const SecretBytes& key);
Result<SecretBytes> AesKeyUnwrapPad(const SecretBytes& kek, ByteView wrapped);

}  // namespace carnet::crypto
