#pragma once
// Internal to crypto/x509: signing a to-be-signed structure (TBSCertificate, TBSCertList,
// CertificationRequestInfo) and wrapping it as SEQUENCE { tbs, algorithm, BIT STRING sig }.

#include <mbedtls/pk.h>
#include <mbedtls/x509.h>

#include <string_view>

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

// Checks a signature that mbedTLS parsed from a CRL or a CSR: the hash must be SHA-256/384/512
// (a SHA-1 signature could be forged by collision), the key must be able to make the claimed
// signature algorithm, and the signature must verify over `tbs`. `what` names the object in
// the messages ("CRL", "CSR self-signature").
Status VerifyTbsSignature(const mbedtls_x509_buf& tbs,
                          mbedtls_md_type_t md_type,
                          mbedtls_pk_type_t sig_pk,
                          const void* sig_opts,
                          mbedtls_pk_context& key,
                          const mbedtls_x509_buf& sig,
                          std::string_view what);

}  // namespace carnet::crypto
