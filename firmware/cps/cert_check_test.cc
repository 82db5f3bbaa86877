// CheckCertificates on the small test PKI (crypto/x509/x509_test_support.h).
#include "firmware/cps/cps_test_util.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::fw::cps {
namespace {
using crypto::testing::Gp;
using crypto::testing::RevokedPhysician;

HolderIdentity IdentityOf(const crypto::TestProfessional& p) {
  HolderIdentity id;
  id.id_nat = p.IdNat();
  id.aut_certificate_der = p.aut->cert.der();
  id.sig_certificate_der = p.sig->cert.der();
  return id;
}
}  // namespace

TEST_GROUP(CertCheck){};

TEST(CertCheck, GeneralPractitionerIsOk) {
  auto check =
      CheckCertificates(IdentityOf(Gp()), testing::IgcTrust(), crypto::testing::kMid2026, true);
  CHECK_TEXT(check.ok(), check.overall.reason.c_str());
  CHECK(check.aut.verdict == CertVerdict::kOk);
  CHECK(check.sig.verdict == CertVerdict::kOk);
}

TEST(CertCheck, RevokedPhysician) {
  auto check = CheckCertificates(IdentityOf(RevokedPhysician()), testing::IgcTrust(),
                                 crypto::testing::kMid2026);
  CHECK(check.overall.verdict == CertVerdict::kRevoked);
  CHECK(check.sig.verdict == CertVerdict::kRevoked);
  CHECK(check.overall.reason.find("AUT certificate") == 0);
  CHECK(check.overall.reason.find("revoked") != std::string::npos);
}

TEST(CertCheck, ExpiredAndNotYetValid) {
  auto late = CheckCertificates(IdentityOf(Gp()), testing::IgcTrust(), crypto::testing::k2036);
  CHECK_TEXT(late.overall.verdict == CertVerdict::kExpired, late.overall.reason.c_str());
  auto early = CheckCertificates(IdentityOf(Gp()), testing::IgcTrust(), crypto::testing::k2024);
  CHECK_TEXT(early.overall.verdict == CertVerdict::kExpired, early.overall.reason.c_str());
}

TEST(CertCheck, UntrustedWithoutTheIgcRoot) {
  crypto::TrustStore empty;
  auto check = CheckCertificates(IdentityOf(Gp()), empty, crypto::testing::kMid2026);
  CHECK(check.overall.verdict == CertVerdict::kUntrusted);
  CHECK(!check.overall.reason.empty());
}

TEST(CertCheck, HolderDataMustMatchTheCertificate) {
  HolderIdentity id = IdentityOf(Gp());
  id.id_nat = RevokedPhysician().IdNat();
  auto check = CheckCertificates(id, testing::IgcTrust(), crypto::testing::kMid2026);
  CHECK(check.overall.verdict == CertVerdict::kMismatch);
  CHECK(check.overall.reason.find(Gp().IdNat()) != std::string::npos);
}

TEST(CertCheck, SwappedCertificatesFailOnKeyUsage) {
  HolderIdentity id = IdentityOf(Gp());
  std::swap(id.aut_certificate_der, id.sig_certificate_der);
  auto check = CheckCertificates(id, testing::IgcTrust(), crypto::testing::kMid2026);
  CHECK(check.aut.verdict == CertVerdict::kUntrusted);
  CHECK(check.sig.verdict == CertVerdict::kUntrusted);
}

TEST(CertCheck, MalformedOrMissing) {
  HolderIdentity id = IdentityOf(Gp());
  id.sig_certificate_der = Bytes{0x30, 0x03, 0x02, 0x01, 0x01};
  auto check = CheckCertificates(id, testing::IgcTrust(), crypto::testing::kMid2026);
  CHECK(check.aut.verdict == CertVerdict::kOk);
  CHECK(check.overall.verdict == CertVerdict::kMalformed);
  id.aut_certificate_der.clear();
  check = CheckCertificates(id, testing::IgcTrust(), crypto::testing::kMid2026);
  CHECK(check.aut.verdict == CertVerdict::kMalformed);
  STRCMP_EQUAL("malformed", std::string(CertVerdictName(check.overall.verdict)).c_str());
}

}  // namespace carnet::fw::cps
