#pragma once
// Internal to crypto/: the mbedTLS context behind PublicKey and PrivateKey, so that x509, tls
// and cose code in this module can hand keys to mbedTLS. Never include outside crypto/.

#include <mbedtls/pk.h>

#include "crypto/core/mbedtls_util.h"  // MbedtlsError, MbedRandom
#include "crypto/core/pk.h"

namespace carnet::crypto {

struct PublicKey::Impl {
  Impl() { mbedtls_pk_init(&pk); }
  ~Impl() { mbedtls_pk_free(&pk); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  mbedtls_pk_context pk;
};

struct PrivateKey::Impl {
  Impl() { mbedtls_pk_init(&pk); }
  ~Impl() { mbedtls_pk_free(&pk); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  mbedtls_pk_context pk;
};

// Wraps an mbedTLS public key context (copied via its DER) into a PublicKey.
Result<PublicKey> PublicKeyFromMbedtls(mbedtls_pk_context& pk);

}  // namespace carnet::crypto
