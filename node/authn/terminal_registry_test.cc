#include "node/authn/terminal_registry.h"

#include <CppUTest/TestHarness.h>

#include "crypto/core/random.h"
#include "crypto/x509/csr.h"
#include "crypto/x509/name.h"
#include "crypto/x509/trust_store.h"
#include "node/authn/authn_test_pki.h"
#include "node/authn/terminal_registry_json.h"

namespace carnet::node::authn {
namespace {

using testing::GetEnv;
using testing::kNow;

std::string CsrPem(const crypto::PrivateKey& key, const std::string& cn) {
  auto csr = crypto::MakeCsr(key, crypto::SimpleName("FR", "Clinique", {"terminal"}, cn),
                             crypto::Drbg::ForThread());
  if (!csr.ok()) FAIL(csr.status().ToString().c_str());
  return crypto::CsrToPem(*csr);
}

crypto::PrivateKey NewEcKey() {
  return std::move(crypto::PrivateKey::GenerateEcP256(crypto::Drbg::ForThread())).value();
}

}  // namespace

TEST_GROUP(TerminalRegistry) {
  node::testing::TempDir dir;
  FakeClock clock{kNow};
  TerminalRegistry Open() {
    auto r = TerminalRegistry::Open(dir.File("terminals.json"));
    if (!r.ok()) FAIL(r.status().ToString().c_str());
    return std::move(r).value();
  }
  TerminalCa Ca() {
    TerminalCa ca = GetEnv().Ca();
    ca.crl_path = dir.File("terminal-ca.crl.pem");
    return ca;
  }
};

TEST(TerminalRegistry, EnrollIssuesATrustedClientCertificateAndPersists) {
  TerminalRegistry reg = Open();
  crypto::PrivateKey key = NewEcKey();
  auto pem = reg.Enroll(CsrPem(key, "TERM-0100"), "TERM-0100", Ca(), clock);
  CHECK_TEXT(pem.ok(), pem.status().ToString().c_str());
  auto certs = crypto::Certificate::FromPem(*pem);
  CHECK(certs.ok());
  const crypto::Certificate& cert = certs->front();
  STRCMP_EQUAL("TERM-0100", cert.CommonName().c_str());
  CHECK(cert.public_key().ToDer() == key.public_key().ToDer());
  CHECK(cert.NotBefore() == kNow);
  CHECK(cert.NotAfter() == kNow + int64_t{3 * 365 * 24} * 3600 * 1000);
  // A validity past the CA's expiry is cut at the CA's expiry.
  EnrollOptions long_lived;
  long_lived.validity = std::chrono::hours(24 * 365 * 20);
  auto pem2 = reg.Enroll(CsrPem(NewEcKey(), "TERM-0200"), "TERM-0200", Ca(), clock, long_lived);
  CHECK(pem2.ok());
  CHECK(crypto::Certificate::FromPem(*pem2)->front().NotAfter() ==
        GetEnv().pki.terminal_ca->cert.NotAfter());
  std::vector<crypto::Certificate> chain;
  chain.push_back(cert.Clone());
  CHECK(GetEnv().terminal_trust.Verify(chain, crypto::Purpose::kTlsClient, kNow).ok());
  CHECK(cert.KeyUsageAllows(crypto::Purpose::kDeviceSigning).ok());
  // Persisted: a fresh Open sees it, by id and by fingerprint.
  TerminalRegistry again = Open();
  const TerminalRecord* rec = again.FindActive("TERM-0100");
  CHECK(rec != nullptr);
  CHECK(rec == again.FindByFingerprint(crypto::Sha256(cert.der())));
  CHECK(rec->serial == cert.SerialNumber());
  CHECK(rec->enrolled_at == kNow);
  CHECK(rec->role == ClientRole::kTerminal);
}

TEST(TerminalRegistry, EnrollRefusals) {
  TerminalRegistry reg = Open();
  crypto::PrivateKey key = NewEcKey();
  CHECK(reg.Enroll(CsrPem(key, "TERM-0100"), "TERM-0100", Ca(), clock).ok());
  // A second active terminal with the same id.
  auto dup = reg.Enroll(CsrPem(NewEcKey(), "TERM-0100"), "TERM-0100", Ca(), clock);
  LONGS_EQUAL(static_cast<int>(StatusCode::kAlreadyExists), static_cast<int>(dup.status().code()));
  // An RSA device key.
  auto rsa = crypto::PrivateKey::GenerateRsa(crypto::Drbg::ForThread(), 2048);
  auto r = reg.Enroll(CsrPem(*rsa, "TERM-0101"), "TERM-0101", Ca(), clock);
  CHECK(!r.ok());
  CHECK(r.status().message().find("P-256") != std::string::npos);
  // A CSR whose CN is another terminal's.
  r = reg.Enroll(CsrPem(NewEcKey(), "TERM-0999"), "TERM-0102", Ca(), clock);
  CHECK(!r.ok());
  CHECK(r.status().message().find("CN") != std::string::npos);
  // A tampered CSR (self-signature no longer verifies) and garbage.
  std::string pem = CsrPem(NewEcKey(), "TERM-0103");
  auto der = crypto::CsrFromPem(pem);
  (*der)[der->size() / 2] ^= 0x01;
  CHECK(!reg.Enroll(crypto::CsrToPem(*der), "TERM-0103", Ca(), clock).ok());
  CHECK(!reg.Enroll("not a csr", "TERM-0104", Ca(), clock).ok());
  CHECK(!reg.Enroll(CsrPem(NewEcKey(), "bad id"), "bad id", Ca(), clock).ok());
  TerminalCa no_ca;
  CHECK(!reg.Enroll(CsrPem(NewEcKey(), "TERM-0105"), "TERM-0105", no_ca, clock).ok());
  // Only the first enrollment was recorded.
  LONGS_EQUAL(1, Open().records().size());
}

TEST(TerminalRegistry, RevokeWritesACrlAndAllowsReEnrollment) {
  TerminalRegistry reg = Open();
  auto pem = reg.Enroll(CsrPem(NewEcKey(), "TERM-0100"), "TERM-0100", Ca(), clock);
  CHECK(pem.ok());
  auto cert = std::move(crypto::Certificate::FromPem(*pem)).value();
  clock.Advance(std::chrono::hours(1));
  CHECK(reg.Revoke("TERM-0100", Ca(), clock).ok());
  CHECK(reg.FindActive("TERM-0100") == nullptr);
  const TerminalRecord* rec = reg.FindByFingerprint(crypto::Sha256(cert[0].der()));
  CHECK(rec != nullptr && !rec->active());
  CHECK(*rec->revoked_at == kNow + 3600000);
  LONGS_EQUAL(static_cast<int>(StatusCode::kNotFound),
              static_cast<int>(reg.Revoke("TERM-0100", Ca(), clock).code()));
  // The CRL is signed by the terminal CA and lists the serial: a TLS layer refuses the cert.
  crypto::TrustStore store;
  CHECK(store.AddRoot(GetEnv().pki.terminal_ca->cert).ok());
  CHECK(store.AddCrlPemOrDerFile(dir.File("terminal-ca.crl.pem")).ok());
  Status s = store.Verify(cert, crypto::Purpose::kTlsClient, kNow + 7200000, true);
  CHECK_TEXT(!s.ok() && s.message().find("revoked") != std::string::npos, s.ToString().c_str());
  // The same id can be enrolled again (a replaced device), with a new certificate.
  CHECK(reg.Enroll(CsrPem(NewEcKey(), "TERM-0100"), "TERM-0100", Ca(), clock).ok());
  TerminalRegistry again = Open();
  LONGS_EQUAL(2, again.records().size());
  CHECK(again.FindActive("TERM-0100") != nullptr);
}

TEST(TerminalRegistry, RegisterChecksTheCommonName) {
  TerminalRegistry reg = Open();
  const auto& term = GetEnv().Terminal(0);
  CHECK(!reg.Register(term.cert, "TERM-0002", ClientRole::kTerminal, kNow).ok());
  CHECK(reg.Register(term.cert, "TERM-0001", ClientRole::kTerminal, kNow).ok());
  CHECK(!reg.Register(term.cert, "TERM-0001", ClientRole::kTerminal, kNow).ok());
}

TEST(TerminalRegistry, MalformedFileIsAnErrorNotEmpty) {
  auto check = [&](const std::string& text, const std::string& needle) {
    node::testing::WriteText(dir.File("terminals.json"), text);
    auto r = TerminalRegistry::Open(dir.File("terminals.json"));
    CHECK_TEXT(!r.ok(), text.c_str());
    CHECK_TEXT(r.status().message().find(needle) != std::string::npos,
               r.status().ToString().c_str());
  };
  const std::string sha(64, 'a');
  auto rec = [&](const std::string& id, const std::string& s, const std::string& revoked) {
    return "{\"id\":\"" + id + "\",\"role\":\"terminal\",\"serial\":\"01\",\"sha256\":\"" + s +
           "\",\"enrolled_at\":\"2026-01-01T00:00:00Z\",\"revoked_at\":" + revoked + "}";
  };
  auto doc = [](const std::string& recs) {
    return "{\"format\":\"carnet-terminals/1\",\"crl_number\":0,\"terminals\":[" + recs + "]}";
  };
  check("{", "");
  check("{\"format\":\"other\",\"crl_number\":0,\"terminals\":[]}", "format");
  check(doc(rec("T1", sha, "null") + "," + rec("T1", std::string(64, 'b'), "null")),
        "second active");
  check(doc(rec("T1", sha, "null") + "," + rec("T2", sha, "null")), "duplicate sha256");
  check(doc(rec("T1", "abcd", "null")), "sha256");
  check(doc(rec("T 1", sha, "null")), "id");
  check(doc(rec("T1", sha, "\"yesterday\"")), "revoked_at");
  check("{\"format\":\"carnet-terminals/1\",\"crl_number\":0,\"terminals\":[],\"x\":1}", "x");
  // A revoked and an active record with one id are fine (re-enrollment).
  node::testing::WriteText(dir.File("terminals.json"),
                           doc(rec("T1", sha, "\"2026-02-01T00:00:00Z\"") + "," +
                               rec("T1", std::string(64, 'b'), "null")));
  auto ok = TerminalRegistry::Open(dir.File("terminals.json"));
  CHECK_TEXT(ok.ok(), ok.status().ToString().c_str());
  LONGS_EQUAL(2, ok->records().size());
}

TEST(TerminalRegistry, JsonRoundTrip) {
  internal::RegistryFile f;
  f.crl_number = 7;
  TerminalRecord r{"PORTAL-0001", ClientRole::kPortal, Bytes{0x40, 0x01}, {}, kNow, kNow + 5};
  r.fingerprint[0] = 0xAB;
  f.records.push_back(r);
  auto back = internal::ParseRegistryJson(internal::WriteRegistryJson(f));
  CHECK_TEXT(back.ok(), back.status().ToString().c_str());
  LONGS_EQUAL(7, back->crl_number);
  CHECK(back->records[0].role == ClientRole::kPortal);
  CHECK(back->records[0].fingerprint == r.fingerprint);
  CHECK(back->records[0].revoked_at == kNow + 5);
  CHECK(back->records[0].serial == r.serial);
}

}  // namespace carnet::node::authn
