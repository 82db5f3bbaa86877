#include "crypto/x509/trust_store.h"

#include <unistd.h>

#include <cstdio>

#include "crypto/x509/crl.h"
#include "crypto/x509/csr.h"
#include "crypto/x509/x509_test_support.h"

namespace carnet::crypto {
namespace {

using testing::Gp;
using testing::k2024;
using testing::k2036;
using testing::kMid2026;
using testing::RevokedPhysician;
using testing::SmallPki;

TrustStore IgcStore(bool with_crl) {
  TrustStore store;
  CHECK_OK(store.AddRoot(SmallPki().igc_root->cert));
  CHECK_OK(store.AddIntermediate(SmallPki().igc_intermediate->cert));
  if (with_crl) CHECK_OK(store.AddCrlDer(SmallPki().igc_crl));
  return store;
}

std::vector<Certificate> Chain(const Certificate& leaf) {
  std::vector<Certificate> chain;
  chain.push_back(leaf.Clone());
  return chain;
}

IssueParams Params(unsigned ku, bool ca = false) {
  IssueParams p;
  p.serial = {0x01, 0x23};
  p.not_before = SmallPki().not_before;
  p.not_after = SmallPki().not_after;
  p.key_usage = ku;
  p.is_ca = ca;
  return p;
}

// A CA certificate with the intermediate's name but another key: what an attacker who
// cannot get the real CA key would make.
CertAndKey FakeIntermediate(FakeRandom& rng) {
  auto key = PrivateKey::GenerateEcP256(rng);
  CHECK_OK(key);
  auto cert =
      IssueCertificateForName(SmallPki().igc_intermediate->cert.SubjectDer(), key->public_key(),
                              Params(kKuKeyCertSign | kKuCrlSign, true), nullptr, *key, rng);
  CHECK_OK(cert);
  return CertAndKey{std::move(cert).value(), std::move(key).value()};
}

TEST_GROUP(TrustStore){};

TEST(TrustStore, CardChainVerifiesWithACurrentCrl) {
  TrustStore store = IgcStore(true);
  CHECK_OK(store.Verify(Chain(Gp().aut->cert), Purpose::kCardAuthentication, kMid2026, true));
  CHECK_OK(store.Verify(Chain(Gp().sig->cert), Purpose::kCardNonRepudiation, kMid2026, true));
  // The intermediate may also come with the chain instead of from the store.
  TrustStore roots_only;
  CHECK_OK(roots_only.AddRoot(SmallPki().igc_root->cert));
  std::vector<Certificate> chain = Chain(Gp().aut->cert);
  chain.push_back(SmallPki().igc_intermediate->cert.Clone());
  CHECK_OK(roots_only.Verify(chain, Purpose::kCardAuthentication, kMid2026));
}

TEST(TrustStore, ExpiredAndNotYetValidAgainstTheGivenTime) {
  TrustStore store = IgcStore(true);
  CHECK_FAILS_WITH(store.Verify(Chain(Gp().aut->cert), Purpose::kCardAuthentication, k2036),
                   StatusCode::kUnauthenticated, "expired");
  CHECK_FAILS_WITH(store.Verify(Chain(Gp().aut->cert), Purpose::kCardAuthentication, k2024),
                   StatusCode::kUnauthenticated, "not yet valid");
}

TEST(TrustStore, TimeComesFromTheCallerNotTheSystemClock) {
  // A hierarchy that expired in 2021 (by the system clock, long ago) still verifies at a
  // `now` inside its validity: mbedTLS's own clock-based flags must not leak through.
  FakeRandom rng(12);
  auto root_key = PrivateKey::GenerateEcP256(rng);
  auto leaf_key = PrivateKey::GenerateEcP256(rng);
  CHECK_OK(root_key);
  CHECK_OK(leaf_key);
  IssueParams ca = Params(kKuKeyCertSign | kKuCrlSign, true);
  ca.not_before = 1577836800000;  // 2020-01-01
  ca.not_after = 1609459200000;   // 2021-01-01
  auto root = IssueCertificate(SimpleName("FR", "", {}, "OLD ROOT"), root_key->public_key(), ca,
                               nullptr, *root_key, rng);
  CHECK_OK(root);
  IssueParams leaf_params = Params(kKuDigitalSignature);
  leaf_params.not_before = ca.not_before;
  leaf_params.not_after = ca.not_after;
  auto leaf = IssueCertificate(SimpleName("FR", "", {}, "OLD LEAF"), leaf_key->public_key(),
                               leaf_params, &*root, *root_key, rng);
  CHECK_OK(leaf);
  TrustStore store;
  CHECK_OK(store.AddRoot(*root));
  CHECK_OK(store.Verify(Chain(*leaf), Purpose::kCardAuthentication, 1593561600000));  // 2020-07
  CHECK_FAILS_WITH(store.Verify(Chain(*leaf), Purpose::kCardAuthentication, kMid2026),
                   StatusCode::kUnauthenticated, "expired");
}

TEST(TrustStore, UnknownRoot) {
  TrustStore store;
  CHECK_OK(store.AddRoot(SmallPki().operator_root->cert));
  CHECK_FAILS_WITH(store.Verify(Chain(Gp().aut->cert), Purpose::kCardAuthentication, kMid2026),
                   StatusCode::kUnauthenticated, "unknown issuer");
}

TEST(TrustStore, RevokedCardIsRejected) {
  TrustStore store = IgcStore(true);
  CHECK_FAILS_WITH(store.Verify(Chain(RevokedPhysician().aut->cert), Purpose::kCardAuthentication,
                                kMid2026, true),
                   StatusCode::kUnauthenticated, "revoked");
  // Listed is revoked, whether or not a CRL is required for the decision.
  CHECK_FAILS_WITH(store.Verify(Chain(RevokedPhysician().sig->cert), Purpose::kCardNonRepudiation,
                                kMid2026, false),
                   StatusCode::kUnauthenticated, "revoked");
}

TEST(TrustStore, MissingCrlOnlyMattersWhenRequired) {
  TrustStore store = IgcStore(false);
  CHECK_OK(store.Verify(Chain(Gp().aut->cert), Purpose::kCardAuthentication, kMid2026, false));
  CHECK_FAILS_WITH(
      store.Verify(Chain(Gp().aut->cert), Purpose::kCardAuthentication, kMid2026, true),
      StatusCode::kUnauthenticated, "no CRL");
}

TEST(TrustStore, ExpiredCrlFailsWhenRequired) {
  FakeRandom rng(7);
  CrlParams params;
  params.this_update = SmallPki().not_before;
  params.next_update = SmallPki().not_before + 86400000LL * 30;
  auto crl =
      MakeCrl(SmallPki().igc_intermediate->cert, SmallPki().igc_intermediate->key, params, rng);
  CHECK_OK(crl);
  TrustStore store = IgcStore(false);
  CHECK_OK(store.AddCrlDer(*crl));
  CHECK_FAILS_WITH(
      store.Verify(Chain(Gp().aut->cert), Purpose::kCardAuthentication, kMid2026, true),
      StatusCode::kUnauthenticated, "expired at");
}

TEST(TrustStore, CrlSignedByTheWrongKeyIsRefused) {
  FakeRandom rng(8);
  CertAndKey fake = FakeIntermediate(rng);
  CrlParams params;
  params.this_update = SmallPki().not_before;
  params.next_update = SmallPki().not_after;  // an empty list would "un-revoke" everyone
  auto crl = MakeCrl(fake.cert, fake.key, params, rng);
  CHECK_OK(crl);
  TrustStore store = IgcStore(false);
  CHECK_FAILS_WITH(store.AddCrlDer(*crl), StatusCode::kUnauthenticated, "not signed by the CA");
  // A CRL from a CA this store does not know at all.
  auto other = MakeCrl(SmallPki().operator_root->cert, SmallPki().operator_root->key, params, rng);
  CHECK_OK(other);
  CHECK_FAILS_WITH(store.AddCrlDer(*other), StatusCode::kNotFound, "issuer");
  CHECK_FAILS_WITH(store.AddCrlDer(Bytes{0x30, 0x00}), StatusCode::kInvalidArgument, "CRL");
}

TEST(TrustStore, CertificateSignedByAnImpostorCa) {
  FakeRandom rng(9);
  CertAndKey fake = FakeIntermediate(rng);
  auto leaf_key = PrivateKey::GenerateEcP256(rng);
  CHECK_OK(leaf_key);
  auto leaf = IssueCertificate(SimpleName("FR", "", {}, "IMPOSTOR"), leaf_key->public_key(),
                               Params(kKuDigitalSignature), &fake.cert, fake.key, rng);
  CHECK_OK(leaf);
  CHECK_FAILS_WITH(IgcStore(true).Verify(Chain(*leaf), Purpose::kCardAuthentication, kMid2026),
                   StatusCode::kUnauthenticated, "bad signature");
}

TEST(TrustStore, WeakKeyIsRefusedByTheProfile) {
  FakeRandom rng(10);
  auto weak = PrivateKey::GenerateRsa(rng, 1024);
  CHECK_OK(weak);
  auto leaf = IssueCertificate(SimpleName("FR", "", {}, "WEAK"), weak->public_key(),
                               Params(kKuDigitalSignature), &SmallPki().igc_intermediate->cert,
                               SmallPki().igc_intermediate->key, rng);
  CHECK_OK(leaf);
  CHECK_FAILS_WITH(IgcStore(true).Verify(Chain(*leaf), Purpose::kCardAuthentication, kMid2026),
                   StatusCode::kUnauthenticated, "not allowed");
}

TEST(TrustStore, WrongKeyUsageForThePurpose) {
  TrustStore store = IgcStore(true);
  CHECK_FAILS_WITH(
      store.Verify(Chain(Gp().aut->cert), Purpose::kCardNonRepudiation, kMid2026, true),
      StatusCode::kPermissionDenied, "non-repudiation");
  CHECK_FAILS_WITH(
      store.Verify(Chain(Gp().sig->cert), Purpose::kCardAuthentication, kMid2026, true),
      StatusCode::kPermissionDenied, "card authentication");
  TrustStore op;
  CHECK_OK(op.AddRoot(SmallPki().operator_root->cert));
  CHECK_OK(op.AddIntermediate(SmallPki().terminal_ca->cert));
  const Certificate& terminal = SmallPki().terminals[0].credentials->cert;
  CHECK_OK(op.Verify(Chain(terminal), Purpose::kTlsClient, kMid2026));
  CHECK_OK(op.Verify(Chain(SmallPki().node->cert), Purpose::kTlsServer, kMid2026));
  CHECK_FAILS_WITH(op.Verify(Chain(terminal), Purpose::kTlsServer, kMid2026),
                   StatusCode::kPermissionDenied, "TLS server");
}

TEST(TrustStore, CaCertificateIsNotAnEndEntity) {
  FakeRandom rng(11);
  auto key = PrivateKey::GenerateEcP256(rng);
  CHECK_OK(key);
  IssueParams p = Params(kKuDigitalSignature | kKuKeyCertSign, true);
  p.ext_key_usage = {ExtendedKeyUsage::kClientAuth};
  auto ca = IssueCertificate(SimpleName("FR", "", {}, "SUB CA"), key->public_key(), p,
                             &SmallPki().terminal_ca->cert, SmallPki().terminal_ca->key, rng);
  CHECK_OK(ca);
  CHECK_FAILS_WITH(ca->KeyUsageAllows(Purpose::kTlsClient), StatusCode::kPermissionDenied,
                   "CA certificate cannot be used");
}

TEST(TrustStore, ConfigurationErrors) {
  TrustStore empty;
  CHECK_FAILS_WITH(empty.Verify(Chain(Gp().aut->cert), Purpose::kCardAuthentication, kMid2026),
                   StatusCode::kFailedPrecondition, "no root");
  CHECK_FAILS_WITH(IgcStore(false).Verify({}, Purpose::kCardAuthentication, kMid2026),
                   StatusCode::kInvalidArgument, "empty");
  CHECK_FAILS_WITH(empty.AddRoot(Gp().aut->cert), StatusCode::kPermissionDenied, "adding root");
  CHECK_FAILS_WITH(empty.AddIntermediate(Gp().aut->cert), StatusCode::kPermissionDenied,
                   "adding intermediate");
}

TEST(TrustStore, LoadsRootsAndCrlsFromFiles) {
  char dir[] = "/tmp/carnet-x509-test-XXXXXX";
  CHECK(mkdtemp(dir) != nullptr);
  const std::string root = std::string(dir) + "/root.pem";
  const std::string crl = std::string(dir) + "/crl.pem";
  auto write = [](const std::string& path, const std::string& text) {
    FILE* f = std::fopen(path.c_str(), "wb");
    CHECK(f != nullptr);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  };
  write(root, SmallPki().igc_root->cert.ToPem());
  write(crl, CrlToPem(SmallPki().igc_crl));
  TrustStore store;
  CHECK_OK(store.AddRootPemFile(root));
  CHECK_OK(store.AddIntermediate(SmallPki().igc_intermediate->cert));
  CHECK_OK(store.AddCrlPemOrDerFile(crl));
  CHECK_FAILS_WITH(store.Verify(Chain(RevokedPhysician().aut->cert), Purpose::kCardAuthentication,
                                kMid2026, true),
                   StatusCode::kUnauthenticated, "revoked");
  CHECK_FAILS_WITH(store.AddRootPemFile(std::string(dir) + "/missing.pem"), StatusCode::kNotFound,
                   "cannot open");
  unlink(root.c_str());
  unlink(crl.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace carnet::crypto
