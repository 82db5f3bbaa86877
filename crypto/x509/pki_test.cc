#include "crypto/x509/pki.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "crypto/x509/cvc.h"
#include "crypto/x509/seeded_drbg.h"
#include "crypto/x509/x509_test_support.h"
#include "hal/base/json.h"

namespace carnet::crypto {
namespace {

namespace fs = std::filesystem;
using testing::SmallPki;

std::string TempDir() {
  char dir[] = "/tmp/carnet-pki-test-XXXXXX";
  CHECK(mkdtemp(dir) != nullptr);
  return dir;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every regular file under `root`, by relative path.
std::vector<std::string> Files(const std::string& root) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), root).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_GROUP(TestPki){};

TEST(TestPki, NirKey) {
  // python-stdnum's fr.nir test vector "2 95 10 99 126 111 93" (cards.md §4).
  LONGS_EQUAL(93, NirKey("2951099126111"));
  // Corsica: 2A counts as 19 (python-stdnum gives 83 for this one).
  LONGS_EQUAL(83, NirKey("157112A004012"));
  LONGS_EQUAL(-1, NirKey("29510991261"));
  LONGS_EQUAL(-1, NirKey("29510991261X1"));
}

TEST(TestPki, SeededDrbgStreamsAreSeparated) {
  Sha256Digest a = Sha256(AsBytes("a")), b = Sha256(AsBytes("b"));
  auto out = [](const Sha256Digest& seed, std::string_view label) {
    auto drbg = SeededDrbg::Create(seed, label);
    CHECK_OK(drbg);
    auto bytes = (*drbg)->Generate(2000);  // more than one mbedTLS request
    CHECK_OK(bytes);
    return *bytes;
  };
  CHECK(out(a, "key:x") == out(a, "key:x"));
  CHECK(out(a, "key:x") != out(a, "key:y"));
  CHECK(out(a, "key:x") != out(b, "key:x"));
}

TEST(TestPki, ProfessionalsMatchTheirCertificates) {
  for (const TestProfessional& p : SmallPki().professionals) {
    CHECK_TRUE(RppsLuhnValid(p.rpps));
    for (const CertAndKey* ck : {&*p.aut, &*p.sig}) {
      auto holder = ck->cert.Holder();
      CHECK_OK(holder);
      STRCMP_EQUAL(p.IdNat().c_str(), holder->id_nat.c_str());
      STRCMP_EQUAL(p.surname.c_str(), holder->surname.c_str());
      STRCMP_EQUAL(p.profession_label.c_str(), holder->title.c_str());
      CHECK(ck->cert.public_key().ToDer() == ck->key.public_key().ToDer());
    }
    CHECK(p.aut->key.public_key().ToDer() != p.sig->key.public_key().ToDer());
  }
  CHECK_TRUE(SmallPki().professionals[1].revoked);
}

TEST(TestPki, SameSeedGivesByteIdenticalFiles) {
  auto again = BuildTestPki(TestPkiOptions{std::string(testing::kSeed), true});
  CHECK_OK(again);
  CHECK(again->igc_root->cert.der() == SmallPki().igc_root->cert.der());
  CHECK(again->igc_crl == SmallPki().igc_crl);
  CHECK(again->patients[0].cvc == SmallPki().patients[0].cvc);

  const std::string d1 = TempDir(), d2 = TempDir();
  CHECK_OK(WriteTestPki(SmallPki(), d1, false));
  CHECK_OK(WriteTestPki(*again, d2, false));
  std::vector<std::string> files = Files(d1);
  CHECK(files == Files(d2));
  CHECK(files.size() > 40);
  for (const std::string& f : files) {
    CHECK_TEXT(ReadFile(fs::path(d1) / f) == ReadFile(fs::path(d2) / f), f.c_str());
  }
  fs::remove_all(d1);
  fs::remove_all(d2);
}

TEST(TestPki, OutputFolderRulesAndKeyModes) {
  const std::string dir = TempDir();
  CHECK_OK(WriteTestPki(SmallPki(), dir, false));
  CHECK_FAILS_WITH(WriteTestPki(SmallPki(), dir, false), StatusCode::kAlreadyExists, "--force");
  CHECK_OK(WriteTestPki(SmallPki(), dir, true));
  for (const std::string& f : Files(dir)) {
    struct stat st {};
    CHECK(stat((fs::path(dir) / f).c_str(), &st) == 0);
    const bool is_key = f.ends_with(".key.pem");
    LONGS_EQUAL_TEXT(is_key ? 0600 : 0644, st.st_mode & 0777, f.c_str());
  }
  auto index = json::Parse(ReadFile(fs::path(dir) / "index.json"));
  CHECK_OK(index);
  const json::Value* pros = index->Find("professionals");
  CHECK(pros != nullptr && pros->as_array().size() == 2);
  const json::Value& gp = pros->as_array()[0];
  STRCMP_EQUAL("899700100011", gp.Find("idnat")->as_string().c_str());
  STRCMP_EQUAL("SM54", gp.Find("specialty")->as_string().c_str());
  auto aut = Certificate::FromPemFile((fs::path(dir) / gp.Find("aut_cert")->as_string()).string());
  CHECK_OK(aut);
  auto key = PrivateKey::FromPemFile((fs::path(dir) / gp.Find("sig_key")->as_string()).string());
  CHECK_OK(key);
  const json::Value& patient = index->Find("vitale")->Find("patients")->as_array()[0];
  STRCMP_EQUAL("30", patient.Find("nir_key")->as_string().c_str());
  LONGS_EQUAL(1, patient.Find("beneficiaries")->as_array().size());
  CHECK(ReadFile(fs::path(dir) / patient.Find("cvc")->as_string()) ==
        ToString(SmallPki().patients[0].cvc));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace carnet::crypto
