#pragma once
// Chain verification to configured roots, with CRLs: the single place that decides whether a
// certificate presented by a card, a terminal or a node is trusted.

#include <string>
#include <vector>

#include "crypto/x509/certificate.h"

namespace carnet::crypto {

class TrustStore {
 public:
  TrustStore();
  TrustStore(TrustStore&&) noexcept;
  TrustStore& operator=(TrustStore&&) noexcept;
  ~TrustStore();

  Status AddRootPemFile(const std::string& path);
  Status AddRoot(const Certificate& root);
  // Intermediates are not trusted by themselves; they help build chains.
  Status AddIntermediate(const Certificate& ca);
  // A CRL is accepted only if its signature verifies under a root or intermediate here.
  Status AddCrlPemOrDerFile(const std::string& path);
  Status AddCrlDer(ByteView der);

  // Verifies `chain` (leaf first, optional intermediates after) up to a root of this store at
  // time `now`: signatures, validity periods, CA constraints, revocation (a CRL from the
  // issuer must be present and current when `require_crl` is true), and the leaf's key usage
  // for `purpose`. The Status message names the first failure (expired, revoked, unknown
  // issuer, wrong key usage...).
  Status Verify(const std::vector<Certificate>& chain,
                Purpose purpose,
                UnixMillis now,
                bool require_crl = false) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace carnet::crypto
