#pragma once
// Writing X.509 v2 CRLs (RFC 5280 §5). mbedTLS 2.28 parses CRLs but cannot write them, so the
// TBSCertList is built here and signed with the issuing CA's key. Reading and checking CRLs is
// the trust store's job (trust_store.h).

#include <cstdint>
#include <vector>

#include "crypto/core/pk.h"
#include "crypto/x509/certificate.h"
#include "hal/base/random.h"

namespace carnet::crypto {

struct RevokedCertificate {
  Bytes serial;  // as Certificate::SerialNumber() returns it
  UnixMillis revocation_date = 0;
};

struct CrlParams {
  UnixMillis this_update = 0;
  UnixMillis next_update = 0;
  uint32_t crl_number = 1;  // the cRLNumber extension (monotonic per issuer)
  std::vector<RevokedCertificate> revoked;
};

// DER CertificateList signed by `issuer_key`, which must be the key of `issuer` (a CA allowed
// to sign CRLs). The result parses back through TrustStore::AddCrlDer.
Result<Bytes> MakeCrl(const Certificate& issuer,
                      const PrivateKey& issuer_key,
                      const CrlParams& params,
                      Random& rng);
std::string CrlToPem(ByteView crl_der);

}  // namespace carnet::crypto
