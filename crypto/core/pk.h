#pragma once
// Public and private keys (EC P-256 and RSA) and the signature schemes Carnet uses.
//
// Schemes:
//   kEs256   ECDSA P-256 with SHA-256. Signatures are the raw 64-byte r||s form (COSE, JWS,
//            RFC 9053 §2.1); ToDerEcdsa/FromDerEcdsa convert for X.509 and TLS.
//   kRs256   RSASSA-PKCS1-v1_5 with SHA-256 (the CPS card's AUT and SIG keys).
//   kPs256   RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32.
//
// Verification rejects: a key of the wrong type for the scheme, RSA keys under 2048 bits,
// EC keys not on P-256, signatures of the wrong length. Each rejection has its own reason.

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
enum class KeyType { kEcP256, kRsa };

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
  // RSA: the modulus and exponent (big-endian), for the card simulator and certificate tests.
  Bytes RsaModulus() const;

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
  static Result<PrivateKey> FromPem(const SecretBytes& pem);
  static Result<PrivateKey> FromPemFile(const std::string& path);
  static Result<PrivateKey> GenerateEcP256(Random& rng);
  static Result<PrivateKey> GenerateRsa(Random& rng, unsigned bits = 2048);
  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  ~PrivateKey();

  KeyType type() const;
  PublicKey public_key() const;
  // PKCS#8 PEM in a zeroizing buffer. Writes the file with mode 0600 when asked to.
  Result<SecretBytes> ToPem() const;
  Status WritePemFile(const std::string& path) const;

  Result<Bytes> Sign(SignatureScheme scheme, ByteView message, Random& rng) const;
  Result<Bytes> SignDigest(SignatureScheme scheme, const Sha256Digest& digest, Random& rng) const;
  // RSA raw private operation on a PKCS#1 v1.5 type-1 padded block: what a card does for
  // INTERNAL AUTHENTICATE / PSO CDS given a DigestInfo. `digest_info` ≤ k - 11 bytes.
  Result<Bytes> RsaSignPkcs1Raw(ByteView digest_info, Random& rng) const;

  struct Impl;
  Impl* impl() const { return impl_.get(); }

 private:
  explicit PrivateKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// ECDSA signature encodings: raw r||s (64 bytes) <-> DER SEQUENCE { r INTEGER, s INTEGER }.
Result<Bytes> EcdsaRawToDer(ByteView raw);
Result<Bytes> EcdsaDerToRaw(ByteView der);

}  // namespace carnet::crypto
