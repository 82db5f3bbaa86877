#pragma once
// Internal to crypto/x509: signing a to-be-signed structure (TBSCertificate, TBSCertList,
// CertificationRequestInfo) and wrapping it as SEQUENCE { tbs, algorithm, BIT STRING sig }.

#include "crypto/core/pk.h"
#include "hal/base/bytes.h"
#include "hal/base/random.h"

namespace carnet::crypto {

// AlgorithmIdentifier for SHA-256 with the key's type: sha256WithRSAEncryption (with NULL
// parameters) or ecdsa-with-SHA256 (no parameters), RFC 4055 / RFC 5758.
Bytes SignatureAlgorithmFor(KeyType type);

Result<Bytes> SignAndWrap(ByteView tbs, const PrivateKey& key, Random& rng);

// Key identifier used for subjectKeyIdentifier / authorityKeyIdentifier: the first 20 bytes
// of SHA-256 over the whole SubjectPublicKeyInfo DER (a variant of RFC 7093 §2 method 1).
Bytes KeyIdentifier(const PublicKey& key);

}  // namespace carnet::crypto
