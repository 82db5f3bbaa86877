#include "node/app/node_init.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "CppUTest/TestHarness.h"
#include "crypto/x509/pki.h"
#include "crypto/x509/trust_store.h"
#include "node/config/config.h"

namespace carnet::node::app {
namespace {

constexpr UnixMillis kJan2026 = 1767225600000;  // 2026-01-01T00:00:00Z, inside the test PKI

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

unsigned ModeOf(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return 0xffff;
  return st.st_mode & 07777;
}

std::string MakeTempDir() {
  char tmpl[] = "/tmp/carnet-init-test-XXXXXX";
  return mkdtemp(tmpl);
}

// One small seeded test PKI on disk for the whole process (RSA keys are slow).
const std::string& TestPkiDir() {
  static const std::string dir = [] {
    std::string d = MakeTempDir() + "/pki";
    auto pki = crypto::BuildTestPki({.seed = "node-init-test", .small = true});
    if (!pki.ok() || !crypto::WriteTestPki(*pki, d, false).ok()) return std::string();
    return d;
  }();
  return dir;
}

}  // namespace

TEST_GROUP(NodeInit) {
  std::string root;
  std::string dir;
  FakeRandom rng{7};
  FakeClock clock{kJan2026};
  void setup() override {
    root = MakeTempDir();
    dir = root + "/node";
  }
  void teardown() override { std::filesystem::remove_all(root); }

  InitReport Init(bool with_pki, bool force = false) {
    InitOptions o;
    o.dir = dir;
    o.force = force;
    if (with_pki) o.test_pki_dir = TestPkiDir();
    auto r = InitNodeDirectory(o, rng, clock);
    if (!r.ok()) FAIL(r.status().ToString().c_str());
    return *r;
  }
};

TEST(NodeInit, FromTestPkiLoadsAndIsReadyToServe) {
  CHECK_FALSE(TestPkiDir().empty());
  InitReport report = Init(true);
  CHECK_TRUE(report.trust_configured);
  CHECK_TRUE(report.kept.empty());
  CHECK_TRUE(report.replaced.empty());
  auto c = config::LoadConfig(dir + "/node.conf");
  if (!c.ok()) FAIL(c.status().ToString().c_str());
  CHECK_TRUE(config::CheckReadyToServe(*c).ok());
  STRCMP_EQUAL("FRVITALETESTCA01", c->trust.vitale_ca_reference.c_str());
  LONGS_EQUAL(2, c->trust.igc_crls.size());
  // The node's TLS identity is the test PKI's, byte for byte.
  STRCMP_EQUAL(Slurp(TestPkiDir() + "/operator/node.crt.pem").c_str(),
               Slurp(dir + "/keys/node.crt.pem").c_str());
  // The copied CRLs still verify under the copied IGC-Santé anchors.
  crypto::TrustStore store;
  CHECK_TRUE(store.AddRootPemFile(c->trust.igc_roots[0]).ok());
  auto inter = crypto::Certificate::FromPemFile(c->trust.igc_intermediates[0]);
  CHECK_TRUE(inter.ok());
  CHECK_TRUE(store.AddIntermediate((*inter)[0]).ok());
  for (const std::string& crl : c->trust.igc_crls) CHECK_TRUE(store.AddCrlPemOrDerFile(crl).ok());
}

TEST(NodeInit, KeysArePrivate) {
  Init(true);
  LONGS_EQUAL(0700, ModeOf(dir + "/keys"));
  LONGS_EQUAL(0700, ModeOf(dir + "/data"));
  for (const char* key : {"kek.bin", "node.key.pem", "terminal-ca.key.pem", "trace-log.key.pem"}) {
    LONGS_EQUAL(0600, ModeOf(dir + "/keys/" + key));
  }
  LONGS_EQUAL(0644, ModeOf(dir + "/keys/node.crt.pem"));
  LONGS_EQUAL(32, std::filesystem::file_size(dir + "/keys/kek.bin"));
}

TEST(NodeInit, SecondInitIsRefusedAndChangesNothing) {
  Init(true);
  std::string kek = Slurp(dir + "/keys/kek.bin");
  std::string conf = Slurp(dir + "/node.conf");
  InitOptions o;
  o.dir = dir;
  auto r = InitNodeDirectory(o, rng, clock);
  CHECK_EQUAL(static_cast<int>(StatusCode::kAlreadyExists), static_cast<int>(r.status().code()));
  CHECK(r.status().message().find("--force") != std::string::npos);
  CHECK(kek == Slurp(dir + "/keys/kek.bin"));
  CHECK(conf == Slurp(dir + "/node.conf"));
}

TEST(NodeInit, ForceKeepsTheKekAndMovesOtherKeysAside) {
  Init(false);
  std::string kek = Slurp(dir + "/keys/kek.bin");
  std::string node_key = Slurp(dir + "/keys/node.key.pem");
  clock.Set(kJan2026 + 1000);
  InitReport report = Init(true, /*force=*/true);
  LONGS_EQUAL(1, report.kept.size());
  STRCMP_EQUAL("keys/kek.bin", report.kept[0].c_str());
  CHECK(kek == Slurp(dir + "/keys/kek.bin"));
  std::string moved = dir + "/keys/node.key.pem.replaced-20260101T000001Z";
  CHECK(node_key == Slurp(moved));
  LONGS_EQUAL(0600, ModeOf(moved));
  CHECK(node_key != Slurp(dir + "/keys/node.key.pem"));
  CHECK_TRUE(std::filesystem::exists(dir + "/node.conf.replaced-20260101T000001Z"));
  CHECK_TRUE(config::LoadConfig(dir + "/node.conf").ok());
}

TEST(NodeInit, ForceAcceptsAFolderWithOtherFiles) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/README") << "operator notes\n";
  InitOptions o;
  o.dir = dir;
  CHECK_FALSE(InitNodeDirectory(o, rng, clock).ok());
  Init(true, /*force=*/true);
  STRCMP_EQUAL("operator notes\n", Slurp(dir + "/README").c_str());
}

TEST(NodeInit, GeneratedOperatorPkiChainsAndLeavesTrustToConfigure) {
  InitReport report = Init(false);
  CHECK_FALSE(report.trust_configured);
  auto c = config::LoadConfig(dir + "/node.conf");
  if (!c.ok()) FAIL(c.status().ToString().c_str());
  Status ready = config::CheckReadyToServe(*c);
  CHECK_EQUAL(static_cast<int>(StatusCode::kFailedPrecondition), static_cast<int>(ready.code()));
  LONGS_EQUAL(0600, ModeOf(dir + "/keys/operator-root.key.pem"));
  InitOptions o;
  o.dir = dir;
  CHECK(NextSteps(o, report).find("[trust]") != std::string::npos);

  crypto::TrustStore store;
  CHECK_TRUE(store.AddRootPemFile(dir + "/keys/operator-root.crt.pem").ok());
  auto node = crypto::Certificate::FromPemFile(c->tls.cert);
  CHECK_TRUE(node.ok());
  Status s = store.Verify(*node, crypto::Purpose::kTlsServer, kJan2026);
  if (!s.ok()) FAIL(s.ToString().c_str());
  auto tca = crypto::Certificate::FromPemFile(c->tls.terminal_ca);
  CHECK_TRUE(tca.ok());
  CHECK_TRUE(store.Verify(*tca, crypto::Purpose::kCertificateSigning, kJan2026).ok());
  STRCMP_EQUAL("localhost", (*node)[0].CommonName().c_str());
}

TEST(NodeInit, BadTestPkiLeavesNothingBehind) {
  std::string fake_pki = root + "/not-a-pki";
  std::filesystem::create_directories(fake_pki);
  std::ofstream(fake_pki + "/index.json") << R"({"format":"something-else"})";
  InitOptions o;
  o.dir = dir;
  o.test_pki_dir = fake_pki;
  auto r = InitNodeDirectory(o, rng, clock);
  CHECK_EQUAL(static_cast<int>(StatusCode::kInvalidArgument), static_cast<int>(r.status().code()));
  CHECK_FALSE(std::filesystem::exists(dir));
  o.test_pki_dir = root + "/absent";
  CHECK_EQUAL(static_cast<int>(StatusCode::kNotFound),
              static_cast<int>(InitNodeDirectory(o, rng, clock).status().code()));
}

TEST(NodeInit, ForceRefusesAnExistingKekOthersCanRead) {
  Init(false);
  chmod((dir + "/keys/kek.bin").c_str(), 0644);
  InitOptions o;
  o.dir = dir;
  o.force = true;
  auto r = InitNodeDirectory(o, rng, clock);
  CHECK_EQUAL(static_cast<int>(StatusCode::kPermissionDenied), static_cast<int>(r.status().code()));
}

}  // namespace carnet::node::app
