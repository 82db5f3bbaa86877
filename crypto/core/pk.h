#pragma once
// Public and private keys (EC P-256 and RSA) and the signature schemes Carnet uses.
//
// Schemes:
//   kEs256   ECDSA P-256 with SHA-256. Signatures are the raw 64-byte r||s form (COSE, JWS,
//            RFC 9053 §2.1); EcdsaRawToDer/EcdsaDerToRaw convert for X.509 and TLS.
//   kRs256   RSASSA-PKCS1-v1_5 with SHA-256 (the CPS card's AUT and SIG keys).
//   kPs256   RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32.
//
// Verification rejects: a key of the wrong type for the scheme (kInvalidArgument), RSA keys
// under 2048 or over 8192 bits, EC keys not on P-256, signatures of the wrong length, and
// signatures that do not verify (all kUnauthenticated). Each rejection has its own message.
// Signing applies the same key checks, so Carnet never makes a signature it would refuse.
//
// Parsing accepts any RSA key and EC keys on any curve mbedTLS knows, so that a certificate
// carrying a weak key parses and is then refused with a precise reason. Keys are immutable
// after creation; a const key may be used from several threads at once.
// A moved-from key may only be assigned to or destroyed.

#include <memory>
#include <string>
#include <string_view>

#include "crypto/core/hash.h"
#include "crypto/core/secret.h"
#include "hal/base/bytes.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::crypto {

enum class SignatureScheme { kEs256, kRs256, kPs256 };
// kEcOther: an EC key on a curve other than P-256 (e.g. P-384): parsed so that it can be
// refused with a reason, never used to sign or verify.
enum class KeyType { kEcP256, kRsa, kEcOther };

std::string_view SchemeName(SignatureScheme s);  // "ES256", "RS256", "PS256"
Result<SignatureScheme> ParseSchemeName(std::string_view name);

class PublicKey {
 public:
  // PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or DER SPKI.
  static Result<PublicKey> FromPem(std::string_view pem);
  static Result<PublicKey> FromDer(ByteView der);
  PublicKey(PublicKey&&) noexcept;
  PublicKey& operator=(PublicKey&&) noexcept;
  ~PublicKey();
  PublicKey Clone() const;

  KeyType type() const;
  size_t bits() const;
  Bytes ToDer() const;  // SPKI
  std::string ToPem() const;
  // RSA: the modulus n (big-endian, k bytes) and the public exponent e (big-endian, minimal),
  // for the card simulator and certificate tests. Empty for an EC key.
  Bytes RsaModulus() const;
  Bytes RsaPublicExponent() const;

  // Verifies `signature` over `message` (hashed here with SHA-256).
  Status Verify(SignatureScheme scheme, ByteView message, ByteView signature) const;
  // Verifies over an already computed SHA-256 digest.
  Status VerifyDigest(SignatureScheme scheme, const Sha256Digest& digest, ByteView signature) const;

  struct Impl;
  Impl* impl() const { return impl_.get(); }  // for other crypto/ code only

 private:
  explicit PublicKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend class PrivateKey;
};

class PrivateKey {
 public:
  // PEM (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY"); unencrypted.
  // FromPemFile reads at most 1 MiB; a missing file is kNotFound.
  static Result<PrivateKey> FromPem(const SecretBytes& pem);
  static Result<PrivateKey> FromPemFile(const std::string& path);
  static Result<PrivateKey> GenerateEcP256(Random& rng);
  // bits: even, 1024..4096 (under 2048 only to test that verification refuses such keys).
  static Result<PrivateKey> GenerateRsa(Random& rng, unsigned bits = 2048);
  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  ~PrivateKey();

  KeyType type() const;
  PublicKey public_key() const;
  // PEM in a zeroizing buffer: SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY" (mbedTLS 2.28
  // has no PKCS#8 writer; FromPem and OpenSSL read both). WritePemFile writes a 0600
  // temporary file next to `path` and renames it over `path`.
  Result<SecretBytes> ToPem() const;
  Status WritePemFile(const std::string& path) const;

  Result<Bytes> Sign(SignatureScheme scheme, ByteView message, Random& rng) const;
  Result<Bytes> SignDigest(SignatureScheme scheme, const Sha256Digest& digest, Random& rng) const;
  // ES256 signatures are deterministic (RFC 6979); `rng` only blinds the computation.
  // RSA raw private operation on a PKCS#1 v1.5 type-1 padded block: what a card does for
  // INTERNAL AUTHENTICATE / PSO CDS given a DigestInfo. `digest_info` ≤ k - 11 bytes.
  // No key-size check (a card's key is what it is); RSA keys only.
  Result<Bytes> RsaSignPkcs1Raw(ByteView digest_info, Random& rng) const;

  struct Impl;
  Impl* impl() const { return impl_.get(); }

 private:
  explicit PrivateKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ECDSA signature encodings: raw r||s (64 bytes) <-> DER SEQUENCE { r INTEGER, s INTEGER }.
// EcdsaDerToRaw is strict DER: short-form lengths, minimal positive integers of at most 32
// significant bytes, no trailing data; anything else is kInvalidArgument.
Result<Bytes> EcdsaRawToDer(ByteView raw);
Result<Bytes> EcdsaDerToRaw(ByteView der);

}  // namespace carnet::crypto
