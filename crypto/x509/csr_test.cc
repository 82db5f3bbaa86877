#include "crypto/x509/csr.h"

#include <mbedtls/x509_csr.h>

#include "crypto/core/pk_internal.h"
#include "crypto/x509/trust_store.h"
#include "crypto/x509/x509_test_support.h"

namespace carnet::crypto {
namespace {

using testing::kMid2026;
using testing::SmallPki;

IssueParams TerminalParams() {
  IssueParams p;
  p.serial = {0x10, 0x00, 0x03};
  p.not_before = SmallPki().not_before;
  p.not_after = SmallPki().not_after;
  p.key_usage = kKuDigitalSignature;
  p.ext_key_usage = {ExtendedKeyUsage::kClientAuth};
  return p;
}

TEST_GROUP(Csr){};

TEST(Csr, EnrollRoundTrip) {
  FakeRandom rng(21);
  auto device_key = PrivateKey::GenerateEcP256(rng);
  CHECK_OK(device_key);
  auto csr = MakeCsr(*device_key,
                     SimpleName("FR", "Carnet Test Operator", {"terminal"}, "TERM-0003"), rng);
  CHECK_OK(csr);
  auto pem_back = CsrFromPem(CsrToPem(*csr));
  CHECK_OK(pem_back);
  CHECK(*pem_back == *csr);

  auto req = VerifyCsr(*csr);
  CHECK_OK(req);
  STRCMP_CONTAINS("CN=TERM-0003", req->subject.c_str());
  CHECK(req->public_key.ToDer() == device_key->public_key().ToDer());

  auto cert = IssueFromCsr(*csr, SmallPki().terminal_ca->cert, SmallPki().terminal_ca->key,
                           TerminalParams(), rng);
  CHECK_OK(cert);
  STRCMP_EQUAL("TERM-0003", cert->CommonName().c_str());
  CHECK(cert->public_key().ToDer() == device_key->public_key().ToDer());

  TrustStore store;
  CHECK_OK(store.AddRoot(SmallPki().operator_root->cert));
  CHECK_OK(store.AddIntermediate(SmallPki().terminal_ca->cert));
  std::vector<Certificate> chain;
  chain.push_back(std::move(cert).value());
  CHECK_OK(store.Verify(chain, Purpose::kTlsClient, kMid2026));
}

TEST(Csr, TamperedRequestIsNotIssued) {
  FakeRandom rng(22);
  auto key = PrivateKey::GenerateEcP256(rng);
  CHECK_OK(key);
  auto csr = MakeCsr(*key, SimpleName("FR", "", {}, "TERM-0004"), rng);
  CHECK_OK(csr);
  // Change one letter of the subject: the self-signature no longer matches, so the requester
  // has not shown it holds the key for *this* request.
  Bytes tampered = *csr;
  size_t at = ToString(tampered).find("TERM-0004");
  CHECK(at != std::string::npos);
  tampered[at + 8] = '5';
  CHECK(tampered != *csr);
  CHECK_FAILS_WITH(IssueFromCsr(tampered, SmallPki().terminal_ca->cert, SmallPki().terminal_ca->key,
                                TerminalParams(), rng),
                   StatusCode::kUnauthenticated, "self-signature");
  Bytes trailing = *csr;
  trailing.push_back(0);
  CHECK_FAILS_WITH(VerifyCsr(trailing), StatusCode::kInvalidArgument, "CSR");
  CHECK_FAILS_WITH(VerifyCsr({}), StatusCode::kInvalidArgument, "empty");
  CHECK_FAILS_WITH(VerifyCsr(Bytes{0x30, 0x03, 0x02, 0x01, 0x00}), StatusCode::kInvalidArgument,
                   "parsing CSR");
}

TEST(Csr, WeakRequestedKeyIsRefused) {
  // Our own signer refuses RSA-1024, so this request is made with mbedTLS directly: what an
  // outside requester could send.
  FakeRandom rng(23);
  auto weak = PrivateKey::GenerateRsa(rng, 1024);
  CHECK_OK(weak);
  mbedtls_x509write_csr req;
  mbedtls_x509write_csr_init(&req);
  mbedtls_x509write_csr_set_key(&req, &weak->impl()->pk);
  mbedtls_x509write_csr_set_md_alg(&req, MBEDTLS_MD_SHA256);
  LONGS_EQUAL(0, mbedtls_x509write_csr_set_subject_name(&req, "CN=WEAK"));
  unsigned char buf[2048];
  int len = mbedtls_x509write_csr_der(&req, buf, sizeof buf, &MbedRandom, &rng);
  mbedtls_x509write_csr_free(&req);
  CHECK(len > 0);
  Bytes csr(buf + sizeof buf - len, buf + sizeof buf);
  CHECK_FAILS_WITH(VerifyCsr(csr), StatusCode::kInvalidArgument, "2048");
}

TEST(Csr, IssuingChecksItsParameters) {
  FakeRandom rng(24);
  auto key = PrivateKey::GenerateEcP256(rng);
  CHECK_OK(key);
  const CertAndKey& ca = *SmallPki().terminal_ca;
  DistinguishedName name = SimpleName("FR", "", {}, "X");
  IssueParams p = TerminalParams();
  p.serial = {};
  CHECK_FAILS_WITH(IssueCertificate(name, key->public_key(), p, &ca.cert, ca.key, rng),
                   StatusCode::kInvalidArgument, "serial");
  p = TerminalParams();
  p.not_after = p.not_before;
  CHECK_FAILS_WITH(IssueCertificate(name, key->public_key(), p, &ca.cert, ca.key, rng),
                   StatusCode::kInvalidArgument, "notAfter");
  p = TerminalParams();
  p.key_usage |= kKuKeyCertSign;
  CHECK_FAILS_WITH(IssueCertificate(name, key->public_key(), p, &ca.cert, ca.key, rng),
                   StatusCode::kInvalidArgument, "keyCertSign");
  // The operator root's key with the terminal CA's certificate.
  CHECK_FAILS_WITH(IssueCertificate(name, key->public_key(), TerminalParams(), &ca.cert,
                                    SmallPki().operator_root->key, rng),
                   StatusCode::kInvalidArgument, "does not match");
  // A leaf cannot issue.
  const CertAndKey& leaf = *SmallPki().terminals[0].credentials;
  CHECK_FAILS_WITH(
      IssueCertificate(name, key->public_key(), TerminalParams(), &leaf.cert, leaf.key, rng),
      StatusCode::kPermissionDenied, "certificate signing");
  p = TerminalParams();
  p.ip_addresses = {"not-an-ip"};
  CHECK_FAILS_WITH(IssueCertificate(name, key->public_key(), p, &ca.cert, ca.key, rng),
                   StatusCode::kInvalidArgument, "IPv4");
  CHECK_FAILS_WITH(IssueCertificate(SimpleName("France", "", {}, "X"), key->public_key(),
                                    TerminalParams(), &ca.cert, ca.key, rng),
                   StatusCode::kInvalidArgument, "country");
}

}  // namespace
}  // namespace carnet::crypto
