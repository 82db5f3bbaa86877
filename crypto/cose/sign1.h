#pragma once
// COSE_Sign1 (RFC 9052 §4.2, §4.4), strict: how Carnet signs requests and checks them.
//
//   COSE_Sign1 = 18([ protected: bstr .cbor header_map, unprotected: header_map,
//                     payload: bstr, signature: bstr ])
//
// What Sign writes: the protected header is the deterministic encoding of
//   { 1 (alg): -7 ES256 | -257 RS256 | -37 PS256,
//     33 (x5chain, RFC 9360): bstr (one certificate) or [2* bstr] (leaf first), if given }
// plus any extra fields the caller adds; the unprotected header is an empty map.
//
// Why x5chain is *protected*: the signature then covers the choice of signer certificate.
// Left unprotected, anyone on the path could swap in another certificate for the same key
// (a certificate-substitution attack): same signature, different identity or key usage.
//
// What Decode accepts (everything else is rejected, each with its own reason — README.md):
// tag 18 or no tag; an array of exactly 4; a non-empty protected bstr holding a map; alg in the
// protected header only, and one of the three above; no label in both headers; no "crit";
// x5chain only protected; an attached payload; size limits.

#include <cstdint>
#include <functional>
#include <vector>

#include "crypto/cbor/value.h"
#include "crypto/core/pk.h"
#include "crypto/x509/trust_store.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::crypto::cose {

inline constexpr uint64_t kTagSign1 = 18;
inline constexpr int64_t kLabelAlg = 1;
inline constexpr int64_t kLabelCrit = 2;
inline constexpr int64_t kLabelX5Chain = 33;
inline constexpr int64_t kAlgEs256 = -7;
inline constexpr int64_t kAlgPs256 = -37;
inline constexpr int64_t kAlgRs256 = -257;

int64_t AlgorithmId(SignatureScheme scheme);
Result<SignatureScheme> SchemeFromAlgorithmId(int64_t alg);

struct SignOptions {
  Bytes external_aad;
  // More protected header fields; labels 1 (alg), 2 (crit) and 33 (x5chain) are refused.
  std::vector<cbor::MapEntry> extra_protected;
  Random* rng = nullptr;  // Drbg::ForThread() when null
};

// Signs `payload`; `x5chain` is DER certificates, leaf (the signer's) first, or empty.
// Returns the tagged COSE_Sign1 bytes.
Result<Bytes> Sign(const PrivateKey& key,
                   SignatureScheme scheme,
                   ByteView payload,
                   const std::vector<Bytes>& x5chain,
                   const SignOptions& options = SignOptions{});

// A signer whose private key lives elsewhere (a smart card, a key store): it receives the
// exact Sig_structure bytes and returns the raw signature for `scheme` (RSA: modulus-sized;
// ES256: r||s, 64 bytes). The card decides how to hash (e.g. PSO HASH with a partial state).
using ExternalSignFn = std::function<Result<Bytes>(ByteView to_be_signed)>;

// As Sign, with the signature made by `sign`. The returned signature's length is checked
// against the scheme before the message is assembled.
Result<Bytes> SignWith(const ExternalSignFn& sign,
                       SignatureScheme scheme,
                       ByteView payload,
                       const std::vector<Bytes>& x5chain,
                       const SignOptions& options = SignOptions{});

struct DecodeLimits {
  size_t max_message_size = 1024 * 1024;
  size_t max_protected_size = 32 * 1024;  // the protected header carries the certificates
  size_t max_x5chain_length = 8;
};

struct Sign1 {
  Bytes protected_bytes;           // exactly as received: what the signature covers
  cbor::Value protected_header;    // decoded map
  cbor::Value unprotected_header;  // map
  Bytes payload;
  Bytes signature;
  SignatureScheme alg = SignatureScheme::kEs256;
  std::vector<Bytes> x5chain;  // DER, leaf first; empty when the message has none
};

Result<Sign1> Decode(ByteView message, const DecodeLimits& limits = DecodeLimits{});

// Sig_structure = ["Signature1", body_protected, external_aad, payload], deterministically
// encoded (RFC 9052 §4.4): the bytes that are actually signed.
Bytes SigStructure(ByteView protected_bytes, ByteView external_aad, ByteView payload);

// Verifies the signature with `key`. The key type must suit the alg, and the signature must
// have the exact length (64 bytes for ES256, the modulus size for RSA). kUnauthenticated on
// any failure.
Status Verify(const Sign1& message, const PublicKey& key, ByteView external_aad = {});

// Verifies the x5chain (leaf + intermediates from the message) up to a root of `store` for
// `purpose` at `now` (with `require_crl`, a current CRL from each issuer must be in the
// store), then the signature with the leaf's key.
Status VerifyWithTrustStore(const Sign1& message,
                            const TrustStore& store,
                            Purpose purpose,
                            UnixMillis now,
                            ByteView external_aad = {},
                            bool require_crl = false);

}  // namespace carnet::crypto::cose
