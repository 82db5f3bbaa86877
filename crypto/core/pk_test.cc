// Keys: parsing, serialization, files, names, the mbedTLS error translation.
#include "crypto/core/pk.h"

#include <CppUTest/TestHarness.h>
#include <mbedtls/rsa.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "crypto/core/pk_internal.h"
#include "crypto/core/pk_test_keys.h"

namespace carnet::crypto {
namespace {

using testing::EcP256;
using testing::Rsa2048;

bool Contains(const Status& s, std::string_view text) {
  return s.message().find(text) != std::string::npos;
}

std::string MakeTempDir() {
  char tmpl[] = "/tmp/carnet-pk-test-XXXXXX";
  const char* dir = mkdtemp(tmpl);
  return dir != nullptr ? dir : "";
}

unsigned FileMode(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777U;
}

}  // namespace

TEST_GROUP(SchemeNames){};

TEST(SchemeNames, RoundTripAndRejectUnknown) {
  for (auto s : {SignatureScheme::kEs256, SignatureScheme::kRs256, SignatureScheme::kPs256}) {
    CHECK_TRUE(ParseSchemeName(SchemeName(s)).value() == s);
  }
  STRCMP_EQUAL("PS256", std::string(SchemeName(SignatureScheme::kPs256)).c_str());
  CHECK_TRUE(ParseSchemeName("es256").status().code() == StatusCode::kInvalidArgument);
  CHECK_FALSE(ParseSchemeName("ES384").ok());
  CHECK_FALSE(ParseSchemeName("").ok());
}

TEST_GROUP(MbedtlsError){};

TEST(MbedtlsError, KeepsCodeAndText) {
  Status s = MbedtlsError(MBEDTLS_ERR_RSA_VERIFY_FAILED, "checking", StatusCode::kUnauthenticated);
  CHECK_TRUE(s.code() == StatusCode::kUnauthenticated);
  STRCMP_EQUAL("checking: mbedTLS -0x4380 (RSA - The PKCS#1 verification failed)",
               s.message().c_str());
  CHECK_TRUE(MbedtlsError(-1, "x", StatusCode::kOk).code() == StatusCode::kInternal);
}

TEST_GROUP(PublicKey){};

TEST(PublicKey, DerAndPemRoundTrip) {
  for (const PrivateKey* key : {&EcP256(), &Rsa2048()}) {
    PublicKey pub = key->public_key();
    Bytes der = pub.ToDer();
    PublicKey from_der = PublicKey::FromDer(der).value();
    CHECK_TRUE(from_der.ToDer() == der);
    std::string pem = pub.ToPem();
    CHECK_TRUE(pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0) == 0);
    CHECK_TRUE(PublicKey::FromPem(pem).value().ToDer() == der);
    CHECK_TRUE(pub.Clone().ToDer() == der);
    CHECK_TRUE(from_der.type() == key->type());
  }
}

TEST(PublicKey, TypeBitsAndRsaComponents) {
  PublicKey ec = EcP256().public_key();
  CHECK_TRUE(ec.type() == KeyType::kEcP256);
  LONGS_EQUAL(256, ec.bits());
  CHECK_TRUE(ec.RsaModulus().empty());
  PublicKey rsa = Rsa2048().public_key();
  CHECK_TRUE(rsa.type() == KeyType::kRsa);
  LONGS_EQUAL(2048, rsa.bits());
  Bytes n = rsa.RsaModulus();
  LONGS_EQUAL(256, n.size());
  CHECK_TRUE((n[0] & 0x80) != 0);  // a full 2048-bit modulus
  STRCMP_EQUAL("010001", HexEncode(rsa.RsaPublicExponent()).c_str());
}

TEST(PublicKey, RejectsWhatIsNotAKey) {
  CHECK_TRUE(PublicKey::FromDer(Bytes{}).status().code() == StatusCode::kInvalidArgument);
  auto garbage = PublicKey::FromDer(Bytes{0x30, 0x03, 0x02, 0x01, 0x01});
  CHECK_TRUE(garbage.status().code() == StatusCode::kInvalidArgument);
  CHECK_TRUE(Contains(garbage.status(), "mbedTLS -0x"));
  CHECK_TRUE(Contains(PublicKey::FromPem("hello").status(), "no -----BEGIN"));
  auto bad_pem = PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
  CHECK_TRUE(bad_pem.status().code() == StatusCode::kInvalidArgument);
  // Truncated DER of a real key.
  Bytes der = EcP256().public_key().ToDer();
  der.pop_back();
  CHECK_FALSE(PublicKey::FromDer(der).ok());
}

TEST(PublicKey, FromMbedtlsCopiesTheKey) {
  PublicKey pub = Rsa2048().public_key();
  auto copy = PublicKeyFromMbedtls(pub.impl()->pk);
  CHECK_TRUE(copy.ok());
  CHECK_TRUE(copy->ToDer() == pub.ToDer());
  CHECK_TRUE(&copy->impl()->pk != &pub.impl()->pk);
}

TEST_GROUP(PrivateKey){};

TEST(PrivateKey, PemRoundTripKeepsTheKey) {
  for (const PrivateKey* key : {&EcP256(), &Rsa2048()}) {
    SecretBytes pem = key->ToPem().value();
    std::string text = ToString(pem.view());
    CHECK_TRUE(text.find("PRIVATE KEY-----") != std::string::npos);
    CHECK_TRUE(text.find('\0') == std::string::npos);
    PrivateKey back = PrivateKey::FromPem(pem).value();
    CHECK_TRUE(back.public_key().ToDer() == key->public_key().ToDer());
    CHECK_TRUE(back.ToPem().value().Equals(pem));
  }
}

TEST(PrivateKey, RejectsBadPem) {
  CHECK_TRUE(PrivateKey::FromPem(SecretBytes()).status().code() == StatusCode::kInvalidArgument);
  auto junk =
      PrivateKey::FromPem(SecretBytes(AsBytes("-----BEGIN PRIVATE KEY-----\nAA==\n"
                                              "-----END PRIVATE KEY-----\n")));
  CHECK_TRUE(junk.status().code() == StatusCode::kInvalidArgument);
  // A public key is not a private key.
  auto pub = PrivateKey::FromPem(SecretBytes(AsBytes(EcP256().public_key().ToPem())));
  CHECK_FALSE(pub.ok());
}

TEST(PrivateKey, RejectsBadRsaSizes) {
  FakeRandom rng;
  CHECK_FALSE(PrivateKey::GenerateRsa(rng, 512).ok());
  CHECK_FALSE(PrivateKey::GenerateRsa(rng, 2049).ok());
  CHECK_FALSE(PrivateKey::GenerateRsa(rng, 8192).ok());
}

TEST(PrivateKey, EcKeysFromFakeRandomAreReproducible) {
  FakeRandom a(42), b(42);
  auto ka = PrivateKey::GenerateEcP256(a).value();
  auto kb = PrivateKey::GenerateEcP256(b).value();
  CHECK_TRUE(ka.public_key().ToDer() == kb.public_key().ToDer());
  CHECK_FALSE(ka.public_key().ToDer() == EcP256().public_key().ToDer());
}

TEST(PrivateKey, WritePemFileIs0600AndReadsBack) {
  const std::string dir = MakeTempDir();
  CHECK_FALSE(dir.empty());
  const std::string path = dir + "/key.pem";
  {
    std::ofstream old(path);  // a world-readable file already there must not stay so
    old << "old";
  }
  CHECK_TRUE(chmod(path.c_str(), 0644) == 0);
  umask(022);
  CHECK_TRUE(EcP256().WritePemFile(path).ok());
  LONGS_EQUAL(0600, FileMode(path));
  auto back = PrivateKey::FromPemFile(path);
  CHECK_TRUE(back.ok());
  CHECK_TRUE(back->public_key().ToDer() == EcP256().public_key().ToDer());
  unlink(path.c_str());
  rmdir(dir.c_str());  // fails, and the test notices, if a temporary file was left behind
  CHECK_TRUE(FileMode(dir) == 0);
}

TEST(PrivateKey, FileErrors) {
  auto missing = PrivateKey::FromPemFile("/nonexistent/carnet/key.pem");
  CHECK_TRUE(missing.status().code() == StatusCode::kNotFound);
  CHECK_FALSE(PrivateKey::FromPemFile("/tmp").ok());  // a directory
  CHECK_FALSE(EcP256().WritePemFile("/nonexistent/carnet/key.pem").ok());
}

}  // namespace carnet::crypto
