// CheckCertificates: the card's AUT and SIG certificates against the IGC-Santé trust store.
#include "crypto/x509/certificate.h"
#include "firmware/cps/cps_card.h"

namespace carnet::fw::cps {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// The trust store names the first failure in its message (trust_store.h); its codes do not
// separate revoked from expired, so the verdict is read from the message here, in one place.
CertVerdict VerdictFromTrustStore(const Status& s) {
  if (Contains(s.message(), "revoked")) return CertVerdict::kRevoked;
  if (Contains(s.message(), "expired") || Contains(s.message(), "not yet valid")) {
    return CertVerdict::kExpired;
  }
  return CertVerdict::kUntrusted;
}

CertCheck CheckOne(ByteView der,
                   crypto::Purpose purpose,
                   std::string_view what,
                   const std::string& id_nat,
                   const crypto::TrustStore& trust,
                   UnixMillis now,
                   bool require_crl) {
  const std::string name(what);
  if (der.empty()) return {CertVerdict::kMalformed, name + " certificate: not read from the card"};
  auto cert = crypto::Certificate::FromDer(der);
  if (!cert.ok()) {
    return {CertVerdict::kMalformed, name + " certificate: " + cert.status().message()};
  }
  std::vector<crypto::Certificate> chain;
  chain.push_back(std::move(*cert));
  Status s = trust.Verify(chain, purpose, now, require_crl);
  if (!s.ok()) return {VerdictFromTrustStore(s), name + " certificate: " + s.message()};
  auto holder = chain[0].Holder();
  if (!holder.ok()) {
    return {CertVerdict::kMismatch, name + " certificate: " + holder.status().message()};
  }
  if (holder->id_nat != id_nat) {
    return {CertVerdict::kMismatch, name + " certificate is for idNat " + holder->id_nat +
                                        " but the card's holder data say " + id_nat};
  }
  return {CertVerdict::kOk, ""};
}

}  // namespace

std::string_view CertVerdictName(CertVerdict verdict) {
  switch (verdict) {
    case CertVerdict::kOk:
      return "ok";
    case CertVerdict::kRevoked:
      return "revoked";
    case CertVerdict::kExpired:
      return "expired";
    case CertVerdict::kUntrusted:
      return "untrusted";
    case CertVerdict::kMismatch:
      return "mismatch";
    case CertVerdict::kMalformed:
      return "malformed";
  }
  return "?";
}

CertificatesCheck CheckCertificates(const HolderIdentity& identity,
                                    const crypto::TrustStore& trust,
                                    UnixMillis now,
                                    bool require_crl) {
  CertificatesCheck out;
  out.aut = CheckOne(identity.aut_certificate_der, crypto::Purpose::kCardAuthentication, "AUT",
                     identity.id_nat, trust, now, require_crl);
  out.sig = CheckOne(identity.sig_certificate_der, crypto::Purpose::kCardNonRepudiation, "SIG",
                     identity.id_nat, trust, now, require_crl);
  out.overall = out.aut.verdict != CertVerdict::kOk ? out.aut : out.sig;
  if (out.overall.verdict == CertVerdict::kOk) out.overall.reason.clear();
  return out;
}

}  // namespace carnet::fw::cps
