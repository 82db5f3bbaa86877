// COSE_Sign1 verification against a trust store: the signer is identified by the x5chain in
// the protected header, the chain decides whether that identity is trusted, and only then
// does the signature count.
#include <string>

#include "crypto/cose/sign1.h"
#include "crypto/x509/certificate.h"

namespace carnet::crypto::cose {

Status VerifyWithTrustStore(const Sign1& message,
                            const TrustStore& store,
                            Purpose purpose,
                            UnixMillis now,
                            ByteView external_aad,
                            bool require_crl) {
  if (message.x5chain.empty()) {
    return Unauthenticated("COSE_Sign1 has no x5chain: the signer cannot be identified");
  }
  std::vector<Certificate> chain;
  for (size_t i = 0; i < message.x5chain.size(); ++i) {
    auto cert = Certificate::FromDer(message.x5chain[i]);
    if (!cert.ok()) {
      return Unauthenticated("x5chain certificate " + std::to_string(i) +
                             " does not parse: " + cert.status().message());
    }
    chain.push_back(std::move(*cert));
  }
  Status chain_status = store.Verify(chain, purpose, now, require_crl);
  if (!chain_status.ok()) {
    return Unauthenticated("signer certificate not trusted: " + chain_status.message());
  }
  return Verify(message, chain[0].public_key(), external_aad);
}

}  // namespace carnet::crypto::cose
