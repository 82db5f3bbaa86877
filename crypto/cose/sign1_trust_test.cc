#include <CppUTest/TestHarness.h>

#include "crypto/cose/cose_test_util.h"
#include "crypto/x509/pki.h"
#include "crypto/x509/trust_store.h"

namespace carnet::crypto::cose {
namespace {

// The x509 module's reproducible test hierarchy (IGC-Santé root -> intermediate -> card
// certificates), built once: RSA key generation dominates.
const TestPki& Pki() {
  static TestPki pki = [] {
    TestPkiOptions o;
    o.seed = "crypto-cose-test";
    o.small = true;
    auto r = BuildTestPki(o);
    if (!r.ok()) FAIL(r.status().ToString().c_str());
    return std::move(*r);
  }();
  return pki;
}

const TestProfessional& Professional(bool revoked) {
  for (const auto& p : Pki().professionals) {
    if (p.revoked == revoked) return p;
  }
  FAIL("test PKI has no such professional");
  return Pki().professionals.front();
}

UnixMillis Now() { return Pki().not_before + 24 * 3600 * 1000LL; }

TrustStore Store(bool with_crl) {
  TrustStore store;
  CHECK(store.AddRoot(Pki().igc_root->cert).ok());
  if (with_crl) {
    // The CRL is signed by the intermediate, which must be known to the store to accept it.
    CHECK(store.AddIntermediate(Pki().igc_intermediate->cert).ok());
    Status s = store.AddCrlDer(Pki().igc_crl);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
  }
  return store;
}

Sign1 SignWith(const PrivateKey& key, const std::vector<Bytes>& chain) {
  auto bytes = Sign(key, SignatureScheme::kRs256, AsBytes("deposit"), chain);
  CHECK_TEXT(bytes.ok(), bytes.status().message().c_str());
  auto m = Decode(*bytes);
  CHECK_TEXT(m.ok(), m.status().message().c_str());
  return *m;
}

std::vector<Bytes> ChainOf(const CertAndKey& leaf) {
  return {leaf.cert.der(), Pki().igc_intermediate->cert.der()};
}

TEST_GROUP(CoseTrust){};

TEST(CoseTrust, CardSignatureChainsToTheRoot) {
  const auto& gp = Professional(false);
  Sign1 m = SignWith(gp.sig->key, ChainOf(*gp.sig));
  Status s = VerifyWithTrustStore(m, Store(true), Purpose::kCardNonRepudiation, Now(), {}, true);
  CHECK_TEXT(s.ok(), s.ToString().c_str());
  // The SIG certificate is not an authentication certificate.
  CHECK(!VerifyWithTrustStore(m, Store(false), Purpose::kCardAuthentication, Now()).ok());
  // Outside the validity period.
  CHECK(!VerifyWithTrustStore(m, Store(false), Purpose::kCardNonRepudiation, 0).ok());
}

TEST(CoseTrust, CertificateOfAnotherKeyIsRefused) {
  // Signed with the AUT key but naming the SIG certificate: the chain is fine, the signature
  // is not from that certificate's key.
  const auto& gp = Professional(false);
  Sign1 m = SignWith(gp.aut->key, ChainOf(*gp.sig));
  Status s = VerifyWithTrustStore(m, Store(false), Purpose::kCardNonRepudiation, Now());
  CHECK(s.code() == StatusCode::kUnauthenticated);
  STRCMP_CONTAINS("signature does not verify", s.message().c_str());
}

TEST(CoseTrust, UntrustedMissingOrRevokedChainsAreRefused) {
  const auto& gp = Professional(false);
  Sign1 m = SignWith(gp.sig->key, ChainOf(*gp.sig));
  Status s = VerifyWithTrustStore(m, TrustStore(), Purpose::kCardNonRepudiation, Now());
  STRCMP_CONTAINS("signer certificate not trusted", s.message().c_str());
  Sign1 bare = SignWith(gp.sig->key, {});
  s = VerifyWithTrustStore(bare, Store(false), Purpose::kCardNonRepudiation, Now());
  STRCMP_CONTAINS("no x5chain", s.message().c_str());
  const auto& revoked = Professional(true);
  Sign1 r = SignWith(revoked.sig->key, ChainOf(*revoked.sig));
  s = VerifyWithTrustStore(r, Store(true), Purpose::kCardNonRepudiation, Now(), {}, true);
  CHECK(!s.ok());
  STRCMP_CONTAINS("not trusted", s.message().c_str());
  Sign1 junk = m;
  junk.x5chain[0] = Bytes{0x30, 0x03, 0x02, 0x01, 0x00};
  s = VerifyWithTrustStore(junk, Store(false), Purpose::kCardNonRepudiation, Now());
  STRCMP_CONTAINS("does not parse", s.message().c_str());
}

}  // namespace
}  // namespace carnet::crypto::cose
