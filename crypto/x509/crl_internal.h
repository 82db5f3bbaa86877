#pragma once
// Internal to crypto/x509: CRL parsing and signature checking shared by the trust store and
// the test PKI.

#include <mbedtls/x509_crl.h>

#include "crypto/x509/certificate_internal.h"

namespace carnet::crypto {

struct ParsedCrl {
  ParsedCrl() { mbedtls_x509_crl_init(&crl); }
  ~ParsedCrl() { mbedtls_x509_crl_free(&crl); }
  ParsedCrl(const ParsedCrl&) = delete;
  ParsedCrl& operator=(const ParsedCrl&) = delete;
  mbedtls_x509_crl crl;
};

// Parses exactly one DER CRL (no trailing bytes; at most kMaxCrlDer bytes).
inline constexpr size_t kMaxCrlDer = 8 * 1024 * 1024;
Result<std::unique_ptr<ParsedCrl>> ParseCrlDer(ByteView der);

// Checks the CRL's signature under `ca`'s key (SHA-256/384/512 only) and that `ca` may sign
// CRLs (keyUsage cRLSign when the extension is present). Does not look at names or times.
Status CheckCrlSignature(const mbedtls_x509_crl& crl, mbedtls_x509_crt& ca);

// Whether `serial` is listed on the CRL.
bool CrlListsSerial(const mbedtls_x509_crl& crl, const mbedtls_x509_buf& serial);

}  // namespace carnet::crypto
